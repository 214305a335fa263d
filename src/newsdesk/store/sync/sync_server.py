"""The newsroom server's side of sync: take pushed changes, serve the feed of changes.

Every call is one transaction on the server. A push batch compares each article's version
with the one the laptop started from (a compare-and-swap under the row lock): equal, the
new version is taken; different, both versions are kept in the history and the server's
stays (the laptop then shows the conflict). The feed lists each changed article once, at
its newest clock value, after a ``(seq, uri)`` cursor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.orm import Session

from newsdesk.core.models import Article
from newsdesk.store import sync_track
from newsdesk.store.repository import SqlStore
from newsdesk.store.schema import (
    ArticleRow,
    RevisionRow,
    SyncClockRow,
    SyncTombstoneRow,
    new_rev_id,
)
from newsdesk.store.sync.sync_rows import (
    ALREADY,
    APPLIED,
    CHUNK,
    CONFLICT,
    CONFLICT_LAPTOP,
    CONFLICT_NEWSROOM,
    KEPT,
    RENAMED,
    FeedEntry,
    PushItem,
    PushResult,
    RevisionCopy,
    free_slug,
    insert_articles,
    insert_revisions,
    pairs,
    revision_copy,
    slug_holders,
    snapshot_copy,
    write_article,
)

Cursor = tuple[int, str]
START: Cursor = (-1, "")


def handshake(server: SqlStore) -> tuple[str, int]:
    """The server's epoch (a new one after a restore) and clock."""
    with server.transaction(write=False) as session:
        row = session.execute(select(SyncClockRow.epoch, SyncClockRow.value)).first()
    if row is None:
        with server.transaction(write=True) as session:
            sync_track.tick(session)
        return handshake(server)
    return row.epoch, row.value


def push(
    server: SqlStore, items: Sequence[PushItem], revisions: Sequence[RevisionCopy]
) -> list[PushResult]:
    """Take a batch of changes in one transaction: all or nothing, each answered."""
    with server.transaction(write=True) as session:
        insert_revisions(session, revisions, synced=True)
        heads = _lock(session, [item.uri for item in items])
        batch = Batch(slug_holders(session, [i.article for i in items if i.article]))
        results = [_take(server, session, item, heads.get(item.uri), batch) for item in items]
        insert_articles(session, batch.new)
        fresh = [article.uri for article, _ in batch.new]
        for start in range(0, len(fresh), CHUNK):
            session.execute(
                delete(SyncTombstoneRow).where(
                    SyncTombstoneRow.uri.in_(fresh[start : start + CHUNK])
                )
            )
        for uri in fresh:
            sync_track.touch(session, uri, outbox=False)
        return results


@dataclass
class Batch:
    """What one push transaction has decided so far: slugs held, stories to insert."""

    holders: dict[str, str]  # slug -> uri, stored or given in this batch
    new: list[tuple[Article, str]] = field(default_factory=list)

    def slug_for(self, session: Session, article: Article) -> Article:
        if self.holders.get(article.slug, article.uri) != article.uri:
            article = free_slug(session, article, self.holders)
        self.holders[article.slug] = article.uri
        return article


def _lock(session: Session, uris: list[str]) -> dict[str, tuple[int, str | None]]:
    """``uri -> (row id, version id)``, rows locked in uri order (no deadlock between two
    laptops pushing at once)."""
    found: dict[str, tuple[int, str | None]] = {}
    ordered = sorted(set(uris))
    for start in range(0, len(ordered), CHUNK):
        rows = session.execute(
            select(ArticleRow.uri, ArticleRow.id, ArticleRow.head_rev)
            .where(ArticleRow.uri.in_(ordered[start : start + CHUNK]))
            .order_by(ArticleRow.uri)
            .with_for_update()
        )
        found.update({uri: (key, head) for uri, key, head in rows})
    return found


def _take(
    server: SqlStore,
    session: Session,
    item: PushItem,
    held: tuple[int, str | None] | None,
    batch: Batch,
) -> PushResult:
    if item.article is None:
        return _take_delete(server, session, item, held)
    head = held[1] if held else None
    if held is not None and item.head in {head, item.base}:
        # Had already, or nothing new from the laptop (the pull brings the server's).
        return PushResult(item.uri, ALREADY, head)
    if held is not None and head not in {item.base, *item.sent}:
        _keep_both(server, session, item, held[0])
        return PushResult(item.uri, CONFLICT, head)
    if held is None and item.base is not None and item.base == item.head:
        # Deleted here, and nothing new from the laptop: the pull brings the delete.
        return PushResult(item.uri, ALREADY, None)
    article, new_head = batch.slug_for(session, item.article), item.head or new_rev_id()
    outcome = APPLIED
    if article is not item.article:  # another story has its slug here: a new version
        new_head, outcome = new_rev_id(), RENAMED
    if held is None:
        batch.new.append((article, new_head))
    else:
        write_article(session, article, new_head, new_head, held[0])
        sync_track.touch(session, item.uri, outbox=False)
    return PushResult(item.uri, outcome, new_head)


def _take_delete(
    server: SqlStore, session: Session, item: PushItem, held: tuple[int, str | None] | None
) -> PushResult:
    if held is None:
        return PushResult(item.uri, APPLIED, None)
    if held[1] not in {item.base, item.head, *item.sent}:
        return PushResult(item.uri, KEPT, held[1])  # edited here since: the edit wins
    session.execute(delete(ArticleRow).where(ArticleRow.id == held[0]))
    session.merge(
        SyncTombstoneRow(
            uri=item.uri, base_rev=held[1], head_rev=held[1], seq=0, deleted_at=server.clock()
        )
    )
    sync_track.touch(session, item.uri, outbox=False)
    return PushResult(item.uri, APPLIED, None)


def _keep_both(server: SqlStore, session: Session, item: PushItem, row_id: int) -> None:
    """A conflict: both versions into the history (the laptop's under its own id)."""
    assert item.article is not None and item.head is not None
    now = server.clock()
    ours = SqlStore._bulk_articles(session, [item.uri])[item.uri]
    head = session.scalar(select(ArticleRow.head_rev).where(ArticleRow.id == row_id))
    copies = [snapshot_copy(item.article, item.head, CONFLICT_LAPTOP, now, [item.base])]
    if head is not None:
        copies.append(snapshot_copy(ours, head, CONFLICT_NEWSROOM, now, []))
    insert_revisions(session, copies, synced=True)


def feed(server: SqlStore, after: Cursor, limit: int) -> list[FeedEntry]:
    """The next ``limit`` changes after ``after``, in clock order."""
    with server.transaction(write=False) as session:
        alive = session.execute(
            select(ArticleRow.sync_seq, ArticleRow.uri, ArticleRow.head_rev)
            .where(tuple_(ArticleRow.sync_seq, ArticleRow.uri) > tuple_(*after))
            .order_by(ArticleRow.sync_seq, ArticleRow.uri)
            .limit(limit)
        ).all()
        gone = session.execute(
            select(SyncTombstoneRow.seq, SyncTombstoneRow.uri)
            .where(tuple_(SyncTombstoneRow.seq, SyncTombstoneRow.uri) > tuple_(*after))
            .order_by(SyncTombstoneRow.seq, SyncTombstoneRow.uri)
            .limit(limit)
        ).all()
    entries = [FeedEntry(seq or 0, uri, head, False) for seq, uri, head in alive]
    entries += [FeedEntry(seq, uri, None, True) for seq, uri in gone]
    entries.sort(key=lambda e: (e.seq, e.uri))
    return entries[:limit]


def fetch(server: SqlStore, uris: Sequence[str]) -> dict[str, tuple[Article, str]]:
    """The stories of ``uris`` still here, each with its version id (one transaction)."""
    found: dict[str, tuple[Article, str]] = {}
    with server.transaction(write=False) as session:
        for start in range(0, len(uris), CHUNK):
            part = list(uris[start : start + CHUNK])
            heads = pairs(
                session.execute(
                    select(ArticleRow.uri, ArticleRow.head_rev).where(ArticleRow.uri.in_(part))
                )
            )
            for uri, article in SqlStore._bulk_articles(session, part).items():
                found[uri] = (article, heads[uri] or "")
    return found


def revision_feed(server: SqlStore, after: Cursor, limit: int) -> list[tuple[int, str]]:
    """``(seq, rev_id)`` of the next ``limit`` revisions written after ``after``."""
    with server.transaction(write=False) as session:
        rows = session.execute(
            select(RevisionRow.sync_seq, RevisionRow.rev_id)
            .where(tuple_(RevisionRow.sync_seq, RevisionRow.rev_id) > tuple_(*after))
            .order_by(RevisionRow.sync_seq, RevisionRow.rev_id)
            .limit(limit)
        ).all()
    return [(seq or 0, rev_id) for seq, rev_id in rows]


def fetch_revisions(server: SqlStore, rev_ids: Sequence[str]) -> list[RevisionCopy]:
    with server.transaction(write=False) as session:
        copies: list[RevisionCopy] = []
        for start in range(0, len(rev_ids), CHUNK):
            rows = session.scalars(
                select(RevisionRow).where(RevisionRow.rev_id.in_(rev_ids[start : start + CHUNK]))
            )
            copies.extend(revision_copy(row) for row in rows)
        return copies


def pending(server: SqlStore, articles: Cursor, revisions: Cursor) -> tuple[int, int]:
    """How many article changes and revisions lie after the cursors."""
    with server.transaction(write=False) as session:
        changed = session.scalar(
            select(func.count())
            .select_from(ArticleRow)
            .where(tuple_(ArticleRow.sync_seq, ArticleRow.uri) > tuple_(*articles))
        )
        gone = session.scalar(
            select(func.count())
            .select_from(SyncTombstoneRow)
            .where(tuple_(SyncTombstoneRow.seq, SyncTombstoneRow.uri) > tuple_(*articles))
        )
        written = session.scalar(
            select(func.count())
            .select_from(RevisionRow)
            .where(tuple_(RevisionRow.sync_seq, RevisionRow.rev_id) > tuple_(*revisions))
        )
    return (changed or 0) + (gone or 0), written or 0
