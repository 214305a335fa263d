"""Renditions: the files a page loads for a stored picture or audio, named by what they are.

A rendition is re-encoded from pixels (never the original's bytes): upright (the EXIF
orientation applied first), in sRGB, at one width, with no EXIF, no comment, no GPS or
serial numbers; only the picture's creator, credit line and copyright go back in as XMP.
Audio keeps its sound and loses its tags. Its file name carries the media key and a hash
of the source's SHA-256 and the recipe (widths, encoder settings, library versions), so a
name says exactly which bytes it holds and an export skips names it has written before.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from hashlib import sha256

from newsdesk.core.media.media import (
    AUDIO_TYPES,
    MediaAsset,
    MediaKind,
    extension_for,
)
from newsdesk.core.slugs import slugify
from newsdesk.publish.body_format import installed_version

# Bump when the bytes of a rendition change for the same source and settings.
RECIPE_VERSION = 1
WIDTHS: tuple[int, ...] = (480, 800, 1200, 1600)
LEAD_WIDTHS: tuple[int, ...] = (*WIDTHS, 2000)
FALLBACK_WIDTH = 1200  # the one JPEG (or PNG) for browsers without WebP, og:image, feeds
WEBP_QUALITY = 80
JPEG_QUALITY = 82
WEBP_METHOD = 4
PNG_COMPRESS_LEVEL = 6
# What, besides the settings below, decides a rendition's bytes (and so its name).
RECIPE_ID = (
    f"newsdesk-rendition/{RECIPE_VERSION} Pillow/{installed_version('pillow')} "
    f"mutagen/{installed_version('mutagen')}"
)

# Where a rendition is referred to from an article page (<section>/<slug>/index.html):
# the body is rendered once and serves the site, the preview and, relocated, the others.
PAGE_MEDIA_ROOT = "../../"
_REFERENCE = re.compile(r"(?<=[\"\s,])\.\./\.\./media/(?=[a-z0-9-]*[0-9a-f]{12}-[0-9a-f]{8})")
_NAME = re.compile(r"(?:^|-)([0-9a-f]{12})-[0-9a-f]{8}(?:-[0-9]{1,5})?\.[a-z0-9]{2,4}$")


@dataclass(frozen=True, slots=True)
class Rendition:
    """One file made from a stored media file, by its path below the site root."""

    path: str  # "media/{stem}-{key}-{h8}-{width}.{ext}" ("media/{stem}-{key}-{h8}.{ext}": audio)
    key: str
    source_sha256: str
    width: int | None
    height: int | None
    mime_type: str

    @property
    def name(self) -> str:
        """The file name alone (what a bundle or a Hugo page keeps beside its text)."""
        return self.path.rsplit("/", 1)[-1]


# -- which files ------------------------------------------------------------------------


def renditions_for(asset: MediaAsset, *, lead: bool = False) -> list[Rendition]:
    """Every rendition of ``asset`` a page may load, smallest first; the fallback last.

    Pictures: WebP at 480/800/1200/1600 px wide (the lead picture also 2000), never wider
    than the original, plus the original's width when it falls between two steps; then one
    JPEG at 1200 px or less for browsers without WebP and for sharing cards. PNG pictures
    stay lossless (WebP lossless and a PNG fallback); a GIF stays one GIF (animation kept).
    Audio: one file, the same sound without its tags. Pure: no pixels are read.
    """
    if asset.kind == MediaKind.AUDIO:
        return [_rendition(asset, None, None, asset.mime_type)]
    if asset.mime_type == "image/gif":
        return [_rendition(asset, asset.width, asset.height, "image/gif")]
    fallback_type = "image/png" if asset.mime_type == "image/png" else "image/jpeg"
    if not asset.width or not asset.height:  # never measured: one file at its own size
        return [_rendition(asset, None, None, fallback_type)]
    steps = LEAD_WIDTHS if lead else WIDTHS
    widths = [w for w in steps if w < asset.width]
    if asset.width <= steps[-1]:
        widths.append(asset.width)  # the Ghost rule: the intrinsic width between steps
    out = [_rendition(asset, w, _height(asset, w), "image/webp") for w in widths]
    fallback = min(FALLBACK_WIDTH, asset.width)
    out.append(_rendition(asset, fallback, _height(asset, fallback), fallback_type))
    return out


def fallback(renditions: Sequence[Rendition]) -> Rendition | None:
    """The rendition every browser shows (``<img src>``, ``og:image``): the last one."""
    return renditions[-1] if renditions else None


def webp_sources(renditions: Sequence[Rendition]) -> list[Rendition]:
    return [r for r in renditions if r.mime_type == "image/webp" and r.width]


def rendition_at(asset: MediaAsset, path: str) -> Rendition | None:
    """The rendition of ``asset`` a request path names (``media/NAME``, ``/media/NAME``,
    ``../../media/NAME`` or ``NAME``), or ``None`` when it names none of them."""
    name = path.rsplit("/", 1)[-1]
    for rendition in renditions_for(asset, lead=True):
        if rendition.name == name:
            return rendition
    return None


def key_in_path(path: str) -> str | None:
    """The media key a rendition's path or file name carries, or ``None``."""
    match = _NAME.search(path.rsplit("/", 1)[-1])
    return match.group(1) if match else None


def relocate_media(html_text: str, prefix: str) -> str:
    """``html_text`` with every rendition reference (``../../media/NAME``, as an article
    page has it) pointing at ``prefix + NAME`` instead: ``""`` for files beside the HTML
    (a fragment, a Hugo bundle), ``"https://example.com/media/"`` for ninjs."""
    replacement = html.escape(prefix, quote=True)
    return _REFERENCE.sub(lambda _: replacement, html_text)


def _height(asset: MediaAsset, width: int) -> int:
    assert asset.width and asset.height
    return max(1, round(asset.height * width / asset.width))


def _recipe(source_type: str, mime_type: str, width: int | None) -> str:
    if mime_type in AUDIO_TYPES:
        settings = "tags-removed"
    elif mime_type == "image/webp" and source_type == "image/png":
        settings = f"lossless m{WEBP_METHOD}"
    elif mime_type == "image/webp":
        settings = f"q{WEBP_QUALITY} m{WEBP_METHOD}"
    elif mime_type == "image/jpeg":
        settings = f"q{JPEG_QUALITY} progressive optimize 4:2:0"
    elif mime_type == "image/png":
        settings = f"zlib{PNG_COMPRESS_LEVEL}"
    else:
        settings = "frames"
    return f"{RECIPE_ID} {mime_type} {width} {settings}"


def _rendition(asset: MediaAsset, width: int | None, height: int | None, mime: str) -> Rendition:
    h8 = sha256(f"{asset.sha256}\x00{_recipe(asset.mime_type, mime, width)}".encode()).hexdigest()[
        :8
    ]
    stem = _stem(asset.filename)
    size = f"-{width}" if width and asset.kind == MediaKind.IMAGE else ""
    path = f"media/{stem}-{asset.key}-{h8}{size}.{extension_for(mime)}"
    return Rendition(path, asset.key, asset.sha256, width, height, mime)


def _stem(filename: str) -> str:
    """A short ASCII name from the file's own (what a reader sees when saving the picture)."""
    base = filename.rsplit(".", 1)[0] if "." in filename else filename
    ascii_slug = slugify(base, fallback="media").encode("ascii", "ignore").decode("ascii")
    ascii_slug = re.sub(r"-{2,}", "-", ascii_slug).strip("-")[:40].strip("-")
    return ascii_slug or "media"


# -- the bytes (Pillow and mutagen are loaded only when a file is encoded) ----------------


def encode(data: bytes, rendition: Rendition) -> bytes:
    """The bytes of ``rendition`` made from the original ``data``: the same for the same
    input on the same libraries. Raises :class:`MediaError` for bytes it cannot read."""
    return encode_many(data, [rendition])[0]


def encode_many(data: bytes, renditions: Sequence[Rendition]) -> list[bytes]:
    """The bytes of each of ``renditions`` of one original, each exactly what
    :func:`encode` gives (see :func:`newsdesk.publish.media.encoding.encode_many`)."""
    from newsdesk.publish.media import encoding

    return encoding.encode_many(data, renditions)
