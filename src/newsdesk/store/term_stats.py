"""How many articles hold a word: cheap estimates for choosing suggestion terms.

Exact document frequencies cost a walk of a word's whole posting list (FTS5's
``fts5vocab`` counts 86,000 entries for "said"; PostgreSQL's ``ts_stat`` reads every
vector), too slow to ask for two dozen words while an editor types. So:

* SQLite reads a word's oldest and newest :data:`EDGE` matches (FTS5 walks a posting
  list from either end): fewer is the exact count, more gives the word's density at
  both ends of the archive, from the ids those matches span.
* PostgreSQL reads the lexeme frequencies ``ANALYZE`` keeps for the ``search_vector``
  column (``pg_stats.most_common_elems``); a lexeme missing from them is rarer than the
  rarest kept, as the planner itself assumes. It asks the server for each word's lexeme.
  An archive under :data:`RECOUNT_BELOW` articles is counted exactly instead (``ANALYZE``
  may not have seen a new newsroom's first stories at all).

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
EDGE = 200
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
        if documents < RECOUNT_BELOW:
            return _postgres_counts(session, words)
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

    def lexeme_shares(self, session: Session) -> tuple[dict[str, float], float]:
        """PostgreSQL: the share of articles holding each common lexeme (``ANALYZE``'s
        statistics of ``search_vector``), and the smallest share kept (a lexeme missing
        from them is rarer than that)."""
        return self._lexeme_frequencies(session)

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


def _postgres_counts(session: Session, words: Sequence[str]) -> dict[str, int]:
    """Exact document frequencies, for a small archive: ``ANALYZE`` may not have seen it
    yet (a new newsroom's first stories), and counting its matches is quick."""
    rows = session.execute(
        text(
            "SELECT w, (SELECT count(*) FROM article WHERE search_vector @@ "
            "to_tsquery('english'::regconfig, newsdesk_unaccent(quote_literal(w)))) "
            "FROM unnest(CAST(:words AS text[])) AS w"
        ),
        {"words": list(words)},
    ).all()
    return {word: int(count) for word, count in rows}


def _sqlite_freqs(session: Session, words: Sequence[str], documents: int) -> dict[str, int]:
    """Each word's oldest and newest :data:`EDGE` matches, in one statement: fewer means
    that is the exact count; otherwise the ids those matches span give the word's density
    at both ends of the archive, and the estimate ``2 * EDGE * ids / span``."""
    values: dict[str, Any] = {"edge": EDGE}
    values.update({f"m{i}": fts5_term(word) for i, word in enumerate(words)})
    rows = session.execute(_edges_statement(len(words)), values).all()
    edges: dict[tuple[int, int], tuple[int, int | None]] = {
        (int(k), int(newest)): (int(n), edge) for k, newest, n, edge in rows
    }
    # Two statements: SQLite reads a lone min() or max() of the rowid at the b-tree's
    # edge, but scans the table for both at once.
    low = int(session.scalar(select(func.min(ArticleRow.id))) or 0)
    high = int(session.scalar(select(func.max(ArticleRow.id))) or 0)
    found: dict[str, int] = {}
    for i, word in enumerate(words):
        count, oldest_end = edges[(i, 0)]
        _, newest_start = edges[(i, 1)]
        if count < EDGE or oldest_end is None or newest_start is None:
            found[word] = count
            continue
        spanned = (int(oldest_end) - low + 1) + (high - int(newest_start) + 1)
        estimate = 2 * EDGE * (high - low + 1) / max(spanned, 1)
        found[word] = max(EDGE, min(documents, round(estimate)))
    return found


@lru_cache(maxsize=64)
def _edges_statement(size: int) -> TextClause:
    # Built once per number of words: parsing a long text() costs more than running it.
    match = "SELECT rowid FROM article_fts WHERE article_fts MATCH :m{i}"
    parts = []
    for i in range(size):
        oldest = match.format(i=i) + " ORDER BY rowid LIMIT :edge"
        newest = match.format(i=i) + " ORDER BY rowid DESC LIMIT :edge"
        parts.append(f"SELECT {i} AS k, 0 AS newest, count(*) AS n, max(rowid) FROM ({oldest})")
        parts.append(f"SELECT {i} AS k, 1 AS newest, count(*) AS n, min(rowid) FROM ({newest})")
    return text(" UNION ALL ".join(parts))
