"""Converting between ORM rows (private to the store) and core dataclasses."""

from __future__ import annotations

from typing import Any

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

TAG_SEPARATOR = "\n"


def article_from_row(row: ArticleRow) -> Article:
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
        authors=tuple(row.authors or ()),
        dateline=row.dateline,
        section=row.section,
        tags=tuple(t.tag for t in row.tags),
        body=row.body,
        language=row.language,
        created_at=row.created_at,
        updated_at=row.updated_at,
        first_published_at=row.first_published_at,
        display_date=row.display_date,
        embargo_until=row.embargo_until,
        seo_title=row.seo_title,
        seo_description=row.seo_description,
        canonical_url=row.canonical_url,
        editor_note=row.editor_note,
        image=Media.from_dict(row.image),
        audio=Media.from_dict(row.audio),
        corrections=tuple(Correction.from_dict(c) for c in row.corrections or ()),
        related=tuple(
            RelatedLink(
                title=link.title,
                target_uri=link.target_uri,
                url=link.url,
                relation=RelationKind(link.relation),
                pinned=link.pinned,
            )
            for link in row.related
        ),
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
