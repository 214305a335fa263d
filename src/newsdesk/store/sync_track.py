"""Change tracking for sync, inside the store's own write transactions.

Each write that changes an article notes it on the session (:func:`touch`); just before
the transaction commits, :func:`stamp` bumps the store's one clock row once and stamps the
touched articles, their new revisions, tombstones and outbox rows with the new value. The
clock's row lock is held from the bump to the commit, so on PostgreSQL a value is visible
only after every smaller one is (no gaps, no skipped rows for a reader: SYNC.md trap 1);
on SQLite the write lock (``BEGIN IMMEDIATE``) orders writers anyway.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from newsdesk.store.schema import (
    ArticleRow,
    RevisionRow,
    SyncClockRow,
    SyncOutboxRow,
    SyncTombstoneRow,
)

TOUCHED = "sync_touched"  # uri -> whether it goes to the outbox (a change made here)
REVISIONS = "sync_revisions"  # new revisions were written in this transaction
CHUNK = 500


def touch(session: Session, uri: str, *, outbox: bool = True) -> None:
    """Note that the article ``uri`` changed (or was deleted) in this transaction.

    ``outbox``: a change made on this store, to send to the server; sync's own writes of
    what it received pass ``False``.
    """
    touched: dict[str, bool] = session.info.setdefault(TOUCHED, {})
    touched[uri] = touched.get(uri, False) or outbox


def revisions_added(session: Session) -> None:
    """Note that revisions were written in this transaction (stamped at commit)."""
    session.info[REVISIONS] = True


def tick(session: Session) -> int:
    """Bump the clock; its new value (the row stays locked until the commit)."""
    session.execute(
        update(SyncClockRow).where(SyncClockRow.id == 1).values(value=SyncClockRow.value + 1)
    )
    value = session.scalar(select(SyncClockRow.value).where(SyncClockRow.id == 1))
    if value is None:  # a store made by create_all in a test, without the migration
        session.add(SyncClockRow(id=1, value=1, epoch=new_epoch()))
        session.flush()
        return 1
    return value


def new_epoch() -> str:
    from newsdesk.store.schema import new_rev_id

    return new_rev_id()


def stamp(session: Session) -> None:
    """Stamp what this transaction changed with one new clock value (call last)."""
    touched: dict[str, bool] = session.info.pop(TOUCHED, {})
    revisions = session.info.pop(REVISIONS, False)
    if not touched and not revisions:
        return
    session.flush()
    value = tick(session)
    uris = sorted(touched)
    for part in _chunks(uris):
        session.execute(
            update(ArticleRow)
            .where(ArticleRow.uri.in_(part))
            .values(sync_seq=value)
            .execution_options(synchronize_session=False)
        )
        session.execute(
            update(SyncTombstoneRow)
            .where(SyncTombstoneRow.uri.in_(part))
            .values(seq=value)
            .execution_options(synchronize_session=False)
        )
    if revisions:
        session.execute(
            update(RevisionRow)
            .where(RevisionRow.sync_seq.is_(None))
            .values(sync_seq=value)
            .execution_options(synchronize_session=False)
        )
    enqueue(session, [uri for uri in uris if touched[uri]], value)


def enqueue(session: Session, uris: Iterable[str], value: int) -> None:
    """Put ``uris`` in the outbox at clock ``value`` (moving those already there)."""
    wanted = list(uris)
    for part in _chunks(wanted):
        present = set(session.scalars(select(SyncOutboxRow.uri).where(SyncOutboxRow.uri.in_(part))))
        if present:
            session.execute(
                update(SyncOutboxRow)
                .where(SyncOutboxRow.uri.in_(sorted(present)))
                .values(seq=value)
                .execution_options(synchronize_session=False)
            )
        fresh = [{"uri": uri, "seq": value} for uri in part if uri not in present]
        if fresh:
            session.execute(insert(SyncOutboxRow), fresh)


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]
