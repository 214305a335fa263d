"""The export folder's own record: which files Newsdesk wrote there, with their hashes."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from newsdesk.publish.errors import ExportError

STATE_NAME = ".newsdesk-export.json"
PENDING_NAME = ".newsdesk-export.pending.json"
STATE_VERSION = 1


class FileRecord(NamedTuple):
    """A file Newsdesk wrote: its hash and size, the article it belongs to and the inputs'
    fingerprint (for files built from many articles: ``None``, or the listing page's inputs
    hashed).

    A named tuple, so that the state file of a big site (ten thousand records and more)
    is read and written without building and taking apart an object per record: JSON
    writes it as the array it is read from.
    """

    sha256: str
    size: int
    uri: str | None = None
    version: int | None = None
    fingerprint: str | None = None

    def to_json(self) -> list[Any]:
        return list(self)

    @classmethod
    def from_json(cls, data: list[Any]) -> FileRecord:
        if not isinstance(data, list) or len(data) != len(cls._fields):
            raise ValueError("a file record of the wrong shape")
        return cls._make(data)


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

    def to_json(self) -> list[Any]:
        return list(self)

    @classmethod
    def from_json(cls, data: list[Any]) -> ArticleRecord:
        if not isinstance(data, list) or len(data) not in {_ARTICLE_FIELDS - 4, _ARTICLE_FIELDS}:
            raise ValueError("an article record of the wrong length")
        if len(data) < _ARTICLE_FIELDS:  # written before media: it used none
            data = [*data, [], "", [], []]
        return cls._make(data)


_ARTICLE_FIELDS = len(ArticleRecord._fields)


@dataclass(slots=True)
class ExportState:
    """What a folder holds from earlier exports (empty for a folder never exported to)."""

    settings: str = ""
    files: dict[str, FileRecord] = field(default_factory=dict)
    pending: dict[str, str] = field(default_factory=dict)
    articles: dict[str, ArticleRecord] = field(default_factory=dict)  # uri -> record
    # The record file's line of each entry, with the record read from it: written again
    # as it is while the record is the same object (see :meth:`to_bytes`).
    lines: dict[str, tuple[object, str]] = field(default_factory=dict, compare=False)

    @classmethod
    def load(cls, root: Path) -> ExportState:
        state = cls()
        path = root / STATE_NAME
        if path.exists():
            try:
                raw = path.read_bytes()
                data = json.loads(raw)
                if data.get("version") != STATE_VERSION:
                    raise ValueError(f"unknown version {data.get('version')!r}")
                state.settings = str(data.get("settings", ""))
                state.files = {
                    str(k): FileRecord.from_json(v) for k, v in data.get("files", {}).items()
                }
                state.articles = {
                    str(k): ArticleRecord.from_json(v) for k, v in data.get("articles", {}).items()
                }
                state.lines = _lines_of(raw, state)
            except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
                raise ExportError(
                    f"the export record {path} is damaged ({error}); Newsdesk cannot tell "
                    "which files there it wrote. Export to a new folder, or delete the "
                    "record to start afresh (Newsdesk will then refuse to replace any file)"
                ) from error
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
        """The record file: JSON with one entry a line, so that the next export writes the
        lines of the records it did not change as they are (``reuse``: the state read)."""
        head = {"version": STATE_VERSION, "generator": generator, "settings": self.settings}
        known = reuse.lines if reuse is not None else {}
        parts = [
            _dumps(head)[:-1],
            ',"files":{\n',
            _entries(self.files, "f", known),
            '\n},"articles":{\n',
            _entries(self.articles, "a", known),
            "\n}}\n",
        ]
        return "".join(parts).encode()


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # one, made once


def _dumps(value: object) -> str:
    return _ENCODER.encode(value)


def _entries(records: Mapping[str, object], kind: str, known: dict[str, tuple[object, str]]) -> str:
    lines = []
    for key in sorted(records):
        record = records[key]
        line = known.get(f"{kind}{key}")
        if line is None or line[0] is not record:
            line = (record, f"{_dumps(key)}:{_dumps(record)}")
        lines.append(line[1])
    return ",\n".join(lines)


def _lines_of(raw: bytes, state: ExportState) -> dict[str, tuple[object, str]]:
    """Each entry's line in a record file laid out as :meth:`ExportState.to_bytes` lays it
    out (none for any other layout, or a line that does not start with its key)."""
    files, articles = state.files, state.articles
    lines = raw.decode("utf-8").split("\n")
    count = len(files)
    if (
        not files
        or not articles
        or len(lines) != count + len(articles) + 4
        or lines[count + 1] != '},"articles":{'
        or lines[-2:] != ["}}", ""]
    ):
        return {}
    found: dict[str, tuple[object, str]] = {}
    entries: list[tuple[str, str, object]] = [("f", k, r) for k, r in files.items()]
    entries += [("a", k, r) for k, r in articles.items()]
    texts = lines[1 : count + 1] + lines[count + 2 : -2]
    for (kind, key, record), text in zip(entries, texts, strict=True):
        line = text.removesuffix(",")
        if line.startswith(f'"{key}":'):
            found[f"{kind}{key}"] = (record, line)
    return found


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``path`` through a temporary sibling and a rename: never half a file."""
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
