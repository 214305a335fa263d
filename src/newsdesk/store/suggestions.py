"""Suggested related articles from the search index (``SqlStore.suggest_related``).

Core chooses the terms and the final order (``core.suggest``); this module asks the index
what only it knows: how common a word is (``term_stats``), which articles best match an
OR query of the key terms (FTS5 bm25 on SQLite, ``ts_rank`` on PostgreSQL, with the
search's column weights), and which key terms the final few hold, for their reasons.
Candidates are read as summaries plus standfirst, never with their bodies.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Float, Integer, Subquery, bindparam, column, select, text
from sqlalchemy.orm import Session

from newsdesk.core import suggest
from newsdesk.core.models import Article
from newsdesk.core.suggest import Candidate, KeyTerm, Suggestion
from newsdesk.store import search as fts
from newsdesk.store.mapping import summary_from_columns
from newsdesk.store.schema import ArticleRow
from newsdesk.store.term_stats import TermStats, fts5_term, tsquery_term

CANDIDATES = 150
"""Articles the engine hands over for re-ranking: enough for shared tags and dates to
reorder the engine's list, few enough to read at no noticeable cost."""
POSTINGS_BUDGET: Mapping[str, int] = {"sqlite": 12_000, "postgresql": 4_000}
"""Matches one OR query may rank (see ``core.suggest.POSTINGS_BUDGET``). FTS5's bm25
costs about 2 µs a match; PostgreSQL's ``ts_rank`` reads each match's whole vector from
its TOAST table, about 10 µs: it gets the smaller budget."""
__all__ = ["TermStats", "suggest_related"]

HIDDEN = sorted(s.value for s in suggest.HIDDEN)
SUMMARY_COLUMNS = (
    ArticleRow.id,
    ArticleRow.uri,
    ArticleRow.slug,
    ArticleRow.headline,
    ArticleRow.status,
    ArticleRow.section,
    ArticleRow.byline,
    ArticleRow.updated_at,
    ArticleRow.display_date,
    ArticleRow.word_count,
    ArticleRow.tags_text,
    ArticleRow.standfirst,
)


def suggest_related(
    session: Session,
    dialect: str,
    stats: TermStats,
    article: Article,
    *,
    limit: int,
    exclude: Collection[str],
) -> list[Suggestion]:
    """The ``limit`` best suggestions for ``article`` (see ``SqlStore.suggest_related``)."""
    if limit <= 0:
        return []
    pool = suggest.term_candidates(article)
    documents = stats.documents(session, dialect)
    if not pool or documents <= 0:
        return []
    freqs = stats.doc_freqs(session, dialect, [t.word for t in pool], documents)
    budget = POSTINGS_BUDGET.get(dialect, suggest.POSTINGS_BUDGET)
    terms = suggest.select_terms(pool, doc_freq=freqs, documents=documents, budget=budget)
    if not terms:
        return []
    hidden = {
        article.uri,
        *exclude,
        *(link.target_uri for link in article.related if link.target_uri),
    }
    candidates = _candidates(session, dialect, terms, hidden, inside=False)
    if len(candidates) < limit:
        # Withdrawn or archived articles crowded the top: filter inside the ranking.
        candidates = _candidates(session, dialect, terms, hidden, inside=True)
    ranked = suggest.rank(article, candidates, exclude=hidden)[:limit]
    wanted = {c.summary.id: suggest.unseen_terms(article, terms, c) for _, c in ranked}
    matched = _matched_terms(session, dialect, wanted)
    return [
        suggest.suggestion(article, terms, value, c, matched.get(c.summary.id, ()))
        for value, c in ranked
    ]


def _candidates(
    session: Session,
    dialect: str,
    terms: Sequence[KeyTerm],
    hidden: set[str],
    *,
    inside: bool,
) -> list[Candidate]:
    """The engine's best matches of any key term, hidden ones left out.

    The ranking runs on the index alone and only the winners' rows are read. ``inside``
    filters withdrawn and archived articles within the ranking (a row read per match)."""
    params: dict[str, Any] = {"size": CANDIDATES + len(hidden)}
    if dialect == "sqlite":
        params["match"] = " OR ".join(fts5_term(t.word) for t in terms)
    else:
        params["query"] = " | ".join(tsquery_term(t.word) for t in terms)
    if inside:
        params["hidden_statuses"] = HIDDEN
    top = _ranking(dialect, inside)
    rows = (
        select(*SUMMARY_COLUMNS, top.c.score)
        .join(top, top.c.id == ArticleRow.id)
        .where(ArticleRow.status.not_in(HIDDEN))
        .order_by(top.c.score.desc(), ArticleRow.id.desc())
    )
    if hidden:
        rows = rows.where(ArticleRow.uri.not_in(sorted(hidden)))
    return [
        Candidate(summary_from_columns(row), float(row.score), row.standfirst)
        for row in session.execute(rows, params)
    ]


@lru_cache(maxsize=8)
def _ranking(dialect: str, inside: bool) -> Subquery:
    """The engine's ranking of an OR query: (id, score) of the best ``:size`` matches.
    Built once per kind: parsing a text() statement costs more than running it."""
    if dialect == "sqlite":
        weights = ", ".join(str(w) for w in fts.SQLITE_WEIGHTS)
        ranked = (
            f"SELECT article_fts.rowid AS id, -bm25(article_fts, {weights}) AS score "
            "FROM article_fts"
        )
        if inside:
            ranked += " JOIN article ON article.id = article_fts.rowid"
        ranked += " WHERE article_fts MATCH :match"
        order = "ORDER BY score DESC, article_fts.rowid DESC"
    else:
        ranked = (
            f"SELECT article.id AS id, ts_rank('{fts.PG_WEIGHTS}'::float4[], "
            "article.search_vector, q.q) AS score FROM article, "
            "(SELECT to_tsquery('english'::regconfig, newsdesk_unaccent(:query)) AS q) AS q "
            "WHERE article.search_vector @@ q.q"
        )
        order = "ORDER BY score DESC, article.id DESC"
    if inside:
        ranked += " AND article.status NOT IN :hidden_statuses"
    statement = text(f"{ranked} {order} LIMIT :size")
    if inside:
        statement = statement.bindparams(bindparam("hidden_statuses", expanding=True))
    return statement.columns(column("id", Integer), column("score", Float)).subquery("top")


def _matched_terms(
    session: Session, dialect: str, wanted: Mapping[int, Sequence[KeyTerm]]
) -> dict[int, set[str]]:
    """Which of the ``wanted`` key terms each article holds anywhere, body included."""
    by_term: dict[str, list[int]] = defaultdict(list)
    for article_id, terms in wanted.items():
        for term in terms:
            by_term[term.word].append(article_id)
    if not by_term:
        return {}
    params: dict[str, Any] = {}
    parts = []
    words = sorted(by_term)
    for i, word in enumerate(words):
        ids = by_term[word]
        id_list = ", ".join(str(int(a)) for a in sorted(ids))
        if dialect == "sqlite":
            params[f"m{i}"] = fts5_term(word)
            parts.append(
                f"SELECT {i} AS k, rowid AS id FROM article_fts "
                f"WHERE article_fts MATCH :m{i} AND rowid IN ({id_list})"
            )
        else:
            params[f"m{i}"] = tsquery_term(word)
            parts.append(
                f"SELECT {i} AS k, id FROM article WHERE id IN ({id_list}) AND search_vector "
                f"@@ to_tsquery('english'::regconfig, newsdesk_unaccent(:m{i}))"
            )
    found: dict[int, set[str]] = defaultdict(set)
    for k, article_id in session.execute(text(" UNION ALL ".join(parts)), params):
        found[int(article_id)].add(words[int(k)])
    return found
