"""What a page says about a stored picture or audio: sources, sizes, words, in one place.

The body's figures (built by the Markdown renderer) and the page's lead picture and
"Listen" player (built by the theme) both take their attributes from here, so a picture
looks the same wherever it is placed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from newsdesk.core.media.media import MediaAsset, MediaKind
from newsdesk.publish import dates
from newsdesk.publish.media.renditions import (
    PAGE_MEDIA_ROOT,
    Rendition,
    fallback,
    relocate_media,
    renditions_for,
    webp_sources,
)

__all__ = ["PAGE_MEDIA_ROOT", "relocate_media"]

# The theme's column: main is 40rem wide with a 1.25rem gutter each side (theme.css);
# below 40rem the gutter is 1rem and the lead picture runs edge to edge.
BODY_SIZES = "(min-width: 40rem) 37.5rem, calc(100vw - 2rem)"
LEAD_SIZES = "(min-width: 40rem) 37.5rem, 100vw"


@dataclass(frozen=True, slots=True)
class PictureView:
    """A stored picture as a page shows it: ``<picture>`` with WebP sources and a fallback."""

    src: str  # the fallback (JPEG, PNG or GIF), page-relative
    mime_type: str
    srcset: str  # WebP widths, "" when there are none (a GIF)
    sizes: str
    width: int | None
    height: int | None
    alt: str
    caption: str
    credit: str
    copyright: str
    lead: bool
    rendition: Rendition  # the fallback: og:image and JSON-LD use it


@dataclass(frozen=True, slots=True)
class AudioView:
    src: str
    mime_type: str
    credit: str
    duration_text: str
    duration_iso: str
    size: int  # the stored file's (the rendition loses only its tags)
    rendition: Rendition


def picture_view(
    asset: MediaAsset,
    *,
    alt: str = "",
    caption: str = "",
    credit: str = "",
    lead: bool = False,
    root: str = PAGE_MEDIA_ROOT,
) -> PictureView:
    """How ``asset`` appears: the story's words first, the library's alt and credit after
    (the caption is the story's own: an agency caption is rarely the story's)."""
    renditions = renditions_for(asset, lead=lead)
    main = fallback(renditions)
    assert main is not None
    sources = webp_sources(renditions)
    srcset = ", ".join(f"{root}{r.path} {r.width}w" for r in sources)
    return PictureView(
        src=root + main.path,
        mime_type=main.mime_type,
        srcset=srcset,
        sizes=(LEAD_SIZES if lead else BODY_SIZES) if srcset else "",
        width=main.width,
        height=main.height,
        alt=_line(alt) or _line(asset.alt),
        caption=_line(caption),
        credit=_line(credit) or _line(asset.credit) or _line(asset.copyright),
        copyright=_line(asset.copyright),
        lead=lead,
        rendition=main,
    )


def audio_view(asset: MediaAsset, *, credit: str = "", root: str = PAGE_MEDIA_ROOT) -> AudioView:
    rendition = renditions_for(asset)[0]
    seconds = asset.duration_seconds
    return AudioView(
        src=root + rendition.path,
        mime_type=rendition.mime_type,
        credit=_line(credit) or _line(asset.credit),
        # Whole seconds dropped, as players count (64.5 s shows as 1:04 beside 0:00 / 1:04).
        duration_text=dates.duration_text(int(seconds)) if seconds else "",
        duration_iso=dates.duration_iso(round(seconds)) if seconds else "",
        size=asset.size,
        rendition=rendition,
    )


def missing_text(key: str, alt: str = "", *, lead: bool = False) -> str:
    """What the preview shows where a picture is not in the store, and what to do."""
    what = f"The picture “{_line(alt)}” (media:{key})" if _line(alt) else f"The picture media:{key}"
    todo = (
        "Choose the file again on the Media tab."
        if lead
        else "Add the file again in the media library and place it here, or remove this line."
    )
    return f"{what} is missing from the media store. {todo}"


def media_digest(keys: list[str], media: Mapping[str, MediaAsset]) -> str:
    """A stable text of everything about ``keys``' assets that shapes a rendered body."""
    pieces = []
    for key in keys:
        asset = media.get(key)
        if asset is None:
            pieces.append(f"{key}:missing")
            continue
        fields = (
            key, asset.sha256, asset.kind.value, asset.mime_type, asset.size, asset.filename,
            asset.width, asset.height, asset.duration_seconds, asset.alt, asset.caption,
            asset.credit, asset.copyright,
        )  # fmt: skip
        pieces.append("\x1f".join(str(v) for v in fields))
    return "\x1e".join(pieces)


def is_picture(asset: MediaAsset) -> bool:
    return asset.kind == MediaKind.IMAGE


def _line(value: str) -> str:
    return " ".join(value.split())
