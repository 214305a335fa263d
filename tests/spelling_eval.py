"""The labelled spelling set in tests/data/spelling: reading it and scoring a checker on it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

FOLDER = Path(__file__).parent / "data" / "spelling"
_MARK = re.compile(r"\{\{(.+?)\}\}")


@dataclass(frozen=True)
class Case:
    """One snippet: its text, the spans that are misspelt, the names it may use."""

    source: str
    text: str
    wrong: frozenset[tuple[int, int]]
    known: frozenset[str]


@dataclass
class Score:
    flagged: int = 0
    marked: int = 0
    hits: int = 0
    false_alarms: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.hits / self.flagged if self.flagged else 1.0

    @property
    def recall(self) -> float:
        return self.hits / self.marked if self.marked else 1.0


def cases(language: str) -> list[Case]:
    """The common cases and those of ``language`` (en-GB, en-US)."""
    found = []
    for name in ("common.txt", f"{language}.txt"):
        path = FOLDER / name
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            raw, _, names = line.partition("\t")
            text, wrong = _unmark(raw)
            known = frozenset(w for n in names.split(",") for w in n.split() if w)
            found.append(Case(f"{name}:{number}", text, frozenset(wrong), known))
    return found


def _unmark(raw: str) -> tuple[str, list[tuple[int, int]]]:
    text, spans, at = "", [], 0
    for match in _MARK.finditer(raw):
        text += raw[at : match.start()]
        spans.append((len(text), len(text) + len(match.group(1))))
        text += match.group(1)
        at = match.end()
    return text + raw[at:], spans


Flagger = Callable[[str, frozenset[str]], Iterable[tuple[int, int]]]


def score(language: str, flag: Flagger) -> Score:
    """Precision and recall of the words ``flag`` marks wrong, over the set."""
    result = Score()
    for case in cases(language):
        flagged = set(flag(case.text, case.known))
        result.flagged += len(flagged)
        result.marked += len(case.wrong)
        result.hits += len(flagged & case.wrong)
        result.false_alarms += [f"{case.source} {case.text[s:e]}" for s, e in flagged - case.wrong]
        result.missed += [f"{case.source} {case.text[s:e]}" for s, e in case.wrong - flagged]
    return result
