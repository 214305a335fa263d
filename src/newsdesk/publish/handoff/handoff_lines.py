"""The hand-off manifest as bytes: its layout, its story lines found, spliced and hashed.

``handoff.json`` keeps one story a line, sorted by address (``"id"``, its first field):
``{"id":"world/a","uri":"urn:…",…,"status":"published",…},``. A partial export into a
folder of ten thousand stories changes a few lines: each is found by bisecting the bytes
read (a key parsed at each step), and the manifest is written as the unchanged runs of the
bytes read with the new lines between them. The digest of the lines read is worked out in
a thread while the lines change (hashing lets go of the interpreter), with the hash's state
kept every megabyte, so the new lines' digest hashes only what follows the first change.

A JSON string escapes every quote it holds, so ``,"name":`` outside an escape can only be a
field's name: that is how a line's fields are found without parsing it.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from newsdesk.publish.folder.record_lines import dumps
from newsdesk.publish.folder.state import ArticleRecord

HANDOFF_JSON = "handoff.json"
HANDOFF_MD = "HANDOFF.md"
HANDOFF_FORMAT = "newsdesk-handoff/1"
HEAD_START = f'{{"format":{dumps(HANDOFF_FORMAT)},'.encode()  # how the head line begins
STORIES_OPEN = b'\n"stories":[\n'  # after the head line
STORIES_CLOSE = b'\n],\n"other_files":[\n'  # after the last story line


def address(record: ArticleRecord) -> str:
    """A story's address, its line's ``"id"``: the lines are sorted by it."""
    return f"{record.section_slug}/{record.slug}"


Piece = bytes | memoryview
_ID = b'{"id":'
_URI = b',"uri":'
_STATUS = b',"status":'
_VERSION = b',"version":'
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_CHUNK = 1 << 20  # bytes hashed between two kept states of the hash


class LayoutError(ValueError):
    """The lines are not laid out as the manifest writes them."""


class StoryLines:
    """The story lines in ``data[start:stop]``, joined by ``,\\n`` (none: ``start == stop``)."""

    def __init__(self, data: bytes, start: int, stop: int) -> None:
        self.data, self.start, self.stop = data, start, stop

    def find(self, key: str) -> tuple[bool, int, int]:
        """Whether a line has the address ``key``, and where: its span (without its
        comma and newline), else where it would go (a line's start, or ``stop``)."""
        data, low, high = self.data, self.start, self.stop
        while low < high:
            start = max(data.rfind(b"\n", low, (low + high) // 2) + 1, low)
            end = self.line_end(start)
            found = self.key_at(start, end)
            if found == key:
                return True, start, end
            if found < key:
                low = min(end + 2, self.stop)
            else:
                high = start
        return False, low, low

    def line_end(self, start: int) -> int:
        newline = self.data.find(b"\n", start, self.stop)
        if newline < 0:
            return self.stop
        if self.data[newline - 1] != ord(","):
            raise LayoutError("a story line that does not end with a comma")
        return newline - 1

    def key_at(self, start: int, end: int) -> str:
        return self._string_after(start, _ID, end)

    def uri_at(self, start: int, end: int) -> str:
        return self._string_after(self.data.index(_URI, start, end), _URI, end)

    def line(self, start: int, end: int) -> bytes:
        return self.data[start:end]

    def count(self, field: bytes) -> int:
        """How many times ``field`` is in the lines."""
        return self.data.count(field, self.start, self.stop)

    def first_line(self) -> tuple[int, int] | None:
        return None if self.start == self.stop else (self.start, self.line_end(self.start))

    def statuses_but(self, field: bytes) -> dict[str, bytes]:
        """The uri and status field of each line whose status field is not ``field``
        (``,"status":…,`` as a line has it): one search through the lines."""
        data, found = self.data, {}
        rest = re.escape(field[len(_STATUS) :])
        for match in re.compile(re.escape(_STATUS) + b"(?!" + rest + b")").finditer(
            data, self.start, self.stop
        ):
            start = max(data.rfind(b"\n", self.start, match.start()) + 1, self.start)
            end = self.line_end(start)
            value_end = data.index(_VERSION, match.end(), end)
            found[self.uri_at(start, end)] = data[match.start() : value_end + 1]
        return found

    def spliced(self, changes: Mapping[str, bytes | None]) -> tuple[list[Piece], int]:
        """The lines with ``changes`` made (address -> its new line, or ``None`` to drop
        it), as pieces to be joined, and the offset up to which they are the bytes read.
        The unchanged runs of lines are views of the bytes read, not copies."""
        items: list[Piece] = []  # old runs of whole lines (less the last's ",\n"), new lines
        view, at, stop = memoryview(self.data), self.start, self.stop
        same = stop
        for key in sorted(changes):
            found, start, end = self.find(key)
            same = min(same, max(start - 2, self.start))  # the comma before may go too
            if start > at:
                items.append(view[at : start - 2] if start < stop else view[at:stop])
            at = start
            line = changes[key]
            if line is not None:
                items.append(line)
            if found:
                at = min(end + 2, stop)
        if at < stop:
            items.append(view[at:stop])
        pieces: list[Piece] = []
        for item in items:
            pieces += [item, b",\n"]
        return pieces[:-1], same

    def _string_after(self, at: int, name: bytes, end: int) -> str:
        if not self.data.startswith(name, at):
            raise LayoutError(f"no {name!r} where a story line has it")
        match = _STRING.match(self.data, at + len(name), end)
        if match is None:
            raise LayoutError(f"no string after {name!r}")
        value = json.loads(match.group())
        if not isinstance(value, str):
            raise LayoutError(f"no string after {name!r}")
        return value


class RunningDigest:
    """SHA-256 of ``data[start:]``, with the hash's state kept every ``_CHUNK`` bytes, so
    that the digest of other bytes sharing a beginning with these hashes only the rest."""

    def __init__(self, data: bytes, start: int) -> None:
        self.data, self.start = data, start
        view = memoryview(data)
        hasher = hashlib.sha256()
        self.states = []
        for at in range(start, len(data), _CHUNK):
            self.states.append(hasher.copy())
            hasher.update(view[at : at + _CHUNK])
        self.hexdigest = hasher.hexdigest()

    @classmethod
    def in_thread(cls, data: bytes, start: int) -> Callable[[], RunningDigest]:
        """Work it out in a thread; the function returned waits for it (or works it out
        if the thread could not)."""
        made: list[RunningDigest] = []
        thread = threading.Thread(target=lambda: made.append(cls(data, start)), daemon=True)
        try:
            thread.start()
        except RuntimeError:  # no thread to be had: worked out when asked
            return lambda: cls(data, start)

        def result() -> RunningDigest:
            thread.join()
            return made[0] if made else cls(data, start)

        return result

    def digest_of(self, same: int, pieces: Sequence[Piece]) -> str:
        """The digest of ``pieces``, which are the bytes read up to offset ``same``
        (of ``data``) and then anything."""
        step = min((same - self.start) // _CHUNK, len(self.states) - 1)
        if step < 0:
            hasher = hashlib.sha256()
            skip = 0
        else:
            hasher = self.states[step].copy()
            hasher.update(memoryview(self.data)[self.start + step * _CHUNK : same])
            skip = same - self.start
        for piece in _skipped(pieces, skip):
            hasher.update(piece)
        return hasher.hexdigest()


def _skipped(pieces: Sequence[Piece], count: int) -> Iterator[Piece]:
    """``pieces`` less their first ``count`` bytes."""
    for piece in pieces:
        size = len(piece)
        if count >= size:
            count -= size
            continue
        yield memoryview(piece)[count:] if count else piece
        count = 0


def parse_line(line: bytes) -> dict[str, Any]:
    value = json.loads(line)
    if not isinstance(value, dict):
        raise LayoutError("a story line that is no object")
    return value
