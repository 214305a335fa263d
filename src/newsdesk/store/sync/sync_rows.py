"""What sync carries between stores, and the row writes both ends share.

A store's own row ids, version counters and revision numbers never travel: an article is
known by its URI, a version of it by its ``head_rev`` id, a revision by its ``rev_id``.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from newsdesk.core.models import Article
from newsdesk.core.slugs import unique_slug
from newsdesk.store import media as media_rows
from newsdesk.store import sync_track
from newsdesk.store.mapping import child_rows, fill_row
from newsdesk.store.revisions import snapshot
from newsdesk.store.schema import ArticleRow, RelatedLinkRow, RevisionRow, TagRow

CHUNK = 500

# Outcomes of one pushed change, as the server answers.
APPLIED = "applied"  # the server took it (a fast-forward, a new story, a delete)
ALREADY = "already"  # the server had it already (a retry after a lost answer)
RENAMED = "renamed"  # taken, with a free slug (the server's next version says which)
CONFLICT = "conflict"  # the server's story changed too: both kept, the server's stays
KEPT = "kept"  # a delete refused: the story was edited on the server, the edit wins

# Revisions kept when a story changed on both sides (the same words on every store).
CONFLICT_LAPTOP = "sync conflict: laptop copy"
CONFLICT_NEWSROOM = "sync conflict: newsroom copy"
KEPT_MINE = "conflict resolved: kept mine"
TOOK_THEIRS = "conflict resolved: took theirs"


@dataclass(frozen=True, slots=True)
class RevisionCopy:
    """One revision as it travels (its number stays behind: each store numbers its own)."""

    rev_id: str
    article_uri: str
    created_at: datetime
    reason: str
    word_count: int
    snapshot: dict[str, Any]
    parents: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PushItem:
    """One article's change: its new version (``article``) or its delete (``None``)."""

    uri: str
    base: str | None  # the server version this change started from
    head: str | None  # the version sent (or, for a delete, the one deleted)
    article: Article | None
    sent: tuple[str, ...] = ()  # earlier versions sent without an answer


@dataclass(frozen=True, slots=True)
class PushResult:
    uri: str
    outcome: str
    server_head: str | None


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """A change in the server's feed: the story's version now, or its delete."""

    seq: int
    uri: str
    head: str | None
    deleted: bool


def pairs(rows: Iterable[Any]) -> dict[Any, Any]:
    """A dictionary of two-column rows (a ``Result`` looks like a mapping to ``dict``)."""
    return {key: value for key, value in rows}


def revision_copy(row: Any) -> RevisionCopy:
    return RevisionCopy(
        rev_id=row.rev_id,
        article_uri=row.article_uri,
        created_at=row.created_at,
        reason=row.reason,
        word_count=row.word_count,
        snapshot=dict(row.snapshot),
        parents=tuple(row.parents or ()),
    )


def snapshot_copy(
    article: Article, rev_id: str, reason: str, now: datetime, parents: Iterable[str | None]
) -> RevisionCopy:
    """A revision of ``article`` as it is, under the version id it already has."""
    words = article.word_count
    return RevisionCopy(
        rev_id=rev_id,
        article_uri=article.uri,
        created_at=now,
        reason=reason,
        word_count=words,
        snapshot=snapshot(article, words, article.char_count),
        parents=tuple(p for p in parents if p),
    )


def insert_revisions(session: Session, copies: Sequence[RevisionCopy], *, synced: bool) -> int:
    """Add the revisions this store lacks (by ``rev_id``), numbered after its own; how many."""
    if not copies:
        return 0
    wanted = list({c.rev_id: c for c in copies}.values())
    have: set[str] = set()
    for start in range(0, len(wanted), CHUNK):
        ids = [c.rev_id for c in wanted[start : start + CHUNK]]
        have.update(session.scalars(select(RevisionRow.rev_id).where(RevisionRow.rev_id.in_(ids))))
    fresh = [c for c in wanted if c.rev_id not in have]
    if not fresh:
        return 0
    uris = sorted({c.article_uri for c in fresh})
    numbers: dict[str, int] = defaultdict(int)
    for start in range(0, len(uris), CHUNK):
        numbers.update(
            pairs(
                session.execute(
                    select(RevisionRow.article_uri, func.max(RevisionRow.number))
                    .where(RevisionRow.article_uri.in_(uris[start : start + CHUNK]))
                    .group_by(RevisionRow.article_uri)
                )
            )
        )
    rows = []
    for copy in sorted(fresh, key=lambda c: c.created_at):
        numbers[copy.article_uri] += 1
        rows.append(
            {
                "rev_id": copy.rev_id,
                "article_uri": copy.article_uri,
                "number": numbers[copy.article_uri],
                "created_at": copy.created_at,
                "reason": copy.reason,
                "word_count": copy.word_count,
                "snapshot": copy.snapshot,
                "parents": list(copy.parents) or None,
                "synced": synced,
            }
        )
    session.execute(insert(RevisionRow), rows)
    sync_track.revisions_added(session)
    return len(rows)


def write_article(
    session: Session, article: Article, head: str, base: str | None, row_id: int | None
) -> int:
    """Put ``article`` (as another store holds it) into row ``row_id``, or a new row; the
    row's id. Its own version counter moves on, so an editor open on it notices."""
    if row_id is None:
        row = ArticleRow(version=1)
        fill_row(row, article)
        session.add(row)
    else:
        found = session.get(ArticleRow, row_id)
        if found is None:
            raise LookupError(row_id)
        row = found
        fill_row(row, article)
        row.version = row.version + 1
        session.execute(delete(TagRow).where(TagRow.article_id == row_id))
        session.execute(delete(RelatedLinkRow).where(RelatedLinkRow.article_id == row_id))
    row.head_rev, row.base_rev, row.conflict_rev = head, base, None
    session.flush()
    session.add_all(child_rows(row.id, article))
    media_rows.record_use(session, row.id, article, new=row_id is None)
    return row.id


def insert_articles(session: Session, new: Sequence[tuple[Article, str]]) -> None:
    """Add stories this store does not have, in bulk (a first sync brings thousands):
    one multi-row insert per table, rows made by the same ``fill_row``/``child_rows``."""
    if not new:
        return
    columns = [c.key for c in ArticleRow.__table__.columns if c.key != "id"]
    values = []
    for article, head in new:
        row = ArticleRow(version=1)
        fill_row(row, article)
        row.head_rev, row.base_rev, row.conflict_rev, row.sync_seq = head, head, None, None
        values.append({key: getattr(row, key) for key in columns if key in row.__dict__})
    ids = dict(
        session.execute(
            insert(ArticleRow).returning(
                ArticleRow.uri, ArticleRow.id, sort_by_parameter_order=True
            ),
            values,
        ).all()
    )
    tags: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for article, _head in new:
        for child in child_rows(ids[article.uri], article):
            target = tags if isinstance(child, TagRow) else links
            table = type(child).__table__
            keys = [c.key for c in table.columns if c.key in child.__dict__]
            target.append({key: getattr(child, key) for key in keys})
        media_rows.record_use(session, ids[article.uri], article, new=True)
    if tags:
        session.execute(insert(TagRow), tags)
    if links:
        session.execute(insert(RelatedLinkRow), links)


def slug_holders(session: Session, articles: Iterable[Article]) -> dict[str, str]:
    """``slug -> uri`` of the stored articles holding the slugs of ``articles``."""
    slugs = sorted({a.slug for a in articles})
    found: dict[str, str] = {}
    for start in range(0, len(slugs), CHUNK):
        found.update(
            pairs(
                session.execute(
                    select(ArticleRow.slug, ArticleRow.uri).where(
                        ArticleRow.slug.in_(slugs[start : start + CHUNK])
                    )
                )
            )
        )
    return found


def free_slug(session: Session, article: Article, claimed: Iterable[str] = ()) -> Article:
    """``article`` under a slug no other stored article has (a numbered variant), nor any
    of ``claimed`` (slugs given in this transaction, not yet written)."""
    base = article.slug
    taken = set(claimed) | set(
        session.scalars(
            select(ArticleRow.slug).where(
                (ArticleRow.slug == base) | ArticleRow.slug.like(f"{base}-%"),
                ArticleRow.uri != article.uri,
            )
        )
    )
    if base not in taken:
        return article
    return dataclasses.replace(article, slug=unique_slug(base, taken))


def content(article: Article) -> dict[str, Any]:
    """What two stores must agree on for an article (not their own ids and counters)."""
    data = article.to_dict()
    for private in ("id", "version"):
        data.pop(private, None)
    return data
