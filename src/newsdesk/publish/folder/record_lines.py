"""The record file's files, read only as far as an export looks at them.

The folder's record (:mod:`newsdesk.publish.folder.state`) keeps one file a line, sorted by path:
``"site/world/a/index.html":["<sha256>",1234,"<uri>",1,"<fingerprint>"],``. A partial
export into a folder of ten thousand stories looks at a few dozen of its 50,000 lines: each
is found by bisecting the bytes read, parsed when first asked for, and the record is written
back by splicing the changed lines into those bytes. Whatever needs every file (a full
export) reads them all at once, in one JSON parse.

Paths needing no JSON escape sort the same as text and as UTF-8 bytes, which bisecting
relies on; a record holding any escape (a backslash) is read whole instead.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any, NamedTuple

from newsdesk.publish.errors import ExportError


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


STORIES_SEARCHED = 50  # more stories than this: their files are found by reading all
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # one, made once
dumps = _ENCODER.encode


class Lines:
    """Entry lines ``"key":value``, sorted by key, in ``data[start:end]``: each line ends
    with ``,\\n`` but the last, which ends with ``\\n`` (an empty section is one ``\\n``)."""

    def __init__(self, data: bytes, start: int, end: int, where: Path) -> None:
        self.data, self.start, self.end, self.where = data, start, end, where
        self.empty = end - start == 1 and data[start] == ord("\n")

    @functools.cached_property
    def count(self) -> int:
        """How many lines: counted when first asked (ten megabytes a partial export
        need not scan)."""
        return 0 if self.empty else self.data.count(b"\n", self.start, self.end)

    def span(self, key: str) -> tuple[int, int] | None:
        """``(start, end)`` of the key's line (without its comma and newline)."""
        found, start, end = self._bisect(key.encode())
        return (start, end) if found else None

    def value(self, span: tuple[int, int]) -> Any:
        start, end = span
        try:
            return json.loads(self.data[self.data.index(b'":', start, end) + 2 : end])
        except ValueError as error:
            raise damaged(self.where, error) from error

    def line(self, span: tuple[int, int]) -> bytes:
        return self.data[span[0] : span[1]]

    def keys_from(self, prefix: str) -> Iterator[tuple[str, tuple[int, int]]]:
        """Each key starting with ``prefix``, in order, with its line's span."""
        wanted = prefix.encode()
        _, start, _ = self._bisect(wanted)
        data = self.data
        while start < self.end and data.startswith(b'"' + wanted, start):
            end = data.index(b"\n", start, self.end)
            line_end = end - 1 if data[end - 1 : end] == b"," else end
            key = data[start + 1 : data.index(b'":', start, line_end)].decode()
            yield key, (start, line_end)
            start = end + 1

    def keys_containing(self, needle: bytes) -> Iterator[tuple[str, tuple[int, int]]]:
        """The key and span of each line holding ``needle`` (once each)."""
        data, at, last = self.data, self.start, -1
        while (found := data.find(needle, at, self.end)) >= 0:
            start = max(data.rfind(b"\n", self.start, found) + 1, self.start)
            end = data.index(b"\n", found, self.end)
            at = end + 1
            if start == last:
                continue
            last = start
            line_end = end - 1 if data[end - 1 : end] == b"," else end
            yield data[start + 1 : data.index(b'":', start, line_end)].decode(), (start, line_end)

    def everything(self) -> dict[str, Any]:
        """Every entry, parsed at once, in the order of the lines."""
        if self.empty:
            return {}
        try:
            parsed: dict[str, Any] = json.loads(b"{" + self.data[self.start : self.end] + b"}")
        except ValueError as error:
            raise damaged(self.where, error) from error
        return parsed

    def spliced(self, changes: Mapping[str, bytes | None]) -> list[bytes | memoryview]:
        """The lines with ``changes`` made (key -> its new line, or ``None`` to drop it),
        joined by ``,\n``, without the last newline, in pieces: the unchanged runs of
        lines are views of the bytes read, written out without a copy (ten megabytes
        copied cost this machine's kernel as much as the copying)."""
        stop = self.start if self.empty else self.end
        segments: list[bytes | tuple[int, int]] = []  # a new line, or a run of old ones
        at = self.start
        for key in sorted(changes):
            found, start, end = self._bisect(key.encode())
            if start > at:
                segments.append((at, start))
            line = changes[key]
            if line is not None:
                segments.append(line)
            at = (end + 2 if self.data[end] == ord(",") else end + 1) if found else start
        if at < stop:
            segments.append((at, stop))
        view = memoryview(self.data)
        pieces: list[bytes | memoryview] = []
        for number, segment in enumerate(segments, start=1):
            last = number == len(segments)
            if isinstance(segment, bytes):
                pieces.append(segment if last else segment + b",\n")
            elif segment[1] == stop:  # ends with the old last line, which has no comma
                pieces.append(view[segment[0] : stop - 1])
                if not last:
                    pieces.append(b",\n")
            else:  # its lines end with ",\n"
                pieces.append(view[segment[0] : segment[1] - 2 if last else segment[1]])
        return pieces

    def _bisect(self, key: bytes, body: bytes | None = None) -> tuple[bool, int, int]:
        """Whether ``key`` has a line, and where: its span, else where it would go."""
        data, low, high = (
            (self.data, self.start, self.end) if body is None else (body, 0, len(body))
        )
        if body is None and self.empty:
            return False, low, low
        while low < high:
            middle = (low + high) // 2
            start = data.rfind(b"\n", low, middle) + 1 or low
            start = max(start, low)
            end = data.index(b"\n", start, high)
            line_end = end - 1 if data[end - 1 : end] == b"," else end
            found = data[start + 1 : data.index(b'":', start, line_end)]
            if found == key:
                return True, start, line_end
            if found < key:
                low = end + 1
            else:
                high = start
        return False, low, low


class FileRecords(MutableMapping[str, FileRecord]):
    """The files of an export folder's record, by path; backed by the record file's
    :class:`Lines` when read from one, each parsed when first asked for.

    Changes are kept apart from the lines read, so that a copy, a comparison with the
    record read and the writing of the new record cost what changed, not the whole.
    """

    def __init__(
        self, records: Iterable[tuple[str, FileRecord]] = (), *, lines: Lines | None = None
    ) -> None:
        self._lines = lines
        self._records: dict[str, FileRecord] = dict(records)  # parsed or set
        self._gone: set[str] = set()  # keys of lines deleted
        self._changed: set[str] = set()  # keys set or deleted since read
        self._added = 0  # keys set that have no line
        self._complete = lines is None

    # -- the mapping ---------------------------------------------------------------------

    def __getitem__(self, key: str) -> FileRecord:
        record = self._records.get(key)
        if record is not None:
            return record
        if self._complete or key in self._gone or self._lines is None:
            raise KeyError(key)
        span = self._lines.span(key)
        if span is None:
            raise KeyError(key)
        record = _record(self._lines.value(span), self._lines.where)
        self._records[key] = record
        return record

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        if key in self._records:
            return True
        if self._complete or key in self._gone or self._lines is None:
            return False
        return self._lines.span(key) is not None

    def __setitem__(self, key: str, record: FileRecord) -> None:
        if self._records.get(key) is record:
            return
        if key in self._gone:  # its line comes back
            self._gone.discard(key)
        elif key not in self:
            self._added += 1
        self._records[key] = record
        self._changed.add(key)

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self._records.pop(key, None)
        if self._has_line(key):
            self._gone.add(key)
        else:
            self._added -= 1
        self._changed.add(key)

    def __iter__(self) -> Iterator[str]:
        self.read_all()
        return iter(self._records)

    def __len__(self) -> int:
        if self._complete or self._lines is None:
            return len(self._records)
        return self._lines.count - len(self._gone) + self._added

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FileRecords) and other._lines is self._lines and self._lines:
            # Both read from the same lines: only what either changed can differ.
            return all(self.get(key) == other.get(key) for key in self._changed | other._changed)
        if isinstance(other, Mapping):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable

    # -- cheap questions --------------------------------------------------------------------

    def copy(self) -> FileRecords:
        twin = FileRecords(self._records.items(), lines=self._lines)
        twin._gone, twin._changed = set(self._gone), set(self._changed)
        twin._added, twin._complete = self._added, self._complete
        return twin

    def changes_from(self, other: FileRecords) -> set[str] | None:
        """The keys whose record differs from ``other``'s (added, changed or gone), when
        both were read from the same lines; ``None`` when that would mean reading all."""
        if other._lines is not self._lines or self._lines is None:
            return None
        return {key for key in self._changed | other._changed if self.get(key) != other.get(key)}

    def missing_from(self, other: FileRecords) -> list[str]:
        """The keys ``other`` has and this has not (read whole unless both come from the
        same lines)."""
        if other._lines is self._lines and self._lines is not None:
            candidates = self._changed | other._changed
            return [key for key in candidates if key in other and key not in self]
        return [key for key in other if key not in self]

    def with_prefix(self, prefix: str) -> list[str]:
        """The keys starting with ``prefix`` (a folder's files), found by bisecting."""
        if self._complete or self._lines is None:
            return [key for key in self._records if key.startswith(prefix)]
        found = [key for key, _ in self._lines.keys_from(prefix) if key not in self._gone]
        found += [key for key in self._records if key.startswith(prefix) and key not in found]
        return found

    def of_stories(self, uris: Iterable[str]) -> list[str]:
        """The keys of the files belonging to ``uris``: the lines naming each are found by
        searching the bytes, each checked once parsed."""
        wanted = set(uris)
        if not wanted:
            return []
        if self._complete or self._lines is None:
            return [key for key, record in self._records.items() if record.uri in wanted]
        if len(wanted) > STORIES_SEARCHED:
            self.read_all()
            return [key for key, record in self._records.items() if record.uri in wanted]
        found = []
        for uri in sorted(wanted):  # a file's line holds its story's uri as its third item
            for key, _ in self._lines.keys_containing(b"," + dumps(uri).encode() + b","):
                if key not in self._changed and key not in self._gone and self[key].uri == uri:
                    found.append(key)
        found += [key for key in self._changed if self.get(key, _NONE).uri in wanted]
        return found

    def read_all(self) -> None:
        """Parse every line not parsed yet (for whatever looks at every file)."""
        if self._complete or self._lines is None:
            return
        records = {}
        for key, value in self._lines.everything().items():
            if key not in self._gone:
                records[key] = self._records.get(key) or _record(value, self._lines.where)
        records.update((key, self._records[key]) for key in self._changed if key in self._records)
        self._records, self._complete = records, True

    # -- writing ----------------------------------------------------------------------------

    def lines_bytes(self, *, reuse: bool = True) -> bytes:
        """:meth:`lines_pieces` joined."""
        return b"".join(self.lines_pieces(reuse=reuse))

    def lines_pieces(self, *, reuse: bool = True) -> list[bytes | memoryview]:
        """The entry lines of the record file, sorted by key, joined by ``,\n``, in
        pieces: the lines read as they are where unchanged (``reuse``), the others made
        anew."""
        if reuse and self._lines is not None and all(_plain(key) for key in self._changed):
            changes = {
                key: (
                    f"{dumps(key)}:{dumps(self._records[key])}".encode()
                    if key in self._records
                    else None
                )
                for key in self._changed
            }
            return self._lines.spliced(changes)
        self.read_all()
        return [
            ",\n".join(
                f"{dumps(key)}:{dumps(self._records[key])}" for key in sorted(self._records)
            ).encode()
        ]

    def _has_line(self, key: str) -> bool:
        return (
            self._lines is not None and key not in self._gone and self._lines.span(key) is not None
        )


_NONE = FileRecord("", 0)


def damaged(path: Path, error: Exception) -> ExportError:
    """The error for a record file that cannot be read, with what to do."""
    return ExportError(
        f"the export record {path} is damaged ({error}); Newsdesk cannot tell which files "
        "there it wrote. Export to a new folder, or delete the record to start afresh "
        "(Newsdesk will then refuse to replace any file)"
    )


def _record(value: Any, where: Path) -> FileRecord:
    try:
        return FileRecord.from_json(value)
    except (ValueError, TypeError) as error:
        raise damaged(where, error) from error


def _plain(key: str) -> bool:
    """True when the key is written as it is (no JSON escape): bisectable."""
    return dumps(key) == f'"{key}"'
