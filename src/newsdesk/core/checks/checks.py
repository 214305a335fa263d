"""The shared vocabulary of copy checks: what a problem is, wherever it was found."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

SEVERITIES = ("error", "warning", "suggestion")
"""Vale's levels, most serious first."""


class CheckKind(StrEnum):
    """Which check found a problem (the window underlines each kind differently)."""

    SPELLING = "spelling"
    STYLE = "style"
    LENGTH = "length"
    READINESS = "readiness"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a story's copy, and how to put it right.

    ``start``/``end`` are code-point offsets in the text of ``field`` (both 0 when the
    problem is about the field or the story as a whole); ``line`` and ``column`` are the
    same place, 1-based, for the command line. ``suggestions`` replace ``[start:end]``.
    """

    kind: CheckKind
    field: str
    start: int
    end: int
    line: int
    column: int
    rule: str
    message: str
    suggestions: tuple[str, ...] = ()
    severity: str = "warning"

    def shifted(self, offset: int, text: str) -> Problem:
        """The same problem in a text where this one's text starts at ``offset``."""
        start, end = self.start + offset, self.end + offset
        line, column = line_column(text, start)
        return Problem(
            self.kind,
            self.field,
            start,
            end,
            line,
            column,
            self.rule,
            self.message,
            self.suggestions,
            self.severity,
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "suggestions": list(self.suggestions),
        }


def line_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of code point ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


class LineIndex:
    """Line and column of many offsets in one text, without rescanning it each time."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        at = text.find("\n")
        while at != -1:
            self.starts.append(at + 1)
            at = text.find("\n", at + 1)

    def __call__(self, offset: int) -> tuple[int, int]:
        from bisect import bisect_right

        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def about_field(
    kind: CheckKind,
    field: str,
    rule: str,
    message: str,
    *,
    severity: str = "warning",
    suggestions: tuple[str, ...] = (),
) -> Problem:
    """A problem with a field or the story as a whole, not with a span of text."""
    return Problem(kind, field, 0, 0, 1, 1, rule, message, suggestions, severity)


def worst(problems: Iterable[Problem]) -> str | None:
    """The most serious severity among ``problems`` (``None`` when there are none)."""
    found = {p.severity for p in problems}
    return next((level for level in SEVERITIES if level in found), None)


def ordered(problems: Iterable[Problem], fields: Iterable[str] = ()) -> list[Problem]:
    """``problems`` in reading order: by field (``fields`` first, in that order), then place."""
    rank = {name: i for i, name in enumerate(fields)}
    return sorted(problems, key=lambda p: (rank.get(p.field, len(rank)), p.field, p.start, p.end))


def utf16_offset(text: str, offset: int) -> int:
    """Code point ``offset`` in ``text`` as Qt counts it (UTF-16 units: an emoji or any
    character beyond U+FFFF is two), for underlining in a ``QTextDocument``."""
    return offset + sum(1 for char in text[:offset] if ord(char) > 0xFFFF)
