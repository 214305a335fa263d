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

from sqlalchemy import (
    Float,
    Integer,
    Subquery,
    TextClause,
    bindparam,
    column,
    func,
    select,
    text,
)
from sqlalchemy.orm import Session

from newsdesk.core.models import Article
from newsdesk.core.related import suggest
from newsdesk.core.related.suggest import Candidate, KeyTerm, Suggestion
from newsdesk.store import mapping
from newsdesk.store import search as fts
from newsdesk.store.mapping import summary_from_columns
from newsdesk.store.schema import ArticleRow, TagRow
from newsdesk.store.term_stats import TermStats, fts5_term, tsquery_term

CANDIDATES = 150
"""Articles the engine hands over for re-ranking at first: enough for shared tags and
dates to reorder the engine's list, few enough to read at no noticeable cost."""
WIDEN = 4
MAX_CANDIDATES = 600
"""The most engine matches re-ranked for one article (a large archive's rare case of
many matches and few relevant ones)."""
TAG_CANDIDATES = 40
"""When the engine finds fewer than this, the articles sharing the most tags are ranked
with its matches (as many again): in a small archive every word is common (bm25 gives it
no weight), but tags still say a lot. In a large one the engine's matches are plenty,
and a tag can hold thousands of articles (too slow to rank them all)."""
PRESELECT = 450
"""PostgreSQL: matches ranked by ``ts_rank`` after the first, cheaper step."""
__all__ = ["TermStats", "suggest_related"]

HIDDEN = sorted(s.value for s in suggest.HIDDEN)
SUMMARY_COLUMNS = (*mapping.SUMMARY_COLUMNS, ArticleRow.standfirst)


def suggest_related(
    session: Session,
    dialect: str,
    stats: TermStats,
    article: Article,
    *,
    limit: int,
    exclude: Collection[str],
) -> list[Suggestion]:
    """The ``limit`` best suggestions for ``article`` (see ``SqlStore.suggest_related``).

    Every candidate the engine and the tags give is ranked, and the relevant ones are
    taken in order until there are ``limit``: none is left out because the first few
    were not relevant. When the engine gave many and too few were relevant, it is asked
    for :data:`WIDEN` times as many, up to :data:`MAX_CANDIDATES`."""
    if limit <= 0:
        return []
    pool = suggest.term_candidates(article)
    documents = stats.documents(session, dialect)
    if not pool or documents <= 0:
        return []
    asked = list(dict.fromkeys(w for t in pool for w in t.words))
    freqs = stats.doc_freqs(session, dialect, asked, documents)
    terms = suggest.select_terms(
        pool, doc_freq=freqs, documents=documents, stored=article.id is not None
    )
    if not terms and not article.tags:
        return []
    hidden = {
        article.uri,
        *exclude,
        *(link.target_uri for link in article.related if link.target_uri),
    }
    size = max(CANDIDATES, limit)
    while True:
        candidates = _gathered(
            session, dialect, article=article, terms=terms, hidden=hidden, size=size
        )
        found = _relevant(
            session,
            dialect,
            article=article,
            terms=terms,
            candidates=candidates,
            hidden=hidden,
            limit=limit,
        )
        if len(found) >= limit or size >= MAX_CANDIDATES or len(candidates) < size // 2:
            return found
        size *= WIDEN


def _gathered(
    session: Session,
    dialect: str,
    *,
    article: Article,
    terms: Sequence[KeyTerm],
    hidden: set[str],
    size: int,
) -> list[Candidate]:
    """The engine's best ``size`` matches of the key terms, and the articles sharing the
    most of the article's tags."""
    candidates = _candidates(session, dialect, terms, hidden, size, inside=False) if terms else []
    if terms and dialect == "sqlite" and len(candidates) < size // 2:
        # Withdrawn or archived articles crowded the top: filter inside the ranking.
        candidates = _candidates(session, dialect, terms, hidden, size, inside=True)
    if article.tags and len(candidates) < TAG_CANDIDATES:
        # A small archive: its words are too common to rank, but its tags still say a lot.
        seen = {c.summary.id for c in candidates}
        candidates += [
            c
            for c in _tag_candidates(session, article.tags, hidden, TAG_CANDIDATES)
            if c.summary.id not in seen
        ]
    return candidates


def _relevant(
    session: Session,
    dialect: str,
    *,
    article: Article,
    terms: Sequence[KeyTerm],
    candidates: Sequence[Candidate],
    hidden: set[str],
    limit: int,
) -> list[Suggestion]:
    """The first ``limit`` relevant suggestions among every candidate, ranked. Which key
    terms a candidate holds beyond its headline, standfirst and tags is asked of the
    engine a batch of ``limit`` at a time, as far down the ranking as needed."""
    ranked = suggest.rank(article, candidates, exclude=hidden)
    found: list[Suggestion] = []
    for start in range(0, len(ranked), limit):
        batch = ranked[start : start + limit]
        wanted = {c.summary.id: suggest.unseen_terms(article, terms, c) for _, c in batch}
        matched = _matched_terms(session, dialect, wanted)
        for value, candidate in batch:
            made = suggest.suggestion(
                article, terms, value, candidate, matched.get(candidate.summary.id, ())
            )
            if made.relevant:
                found.append(made)
                if len(found) == limit:
                    return found
    return found


def _candidates(
    session: Session,
    dialect: str,
    terms: Sequence[KeyTerm],
    hidden: set[str],
    size: int,
    *,
    inside: bool,
) -> list[Candidate]:
    """The engine's best ``size`` matches of any key term, hidden ones left out.

    The ranking runs on the index alone and only the winners' rows are read. ``inside``
    filters withdrawn and archived articles within the ranking (a row read per match)."""
    size += len(hidden)
    params: dict[str, Any] = {"size": size, "hidden_statuses": HIDDEN}
    params["pre"] = max(PRESELECT, 3 * size)
    if dialect == "sqlite":
        params["match"] = " OR ".join(fts5_term(w) for t in terms for w in t.words)
        top = _sqlite_ranking(inside)
    else:
        params["query"] = " | ".join(tsquery_term(w) for t in terms for w in t.words)
        asked = [(w, t.weight) for t in terms for w in t.words]
        for i, (word, weight) in enumerate(asked):
            params[f"m{i}"], params[f"w{i}"] = tsquery_term(word), weight
        top = _postgres_ranking(len(asked))
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


def _tag_candidates(
    session: Session, tags: Sequence[str], hidden: set[str], size: int
) -> list[Candidate]:
    """Articles sharing the most of ``tags``, newest first (no text rank: 0)."""
    shared = func.count(TagRow.tag)
    rows = (
        select(*SUMMARY_COLUMNS)
        .join(TagRow, TagRow.article_id == ArticleRow.id)
        .where(TagRow.tag.in_(sorted(set(tags))), ArticleRow.status.not_in(HIDDEN))
        .group_by(ArticleRow.id)
        .order_by(shared.desc(), ArticleRow.updated_at.desc(), ArticleRow.id.desc())
        .limit(size + len(hidden))
    )
    if hidden:
        rows = rows.where(ArticleRow.uri.not_in(sorted(hidden)))
    return [
        Candidate(summary_from_columns(row), 0.0, row.standfirst) for row in session.execute(rows)
    ]


@lru_cache(maxsize=4)
def _sqlite_ranking(inside: bool) -> Subquery:
    """FTS5's ranking of an OR query: (id, score) of the best ``:size`` matches. Built
    once: parsing a text() statement costs more than running it."""
    weights = ", ".join(str(w) for w in fts.SQLITE_WEIGHTS)
    ranked = (
        f"SELECT article_fts.rowid AS id, -bm25(article_fts, {weights}) AS score FROM article_fts"
    )
    if inside:
        ranked += " JOIN article ON article.id = article_fts.rowid"
    ranked += " WHERE article_fts MATCH :match"
    if inside:
        ranked += " AND article.status NOT IN :hidden_statuses"
    statement = text(f"{ranked} ORDER BY score DESC, article_fts.rowid DESC LIMIT :size")
    return _as_top(statement, inside)


@lru_cache(maxsize=64)
def _postgres_ranking(size: int) -> Subquery:
    """PostgreSQL's ranking of ``size`` key terms, in two steps. ``ts_rank`` reads a
    match's whole vector from TOAST (10-20 µs each), so first the GIN index gives each
    term's matches (visible ones only; heap rows, no vectors) and the :data:`PRESELECT`
    holding the most key weight (``:w{i}`` per term) go on to ``ts_rank``."""
    per_term = " UNION ALL ".join(
        f"SELECT id, CAST(:w{i} AS float8) AS w FROM article WHERE search_vector @@ "
        f"to_tsquery('english'::regconfig, newsdesk_unaccent(:m{i})) "
        "AND status NOT IN :hidden_statuses"
        for i in range(size)
    )
    statement = text(
        f"WITH pre AS (SELECT m.id FROM ({per_term}) AS m GROUP BY m.id "
        "ORDER BY sum(m.w) DESC, m.id DESC LIMIT :pre) "
        f"SELECT article.id AS id, ts_rank('{fts.PG_WEIGHTS}'::float4[], "
        "article.search_vector, "
        "to_tsquery('english'::regconfig, newsdesk_unaccent(:query))) AS score "
        "FROM article JOIN pre ON pre.id = article.id "
        "ORDER BY score DESC, article.id DESC LIMIT :size"
    )
    return _as_top(statement, True)


def _as_top(statement: TextClause, hides: bool) -> Subquery:
    if hides:
        statement = statement.bindparams(bindparam("hidden_statuses", expanding=True))
    return statement.columns(column("id", Integer), column("score", Float)).subquery("top")


def _matched_terms(
    session: Session, dialect: str, wanted: Mapping[int, Sequence[KeyTerm]]
) -> dict[int, set[str]]:
    """Which of the ``wanted`` key terms each article holds anywhere, body included."""
    by_term: dict[str, list[int]] = defaultdict(list)
    for article_id, terms in wanted.items():
        for term in terms:
            for word in term.words:
                by_term[word].append(article_id)
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
