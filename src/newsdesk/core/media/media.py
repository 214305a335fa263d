"""Pictures and audio in the store: what a media file is, and how a story refers to one.

A media file is stored once, by the SHA-256 of its bytes, under a short stable ``key``
(12 hex digits). A story refers to it as ``media:KEY``: in the body as Markdown,
``![alt text](media:KEY "caption")``, and in its featured image or audio as
``Media(src="media:KEY")``. Replacing a file keeps its key, so every story follows.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from newsdesk.core import text
from newsdesk.core.errors import ValidationError

MEDIA_SCHEME = "media:"
KEY_PATTERN = r"[0-9a-f]{12}"
_KEY = re.compile(rf"^{KEY_PATTERN}$")
_SRC = re.compile(rf"^media:({KEY_PATTERN})$")
# ``![...](media:KEY ...)`` anywhere in a body: the reference's key (alt text may hold
# brackets only when balanced, as Markdown allows; the key is what matters here).
_BODY_REF = re.compile(rf"\]\(\s*<?media:({KEY_PATTERN})\b")


class MediaKind(StrEnum):
    IMAGE = "image"
    AUDIO = "audio"


# The content types Newsdesk accepts, by kind (detected from the bytes, never the name).
IMAGE_TYPES: dict[str, str] = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
    "image/avif": "avif",
}
AUDIO_TYPES: dict[str, str] = {
    "audio/mpeg": "mp3",
    "audio/mp4": "m4a",
    "audio/ogg": "ogg",
    "audio/wav": "wav",
}


def extension_for(mime_type: str) -> str:
    """The file extension a content type is written with (``bin`` for an unknown one)."""
    return IMAGE_TYPES.get(mime_type) or AUDIO_TYPES.get(mime_type) or "bin"


class MediaError(ValidationError):
    """A media file that cannot be taken: not a picture or audio Newsdesk reads, too large,
    damaged, unsafe. The message names the file and says what to do."""


@dataclass(frozen=True, slots=True)
class MediaLimits:
    """What a media file may weigh before it is even decoded (settings can lower or raise
    the byte limits; the pixel limits guard against decompression bombs)."""

    max_image_bytes: int = 50 * 1024 * 1024
    max_audio_bytes: int = 200 * 1024 * 1024
    max_pixels: int = 120_000_000
    max_side: int = 20_000
    max_frames: int = 500
    # How the person adding a file raises the limits: the window's words by default; the
    # command line gives its own option.
    how_to_raise: str = "raise the limit in Settings"


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """What intake found in a file: its kind and size, and the words embedded in it
    (caption, credit, copyright from IPTC/XMP/EXIF) used to pre-fill the media's fields.

    ``width`` and ``height`` are as displayed, after the EXIF orientation is applied.
    """

    kind: MediaKind
    mime_type: str
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    alt: str = ""
    caption: str = ""
    credit: str = ""
    copyright: str = ""


@dataclass(frozen=True, slots=True)
class MediaAsset:
    """One media file in the store: its bytes' address and the words published with it.

    ``alt``, ``caption``, ``credit`` and ``copyright`` are the library's values, which a
    story takes when the file is placed in it (and may then change for that story).
    """

    key: str
    sha256: str
    kind: MediaKind
    mime_type: str
    size: int
    filename: str
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    alt: str = ""
    caption: str = ""
    credit: str = ""
    copyright: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @classmethod
    def from_info(
        cls,
        info: MediaInfo,
        *,
        key: str,
        sha256: str,
        size: int,
        filename: str,
        now: datetime,
        **words: str,
    ) -> MediaAsset:
        """A new file as intake measured it; ``words`` (alt, caption, credit, copyright)
        replace the ones the file brought. Normalized."""
        return cls(
            key=key,
            sha256=sha256,
            kind=info.kind,
            mime_type=info.mime_type,
            size=size,
            filename=filename,
            width=info.width,
            height=info.height,
            duration_seconds=info.duration_seconds,
            alt=words.get("alt", info.alt),
            caption=words.get("caption", info.caption),
            credit=words.get("credit", info.credit),
            copyright=words.get("copyright", info.copyright),
            created_at=now,
            updated_at=now,
        ).normalized()

    @property
    def ref(self) -> str:
        """How a story refers to this file: ``media:KEY``."""
        return MEDIA_SCHEME + self.key

    @property
    def uri(self) -> str:
        """The file's public, stable identity (ninjs ``uri``)."""
        return f"urn:newsdesk:media:{self.key}"

    @property
    def extension(self) -> str:
        return extension_for(self.mime_type)

    def normalized(self) -> MediaAsset:
        """Single-line fields cleaned by the one text rule; the key checked."""
        if not is_key(self.key):
            raise ValidationError(f"{self.key!r} is not a media key (12 hex digits)")
        return replace(
            self,
            filename=safe_filename(self.filename),
            alt=text.clean_line(self.alt),
            caption=text.clean_line(self.caption),
            credit=text.clean_line(self.credit),
            copyright=text.clean_line(self.copyright),
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        data["kind"] = self.kind.value
        for name in ("created_at", "updated_at"):
            value = data[name]
            data[name] = value.isoformat() if value is not None else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MediaAsset:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["kind"] = MediaKind(values["kind"])
        for name in ("created_at", "updated_at"):
            if values.get(name):
                values[name] = datetime.fromisoformat(values[name])
        return cls(**values)


@dataclass(frozen=True, slots=True)
class MediaUse:
    """Where a media file is used: the stories whose current text refers to it, and how
    many revisions (history) still do."""

    key: str
    articles: tuple[tuple[str, str], ...] = field(default=())  # (uri, headline)
    revisions: int = 0

    @property
    def unused(self) -> bool:
        return not self.articles and not self.revisions


def new_key() -> str:
    """A fresh media key: 12 random hex digits."""
    return secrets.token_hex(6)


def is_key(value: str) -> bool:
    return bool(_KEY.match(value))


def key_of(src: str) -> str | None:
    """The key of a ``media:KEY`` reference, or ``None`` for anything else (a URL, a path)."""
    match = _SRC.match(src.strip())
    return match.group(1) if match else None


def body_keys(body: str) -> list[str]:
    """The keys of every ``![...](media:KEY ...)`` in a body, first use first, once each."""
    return list(dict.fromkeys(_BODY_REF.findall(body)))


def article_keys(image_src: str | None, audio_src: str | None, body: str) -> list[str]:
    """Every media key a story uses: its featured image, its audio, then its body's."""
    keys = [k for k in (key_of(image_src or ""), key_of(audio_src or "")) if k]
    return list(dict.fromkeys([*keys, *body_keys(body)]))


def image_markdown(key: str, alt: str = "", caption: str = "") -> str:
    """The Markdown that places a stored picture in a body: ``![alt](media:KEY "caption")``."""
    alt_text = text.clean_line(alt).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    title = text.clean_line(caption).replace("\\", "\\\\").replace('"', '\\"')
    title_part = f' "{title}"' if title else ""
    return f"![{alt_text}]({MEDIA_SCHEME}{key}{title_part})"


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def safe_filename(name: str) -> str:
    """A file name to show and to export under: no folders, no ``..``, no control or
    reserved characters, at most 120 characters; Unicode letters and spaces are kept."""
    base = text.clean_line(name).replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE_NAME.sub("-", base).strip(" .-")
    if len(base) > 120:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 120 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 8 else base[:120]
    return base or "media"


def problems(asset: MediaAsset, alt: str = "", credit: str = "") -> list[str]:
    """What keeps a picture from being publishable, in words for the journalist (the
    story's own ``alt`` and ``credit`` take precedence over the library's)."""
    if asset.kind != MediaKind.IMAGE:
        return []
    found = []
    if not (alt or asset.alt).strip():
        found.append(f"the picture {asset.filename} has no alt text")
    if not (credit or asset.credit).strip():
        found.append(f"the picture {asset.filename} has no credit")
    return found


def unique(keys: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(keys))
