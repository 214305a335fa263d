"""Making a rendition's bytes: pictures re-encoded with Pillow, audio stripped of its tags.

Kept apart from :mod:`newsdesk.publish.media.renditions` (names and paths, needed by every
export and preview) so that Pillow is loaded only by a process that encodes a file.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from hashlib import sha256
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape

from defusedxml import ElementTree  # type: ignore[import-untyped]
from PIL import Image, ImageCms, ImageOps, ImageSequence

from newsdesk.core.media.media import AUDIO_TYPES, MediaError, MediaLimits
from newsdesk.publish.media.renditions import (
    JPEG_QUALITY,
    PNG_COMPRESS_LEVEL,
    WEBP_METHOD,
    WEBP_QUALITY,
    Rendition,
)

_FORMATS = ["JPEG", "PNG", "WEBP", "GIF", "AVIF"]  # what Pillow may take an original for


def encode_many(data: bytes, renditions: Sequence[Rendition]) -> list[bytes]:
    """The bytes of each of ``renditions`` of one original, each what
    :func:`~newsdesk.publish.media.renditions.encode` gives, decoding the original once per
    decoding scale rather than once per rendition (an export makes five or six files from
    each photo)."""
    digest = sha256(data).hexdigest()
    for rendition in renditions:
        if rendition.source_sha256 != digest:
            raise MediaError(
                f"The stored file for media:{rendition.key} does not match its checksum: "
                "replace the file in the media library."
            )
    out: dict[int, bytes] = {}
    groups: dict[object, list[int]] = {}
    for index, rendition in enumerate(renditions):
        if rendition.mime_type in AUDIO_TYPES:
            out[index] = _audio_without_tags(data, rendition)
        else:
            groups.setdefault(_decoding(data, rendition), []).append(index)
    for indexes in groups.values():
        try:
            encoded = _pictures(data, [renditions[i] for i in indexes])
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
            key = renditions[indexes[0]].key
            raise MediaError(
                f"The picture media:{key} cannot be read ({error}): "
                "replace the file in the media library."
            ) from error
        out.update(zip(indexes, encoded, strict=True))
    return [out[i] for i in range(len(renditions))]


def _decoding(data: bytes, rendition: Rendition) -> object:
    """Which decoded pixels a rendition is made from: renditions with the same answer
    share one decode (a JPEG decodes at 1/1, 1/2, 1/4 or 1/8 of its size)."""
    if rendition.mime_type == "image/gif" or not (rendition.width and rendition.height):
        return ("whole", rendition.mime_type == "image/gif")
    try:
        with Image.open(io.BytesIO(data), formats=_FORMATS) as image:
            if image.format != "JPEG":
                return ("whole", False)
            width, height = image.size
            target = _draft_target(image, rendition)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return ("whole", False)  # reported when decoded
    scale = min(width // target[0], height // target[1])
    return ("jpeg", next(s for s in (8, 4, 2, 1) if scale >= s))


def _draft_target(image: Image.Image, rendition: Rendition) -> tuple[int, int]:
    assert rendition.width and rendition.height
    if _orientation(image) in {5, 6, 7, 8}:  # stored on its side: the stored size is turned
        return (rendition.height, rendition.width)
    return (rendition.width, rendition.height)


def _pictures(data: bytes, renditions: list[Rendition]) -> list[bytes]:
    first = renditions[0]
    with Image.open(io.BytesIO(data), formats=_FORMATS) as image:
        _check_size(image, first)
        if first.mime_type == "image/gif":
            return [_gif(image) for _ in renditions]
        words = _xmp(_kept_words(image))
        icc = image.info.get("icc_profile")
        lossless = image.format == "PNG"
        if first.width and first.height and image.format == "JPEG":
            # Decode at 1/2, 1/4 or 1/8 scale when the target is that much smaller: a 24 MP
            # photo for a 1600 px rendition decodes a quarter of its pixels.
            image.draft(image.mode, _draft_target(image, first))
        upright = ImageOps.exif_transpose(image)  # first: stripping drops the orientation
        return [_finish(upright, r, words, icc, lossless=lossless) for r in renditions]


def _check_size(image: Image.Image, rendition: Rendition) -> None:
    limits = MediaLimits()
    width, height = image.size
    if width * height > limits.max_pixels or max(width, height) > limits.max_side:
        raise MediaError(
            f"The picture media:{rendition.key} is {width} x {height} pixels, over the "
            f"limit of {limits.max_pixels:,} pixels: replace it with a smaller file."
        )


def _finish(
    upright: Image.Image, rendition: Rendition, xmp: bytes, icc: object, *, lossless: bool
) -> bytes:
    frame = _pixels_for(upright, rendition.mime_type)
    if rendition.width and rendition.height and rendition.width < frame.width:  # never upscale
        frame = frame.resize((rendition.width, rendition.height), Image.Resampling.LANCZOS)
    frame = _to_srgb(frame, icc)
    if frame is upright:
        frame = frame.copy()
    frame.info = {}  # nothing of the source's metadata is written back by accident
    return _save(frame, rendition.mime_type, xmp, lossless=lossless)


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(0x0112, 1))
    except (ValueError, TypeError):
        return 1


def _pixels_for(image: Image.Image, mime_type: str) -> Image.Image:
    """Pixels in a mode the target format stores: alpha kept where it can be, else
    flattened onto white (a transparent logo on a JPEG is not black)."""
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode in {"I;16", "I", "F"}:
        image = image.convert("L")
    has_alpha = image.mode in {"RGBA", "LA", "PA", "RGBa", "La"}
    if mime_type == "image/jpeg" or not has_alpha:
        if has_alpha:
            rgba = image.convert("RGBA")
            white = Image.new("RGB", rgba.size, (255, 255, 255))
            white.paste(rgba, mask=rgba.getchannel("A"))
            return white
        return image if image.mode in {"RGB", "L", "CMYK"} else image.convert("RGB")
    return image.convert("RGBA")


_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _to_srgb(image: Image.Image, icc: object) -> Image.Image:
    """The pixels in sRGB, the colour space an untagged web picture is shown in."""
    if isinstance(icc, bytes) and icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if "srgb" not in ImageCms.getProfileDescription(source).lower().replace(" ", ""):
                mode = "RGBA" if image.mode == "RGBA" else "RGB"
                converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
                if converted is not None:
                    image = converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a damaged profile: the pixels as they are read best
    if image.mode == "CMYK":
        image = image.convert("RGB")
    return image


def _save(image: Image.Image, mime_type: str, xmp: bytes, *, lossless: bool = False) -> bytes:
    out = io.BytesIO()
    if mime_type == "image/webp":
        image.save(
            out,
            "WEBP",
            quality=WEBP_QUALITY,
            method=WEBP_METHOD,
            lossless=lossless,
            exact=False,
            alpha_quality=100,
            icc_profile=b"",
            exif=b"",
            xmp=xmp,
        )
    elif mime_type == "image/jpeg":
        image.save(
            out,
            "JPEG",
            quality=JPEG_QUALITY,
            progressive=True,
            optimize=True,
            subsampling="4:2:0",
            icc_profile=None,
            exif=b"",
            xmp=xmp,
        )
    elif mime_type == "image/png":
        image.save(out, "PNG", optimize=False, compress_level=PNG_COMPRESS_LEVEL)
    else:
        raise MediaError(f"Newsdesk does not make {mime_type} renditions.")
    return out.getvalue()


def _gif(image: Image.Image) -> bytes:
    """The animation re-encoded frame by frame: no comment, no application extensions."""
    frames: list[Image.Image] = []
    durations: list[int] = []
    for frame in ImageSequence.Iterator(image):
        durations.append(int(frame.info.get("duration", 100)))
        copy = frame.copy()
        transparency = copy.info.get("transparency")
        copy.info = {} if transparency is None else {"transparency": transparency}
        frames.append(copy)
    out = io.BytesIO()
    first, *rest = frames
    first.save(
        out,
        "GIF",
        save_all=True,
        append_images=rest,
        duration=durations,
        loop=int(image.info.get("loop", 0)),
        optimize=False,
    )
    return out.getvalue()


# -- words written back -----------------------------------------------------------------

_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
}
_COPYRIGHT_TAG = 0x8298


def _kept_words(image: Image.Image) -> dict[str, str]:
    """The creator, credit line and copyright the source's own XMP (or EXIF copyright)
    states: the only metadata a rendition carries, for licence badges and picture desks."""
    words: dict[str, str] = {}
    packet = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
    if isinstance(packet, str):
        packet = packet.encode("utf-8")
    if isinstance(packet, bytes) and packet:
        words = _xmp_words(packet)
    if "copyright" not in words:
        try:
            value = image.getexif().get(_COPYRIGHT_TAG)
        except (ValueError, TypeError, SyntaxError):
            value = None
        if isinstance(value, str) and value.strip("\x00 ").strip():
            words["copyright"] = value.strip("\x00 ").strip()
    return words


def _xmp_words(packet: bytes) -> dict[str, str]:
    start, end = packet.find(b"<x:xmpmeta"), packet.rfind(b"</x:xmpmeta>")
    if start == -1 or end == -1:
        return {}
    try:
        root = ElementTree.fromstring(packet[start : end + len(b"</x:xmpmeta>")])
    except (ElementTree.ParseError, ValueError, Exception):  # defusedxml's refusals too
        return {}
    words: dict[str, str] = {}
    for description in root.iter(f"{{{_NS['rdf']}}}Description"):
        for name, tag in (("creator", "dc:creator"), ("credit", "photoshop:Credit")):
            _take(words, name, description, tag)
        _take(words, "copyright", description, "dc:rights")
    return words


def _take(words: dict[str, str], name: str, description: Element, tag: str) -> None:
    if name in words:
        return
    prefix, local = tag.split(":")
    qualified = f"{{{_NS[prefix]}}}{local}"
    value = description.get(qualified)
    if value is None:
        element = description.find(qualified)
        if element is None:
            return
        items = [li.text or "" for li in element.iter(f"{{{_NS['rdf']}}}li")]
        value = ", ".join(i.strip() for i in items if i.strip()) if items else element.text
    value = " ".join((value or "").split())[:500]
    if value:
        words[name] = value


def _xmp(words: dict[str, str]) -> bytes:
    if not words:
        return b""
    parts = []
    if "creator" in words:
        parts.append(
            f"<dc:creator><rdf:Seq><rdf:li>{escape(words['creator'])}</rdf:li></rdf:Seq>"
            "</dc:creator>"
        )
    if "credit" in words:
        parts.append(f"<photoshop:Credit>{escape(words['credit'])}</photoshop:Credit>")
    if "copyright" in words:
        parts.append(
            "<dc:rights><rdf:Alt><rdf:li xml:lang='x-default'>"
            f"{escape(words['copyright'])}</rdf:li></rdf:Alt></dc:rights>"
        )
    return (
        "<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>"
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'>"
        f"<rdf:RDF xmlns:rdf='{_NS['rdf']}'>"
        f"<rdf:Description rdf:about='' xmlns:dc='{_NS['dc']}' "
        f"xmlns:photoshop='{_NS['photoshop']}'>{''.join(parts)}</rdf:Description>"
        "</rdf:RDF></x:xmpmeta><?xpacket end='r'?>"
    ).encode()


# -- audio ------------------------------------------------------------------------------


def _audio_without_tags(data: bytes, rendition: Rendition) -> bytes:
    """The same audio without ID3/Vorbis/MP4 tags (cover art, comments, private frames)."""
    import mutagen  # the export workers need it; the window rarely does

    buffer = io.BytesIO(data)
    try:
        audio = mutagen.File(buffer)
        if audio is not None and audio.tags is not None:
            buffer.seek(0)
            audio.delete(buffer)
    except mutagen.MutagenError as error:
        raise MediaError(
            f"The audio media:{rendition.key} cannot be read ({error}): "
            "replace the file in the media library."
        ) from error
    return buffer.getvalue()
