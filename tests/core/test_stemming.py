"""The stemmer gives the terms SQLite's FTS5 ``porter`` tokenizer stores, word for word."""

from __future__ import annotations

import random
import re
import sqlite3
from pathlib import Path

from newsdesk.core.stemming import fold, stem

SUFFIXES = (
    "ational tional enci anci izer logi bli alli entli eli ousli ization ation ator alism "
    "iveness fulness ousness aliti iviti biliti icate ative alize iciti ical ful ness al ance "
    "ence er ic able ible ant ement ment ent ion sion tion ou ism ate iti ous ive ize s es ies "
    "sses ss ed eed ing ying y ly ll e at bl iz ated bled ized hopping filing"
).split()


def fts5_terms(words: list[str]) -> list[str]:
    """What FTS5 stores for each word (one word per row, read back from fts5vocab)."""
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE f USING fts5(w, tokenize='porter unicode61 remove_diacritics 2')"
    )
    connection.executemany("INSERT INTO f(rowid, w) VALUES (?, ?)", list(enumerate(words, start=1)))
    connection.execute("CREATE VIRTUAL TABLE v USING fts5vocab(f, instance)")
    stored = dict(connection.execute("SELECT doc, term FROM v"))
    connection.close()
    return [stored[i] for i in range(1, len(words) + 1)]


def sample_words() -> list[str]:
    text = " ".join(
        p.read_text(encoding="utf-8")
        for p in (Path(__file__).parents[2] / "src" / "newsdesk" / "core").rglob("*.py")
    )
    base = sorted({w.lower() for w in re.findall(r"[A-Za-z]{2,}", text)})
    rng = random.Random(20261126)
    made = {rng.choice(base)[: rng.randint(1, 8)] + rng.choice(SUFFIXES) for _ in range(6000)}
    news = "flooding floods flooded rivers council's councillors budgeting takeover goalkeeper"
    return sorted(set(base) | made | set(news.replace("'", " ").split()))


def test_stems_equal_fts5_porter_terms() -> None:
    words = sample_words()
    assert len(words) > 5000
    expected = fts5_terms(words)
    wrong = [(w, e, stem(w)) for w, e in zip(words, expected, strict=True) if stem(w) != e]
    assert wrong == []


def test_word_forms_share_a_stem() -> None:
    assert stem("flooding") == stem("floods") == stem("flooded") == stem("flood") == "flood"
    assert stem("councils") == stem("council")
    assert stem("at") == "at"  # under three bytes: as is


def test_fold_removes_case_and_diacritics_like_the_index() -> None:
    words = ["Hélène", "Zürich", "CAFÉS", "naïvely", "São"]
    folded = [fold(w) for w in words]
    assert folded == ["helene", "zurich", "cafes", "naively", "sao"]
    assert [stem(w) for w in folded] == fts5_terms(words)
