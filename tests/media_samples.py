"""Pictures and audio made for the tests: real files, with the metadata a camera, an agency
or a phone leaves in them (GPS, serial numbers, captions), built with Pillow and ``wave``."""

from __future__ import annotations

import io
import struct
import wave
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

# EXIF tags (TIFF/EXIF numbering).
ORIENTATION = 0x0112
ARTIST = 0x013B
COPYRIGHT = 0x8298
IMAGE_DESCRIPTION = 0x010E
MAKE = 0x010F
EXIF_IFD = 0x8769
GPS_IFD = 0x8825
BODY_SERIAL = 0xA431
CAMERA_OWNER = 0xA430
LENS_SERIAL = 0xA435

SECRET_OWNER = "Jane Reporter-Secret"
SECRET_SERIAL = "SN-99887766"
GPS_LATITUDE = ((51, 1), (30, 1), (1234, 100))  # 51°30'12.34"


def xmp_packet(caption: str = "", credit: str = "", rights: str = "", alt: str = "") -> bytes:
    """An XMP packet with IPTC Core caption, credit line, copyright and alt text."""
    parts = []
    if caption:
        parts.append(
            f"<dc:description><rdf:Alt><rdf:li xml:lang='x-default'>{caption}</rdf:li>"
            "</rdf:Alt></dc:description>"
        )
    if rights:
        parts.append(
            f"<dc:rights><rdf:Alt><rdf:li xml:lang='x-default'>{rights}</rdf:li>"
            "</rdf:Alt></dc:rights>"
        )
    if credit:
        parts.append(f"<photoshop:Credit>{credit}</photoshop:Credit>")
    if alt:
        parts.append(
            "<Iptc4xmpCore:AltTextAccessibility><rdf:Alt><rdf:li xml:lang='x-default'>"
            f"{alt}</rdf:li></rdf:Alt></Iptc4xmpCore:AltTextAccessibility>"
        )
    body = "".join(parts)
    return (
        "<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>"
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'>"
        "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        "<rdf:Description rdf:about='' xmlns:dc='http://purl.org/dc/elements/1.1/' "
        "xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/' "
        "xmlns:Iptc4xmpCore='http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/' "
        "xmlns:aux='http://ns.adobe.com/exif/1.0/aux/'>"
        f"{body}<aux:SerialNumber>{SECRET_SERIAL}</aux:SerialNumber>"
        "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>"
    ).encode()


def picture(width: int, height: int, *, seed: int = 0) -> Image.Image:
    """A photo-like RGB picture: gradients and shapes, so encoders have work to do, with
    a marker in the top-left corner to check orientation (red) against the rest."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    step = max(8, min(width, height) // 12)
    for i in range(0, max(width, height), step):
        shade = (i * 7 + seed * 31) % 255
        draw.ellipse((i, i // 2, i + step * 2, i // 2 + step * 2), fill=(shade, 120, 255 - shade))
    draw.rectangle((0, 0, max(2, width // 8), max(2, height // 8)), fill=(255, 0, 0))
    return image


def jpeg_bytes(
    width: int = 1200,
    height: int = 800,
    *,
    orientation: int = 1,
    gps: bool = True,
    caption: str = "Troops cross the river at dawn",
    credit: str = "Agency Photo/J. Smith",
    rights: str = "© 2026 Agency Photo",
    alt: str = "",
    quality: int = 85,
    seed: int = 0,
    xmp: bool = True,
) -> bytes:
    """A camera JPEG: EXIF with GPS, owner and serial numbers, orientation; XMP words
    (``xmp=False`` leaves the XMP packet out, so only EXIF carries words)."""
    image = picture(width, height, seed=seed)
    exif = Image.Exif()
    exif[MAKE] = "NewsCam"
    exif[ARTIST] = SECRET_OWNER
    exif[COPYRIGHT] = rights
    exif[IMAGE_DESCRIPTION] = caption
    exif[ORIENTATION] = orientation
    exif_ifd = exif.get_ifd(EXIF_IFD)
    exif_ifd[BODY_SERIAL] = SECRET_SERIAL
    exif_ifd[CAMERA_OWNER] = SECRET_OWNER
    exif_ifd[LENS_SERIAL] = "LENS-123456"
    if gps:
        gps_ifd = exif.get_ifd(GPS_IFD)
        gps_ifd[1] = "N"
        gps_ifd[2] = tuple(a / b for a, b in GPS_LATITUDE)
        gps_ifd[3] = "W"
        gps_ifd[4] = (0.0, 7.0, 39.0)
    out = io.BytesIO()
    image.save(
        out,
        "JPEG",
        quality=quality,
        exif=exif,
        xmp=xmp_packet(caption, credit, rights, alt) if xmp else b"",
        comment=f"owner {SECRET_OWNER}".encode(),
    )
    return out.getvalue()


def plain_jpeg_bytes(width: int = 320, height: int = 240, *, seed: int = 0) -> bytes:
    """A JPEG with no metadata at all (no EXIF, XMP, IPTC or comment)."""
    out = io.BytesIO()
    picture(width, height, seed=seed).save(out, "JPEG", quality=85)
    return out.getvalue()


def photo_jpeg_bytes(width: int = 6000, height: int = 4000, *, quality: int = 90) -> bytes:
    """A JPEG as heavy as a camera's (sensor noise over the shapes: about 1 byte a pixel
    at 24 MP, where the smooth :func:`picture` compresses ten times better)."""
    noise = Image.effect_noise((width, height), 40).convert("RGB")
    image = Image.blend(picture(width, height), noise, 0.35)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def iim_dataset(record: int, number: int, value: str | bytes, *, utf8: bool = True) -> bytes:
    """One IPTC IIM dataset: tag marker, record, dataset number, length, value."""
    raw = value if isinstance(value, bytes) else value.encode("utf-8" if utf8 else "latin-1")
    return b"\x1c" + bytes([record, number]) + struct.pack(">H", len(raw)) + raw


def iptc_jpeg_bytes(
    caption: str = "",
    credit: str = "",
    byline: str = "",
    copyright: str = "",
    *,
    utf8: bool = True,
    base: bytes | None = None,
) -> bytes:
    """A JPEG carrying IPTC IIM words the way agencies send them: a Photoshop APP13
    segment (resource 0x0404) right after SOI. ``utf8`` writes record 1:90 (ESC % G) and
    UTF-8 text; without it the text is Latin-1 and 1:90 is absent. ``base`` is the JPEG
    to put the segment in (a plain one by default)."""
    iim = iim_dataset(1, 90, b"\x1b%G") if utf8 else b""
    for number, value in ((120, caption), (110, credit), (80, byline), (116, copyright)):
        if value:
            iim += iim_dataset(2, number, value, utf8=utf8)
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iim))
    resource += iim + (b"\x00" if len(iim) % 2 else b"")
    payload = b"Photoshop 3.0\x00" + resource
    segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    jpeg = base if base is not None else plain_jpeg_bytes()
    return jpeg[:2] + segment + jpeg[2:]


def png_bytes(width: int = 640, height: int = 480, *, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    picture(width, height).convert(mode).save(out, "PNG")
    return out.getvalue()


def webp_bytes(width: int = 640, height: int = 480) -> bytes:
    out = io.BytesIO()
    picture(width, height).save(out, "WEBP", quality=80)
    return out.getvalue()


def gif_bytes(width: int = 120, height: int = 80, frames: int = 3) -> bytes:
    images = [picture(width, height, seed=i).convert("P") for i in range(frames)]
    out = io.BytesIO()
    images[0].save(out, "GIF", save_all=True, append_images=images[1:], duration=100, loop=0)
    return out.getvalue()


def bomb_png(width: int = 30_000, height: int = 30_000) -> bytes:
    """A tiny PNG whose header declares ``width`` x ``height`` pixels (a decompression bomb):
    the data stream is a few rows, so only a decoder that trusts the header blows up."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = zlib.compress(b"\x00" * (width + 1) * 4, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def svg_with_script() -> bytes:
    return (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
    )


def wav_bytes(seconds: float = 2.0, rate: int = 8000) -> bytes:
    """A mono 16-bit WAV of a quiet tone, ``seconds`` long."""
    frames = int(seconds * rate)
    out = io.BytesIO()
    with wave.open(out, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        samples = bytearray()
        for i in range(frames):
            value = int(3000 * ((i // 20) % 2 * 2 - 1))
            samples += struct.pack("<h", value)
        handle.writeframes(bytes(samples))
    return out.getvalue()


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
