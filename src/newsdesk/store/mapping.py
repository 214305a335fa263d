"""Converting between ORM rows (private to the store) and core dataclasses."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from newsdesk.core.errors import StoreError
from newsdesk.core.models import (
    Article,
    ArticleSummary,
    Correction,
    Media,
    RelatedLink,
    RelationKind,
    Status,
)
from newsdesk.store.schema import ArticleRow, RelatedLinkRow, TagRow

SUMMARY_COLUMNS = (  # the columns of an ArticleSummary, in the order read
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
)

TAG_SEPARATOR = "\n"


def article_from_row(row: ArticleRow) -> Article:
    """The article of an ORM row (relationships loaded)."""
    links = [link_from_columns(link) for link in row.related]
    return article_from_values(row, [t.tag for t in row.tags], links)


def article_from_values(
    row: Any, tags: list[str], links: list[RelatedLink], *, raw: bool = False
) -> Article:
    """The article of any row with the article's columns.

    ``raw``: JSON columns as text and timestamps as the driver gives them (bulk reads skip
    SQLAlchemy's per-value processing, which costs more than the query).
    """
    decode = _json if raw else _same
    when = _moment if raw else _same
    authors, image, audio, corrections = (
        decode(row.authors), decode(row.image), decode(row.audio), decode(row.corrections)
    )  # fmt: skip
    aliases = decode(row.aliases)
    return Article(
        id=row.id,
        uri=row.uri,
        version=row.version,
        status=Status(row.status),
        headline=row.headline,
        kicker=row.kicker,
        standfirst=row.standfirst,
        slug=row.slug,
        slug_locked=row.slug_locked,
        byline=row.byline,
        authors=tuple(authors or ()),
        dateline=row.dateline,
        section=row.section,
        tags=tuple(tags),
        body=row.body,
        language=row.language,
        created_at=required_moment(row.created_at),
        updated_at=required_moment(row.updated_at),
        first_published_at=when(row.first_published_at),
        display_date=when(row.display_date),
        embargo_until=when(row.embargo_until),
        seo_title=row.seo_title,
        seo_description=row.seo_description,
        canonical_url=row.canonical_url,
        editor_note=row.editor_note,
        image=Media.from_dict(image),
        audio=Media.from_dict(audio),
        corrections=tuple(Correction.from_dict(c) for c in corrections or ()),
        related=tuple(links),
        aliases=tuple(aliases or ()),
    )


def _same(value: Any) -> Any:
    return value


def _moment(value: Any) -> datetime | None:
    """A timestamp as ``UTCDateTime`` reads it, without its per-row overhead: aware, in UTC
    (SQLite gives text, PostgreSQL a datetime)."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if not isinstance(moment, datetime):
        raise StoreError(f"unexpected timestamp {value!r} in the store")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _json(value: Any) -> Any:
    """A JSON column's value (SQLite gives text; PostgreSQL's driver may decode it)."""
    if not isinstance(value, str):
        return value
    if value == "null":
        return None
    if value == "[]":
        return []
    return json.loads(value)


def required_moment(value: Any) -> datetime:
    moment = _moment(value)
    if moment is None:
        raise StoreError("an article has no time of last save")
    return moment


def link_from_columns(values: Any) -> RelatedLink:
    """A related link from its row, ORM or plain (title, target_uri, url, relation, pinned)."""
    return RelatedLink(
        title=values.title,
        target_uri=values.target_uri,
        url=values.url,
        relation=RelationKind(values.relation),
        pinned=values.pinned,
    )


def summary_from_columns(values: Any) -> ArticleSummary:
    """Build a summary from a row of :data:`SUMMARY_COLUMNS` values."""
    return ArticleSummary(
        id=values.id,
        uri=values.uri,
        slug=values.slug,
        headline=values.headline,
        status=Status(values.status),
        section=values.section,
        byline=values.byline,
        updated_at=values.updated_at,
        display_date=values.display_date,
        word_count=values.word_count,
        tags=tuple(t for t in values.tags_text.split(TAG_SEPARATOR) if t),
    )


def fill_row(row: ArticleRow, article: Article) -> None:
    """Copy every scalar field of ``article`` onto ``row`` (not id, version, children)."""
    row.uri = article.uri
    row.status = article.status.value
    row.headline = article.headline
    row.kicker = article.kicker
    row.standfirst = article.standfirst
    row.slug = article.slug
    row.slug_locked = article.slug_locked
    row.byline = article.byline
    row.authors = list(article.authors)
    row.dateline = article.dateline
    row.section = article.section
    row.tags_text = TAG_SEPARATOR.join(article.tags)
    row.body = article.body
    row.word_count = article.word_count
    row.char_count = article.char_count
    row.language = article.language
    row.created_at = article.created_at
    row.updated_at = article.updated_at
    row.first_published_at = article.first_published_at
    row.display_date = article.display_date
    row.embargo_until = article.embargo_until
    row.seo_title = article.seo_title
    row.seo_description = article.seo_description
    row.canonical_url = article.canonical_url
    row.editor_note = article.editor_note
    row.image = article.image.to_dict() if article.image else None
    row.audio = article.audio.to_dict() if article.audio else None
    row.corrections = [c.to_dict() for c in article.corrections]
    row.aliases = list(article.aliases)


def child_rows(article_id: int, article: Article) -> list[TagRow | RelatedLinkRow]:
    """The tag and related-link rows of ``article``, in order."""
    rows: list[TagRow | RelatedLinkRow] = [
        TagRow(article_id=article_id, position=i, tag=tag) for i, tag in enumerate(article.tags)
    ]
    rows.extend(
        RelatedLinkRow(
            article_id=article_id,
            position=i,
            target_uri=link.target_uri,
            url=link.url,
            title=link.title,
            relation=link.relation.value,
            pinned=link.pinned,
        )
        for i, link in enumerate(article.related)
    )
    return rows
