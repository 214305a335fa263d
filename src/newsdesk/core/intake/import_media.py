"""The pictures and audio an imported Markdown file refers to: found below the imported
folder, checked by intake, each file read once and each distinct file stored once."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import overload
from urllib.parse import unquote

from newsdesk.core.errors import ImportFileError, NewsdeskError
from newsdesk.core.media import media_intake
from newsdesk.core.media.media import (
    MediaAsset,
    MediaError,
    MediaInfo,
    MediaKind,
    MediaLimits,
    image_markdown,
    key_of,
    new_key,
    safe_filename,
)
from newsdesk.core.models import Article, Media
from newsdesk.core.urls import url_scheme

_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")  # C:\photos\x.jpg: absolute, not a URL scheme
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(?:.|\n)*?(?<!`)\1(?!`)")
_COMMENT = re.compile(r"<!--(?:.|\n)*?-->")
_ALT = r"(?P<alt>(?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*)"
_TITLE = r"(?P<title>\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\))"
# ``![alt](dest "title")``: CommonMark's inline image, with one level of balanced
# brackets in the alt text and of parentheses in the destination.
_INLINE = re.compile(
    rf"!\[{_ALT}\]\(\s*(?P<dest><[^<>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))+)"
    rf"(?:\s+{_TITLE})?\s*\)"
)
# ``![alt][label]`` and ``![alt][]``, with the label defined elsewhere in the body.
_REFERENCE = re.compile(rf"!\[{_ALT}\]\[(?P<label>(?:[^\[\]\\]|\\.)*)\]")
_DEFINITION = re.compile(
    rf"^ {{0,3}}\[(?P<label>(?:[^\[\]\\]|\\.)+)\]:[ \t]*\n?[ \t]*"
    rf"(?P<dest><[^<>\n]*>|\S+)(?:[ \t]*\n?[ \t]*{_TITLE})?[ \t]*$",
    re.MULTILINE,
)
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def is_local(src: str) -> bool:
    """Whether ``src`` names a file (not a web address, a ``media:`` key or an anchor)."""
    src = src.strip()
    if not src or src.startswith(("#", "//")):
        return False
    return bool(_DRIVE.match(src)) or url_scheme(src) is None


@dataclass(frozen=True, slots=True)
class Reference:
    """One place a Markdown file refers to a picture or audio file."""

    where: str  # the Markdown file, as the user named it
    line: int | None
    label: str  # "image", "audio", "images" (front matter) or "picture" (body)
    src: str
    span: tuple[int, int] = (0, 0)  # in the article's body (body pictures only)
    alt: str = ""
    title: str = ""  # a body picture's title; a featured file's caption
    credit: str = ""

    def error(self, problem: str) -> ImportFileError:
        return ImportFileError(self.where, self.line, f"{self.label}: {problem}")

    @property
    def kind(self) -> MediaKind:
        return MediaKind.AUDIO if self.label == "audio" else MediaKind.IMAGE


@dataclass(slots=True)
class FoundFile:
    """A file read and checked: what will be stored (or found already in the store)."""

    path: Path
    sha256: str
    size: int
    info: MediaInfo
    words: dict[str, str] = field(default_factory=dict)  # the first use's alt, caption...
    data: bytes | None = None  # a picture taken out of a Word file: held, not read again


def _mask(body: str) -> str:
    """``body`` with code blocks, code spans and HTML comments blanked out (same length):
    a picture written inside code is text, not a picture."""
    chars = list(body)

    def blank(start: int, end: int) -> None:
        for index in range(start, end):
            if chars[index] != "\n":
                chars[index] = " "

    fence: str | None = None
    start = 0
    offset = 0
    for line in body.split("\n"):
        opened = _FENCE.match(line)
        if fence is None and opened:
            fence, start = opened.group(1), offset
        elif fence is not None and opened and opened.group(1).startswith(fence):
            blank(start, offset + len(line))
            fence = None
        offset += len(line) + 1
    if fence is not None:
        blank(start, len(body))
    masked = "".join(chars)
    for pattern in (_CODE_SPAN, _COMMENT):
        for match in pattern.finditer(masked):
            blank(*match.span())
    return "".join(chars)


def _unescape(value: str) -> str:
    return _ESCAPED.sub(r"\1", value)


def _title(raw: str | None) -> str:
    return _unescape(raw[1:-1]) if raw else ""


def _dest(raw: str) -> str:
    return raw[1:-1] if raw.startswith("<") else _unescape(raw)


def _label(raw: str) -> str:
    return " ".join(_unescape(raw).split()).casefold()


def body_references(where: str, body: str, body_line: int) -> list[Reference]:
    """Every picture in ``body`` (inline or by reference), with its file line."""
    masked = _mask(body)
    defined: dict[str, tuple[str, str]] = {}
    for match in _DEFINITION.finditer(masked):
        found = _DEFINITION.match(body[match.start() : match.end()])
        if found is not None:
            defined.setdefault(
                _label(found["label"]), (_dest(found["dest"]), _title(found["title"]))
            )
    found_refs: list[Reference] = []
    for match in _INLINE.finditer(masked):
        start, end = match.span()
        exact = _INLINE.fullmatch(body[start:end])
        if exact is None:
            continue
        found_refs.append(
            Reference(
                where,
                body_line + body.count("\n", 0, start),
                "picture",
                _dest(exact["dest"]),
                (start, end),
                _unescape(exact["alt"]),
                _title(exact["title"]),
            )
        )
    for match in _REFERENCE.finditer(masked):
        start, end = match.span()
        exact = _REFERENCE.fullmatch(body[start:end])
        if exact is None:
            continue
        target = defined.get(_label(exact["label"] or exact["alt"]))
        if target is None:
            continue
        found_refs.append(
            Reference(
                where,
                body_line + body.count("\n", 0, start),
                "picture",
                target[0],
                (start, end),
                _unescape(exact["alt"]),
                target[1],
            )
        )
    return sorted(found_refs, key=lambda ref: ref.span)


def _locate(ref: Reference, markdown: Path, root: Path) -> Path:
    """The file ``ref`` names, below ``root``; refuses what is absent or outside."""
    src = ref.src.strip()
    if src.startswith(("/", "\\")) or _DRIVE.match(src):
        raise ref.error(
            f"“{src}” is an absolute path; refer to the file relative to the Markdown file "
            "(put it beside it, as in a Hugo page bundle) or by an http(s) address"
        )
    candidates = list(dict.fromkeys([src, unquote(src)]))  # "my%20photo.jpg" as written
    for name in candidates:
        try:
            path = (markdown.parent / name).resolve()
        except (OSError, ValueError, RuntimeError):
            raise ref.error(f"“{src}” is not a usable file name") from None
        if not path.is_relative_to(root):
            raise ref.error(
                f"“{src}” is outside the imported folder {root}; import a folder that holds "
                "the file as well, or refer to it by an http(s) address"
            )
        try:
            there, regular = path.exists(), path.is_file()
        except OSError:  # a name too long for the file system
            raise ref.error(f"“{src}” is not a usable file name") from None
        if there:
            if not regular:
                raise ref.error(f"“{src}” is not a file ({path})")
            return path
    raise ref.error(
        f"“{src}” is not there (no file {markdown.parent / candidates[-1]}); put the file "
        "beside the Markdown file or correct the name"
    )


class MediaCollector:
    """Reads each file an import refers to once, and keeps one entry per distinct content
    (the same picture in two stories, or under two names, is stored once)."""

    def __init__(self, limits: MediaLimits) -> None:
        self.limits = limits
        self._by_path: dict[Path, FoundFile] = {}
        self._by_sha: dict[str, FoundFile] = {}
        self.keys: dict[str, Reference] = {}  # media:KEY references, checked later

    def take(self, ref: Reference, markdown: Path, root: Path) -> FoundFile | None:
        """The checked file ``ref`` names, or ``None`` for a web address (left as it is)."""
        if not is_local(ref.src):
            key = key_of(ref.src)
            if key is not None:
                self.keys.setdefault(key, ref)
            return None
        path = _locate(ref, markdown, root)
        found = self._by_path.get(path)
        if found is None:
            try:
                data, info = media_intake.read_media_file(path, self.limits)
            except NewsdeskError as exc:
                raise ref.error(str(exc)) from None
            except OSError as exc:
                raise ref.error(f"{path} cannot be read: {exc.strerror or exc}") from None
            sha = hashlib.sha256(data).hexdigest()
            found = self._by_sha.setdefault(sha, FoundFile(path, sha, len(data), info))
            self._by_path[path] = found
        if found.info.kind != ref.kind:
            raise ref.error(_wrong_kind(ref, found.info.kind))
        words = {"alt": ref.alt, "caption": ref.title, "credit": ref.credit}
        for name, value in words.items():
            if value:
                found.words.setdefault(name, value)
        return found

    def take_bytes(self, ref: Reference, data: bytes, info: MediaInfo, name: str) -> FoundFile:
        """A picture already read and checked (out of a Word file), kept in memory."""
        sha = hashlib.sha256(data).hexdigest()
        found = self._by_sha.setdefault(sha, FoundFile(Path(name), sha, len(data), info, data=data))
        for key, value in {"alt": ref.alt, "caption": ref.title}.items():
            if value:
                found.words.setdefault(key, value)
        return found

    @property
    def shas(self) -> list[str]:
        return list(self._by_sha)

    def assets(
        self, stored: Mapping[str, MediaAsset]
    ) -> tuple[dict[str, MediaAsset], PendingMedia]:
        """``sha -> asset`` for every file found: those ``stored`` already, and new ones
        (to be written with the articles, read again only then)."""
        now = datetime.now(UTC)
        by_sha = dict(stored)
        new: list[tuple[MediaAsset, Path | bytes]] = []
        for sha, found in self._by_sha.items():
            if sha in by_sha:
                continue
            info = found.info
            words = {
                name: getattr(info, name) or found.words.get(name, "")
                for name in ("alt", "caption", "credit", "copyright")
            }
            asset = new_asset(found.path, sha, found.size, info, now=now, **words)
            by_sha[sha] = asset
            new.append((asset, found.path if found.data is None else found.data))
        return by_sha, PendingMedia(new)


def new_asset(
    path: Path,
    sha256: str,
    size: int,
    info: MediaInfo,
    *,
    now: datetime,
    alt: str = "",
    caption: str = "",
    credit: str = "",
    copyright: str = "",
) -> MediaAsset:
    """A file new to the store, under a fresh key, with the words given."""
    return MediaAsset.from_info(
        info,
        key=new_key(),
        sha256=sha256,
        size=size,
        filename=safe_filename(path.name),
        now=now,
        alt=alt,
        caption=caption,
        credit=credit,
        copyright=copyright,
    )


def _wrong_kind(ref: Reference, kind: MediaKind) -> str:
    if ref.label == "audio":
        return f"“{ref.src}” is a picture, not audio; put it under 'image:'"
    if ref.label == "picture":
        return f"“{ref.src}” is audio; a body shows pictures only: put it under 'audio:'"
    return f"“{ref.src}” is audio, not a picture; put it under 'audio:'"


def featured(media: Media, asset: MediaAsset) -> Media:
    """A story's featured image or audio on a stored file: the story's own words, the
    file's where the story gives none."""
    duration = asset.duration_seconds
    return replace(
        media,
        src=asset.ref,
        alt=media.alt or asset.alt,
        caption=media.caption or asset.caption,
        credit=media.credit or asset.credit,
        mime_type=asset.mime_type,
        duration_seconds=round(duration) if duration is not None else media.duration_seconds,
    )


def rewrite_body(body: str, pictures: Sequence[tuple[Reference, MediaAsset]]) -> str:
    """``body`` with each local picture now ``![alt](media:KEY "title")``."""
    parts: list[str] = []
    cursor = 0
    for ref, asset in sorted(pictures, key=lambda item: item[0].span):
        start, end = ref.span
        parts += [body[cursor:start], image_markdown(asset.key, ref.alt, ref.title)]
        cursor = end
    parts.append(body[cursor:])
    return "".join(parts)


def check_keys(refs: Mapping[str, Reference], stored: Collection[str]) -> None:
    """Refuse a ``media:KEY`` reference to a file this store does not hold."""
    for key, ref in refs.items():
        if key not in stored:
            raise ref.error(
                f"media:{key} is not in this store; add the file (newsdesk media add) and "
                "refer to its key, or refer to the file itself"
            )


def attach(
    article: Article,
    uses: Sequence[tuple[Reference, FoundFile | None]],
    by_sha: Mapping[str, MediaAsset],
) -> Article:
    """``article`` with its featured media and body pictures on the stored files."""
    changes: dict[str, Media | str | None] = {}
    pictures: list[tuple[Reference, MediaAsset]] = []
    for ref, found in uses:
        if found is None:
            continue
        asset = by_sha[found.sha256]
        if ref.label == "picture":
            pictures.append((ref, asset))
            continue
        field_name = "audio" if ref.label == "audio" else "image"
        current = getattr(article, field_name)
        assert current is not None
        changes[field_name] = featured(current, asset)
    if pictures:
        changes["body"] = rewrite_body(article.body, pictures)
    return replace(article, **changes) if changes else article  # type: ignore[arg-type]


class PendingMedia(Sequence[tuple[MediaAsset, bytes]]):
    """The new files of an import, each read again only when the store writes it: an
    import of a thousand photos never holds them all in memory. A file that changed since
    it was checked stops the import (the store's transaction then writes nothing)."""

    def __init__(self, items: Sequence[tuple[MediaAsset, Path | bytes]]) -> None:
        self._items = list(items)

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> tuple[MediaAsset, bytes]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[MediaAsset, bytes]]: ...

    def __getitem__(
        self, index: int | slice
    ) -> tuple[MediaAsset, bytes] | Sequence[tuple[MediaAsset, bytes]]:
        if isinstance(index, slice):
            return PendingMedia(self._items[index])
        asset, path = self._items[index]
        return asset, _read_again(asset, path)

    def __iter__(self) -> Iterator[tuple[MediaAsset, bytes]]:
        for asset, path in self._items:
            yield asset, _read_again(asset, path)

    @property
    def assets(self) -> list[MediaAsset]:
        return [asset for asset, _ in self._items]

    @property
    def paths(self) -> list[Path]:
        return [path for _, path in self._items if isinstance(path, Path)]


def _read_again(asset: MediaAsset, path: Path | bytes) -> bytes:
    if isinstance(path, bytes):
        return path  # held since it was checked (a picture out of a Word file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MediaError(
            f"{path} could not be read again ({exc.strerror or exc}); nothing was stored. "
            "Check the file and try again."
        ) from None
    if hashlib.sha256(data).hexdigest() != asset.sha256:
        raise MediaError(
            f"{path} changed while it was being stored; nothing was stored. Try again once "
            "the file is saved."
        )
    return data
