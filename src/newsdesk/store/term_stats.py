"""How many articles hold a word: cheap estimates for choosing suggestion terms.

Exact document frequencies cost a walk of a word's whole posting list (FTS5's
``fts5vocab`` counts 86,000 entries for "said"; PostgreSQL's ``ts_stat`` reads every
vector), too slow to ask for two dozen words while an editor types. So:

* SQLite counts exactly up to :data:`EXACT_UP_TO`; past that it counts in a few windows
  of ids spread over the archive and scales up (a rowid range is a seek in FTS5).
* PostgreSQL reads the lexeme frequencies ``ANALYZE`` keeps for the ``search_vector``
  column (``pg_stats.most_common_elems``); a lexeme missing from them is rarer than the
  rarest kept, as the planner itself assumes. It asks the server for each word's lexeme.

Figures are kept for :data:`STATS_SECONDS`: they drift slowly.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause, func, select, text
from sqlalchemy.orm import Session

from newsdesk.store.schema import ArticleRow

STATS_SECONDS = 300.0
EXACT_UP_TO = 400
WINDOWS = 4
WINDOW_IDS = 2000
CACHE_WORDS = 50_000
RECOUNT_BELOW = 10_000
"""A smaller archive is counted on every call (it is quick): it may be growing fast, as
when an archive is being imported."""
_LEXEME = re.compile(r"'((?:[^']|'')*)'")


def fts5_term(word: str) -> str:
    """``word`` as one quoted FTS5 term (no query syntax can leak)."""
    return '"' + word.replace('"', '""') + '"'


def tsquery_term(word: str) -> str:
    """``word`` as one quoted ``to_tsquery`` lexeme."""
    return "'" + word.replace("'", "''") + "'"


class TermStats:
    """Document frequencies and the archive's size, kept a few minutes; thread-safe."""

    def __init__(self, seconds: float = STATS_SECONDS) -> None:
        self._seconds = seconds
        self._lock = threading.Lock()
        self._documents: tuple[float, int] | None = None
        self._lexemes: tuple[float, dict[str, float], float] | None = None
        self._freqs: dict[str, tuple[float, int]] = {}

    def _fresh(self, stamp: float) -> bool:
        return time.monotonic() - stamp < self._seconds

    def documents(self, session: Session, dialect: str) -> int:
        """How many articles the store holds (PostgreSQL: the planner's estimate)."""
        with self._lock:
            cached = self._documents
        if cached is not None and self._fresh(cached[0]):
            return cached[1]
        count = -1
        if dialect == "postgresql":
            estimate = session.scalar(
                text("SELECT reltuples FROM pg_class WHERE oid = 'article'::regclass")
            )
            count = int(estimate) if estimate is not None else -1
        if count < RECOUNT_BELOW:  # also when the estimate is missing or stale at 0
            count = session.scalar(select(func.count()).select_from(ArticleRow)) or 0
        if count >= RECOUNT_BELOW:
            with self._lock:
                self._documents = (time.monotonic(), count)
        return count

    def doc_freqs(
        self, session: Session, dialect: str, words: Sequence[str], documents: int
    ) -> dict[str, int]:
        """About how many articles hold each of ``words`` (in any form the index stems
        alike). A word missing from the answer is of unknown frequency."""
        found: dict[str, int] = {}
        with self._lock:
            for word in words:
                entry = self._freqs.get(word)
                if entry is not None and self._fresh(entry[0]):
                    found[word] = entry[1]
        missing = [w for w in dict.fromkeys(words) if w not in found]
        if not missing:
            return found
        if dialect == "sqlite":
            counted = _sqlite_freqs(session, missing, documents)
        elif dialect == "postgresql":
            counted = self._postgres_freqs(session, missing, documents)
        else:
            counted = {}
        now = time.monotonic()
        with self._lock:
            if len(self._freqs) > CACHE_WORDS:
                self._freqs.clear()
            self._freqs.update({w: (now, n) for w, n in counted.items()})
        return found | counted

    def _postgres_freqs(
        self, session: Session, words: Sequence[str], documents: int
    ) -> dict[str, int]:
        frequencies, rarest = self._lexeme_frequencies(session)
        rows = session.execute(
            text(
                "SELECT w, strip(to_tsvector('english'::regconfig, newsdesk_unaccent(w)))::text "
                "FROM unnest(CAST(:words AS text[])) AS w"
            ),
            {"words": list(words)},
        ).all()
        counted: dict[str, int] = {}
        for word, vector in rows:
            lexemes = [m.replace("''", "'") for m in _LEXEME.findall(vector or "")]
            if not lexemes:
                counted[word] = 0  # a stop word to PostgreSQL: it matches nothing
            elif frequencies:
                share = max(frequencies.get(lexeme, rarest / 2) for lexeme in lexemes)
                counted[word] = max(1, round(share * documents))
        return counted

    def _lexeme_frequencies(self, session: Session) -> tuple[dict[str, float], float]:
        """The share of articles holding each common lexeme, and the smallest kept."""
        with self._lock:
            cached = self._lexemes
        if cached is not None and self._fresh(cached[0]):
            return cached[1], cached[2]
        row = session.execute(
            text(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                "WHERE schemaname = current_schema() AND tablename = 'article' "
                "AND attname = 'search_vector'"
            )
        ).first()
        frequencies: dict[str, float] = {}
        rarest = 0.0
        if row is not None and row[0] and row[1]:
            elements, shares = list(row[0]), [float(s) for s in row[1]]
            frequencies = dict(zip(elements, shares[: len(elements)], strict=True))
            rarest = shares[len(elements)]  # the minimum follows the per-lexeme shares
        with self._lock:
            self._lexemes = (time.monotonic(), frequencies, rarest)
        return frequencies, rarest


def _sqlite_freqs(session: Session, words: Sequence[str], documents: int) -> dict[str, int]:
    exact = _union_counts(
        session,
        words,
        "SELECT count(*) FROM (SELECT rowid FROM article_fts WHERE article_fts MATCH :m{i} "
        "LIMIT :cap)",
        {"cap": EXACT_UP_TO},
    )
    common = [w for w in words if exact[w] >= EXACT_UP_TO]
    if not common:
        return exact
    # Two statements: SQLite answers a lone min() or max() of the rowid from the b-tree's
    # edge, but scans the table for both at once.
    low = int(session.scalar(select(func.min(ArticleRow.id))) or 0)
    high = int(session.scalar(select(func.max(ArticleRow.id))) or 0)
    span = high - low + 1
    if span <= WINDOWS * WINDOW_IDS:
        windows = [(low, high)]
    else:
        step = (span - WINDOW_IDS) // (WINDOWS - 1)
        windows = [(low + k * step, low + k * step + WINDOW_IDS - 1) for k in range(WINDOWS)]
    bounds: dict[str, Any] = {}
    for k, (first, last) in enumerate(windows):
        bounds[f"a{k}"], bounds[f"b{k}"] = first, last
    in_windows = " + ".join(
        "(SELECT count(*) FROM article_fts WHERE article_fts MATCH :m{i} "
        f"AND rowid BETWEEN :a{k} AND :b{k})"
        for k in range(len(windows))
    )
    sampled = _union_counts(session, common, in_windows, bounds)
    # Ids are about as dense in a window as in the whole range (deletions are few).
    scale = span / sum(last - first + 1 for first, last in windows)
    return exact | {w: max(EXACT_UP_TO, round(sampled[w] * scale)) for w in common}


def _union_counts(
    session: Session, words: Sequence[str], count_sql: str, params: dict[str, Any]
) -> dict[str, int]:
    """One statement counting, for each word, what ``count_sql`` (with ``{i}`` standing
    for the word's parameter number) counts."""
    values = dict(params)
    values.update({f"m{i}": fts5_term(word) for i, word in enumerate(words)})
    rows = session.execute(_union_statement(count_sql, len(words)), values).all()
    return {words[int(k)]: int(n) for k, n in rows}


@lru_cache(maxsize=256)
def _union_statement(count_sql: str, size: int) -> TextClause:
    # Built once per shape: parsing a long text() costs more than running it.
    parts = [f"SELECT {i} AS k, ({count_sql.format(i=i)}) AS n" for i in range(size)]
    return text(" UNION ALL ".join(parts))
