"""Ranked full-text search: FTS5 on SQLite, tsvector on PostgreSQL, one interface."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from math import ceil
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Subquery,
    Text,
    case,
    column,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session

from newsdesk.core.ports import ArticleQuery
from newsdesk.core.search import ParsedQuery, Term
from newsdesk.store.schema import ArticleRow, TagRow
from newsdesk.store.term_stats import TermStats

# Field weights: a match in the headline says more than one deep in the body.
SQLITE_WEIGHTS = (10.0, 4.0, 1.0, 6.0)  # headline, standfirst, body, tags_text
PG_WEIGHTS = "{0.1, 0.2, 0.6, 1.0}"  # D (body), C, B (standfirst, tags), A (headline)


def fts5_expression(query: ParsedQuery) -> str:
    """The FTS5 MATCH expression for ``query``; every word is quoted, so no syntax leaks."""

    def render(term: Term) -> str:
        quoted = '"' + " ".join(term.words).replace('"', '""') + '"'
        return quoted + "*" if term.prefix else quoted

    positive = " AND ".join(render(t) for t in query.positive)
    negative = "".join(f" NOT {render(t)}" for t in query.terms if t.exclude)
    return f"({positive}){negative}"


def tsquery_expression(query: ParsedQuery) -> str:
    """The ``to_tsquery`` text for ``query``; lexemes quoted, operators ours only."""

    def lexeme(word: str, prefix: bool = False) -> str:
        return "'" + word.replace("'", "''") + "'" + (":*" if prefix else "")

    def render(term: Term) -> str:
        if len(term.words) == 1:
            return lexeme(term.words[0], term.prefix)
        return "(" + " <-> ".join(lexeme(w) for w in term.words) + ")"

    parts = [render(t) for t in query.positive]
    parts += ["!" + render(t) for t in query.terms if t.exclude]
    return " & ".join(parts)


RECENT_MATCHES = 10_000
"""SQLite ranks at most this many matches, the most recently created: a word found in most
of a 100,000-article archive ("said") would otherwise cost a ranking of every article."""


def sqlite_top(query: ParsedQuery, limit: int, filters: ArticleQuery) -> Subquery:
    """The best ``limit`` (id, score) of an FTS5 search, filters applied inside the index."""
    fts = table("article_fts", column("rowid"))
    weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
    score: ColumnElement[float] = (-literal_column(f"bm25(article_fts, {weights})")).label("score")
    ranked = (
        select(fts.c.rowid.label("id"), score)
        .select_from(fts)
        .where(text("article_fts MATCH :match").bindparams(match=fts5_expression(query)))
    )
    if filters.statuses:
        # Most articles pass a status filter: a join reading one early column is cheaper
        # than collecting every passing id first.
        ranked = ranked.join(ArticleRow, ArticleRow.id == fts.c.rowid).where(
            ArticleRow.status.in_(sorted(s.value for s in filters.statuses))
        )
    # "+ 0" keeps SQLite from handing these INs to FTS5 as one rowid lookup per id.
    if filters.section:
        ranked = ranked.where(
            (fts.c.rowid + 0).in_(
                select(ArticleRow.id).where(ArticleRow.section == filters.section)
            )
        )
    if filters.tag:
        ranked = ranked.where(
            (fts.c.rowid + 0).in_(select(TagRow.article_id).where(TagRow.tag == filters.tag))
        )
    recent = ranked.order_by(fts.c.rowid.desc()).limit(RECENT_MATCHES).subquery("recent")
    return (
        select(recent.c.id, recent.c.score)
        .order_by(recent.c.score.desc(), recent.c.id.desc())
        .limit(limit)
        .subquery("top")
    )


PG_RERANK = 200
"""PostgreSQL ranks the newest matches (as many as SQLite) on the small ``rank_vector``
(headline, tags, standfirst: inline, a few hundred bytes), then only this many of them on
the full ``search_vector``, which ``ts_rank`` must read from TOAST (10-20 µs each)."""
PG_BLOCK = 1000
"""Ids per key of the search index's second column, ``id / 1000`` (migration 0009)."""
PG_FIRST_BLOCKS = 4
"""Blocks in the first slice of the archive (the newest) searched for matches."""
PG_RECENT_MATCHES = 3000
"""PostgreSQL ranks fewer of the newest matches than SQLite: it visits the table's page of
every match it ranks (a word in a tenth of the archive has its newest 10,000 matches on
7,500 of its pages), where FTS5 reads only its own index."""
PG_PHRASE_MATCHES = 1000
"""PostgreSQL ranks fewer matches of a phrase: GIN finds articles holding its words, and
each must then be checked against its full vector, read from TOAST, for their order."""


def _tsquery(query: ParsedQuery) -> ColumnElement[object]:
    return func.to_tsquery(
        literal_column("'english'::regconfig"),
        func.newsdesk_unaccent(tsquery_expression(query)),
    )


def _pg_rank(vector: str, tsq: ColumnElement[object]) -> ColumnElement[float]:
    rank: ColumnElement[float] = func.ts_rank(
        text(f"'{PG_WEIGHTS}'::float4[]"), literal_column(vector), tsq
    )
    return rank


def postgres_top(
    session: Session,
    query: ParsedQuery,
    filters: Sequence[ColumnElement[bool]],
    stats: TermStats,
) -> tuple[list[int], ColumnElement[float]]:
    """The ids to rank for a PostgreSQL search, and the full score to rank them by.

    Like SQLite, only the newest matches are ranked (:data:`PG_RECENT_MATCHES`). GIN cannot
    return them newest first, so the archive is searched in slices of id blocks (the
    index's second column), newest first: the first slice sized from how common the
    words are (``ANALYZE``'s statistics), any further one from the matches found so far.
    A word in most articles reads about as many rows as it ranks; a rare one is looked
    for in the whole archive at once.
    """
    # Built once per statement (an InitPlan), not once per row as a generic plan of a
    # prepared statement would.
    tsq: ColumnElement[object] = select(_tsquery(query)).scalar_subquery()
    vector: ColumnElement[object] = literal_column("article.search_vector")
    small: ColumnElement[object] = literal_column("article.rank_vector")
    block: ColumnElement[int] = literal_column(f"(article.id / {PG_BLOCK})")
    # Most matches hold the words in the body only: those rank 0 here, newest first.
    first_rank = case((small.op("@@")(tsq), _pg_rank("article.rank_vector", tsq)), else_=0.0)
    phrase = any(len(term.words) > 1 for term in query.terms)
    wanted = PG_PHRASE_MATCHES if phrase else PG_RECENT_MATCHES
    # Only GIN answers @@ without reading each vector from TOAST: no plain index or
    # sequential scan for the rest of this search's transaction (set after the plan of
    # max(id), which reads the primary key's last entry).
    newest, normalized, _, _ = session.execute(
        select(
            func.max(ArticleRow.id),
            func.cast(tsq, Text),
            func.set_config("enable_indexscan", "off", True),
            func.set_config("enable_seqscan", "off", True),
        )
    ).one()
    newest = (newest or 0) // PG_BLOCK
    shares, rarest = stats.lexeme_shares(session)
    density = query_share(normalized or "", shares, rarest) * PG_BLOCK  # matches per block
    if filters:  # they pass some of the matches: a second slice costs more than a wider
        density /= 2  # first one (a phrase's second slice reads only its own blocks)
    best: list[tuple[int, float]] = []
    matches, low = 0, newest + 1
    span = max(PG_FIRST_BLOCKS, ceil(wanted / max(density, 1e-9) * 1.25))
    if density * (newest + 1) <= 2 * wanted:
        # Few matches in all: reading them all costs less than GIN's bitmap of a range.
        span = newest + 1
    while low > 0 and matches < wanted:
        high, low = low - 1, max(low - span, 0)
        # GIN gathers every id of a bounded range of blocks (each bound is a key of its
        # own): the upper bound is checked on the row instead ("+ 0": not by the primary
        # key, which would gather the ids up to it), unless a phrase must be checked
        # against each row's full vector. A slice reaching the first article is the
        # whole archive again: the words alone.
        within = [block >= low] if low > 0 else []
        if high < newest and within:
            upper = block <= high if phrase else ArticleRow.id + 0 < (high + 1) * PG_BLOCK
            within.append(upper)
        if not within:
            best, matches = [], 0
        recent = (
            select(ArticleRow.id.label("id"), first_rank.label("rank"))
            .where(vector.op("@@")(tsq), *within, *filters)
            .order_by(ArticleRow.id.desc())
            .limit(wanted - matches)
            .subquery("recent")
        )
        # The slice's best few, and how many it holds: only those cross the wire.
        rows = session.execute(
            select(recent.c.id, recent.c.rank, func.count().over())
            .order_by(recent.c.rank.desc(), recent.c.id.desc())
            .limit(PG_RERANK)
        ).all()
        matches += rows[0][2] if rows else 0
        best.extend((row_id, float(rank)) for row_id, rank, _count in rows)
        density = max(matches, 1) / (newest - low + 1)
        needed = ceil((wanted - matches) / density * 1.25)
        # A few matches say little about the density: then at least double the slice.
        span = max(PG_FIRST_BLOCKS, needed) if matches >= 100 else max(2 * span, needed)
    best.sort(key=lambda row: (-row[1], -row[0]))
    return [row[0] for row in best[:PG_RERANK]], _pg_rank("article.search_vector", tsq)


_TSQUERY_LEXEME = re.compile(r"(!?)'((?:[^']|'')*)'(:\*)?")


def query_share(tsquery: str, shares: Mapping[str, float], rarest: float) -> float:
    """About which share of articles match ``tsquery`` (PostgreSQL's normalized text):
    that of its rarest wanted lexeme; a prefix counts every known lexeme it begins."""
    found = 1.0
    for negated, quoted, prefix in _TSQUERY_LEXEME.findall(tsquery):
        if negated:
            continue
        lexeme = quoted.replace("''", "'")
        if prefix:
            share = sum(s for word, s in shares.items() if word.startswith(lexeme))
        else:
            share = shares.get(lexeme, 0.0)
        found = min(found, share or rarest / 2)
    return found


def ranked_ids(dialect: str, query: ParsedQuery) -> Select[tuple[int, float]]:
    """A select of (article id, score) for every match, best first, exactly ranked
    (PostgreSQL, for the benches' match counts; searches use :func:`postgres_top`)."""
    if dialect != "postgresql":
        raise NotImplementedError(f"full-text search through ranked_ids on {dialect}")
    tsq = _tsquery(query)
    vector: ColumnElement[object] = literal_column("article.search_vector")
    rank: Any = _pg_rank("article.search_vector", tsq)
    return (
        select(ArticleRow.id.label("id"), rank.label("score"))
        .where(vector.op("@@")(tsq))
        .order_by(rank.desc())
    )
