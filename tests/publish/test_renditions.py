"""Renditions: which files a stored picture or audio becomes, and the bytes in them."""

from __future__ import annotations

import hashlib
import io
import re
import struct
import wave
from importlib.metadata import distributions, version

import pytest
from mutagen.id3 import COMM, GEOB, TIT2
from mutagen.wave import WAVE
from PIL import Image, ImageSequence
from tests.media_samples import (
    SECRET_OWNER,
    SECRET_SERIAL,
    gif_bytes,
    jpeg_bytes,
    picture,
    png_bytes,
    wav_bytes,
)

from newsdesk.core.media.media import MediaAsset, MediaError, MediaKind
from newsdesk.publish.body_format import RENDERER_VERSION, installed_version
from newsdesk.publish.media.renditions import (
    PAGE_MEDIA_ROOT,
    RECIPE_ID,
    encode,
    encode_many,
    key_in_path,
    relocate_media,
    rendition_at,
    renditions_for,
)

KEY = "0123456789ab"
GPS_IFD = 0x8825
EXIF_IFD = 0x8769
ARTIST = 0x013B


def asset_of(
    data: bytes,
    mime: str,
    width: int | None,
    height: int | None,
    *,
    kind: MediaKind = MediaKind.IMAGE,
    filename: str = "Troops at dawn.jpg",
    key: str = KEY,
) -> MediaAsset:
    return MediaAsset(
        key=key,
        sha256=hashlib.sha256(data).hexdigest(),
        kind=kind,
        mime_type=mime,
        size=len(data),
        filename=filename,
        width=width,
        height=height,
    )


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


# -- which files ------------------------------------------------------------------------


def test_a_large_photo_gets_every_width_in_webp_and_one_jpeg_fallback() -> None:
    asset = asset_of(b"x", "image/jpeg", 4000, 3000)
    found = [(r.mime_type, r.width, r.height) for r in renditions_for(asset)]
    assert found == [
        ("image/webp", 480, 360),
        ("image/webp", 800, 600),
        ("image/webp", 1200, 900),
        ("image/webp", 1600, 1200),
        ("image/jpeg", 1200, 900),
    ]
    lead = [(r.mime_type, r.width) for r in renditions_for(asset, lead=True)]
    assert ("image/webp", 2000) in lead
    assert lead[-1] == ("image/jpeg", 1200)


def test_widths_never_pass_the_original_and_add_its_own_width_between_steps() -> None:
    mid = renditions_for(asset_of(b"x", "image/jpeg", 1000, 500))
    assert [(r.mime_type, r.width) for r in mid] == [
        ("image/webp", 480),
        ("image/webp", 800),
        ("image/webp", 1000),
        ("image/jpeg", 1000),
    ]
    tiny = renditions_for(asset_of(b"x", "image/jpeg", 300, 200))
    assert [(r.mime_type, r.width, r.height) for r in tiny] == [
        ("image/webp", 300, 200),
        ("image/jpeg", 300, 200),
    ]


def test_png_stays_lossless_gif_stays_gif_audio_is_one_file() -> None:
    png = renditions_for(asset_of(b"x", "image/png", 900, 600, filename="chart.png"))
    assert [r.mime_type for r in png] == ["image/webp", "image/webp", "image/webp", "image/png"]
    gif = renditions_for(asset_of(b"x", "image/gif", 120, 80, filename="a.gif"))
    assert [(r.mime_type, r.width) for r in gif] == [("image/gif", 120)]
    audio = renditions_for(asset_of(b"x", "audio/mpeg", None, None, kind=MediaKind.AUDIO))
    assert [(r.mime_type, r.path.rsplit(".", 1)[-1]) for r in audio] == [("audio/mpeg", "mp3")]


def test_names_carry_key_and_a_hash_of_source_and_recipe() -> None:
    one = renditions_for(asset_of(b"first", "image/jpeg", 2000, 1000))
    two = renditions_for(asset_of(b"second", "image/jpeg", 2000, 1000))
    pattern = re.compile(rf"^media/troops-at-dawn-{KEY}-[0-9a-f]{{8}}-[0-9]+\.(webp|jpg)$")
    assert all(pattern.match(r.path) for r in one), [r.path for r in one]
    assert {r.path for r in one}.isdisjoint(r.path for r in two)  # a new file, new names
    assert len({r.path for r in one}) == len(one)
    for rendition in one:
        assert key_in_path(rendition.path) == KEY
        assert key_in_path("/" + rendition.path) == KEY
        assert key_in_path(rendition.name) == KEY
    assert key_in_path("media/holiday.jpg") is None
    assert key_in_path("assets/theme.css") is None


def test_the_recipe_and_the_body_format_name_the_installed_library_versions() -> None:
    """Read from the metadata's Version line (no email parser loaded): the same versions as
    importlib.metadata gives, for these and for every installed distribution."""
    assert RECIPE_ID.endswith(f"Pillow/{version('pillow')} mutagen/{version('mutagen')}")
    assert RENDERER_VERSION.endswith(f"markdown/{version('markdown')} nh3/{version('nh3')}")
    names = {found.metadata["Name"] for found in distributions()}
    assert len(names) > 20
    assert {name: installed_version(name) for name in names} == {
        name: version(name) for name in names
    }


def test_rendition_at_finds_each_requested_file_and_nothing_else() -> None:
    asset = asset_of(b"x", "image/jpeg", 4000, 3000)
    for rendition in renditions_for(asset, lead=True):
        assert rendition_at(asset, rendition.path) == rendition
        assert rendition_at(asset, "/" + rendition.path) == rendition
        assert rendition_at(asset, PAGE_MEDIA_ROOT + rendition.path) == rendition
    first = renditions_for(asset)[0]
    assert rendition_at(asset, first.path.replace("-480.", "-481.")) is None
    other = asset_of(b"y", "image/jpeg", 4000, 3000)
    assert rendition_at(other, first.path) is None  # another source: another name


def test_non_latin_file_names_give_ascii_paths() -> None:
    rendition = renditions_for(asset_of(b"x", "image/jpeg", 600, 400, filename="Ελλάδα été.JPG"))
    assert all(r.path.isascii() and " " not in r.path for r in rendition)
    assert rendition[0].path.startswith("media/ete-" + KEY) or rendition[0].path.startswith(
        "media/media-" + KEY
    )


def test_relocate_media_points_references_elsewhere() -> None:
    name = renditions_for(asset_of(b"x", "image/jpeg", 600, 400))[0].name
    html = (
        f'<img src="../../media/{name}" srcset="../../media/{name} 480w, ../../media/{name} 600w">'
        '<a href="../../media/notes.txt">x</a>'
    )
    assert relocate_media(html, "") == (
        f'<img src="{name}" srcset="{name} 480w, {name} 600w"><a href="../../media/notes.txt">x</a>'
    )
    assert f'src="https://example.com/media/{name}"' in relocate_media(
        html, "https://example.com/media/"
    )


# -- the bytes --------------------------------------------------------------------------


def test_encoding_twice_gives_the_same_bytes() -> None:
    data = jpeg_bytes(1600, 1000)
    asset = asset_of(data, "image/jpeg", 1600, 1000)
    for rendition in renditions_for(asset, lead=True):
        assert encode(data, rendition) == encode(data, rendition), rendition.path


def test_encoding_all_at_once_gives_each_files_own_bytes() -> None:
    data = jpeg_bytes(3000, 2000, orientation=6, gps=False)
    renditions = renditions_for(asset_of(data, "image/jpeg", 2000, 3000), lead=True)
    assert len(renditions) == 6
    assert encode_many(data, renditions) == [encode(data, r) for r in renditions]
    assert encode_many(data, renditions[::-1]) == [encode(data, r) for r in renditions[::-1]]


def test_each_rendition_has_the_size_and_type_its_name_says() -> None:
    data = jpeg_bytes(1600, 1000)
    for rendition in renditions_for(asset_of(data, "image/jpeg", 1600, 1000), lead=True):
        image = opened(encode(data, rendition))
        assert image.size == (rendition.width, rendition.height)
        assert Image.MIME[image.format or ""] == rendition.mime_type


def test_a_sideways_camera_photo_comes_out_upright() -> None:
    # Stored 1200 x 800 with orientation 6 (turn 90° clockwise to view): shown 800 x 1200,
    # and the red marker of the stored top-left corner is then at the top right.
    data = jpeg_bytes(1200, 800, orientation=6)
    asset = asset_of(data, "image/jpeg", 800, 1200)
    for rendition in renditions_for(asset):
        image = opened(encode(data, rendition)).convert("RGB")
        assert image.size == (rendition.width, rendition.height)
        red, green, blue = image.getpixel((image.width - 3, 2))  # type: ignore[misc]
        assert red > 200 and green < 60 and blue < 60, rendition.path
        red, green, blue = image.getpixel((2, 2))  # type: ignore[misc]
        assert not (red > 200 and green < 60), rendition.path
        assert 0x0112 not in image.getexif()


def test_nothing_private_survives_only_credit_and_copyright_go_back() -> None:
    data = jpeg_bytes(1600, 1000)  # GPS, owner, serials, XMP serial, JPEG comment
    assert SECRET_OWNER.encode() in data and SECRET_SERIAL.encode() in data
    for rendition in renditions_for(asset_of(data, "image/jpeg", 1600, 1000), lead=True):
        out = encode(data, rendition)
        for secret in (SECRET_OWNER, SECRET_SERIAL, "LENS-123456", "NewsCam"):
            assert secret.encode() not in out, (secret, rendition.path)
        image = opened(out)
        exif = image.getexif()
        assert not exif.get_ifd(GPS_IFD)
        assert not exif.get_ifd(EXIF_IFD)
        assert ARTIST not in exif
        assert "comment" not in image.info
        xmp = image.info.get("xmp") or b""
        assert b"SerialNumber" not in xmp and b"exif:GPS" not in xmp
        assert b"Agency Photo/J. Smith" in xmp  # photoshop:Credit
        assert "© 2026 Agency Photo".encode() in xmp  # dc:rights
        assert b"Troops cross the river" not in xmp  # the caption is the page's business
        assert "icc_profile" not in image.info


def test_a_large_jpeg_is_decoded_at_reduced_scale_for_small_renditions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = jpeg_bytes(4000, 3000, gps=False)
    asks: list[tuple[int, int] | None] = []
    original = Image.Image.draft

    def spy(self: Image.Image, mode: str | None, size: tuple[int, int] | None) -> object:
        asks.append(size)
        return original(self, mode, size)

    monkeypatch.setattr("PIL.JpegImagePlugin.JpegImageFile.draft", spy)
    small = renditions_for(asset_of(data, "image/jpeg", 4000, 3000))[0]
    out = opened(encode(data, small))
    assert asks == [(480, 360)]
    assert out.size == (480, 360)


def _rgb_profile(red: tuple[float, float, float], green: tuple[float, float, float]) -> bytes:
    """A minimal ICC v2 RGB display profile (matrix and gamma 2.2) with the given
    colorants: swapping sRGB's red and green makes stored red mean green."""

    def xyz(values: tuple[float, float, float]) -> bytes:
        return b"XYZ \0\0\0\0" + b"".join(struct.pack(">i", round(v * 65536)) for v in values)

    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, 563) + b"\0\0"
    text = b"swapped"
    desc = (
        b"desc\0\0\0\0" + struct.pack(">I", len(text) + 1) + text + b"\0"
        + b"\0" * 8 + b"\0\0\0" + b"\0" * 67
    )  # fmt: skip
    tags = [
        (b"desc", desc),
        (b"wtpt", xyz((0.9642, 1.0, 0.8249))),
        (b"rXYZ", xyz(red)),
        (b"gXYZ", xyz(green)),
        (b"bXYZ", xyz((0.1431, 0.0606, 0.7141))),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, blobs = b"", b""
    for signature, blob in tags:
        padded = blob + b"\0" * (-len(blob) % 4)
        table += signature + struct.pack(">II", offset + len(blobs), len(padded))
        blobs += padded
    body = struct.pack(">I", len(tags)) + table + blobs
    header = (
        struct.pack(">I", 128 + len(body)) + b"none" + struct.pack(">I", 0x02100000)
        + b"mntrRGB XYZ " + b"\0" * 12 + b"acsp" + b"\0" * 24
        + struct.pack(">I", 0) + xyz((0.9642, 1.0, 0.8249))[8:] + b"\0" * 48
    )  # fmt: skip
    return header + body


def test_a_picture_in_another_colour_space_is_converted_to_srgb() -> None:
    srgb_red, srgb_green = (0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971)
    swapped = _rgb_profile(srgb_green, srgb_red)
    source = Image.new("RGB", (600, 400), (255, 0, 0))
    buffer = io.BytesIO()
    source.save(buffer, "JPEG", quality=95, icc_profile=swapped)
    data = buffer.getvalue()
    for rendition in renditions_for(asset_of(data, "image/jpeg", 600, 400)):
        image = opened(encode(data, rendition)).convert("RGB")
        red, green, blue = image.getpixel((300, 200))  # type: ignore[misc]
        assert green > 200 and red < 80, (rendition.path, (red, green, blue))
        assert "icc_profile" not in image.info  # untagged: sRGB, as the web assumes


def test_never_upscaled() -> None:
    data = jpeg_bytes(300, 200)
    renditions = renditions_for(asset_of(data, "image/jpeg", 300, 200), lead=True)
    assert max(r.width or 0 for r in renditions) == 300
    assert all(opened(encode(data, r)).size == (300, 200) for r in renditions)


def test_png_with_transparency_keeps_it_in_webp_and_png() -> None:
    image = picture(400, 300).convert("RGBA")
    image.putpixel((399, 299), (0, 0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    data = buffer.getvalue()
    for rendition in renditions_for(asset_of(data, "image/png", 400, 300, filename="logo.png")):
        out = opened(encode(data, rendition))
        assert out.mode == "RGBA", rendition.path
        assert out.getpixel((399, 299))[3] == 0  # type: ignore[index]
    fallback = renditions_for(asset_of(data, "image/png", 400, 300))[-1]
    assert opened(encode(data, fallback)).format == "PNG"


def test_gif_keeps_its_frames_and_loses_its_comment() -> None:
    image = Image.open(io.BytesIO(gif_bytes(frames=3)))
    frames = [f.copy() for f in ImageSequence.Iterator(image)]
    buffer = io.BytesIO()
    frames[0].save(
        buffer, "GIF", save_all=True, append_images=frames[1:], comment=SECRET_OWNER.encode()
    )
    data = buffer.getvalue()
    assert SECRET_OWNER.encode() in data
    (rendition,) = renditions_for(asset_of(data, "image/gif", 120, 80, filename="a.gif"))
    out = encode(data, rendition)
    assert SECRET_OWNER.encode() not in out
    assert getattr(opened(out), "n_frames", 1) == 3


def test_png_bytes_encode() -> None:
    data = png_bytes(640, 480)
    for rendition in renditions_for(asset_of(data, "image/png", 640, 480, filename="c.png")):
        assert opened(encode(data, rendition)).size == (rendition.width, rendition.height)


def test_audio_loses_its_tags_and_keeps_its_sound() -> None:
    plain = wav_bytes(1.0)
    buffer = io.BytesIO(plain)
    tagged = WAVE(buffer)
    tagged.add_tags()
    assert tagged.tags is not None
    tagged.tags.add(TIT2(encoding=3, text=["Interview"]))
    tagged.tags.add(COMM(encoding=3, lang="eng", desc="", text=[SECRET_OWNER]))
    tagged.tags.add(GEOB(encoding=3, mime="text/plain", filename="gps.txt", data=b"51.5,-0.1"))
    buffer.seek(0)
    tagged.save(buffer)
    data = buffer.getvalue()
    assert SECRET_OWNER.encode() in data
    asset = asset_of(data, "audio/wav", None, None, kind=MediaKind.AUDIO, filename="iv.wav")
    (rendition,) = renditions_for(asset)
    out = encode(data, rendition)
    assert SECRET_OWNER.encode() not in out and b"gps.txt" not in out
    assert rendition.mime_type == "audio/wav"
    with wave.open(io.BytesIO(out)) as cleaned, wave.open(io.BytesIO(plain)) as original:
        assert cleaned.readframes(10**6) == original.readframes(10**6)
    assert encode(data, rendition) == out


def test_bytes_that_do_not_match_or_do_not_decode_are_refused_with_advice() -> None:
    data = jpeg_bytes(400, 300)
    rendition = renditions_for(asset_of(data, "image/jpeg", 400, 300))[0]
    with pytest.raises(MediaError, match="does not match"):
        encode(data + b"x", rendition)
    broken = data[: len(data) // 3]
    rendition = renditions_for(asset_of(broken, "image/jpeg", 400, 300))[0]
    with pytest.raises(MediaError, match="replace the file"):
        encode(broken, rendition)
