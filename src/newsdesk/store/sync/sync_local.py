"""The laptop's side of sync: its outbox, what the server answered, what it sent back.

Every call is one transaction on the local store. A pulled page is applied with its
cursor in the same transaction, so a sync cut anywhere resumes where it stopped.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from newsdesk.core.errors import NotFoundError
from newsdesk.core.models import Article
from newsdesk.core.ports import SyncConflict
from newsdesk.core.slugs import unique_slug
from newsdesk.store import sync_track
from newsdesk.store.repository import SqlStore
from newsdesk.store.schema import (
    ArticleRow,
    RevisionRow,
    SettingRow,
    SyncOutboxRow,
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
    KEPT_MINE,
    RENAMED,
    TOOK_THEIRS,
    FeedEntry,
    PushItem,
    PushResult,
    RevisionCopy,
    insert_articles,
    insert_revisions,
    pairs,
    revision_copy,
    slug_holders,
    snapshot_copy,
    write_article,
)

STATE_KEY = "sync"
SENT_KEPT = 16  # unanswered versions remembered per story
Cursor = tuple[int, str]
START: Cursor = (-1, "")


@dataclass(frozen=True, slots=True)
class SyncState:
    """What the laptop remembers of its server (in its own store)."""

    server: str
    epoch: str | None = None
    articles: Cursor = START
    revisions: Cursor = START
    last_sync: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "server": self.server,
            "epoch": self.epoch,
            "articles": list(self.articles),
            "revisions": list(self.revisions),
            "last_sync": self.last_sync.isoformat() if self.last_sync else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SyncState:
        last = data.get("last_sync")
        return cls(
            server=str(data["server"]),
            epoch=data.get("epoch"),
            articles=_cursor(data.get("articles")),
            revisions=_cursor(data.get("revisions")),
            last_sync=datetime.fromisoformat(last) if last else None,
        )


def _cursor(value: Any) -> Cursor:
    return (int(value[0]), str(value[1])) if value else START


def read_state(local: SqlStore) -> SyncState | None:
    with local.transaction(write=False) as session:
        row = session.get(SettingRow, STATE_KEY)
        return SyncState.from_dict(row.value) if row else None


def write_state(session: Session, state: SyncState) -> None:
    row = session.get(SettingRow, STATE_KEY)
    if row is None:
        session.add(SettingRow(key=STATE_KEY, value=state.to_dict()))
    else:
        row.value = state.to_dict()


def save_state(local: SqlStore, state: SyncState) -> None:
    with local.transaction(write=True) as session:
        write_state(session, state)


def reconcile(local: SqlStore, state: SyncState) -> None:
    """Start over with a server (the first time, or one restored from a backup): every
    story and revision is offered again and the feed read from its start. Compare-and-swap
    on the server keeps this safe: what it has is answered "already", the rest compared."""
    with local.transaction(write=True) as session:
        value = sync_track.tick(session)
        uris = list(session.scalars(select(ArticleRow.uri)))
        uris += list(session.scalars(select(SyncTombstoneRow.uri)))
        sync_track.enqueue(session, uris, value)
        session.execute(update(RevisionRow).values(synced=False))
        # What this server holds is unknown: a story it has in another version is then a
        # conflict (both kept), never overwritten.
        session.execute(update(ArticleRow).values(base_rev=None))
        write_state(session, dataclasses.replace(state, articles=START, revisions=START))


# -- push ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A batch to push: the changes, and the outbox clock of each (to clear it after)."""

    items: list[PushItem]
    seqs: dict[str, int]
    held: int  # stories in conflict, held back until resolved
    last: Cursor


def outbox_page(local: SqlStore, after: Cursor, limit: int) -> Outgoing:
    """The next ``limit`` outbox entries after ``after`` (oldest change first)."""
    with local.transaction(write=False) as session:
        rows = session.execute(
            select(SyncOutboxRow.seq, SyncOutboxRow.uri, SyncOutboxRow.sent)
            .where(
                (SyncOutboxRow.seq > after[0])
                | ((SyncOutboxRow.seq == after[0]) & (SyncOutboxRow.uri > after[1]))
            )
            .order_by(SyncOutboxRow.seq, SyncOutboxRow.uri)
            .limit(limit)
        ).all()
        uris = [row.uri for row in rows]
        stored = {
            r.uri: r
            for r in session.execute(
                select(
                    ArticleRow.uri,
                    ArticleRow.base_rev,
                    ArticleRow.head_rev,
                    ArticleRow.conflict_rev,
                ).where(ArticleRow.uri.in_(uris))
            )
        }
        tombs = {
            r.uri: r
            for r in session.execute(
                select(
                    SyncTombstoneRow.uri, SyncTombstoneRow.base_rev, SyncTombstoneRow.head_rev
                ).where(SyncTombstoneRow.uri.in_(uris))
            )
        }
        articles = SqlStore._bulk_articles(session, [u for u in uris if u in stored])
    items: list[PushItem] = []
    held = 0
    for row in rows:
        sent = tuple(row.sent or ())
        if row.uri in stored:
            state = stored[row.uri]
            if state.conflict_rev is not None:
                held += 1
                continue
            items.append(PushItem(row.uri, state.base_rev, state.head_rev, articles[row.uri], sent))
        elif row.uri in tombs:
            tomb = tombs[row.uri]
            items.append(PushItem(row.uri, tomb.base_rev, tomb.head_rev, None, sent))
        else:  # neither a story nor a delete any more: nothing to send
            items.append(PushItem(row.uri, None, None, None, sent))
    last = (rows[-1].seq, rows[-1].uri) if rows else after
    return Outgoing(items, {row.uri: row.seq for row in rows}, held, last)


def mark_sent(local: SqlStore, items: Sequence[PushItem]) -> None:
    """Remember the versions about to be sent: if the answer is lost, the server holds one
    of this laptop's own earlier versions, which the next push may build on."""
    heads = {item.uri: item.head for item in items if item.head}
    with local.transaction(write=True) as session:
        for row in session.scalars(select(SyncOutboxRow).where(SyncOutboxRow.uri.in_(list(heads)))):
            sent = [rev for rev in (row.sent or []) if rev != heads[row.uri]]
            row.sent = [*sent, heads[row.uri]][-SENT_KEPT:]


def record_push(
    local: SqlStore,
    items: Sequence[PushItem],
    results: Sequence[PushResult],
    seqs: dict[str, int],
) -> None:
    """What the server answered: agreed versions become the base; outbox entries unchanged
    since they were read are cleared (a story saved meanwhile stays to send)."""
    sent = {item.uri: item for item in items}
    agreed = [
        {"u": r.uri, "h": sent[r.uri].head}
        for r in results
        if r.outcome in {APPLIED, ALREADY, RENAMED} and sent[r.uri].article is not None
    ]
    done = [{"u": r.uri, "s": seqs[r.uri]} for r in results if r.outcome != CONFLICT]
    tables = ArticleRow.metadata.tables
    article, outbox = tables[ArticleRow.__tablename__], tables[SyncOutboxRow.__tablename__]
    with local.transaction(write=True) as session:
        if agreed:
            session.execute(
                update(article)
                .where(article.c.uri == bindparam("u"))
                .values(base_rev=bindparam("h")),
                agreed,
            )
        if done:
            session.execute(
                delete(outbox).where(
                    outbox.c.uri == bindparam("u"), outbox.c.seq == bindparam("s")
                ),
                done,
            )
            session.execute(
                update(outbox).where(outbox.c.uri == bindparam("u")).values(sent=None),
                [{"u": row["u"]} for row in done],
            )


def unsynced_revisions(
    local: SqlStore, after_id: int, limit: int
) -> tuple[list[RevisionCopy], int]:
    """Revisions the server may lack, by row order; and the last row id read."""
    with local.transaction(write=False) as session:
        rows = session.scalars(
            select(RevisionRow)
            .where(RevisionRow.synced.is_(False), RevisionRow.id > after_id)
            .order_by(RevisionRow.id)
            .limit(limit)
        ).all()
        return [revision_copy(row) for row in rows], (rows[-1].id if rows else after_id)


def mark_synced(local: SqlStore, rev_ids: Sequence[str]) -> None:
    """The server has these revisions now (a revision rewritten meanwhile has another id)."""
    with local.transaction(write=True) as session:
        for start in range(0, len(rev_ids), CHUNK):
            session.execute(
                update(RevisionRow)
                .where(RevisionRow.rev_id.in_(rev_ids[start : start + CHUNK]))
                .values(synced=True)
            )


def count_outbox(local: SqlStore) -> tuple[int, int, int]:
    """(stories to send, revisions to send, stories in conflict)."""
    with local.transaction(write=False) as session:
        stories = session.scalar(select(func.count()).select_from(SyncOutboxRow)) or 0
        revisions = (
            session.scalar(
                select(func.count()).select_from(RevisionRow).where(RevisionRow.synced.is_(False))
            )
            or 0
        )
        conflicts = (
            session.scalar(
                select(func.count())
                .select_from(ArticleRow)
                .where(ArticleRow.conflict_rev.is_not(None))
            )
            or 0
        )
    return stories, revisions, conflicts


# -- pull ------------------------------------------------------------------------------


def wanted(local: SqlStore, entries: Sequence[FeedEntry]) -> list[str]:
    """The stories of ``entries`` whose content this laptop needs (not its own echo)."""
    alive = [e for e in entries if not e.deleted]
    with local.transaction(write=False) as session:
        heads = pairs(
            session.execute(
                select(ArticleRow.uri, ArticleRow.head_rev).where(
                    ArticleRow.uri.in_([e.uri for e in alive])
                )
            )
        )
    return [e.uri for e in alive if heads.get(e.uri, "") != e.head]


def apply_pull(
    local: SqlStore,
    entries: Sequence[FeedEntry],
    fetched: dict[str, tuple[Article, str]],
    state: SyncState,
    cursor: Cursor | None,
) -> tuple[int, int, int]:
    """Apply one page of the feed and move the cursor (``None``: stories asked for by
    name, the cursor stays), in one transaction: (stories received, removed, conflicts)."""
    received = removed = conflicts = 0
    new: list[tuple[Article, str]] = []
    with local.transaction(write=True) as session:
        uris = [e.uri for e in entries]
        rows = {
            r.uri: r
            for r in session.execute(
                select(
                    ArticleRow.id,
                    ArticleRow.uri,
                    ArticleRow.head_rev,
                    ArticleRow.base_rev,
                    ArticleRow.conflict_rev,
                ).where(ArticleRow.uri.in_(uris))
            )
        }
        sent = pairs(
            session.execute(
                select(SyncOutboxRow.uri, SyncOutboxRow.sent).where(SyncOutboxRow.uri.in_(uris))
            )
        )
        for entry in entries:
            row = rows.get(entry.uri)
            ours = set(sent.get(entry.uri) or ())
            if entry.deleted:
                removed += _pull_delete(session, row)
                continue
            if entry.uri not in fetched:
                continue  # changed or deleted since the feed was read: a later entry says
            article, head = fetched[entry.uri]
            if row is None:
                new.append((article, head))
                continue
            outcome = _pull_article(local, session, row, article, head, ours=ours)
            received += outcome == "received"
            conflicts += outcome == "conflict"
        received += _pull_new(session, new)
        if cursor is not None:
            write_state(session, dataclasses.replace(state, articles=cursor))
    return received, removed, conflicts


def _pull_delete(session: Session, row: Any) -> int:
    if row is None:
        return 0
    if row.head_rev == row.base_rev:
        session.execute(delete(ArticleRow).where(ArticleRow.id == row.id))
        session.execute(delete(SyncOutboxRow).where(SyncOutboxRow.uri == row.uri))
        return 1
    # Deleted there, edited here: the edit wins, and goes back as a new story.
    session.execute(
        update(ArticleRow).where(ArticleRow.id == row.id).values(base_rev=None, conflict_rev=None)
    )
    sync_track.touch(session, row.uri)
    return 0


def _pull_new(session: Session, new: list[tuple[Article, str]]) -> int:
    """Stories this laptop has never had, in bulk (a first sync brings thousands)."""
    holders = slug_holders(session, [article for article, _ in new])
    for article, _ in new:
        if holders.get(article.slug, article.uri) != article.uri:
            _make_room(session, article)
    insert_articles(session, new)
    uris = [article.uri for article, _ in new]
    for start in range(0, len(uris), CHUNK):
        part = uris[start : start + CHUNK]
        session.execute(delete(SyncTombstoneRow).where(SyncTombstoneRow.uri.in_(part)))
        session.execute(delete(SyncOutboxRow).where(SyncOutboxRow.uri.in_(part)))
    for uri in uris:
        sync_track.touch(session, uri, outbox=False)
    return len(new)


def _pull_article(
    local: SqlStore, session: Session, row: Any, article: Article, head: str, *, ours: set[str]
) -> str:
    if head == row.head_rev or head in ours:
        if row.base_rev != head:  # the server has this laptop's version: agreed
            session.execute(update(ArticleRow).where(ArticleRow.id == row.id).values(base_rev=head))
        return "same"
    if row.head_rev == row.base_rev:
        _make_room(session, article)
        write_article(session, article, head, head, row.id)
        sync_track.touch(session, article.uri, outbox=False)
        return "received"
    if row.conflict_rev == head:
        return "same"
    _mark_conflict(local, session, row, article, head)
    return "conflict"


def _mark_conflict(local: SqlStore, session: Session, row: Any, theirs: Article, head: str) -> None:
    """Changed on both sides: keep both in the history, keep showing this laptop's text,
    and mark the story until someone chooses."""
    now = local.clock()
    mine = SqlStore._bulk_articles(session, [row.uri])[row.uri]
    insert_revisions(
        session,
        [
            snapshot_copy(mine, row.head_rev, CONFLICT_LAPTOP, now, [row.base_rev]),
            snapshot_copy(theirs, head, CONFLICT_NEWSROOM, now, []),
        ],
        synced=False,
    )
    session.execute(update(ArticleRow).where(ArticleRow.id == row.id).values(conflict_rev=head))


def _make_room(session: Session, incoming: Article) -> None:
    """Another story here holding the incoming story's slug moves to a free one (a change
    made here, so it is sent): the server's stories must arrive as they are."""
    holder = session.execute(
        select(ArticleRow.id, ArticleRow.uri).where(
            ArticleRow.slug == incoming.slug, ArticleRow.uri != incoming.uri
        )
    ).first()
    if holder is None:
        return
    taken = set(
        session.scalars(select(ArticleRow.slug).where(ArticleRow.slug.like(f"{incoming.slug}%")))
    )
    session.execute(
        update(ArticleRow)
        .where(ArticleRow.id == holder.id)
        .values(
            slug=unique_slug(incoming.slug, taken),
            head_rev=new_rev_id(),
            version=ArticleRow.version + 1,
        )
    )
    sync_track.touch(session, holder.uri)


def missing_revisions(local: SqlStore, rev_ids: Sequence[str]) -> list[str]:
    with local.transaction(write=False) as session:
        have = set(
            session.scalars(select(RevisionRow.rev_id).where(RevisionRow.rev_id.in_(list(rev_ids))))
        )
    return [rev for rev in rev_ids if rev not in have]


def apply_revisions(
    local: SqlStore, copies: Sequence[RevisionCopy], state: SyncState, cursor: Cursor
) -> int:
    with local.transaction(write=True) as session:
        added = insert_revisions(session, copies, synced=True)
        write_state(session, dataclasses.replace(state, revisions=cursor))
    return added


# -- conflicts -------------------------------------------------------------------------


def conflicts(local: SqlStore) -> list[SyncConflict]:
    """The stories changed on both sides, each with both versions and their base."""
    with local.transaction(write=False) as session:
        rows = session.execute(
            select(ArticleRow.uri, ArticleRow.base_rev, ArticleRow.conflict_rev)
            .where(ArticleRow.conflict_rev.is_not(None))
            .order_by(ArticleRow.id)
        ).all()
        mine = SqlStore._bulk_articles(session, [r.uri for r in rows])
        versions = _snapshots(
            session, [r.conflict_rev for r in rows] + [r.base_rev for r in rows if r.base_rev]
        )
        return [
            SyncConflict(mine[r.uri], versions[r.conflict_rev], versions.get(r.base_rev or ""))
            for r in rows
            if r.conflict_rev in versions
        ]


def _snapshots(session: Session, rev_ids: Iterable[str]) -> dict[str, Article]:
    wanted_ids = list(set(rev_ids))
    found: dict[str, Article] = {}
    for start in range(0, len(wanted_ids), CHUNK):
        for rev_id, data in session.execute(
            select(RevisionRow.rev_id, RevisionRow.snapshot).where(
                RevisionRow.rev_id.in_(wanted_ids[start : start + CHUNK])
            )
        ):
            found[rev_id] = Article.from_dict(data)
    return found


def resolve(local: SqlStore, uri: str, *, keep_mine: bool) -> Article:
    """End a conflict: keep this laptop's text (a new version on top of the server's, sent
    at the next sync) or take the server's (this laptop's stays in the history)."""
    with local.transaction(write=True) as session:
        row = session.execute(
            select(ArticleRow.id, ArticleRow.head_rev, ArticleRow.conflict_rev).where(
                ArticleRow.uri == uri
            )
        ).first()
        if row is None or row.conflict_rev is None:
            raise NotFoundError(
                f"no story in conflict with uri {uri}; sync again to see the current ones"
            )
        theirs = _snapshots(session, [row.conflict_rev]).get(row.conflict_rev)
        now = local.clock()
        if keep_mine or theirs is None:
            mine = SqlStore._bulk_articles(session, [uri])[uri]
            merged = new_rev_id()
            insert_revisions(
                session,
                [snapshot_copy(mine, merged, KEPT_MINE, now, [row.head_rev, row.conflict_rev])],
                synced=False,
            )
            session.execute(
                update(ArticleRow)
                .where(ArticleRow.id == row.id)
                .values(
                    head_rev=merged,
                    base_rev=row.conflict_rev,
                    conflict_rev=None,
                    version=ArticleRow.version + 1,
                )
            )
            sync_track.touch(session, uri)
        else:
            theirs = dataclasses.replace(theirs, uri=uri)
            _make_room(session, theirs)
            write_article(session, theirs, row.conflict_rev, row.conflict_rev, row.id)
            insert_revisions(
                session,
                [
                    snapshot_copy(
                        theirs, new_rev_id(), TOOK_THEIRS, now, [row.conflict_rev, row.head_rev]
                    )
                ],
                synced=False,
            )
            sync_track.touch(session, uri, outbox=False)
        result = SqlStore._bulk_articles(session, [uri])[uri]
    return result
