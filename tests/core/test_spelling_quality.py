"""Spelling quality on the labelled set (tests/data/spelling): precision and recall floors."""

from __future__ import annotations

import pytest
from tests.spelling_eval import cases, score

from newsdesk.core.checks.spelling import CachedDictionary, open_dictionary, spelling_problems

FLOORS = {"en-GB": (0.95, 0.93), "en-US": (0.82, 0.98)}
"""(precision, recall) measured when the set was written, less a little: names that no
tag supplies (Zelensky, Taoiseach) cost precision, real-word errors (tire) cost recall."""


@pytest.mark.parametrize("language", ["en-GB", "en-US"])
def test_precision_and_recall_stay_above_their_floors(language: str) -> None:
    dictionary = CachedDictionary(open_dictionary(language))
    result = score(
        language,
        lambda text, known: [
            (p.start, p.end) for p in spelling_problems("body", text, dictionary, known)
        ],
    )
    precision, recall = FLOORS[language]
    assert result.marked >= 45 and len(cases(language)) >= 50
    assert result.precision >= precision, result.false_alarms
    assert result.recall >= recall, result.missed


def test_the_set_marks_what_it_says() -> None:
    case = next(c for c in cases("en-GB") if c.text.startswith("A mid-yaer review"))
    assert [case.text[s:e] for s, e in case.wrong] == ["yaer"]
    named = next(c for c in cases("en-GB") if c.text.startswith("Starmer met Rayner"))
    assert named.known == {"Keir", "Starmer", "Angela", "Rayner"}
