"""The export folder's own record: which files Newsdesk wrote there, with their hashes."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from newsdesk.core import atomic_files
from newsdesk.core.atomic_files import temporary_beside, write_atomically
from newsdesk.publish.folder.record_lines import FileRecord, FileRecords, Lines, damaged, dumps

__all__ = [
    "ArticleRecord",
    "ExportState",
    "FileRecord",
    "FileRecords",
    "StagedWrite",
    "write_atomically",
]

STATE_NAME = ".newsdesk-export.json"
PENDING_NAME = ".newsdesk-export.pending.json"
STATE_VERSION = 1


class ArticleRecord(NamedTuple):
    """An article as last exported: what planning needs of it, so that an article saved
    no time since is planned without being read again.

    ``version`` and ``updated_at`` (ISO 8601, like every moment here) identify the saved
    article; ``digest`` hashes its body and every field but its related list. Then come
    its creation time, address, headline, release moment (embargo or schedule, ``None``
    for none; ``embargoed`` tells which), the moments the sitemap and feed show, the uris
    its related links point at, whether it was held back, the fingerprint of its files and
    its teaser's fields (``None`` when held back).

    Last, its stored media: the keys it uses, the digest of those files as they were (the
    bytes and words of each, and the renditions' names), the renditions its page refers to
    as ``[path below the site, sha256, size]``, and what the export summary says of its
    pictures (no alt text, no credit). A record of an earlier version lacks them.
    """

    version: int
    updated_at: str
    digest: str
    created_at: str
    section_slug: str
    slug: str
    headline: str
    release: str | None
    embargoed: bool
    modified: str
    published: str
    targets: list[str]
    held: bool = False
    fingerprint: str = ""
    teaser: list[Any] | None = None
    media_keys: list[str] = []  # noqa: RUF012 (never changed in place: records are replaced)
    media_digest: str = ""
    media_files: list[list[Any]] = []  # noqa: RUF012
    media_notes: list[str] = []  # noqa: RUF012
    # Its redirect pages (issue 20), paths below the site; older records lack them.
    redirects: list[str] = []  # noqa: RUF012

    def to_json(self) -> list[Any]:
        return list(self)

    @classmethod
    def from_json(cls, data: list[Any]) -> ArticleRecord:
        lengths = {_ARTICLE_FIELDS - 5, _ARTICLE_FIELDS - 1, _ARTICLE_FIELDS}
        if not isinstance(data, list) or len(data) not in lengths:
            raise ValueError("an article record of the wrong length")
        if len(data) == _ARTICLE_FIELDS - 5:  # written before media: it used none
            data = [*data, [], "", [], []]
        if len(data) == _ARTICLE_FIELDS - 1:  # written before redirect pages: none
            data = [*data, []]
        return cls._make(data)


_ARTICLE_FIELDS = len(ArticleRecord._fields)
_NEW_RECORD = functools.partial(tuple.__new__, ArticleRecord)  # _make without its checks


@dataclass(slots=True)
class ExportState:
    """What a folder holds from earlier exports (empty for a folder never exported to).

    The files are read from the record file only as far as they are looked at (see
    :mod:`newsdesk.publish.folder.record_lines`); the stories are read whole.
    """

    settings: str = ""
    files: FileRecords = field(default_factory=FileRecords)
    pending: dict[str, str] = field(default_factory=dict)
    articles: dict[str, ArticleRecord] = field(default_factory=dict)  # uri -> record
    # The record file's lines of the stories: a story's is written again as it is while
    # its record is the same object (see :meth:`to_bytes`).
    story_lines: Lines | None = field(default=None, compare=False)
    handoff: str = ""  # the digest of the hand-off manifest's lines below its head

    @classmethod
    def load(cls, root: Path) -> ExportState:
        state = cls()
        path = root / STATE_NAME
        if path.exists():
            try:
                raw = path.read_bytes()
                if not _read_lines(raw, path, state):  # not laid out as written: parse it
                    _read_whole(json.loads(raw), state)
            except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
                raise damaged(path, error) from error
        pending = root / PENDING_NAME
        if pending.exists():  # an export stopped while swapping files in: both are ours
            with contextlib.suppress(OSError, ValueError, AttributeError):
                state.pending = {
                    str(k): str(v) for k, v in json.loads(pending.read_text("utf-8")).items()
                }
        return state

    def owns(self, relpath: str, sha256: str) -> bool:
        """True when the bytes ``sha256`` at ``relpath`` are bytes Newsdesk wrote there."""
        record = self.files.get(relpath)
        return (record is not None and record.sha256 == sha256) or (
            self.pending.get(relpath) == sha256
        )

    def to_bytes(self, generator: str, reuse: ExportState | None = None) -> bytes:
        """:meth:`to_pieces` joined."""
        return b"".join(self.to_pieces(generator, reuse))

    def to_pieces(
        self, generator: str, reuse: ExportState | None = None
    ) -> list[bytes | memoryview]:
        """The record file in pieces: JSON with one entry a line, so that the next export
        writes the lines of the records it did not change as they are (``reuse``: the
        state read; the files' lines come with them, as views of the bytes read); without
        ``reuse`` every line is made anew."""
        head = {"version": STATE_VERSION, "generator": generator, "settings": self.settings}
        if self.handoff:
            head["handoff"] = self.handoff
        return [
            dumps(head)[:-1].encode(),
            b',"files":{\n',
            *self.files.lines_pieces(reuse=reuse is not None),
            b'\n},"articles":{\n',
            *_story_entries(self.articles, reuse),
            b"\n}}\n",
        ]


_FILES_OPEN = b',"files":{'
_ARTICLES_OPEN = b'\n},"articles":{\n'
_END = b"\n}}\n"


def _read_lines(raw: bytes, path: Path, state: ExportState) -> bool:
    """Read a record file laid out as :meth:`ExportState.to_bytes` writes it: the head,
    the stories, and the files' lines to be parsed when looked at. False for any other
    layout (nothing read)."""
    first = raw.find(b"\n")
    middle = raw.find(_ARTICLES_OPEN, first)
    if first < 0 or middle < 0 or not raw.endswith(_END) or not raw[:first].endswith(_FILES_OPEN):
        return False
    head = json.loads(raw[: first - len(_FILES_OPEN)] + b"}")
    files = Lines(raw, first + 1, middle + 1, path)
    if raw.find(b"\\", first, middle) >= 0:  # an escaped path: not bisectable
        return False
    start, end = middle + len(_ARTICLES_OPEN), len(raw) - len(_END) + 1
    # From the stories' opening brace to their closing one, decoded straight from the
    # bytes read: one copy of seven megabytes, not three (a slice, braces, the text).
    text = str(memoryview(raw)[start - 2 : end + 1], "utf-8", "surrogatepass")
    stories: dict[str, Any] = json.loads(text)
    values = stories.values()
    if all(type(v) is list and len(v) == _ARTICLE_FIELDS for v in values):
        # Every record as this version writes it: made at once, no call a story.
        articles = dict(zip(stories, map(_NEW_RECORD, values), strict=True))
    else:
        articles = {k: ArticleRecord.from_json(v) for k, v in stories.items()}
    lines = Lines(raw, start, end, path)
    # Spliced when written only if bisectable and one story a line; else written anew.
    plain = not _ESCAPED.search("".join(articles)) and len(articles) == lines.count
    _check_version(head)
    state.settings = str(head.get("settings", ""))
    state.handoff = str(head.get("handoff", ""))
    state.files = FileRecords(lines=files)
    state.articles = articles
    state.story_lines = lines if plain else None
    return True


def _read_whole(data: dict[str, Any], state: ExportState) -> None:
    _check_version(data)
    state.settings = str(data.get("settings", ""))
    state.handoff = str(data.get("handoff", ""))
    state.files = FileRecords(
        (str(k), FileRecord.from_json(v)) for k, v in data.get("files", {}).items()
    )
    state.articles = {
        str(k): ArticleRecord.from_json(v) for k, v in data.get("articles", {}).items()
    }


def _check_version(head: dict[str, Any]) -> None:
    if head.get("version") != STATE_VERSION:
        raise ValueError(f"unknown version {head.get('version')!r}")


def _story_entries(
    records: dict[str, ArticleRecord], reuse: ExportState | None
) -> list[bytes | memoryview]:
    """The stories' lines: those of ``reuse`` spliced with the records that are not the
    objects read from them, else every line made anew."""
    lines = reuse.story_lines if reuse is not None else None
    if lines is not None and reuse is not None:
        before = reuse.articles
        changes: dict[str, bytes | None] = {
            key: _line(key, record)
            for key, record in records.items()
            if before.get(key) is not record
        }
        changes.update((key, None) for key in before.keys() - records.keys())
        if all(_plain(key) for key in changes):
            return lines.spliced(changes)
    return [b",\n".join(_line(key, records[key]) for key in sorted(records))]


def _line(key: str, record: ArticleRecord) -> bytes:
    return f"{dumps(key)}:{dumps(record)}".encode()


_ESCAPED = re.compile(r'["\\\x00-\x1f]')  # what JSON writes escaped (ensure_ascii off)


def _plain(key: str) -> bool:
    return _ESCAPED.search(key) is None


class StagedWrite:
    """:func:`write_atomically` in two steps: the temporary sibling is written and
    flushed to disk on a thread at once, while other work goes on (ten megabytes of a
    hand-off manifest reach the disk while the folder's record is made); :meth:`commit`
    then puts it in place, in the order the caller chooses, or :meth:`discard` drops it.
    One of the two must be called."""

    def __init__(self, path: Path, data: bytes | Iterable[bytes | memoryview]) -> None:
        self.path = path
        self.temporary = temporary_beside(path)
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._write, args=(data,), name=f"write {path.name}", daemon=True
        )
        self._thread.start()

    def _write(self, data: bytes | Iterable[bytes | memoryview]) -> None:
        try:
            atomic_files.write_file(self.temporary, data)
        except BaseException as error:  # raised by commit, in the caller's thread
            self._error = error

    def commit(self) -> None:
        """Wait for the file to be on disk, then rename it in place (raises what writing
        it raised: ``OSError``, nothing renamed)."""
        self._thread.join()
        try:
            if self._error is not None:
                raise self._error
            os.replace(self.temporary, self.path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                self.temporary.unlink()

    def discard(self) -> None:
        """Wait for the writing to stop, and remove what it wrote."""
        self._thread.join()
        with contextlib.suppress(FileNotFoundError):
            self.temporary.unlink()
