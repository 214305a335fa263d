"""Ranked full-text search: FTS5 on SQLite, tsvector on PostgreSQL, one interface."""

from __future__ import annotations

from sqlalchemy import (
    ColumnElement,
    Select,
    Subquery,
    column,
    func,
    literal_column,
    select,
    table,
    text,
)

from newsdesk.core.ports import ArticleQuery
from newsdesk.core.search import ParsedQuery, Term
from newsdesk.store.schema import ArticleRow, TagRow

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


def ranked_ids(dialect: str, query: ParsedQuery) -> Select[tuple[int, float]]:
    """A select of (article id, score) for every match, best first (PostgreSQL; SQLite
    ranks inside its index with :func:`sqlite_top`)."""
    if dialect != "postgresql":
        raise NotImplementedError(f"full-text search through ranked_ids on {dialect}")
    tsq = func.to_tsquery(
        literal_column("'english'::regconfig"),
        func.newsdesk_unaccent(tsquery_expression(query)),
    )
    vector: ColumnElement[object] = literal_column("article.search_vector")
    rank = func.ts_rank(text(f"'{PG_WEIGHTS}'::float4[]"), vector, tsq)
    return (
        select(ArticleRow.id.label("id"), rank.label("score"))
        .where(vector.op("@@")(tsq))
        .order_by(rank.desc())
    )
