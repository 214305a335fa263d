"""The manifest an export folder holds, as the last export into it wrote it.

It is copied from only if its lines below the head are those the folder's record was
written with (the record keeps their digest): edited by hand, or left from an export that
stopped, it is not. It is read whole and looked into only as far as the export needs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from newsdesk.publish.folder.state import ExportState
from newsdesk.publish.handoff.handoff_lines import (
    HANDOFF_JSON,
    HEAD_START,
    STORIES_CLOSE,
    STORIES_OPEN,
    RunningDigest,
    StoryLines,
    address,
)


class PreviousHandoff:
    """The manifest the folder holds, as the last export wrote it, with the folder's
    record ``before`` that keeps its digest: copied from only if its lines below the head
    are those the record was written with. Read whole, looked into as far as needed."""

    __slots__ = ("_digest", "_hashing", "_parsed", "before", "data", "first")

    def __init__(self, data: bytes, first: int, before: ExportState) -> None:
        self.data, self.first, self.before = data, first, before
        self._digest: RunningDigest | None = None
        self._hashing: Callable[[], RunningDigest] | None = None
        self._parsed: list[ParsedHandoff | None] = []  # once worked out: [it]

    @classmethod
    def read(cls, root: Path, before: ExportState) -> PreviousHandoff | None:
        """The manifest in ``root``; ``None`` when it cannot be read or the record
        ``before`` keeps no digest of one."""
        try:
            data = (root / HANDOFF_JSON).read_bytes()
        except OSError:
            return None
        first = data.find(b"\n")
        if not before.handoff or first < 0:
            return None
        return cls(data, first, before)

    def hash_soon(self) -> None:
        """Start working out :meth:`running_digest` in a thread (hashing lets go of the
        interpreter), to be waited for when asked."""
        if self._digest is None and self._hashing is None:
            self._hashing = RunningDigest.in_thread(self.data, self.first + 1)

    def running_digest(self) -> RunningDigest:
        """The digest of the lines below the head, with the hash's states along them."""
        if self._digest is None:
            hashing = self._hashing or partial(RunningDigest, self.data, self.first + 1)
            self._digest = hashing()
        return self._digest

    def trusted(self) -> bool:
        """True when the lines below the head are those the record was written with."""
        return self.running_digest().hexdigest == self.before.handoff

    def head(self) -> dict[str, Any] | None:
        """The head (the first line, which the digest leaves out), ``None`` when it is
        not a JSON object."""
        try:
            head = json.loads(self.data[: self.first - 1] + b"}")
        except ValueError:
            return None
        return head if isinstance(head, dict) else None

    def layout(self) -> tuple[StoryLines, list[str]] | None:
        """The story lines and the other files' paths, when laid out as written (head
        first, then the stories, then the other files); ``None`` otherwise."""
        data, first = self.data, self.first
        if not data.startswith(HEAD_START) or not data.startswith(STORIES_OPEN, first):
            return None
        start = first + len(STORIES_OPEN)
        middle = data.rfind(STORIES_CLOSE)
        others = _other_paths(data, middle) if middle >= start else None
        return None if others is None else (StoryLines(data, start, middle), others)

    def parsed(self) -> ParsedHandoff | None:
        """Each story's line and address (by uri) if trusted and one line a story at a
        distinct address; ``None`` otherwise. Its story lines are then those of
        ``before``'s stories in address order, one each."""
        if not self._parsed:
            self._parsed.append(self._parse() if self.trusted() else None)
        return self._parsed[0]

    def _parse(self) -> ParsedHandoff | None:
        data, first, before = self.data, self.first, self.before
        keys = {uri: address(record) for uri, record in before.articles.items()}
        order = sorted(keys, key=keys.__getitem__)
        try:
            start = data.index(STORIES_OPEN, first) + len(STORIES_OPEN)
            middle = data.index(STORIES_CLOSE, start - 1)
            head = json.loads(data[: first - 1] + b"}")
            # A story's line holds no newline (JSON escapes it): ",\n" ends each but the last.
            found = data[start:middle].split(b",\n") if middle > start else []
        except (ValueError, IndexError, KeyError, TypeError):
            return None
        others = _other_paths(data, middle)
        if others is None or len(found) != len(order) or len(set(keys.values())) != len(keys):
            return None  # not one line a story, or two stories at one address (a tie)
        return ParsedHandoff(head, dict(zip(order, found, strict=True)), keys, others)


@dataclass(frozen=True, slots=True)
class ParsedHandoff:
    """A trusted manifest taken apart: its head, each story's line and address (by uri)
    and the paths of its other files."""

    head: dict[str, Any]
    stories: dict[str, bytes]
    keys: dict[str, str]
    other_paths: list[str]


def _other_paths(data: bytes, middle: int) -> list[str] | None:
    """The paths the manifest lists after its stories (``middle``: where they end)."""
    try:
        others = [
            json.loads(line.removesuffix(b","))[0]
            for line in data[middle + len(STORIES_CLOSE) :].split(b"\n")[:-2]
            if line
        ]
    except (ValueError, IndexError, KeyError, TypeError):
        return None
    return [path for path in others if isinstance(path, str)]
