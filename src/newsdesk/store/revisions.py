"""Revisions in the store: numbering, autosave coalescing and thinning, export records.

The rules (how long an autosave revision coalesces, which ones thinning keeps) are
:mod:`newsdesk.core.history`'s; this module applies them to the rows, inside the caller's
transaction, and notes for sync that revisions were written (stamped at commit).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, select
from sqlalchemy.orm import Session

from newsdesk.core.errors import ValidationError
from newsdesk.core.history import (
    AUTOSAVE,
    EXPORT,
    MAX_REASON_LENGTH,
    autosaves_to_drop,
    coalesces,
)
from newsdesk.core.models import Article, Revision
from newsdesk.store import sync_track
from newsdesk.store.schema import ArticleRow, RevisionRow, new_rev_id


def add(session: Session, article: Article, reason: str, now: datetime) -> Revision:
    """A new revision of ``article``, numbered after the newest."""
    sync_track.revisions_added(session)
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            f"the reason for this revision is {len(reason):,} characters long; "
            f"shorten it to {MAX_REASON_LENGTH} at most"
        )
    number = (
        session.scalar(
            select(func.max(RevisionRow.number)).where(RevisionRow.article_uri == article.uri)
        )
        or 0
    ) + 1
    words = article.word_count
    row = RevisionRow(
        article_uri=article.uri,
        number=number,
        created_at=now,
        reason=reason,
        word_count=words,
        snapshot=snapshot(article, words, article.char_count),
    )
    session.add(row)
    session.flush()
    return from_row(row)


def autosave(session: Session, article: Article, now: datetime) -> None:
    """Coalesce into the newest autosave revision, or start one and thin the older."""
    sync_track.revisions_added(session)
    newest = session.scalars(
        select(RevisionRow)
        .where(RevisionRow.article_uri == article.uri)
        .order_by(RevisionRow.number.desc())
        .limit(1)
    ).first()
    if newest is not None and coalesces(newest.reason, newest.created_at, now):
        words = article.word_count
        newest.snapshot = snapshot(article, words, article.char_count)
        newest.word_count = words
        # Another text is another revision for sync: a copy the server has keeps its id.
        newest.rev_id, newest.synced, newest.sync_seq = new_rev_id(), False, None
        session.flush()
        return
    add(session, article, AUTOSAVE, now)
    autosaves = session.execute(
        select(RevisionRow.id, RevisionRow.created_at).where(
            RevisionRow.article_uri == article.uri, RevisionRow.reason == AUTOSAVE
        )
    ).all()
    dropped = autosaves_to_drop([(key, created) for key, created in autosaves], now)
    if dropped:
        session.execute(delete(RevisionRow).where(RevisionRow.id.in_(sorted(dropped))))


def record_exports(
    session: Session,
    versions: Sequence[tuple[str, int]],
    now: datetime,
    bulk_articles: Callable[[Session, Sequence[str]], Mapping[str, Article]],
    *,
    chunk: int,
) -> int:
    """An "export" revision of each ``(uri, version)`` still stored at that version,
    unless its newest revision holds that version and is not an autosave revision
    (which typing would overwrite), in the caller's transaction. Returns how many."""
    sync_track.revisions_added(session)
    wanted = dict(versions)
    uris = list(wanted)
    recorded = 0
    for start in range(0, len(uris), chunk):
        todo = not_yet_kept(session, uris[start : start + chunk], wanted, chunk=chunk)
        if not todo:
            continue  # an export again: nothing locked, nothing written
        # Lock the articles (PostgreSQL) before taking their next numbers, as every
        # writer of revisions does, then check again under the lock.
        counted = {
            uri: (words, chars)
            for uri, words, chars in session.execute(
                select(ArticleRow.uri, ArticleRow.word_count, ArticleRow.char_count)
                .where(ArticleRow.uri.in_(todo))
                .with_for_update()
            )
        }
        numbers = not_yet_kept(session, list(todo), wanted, chunk=chunk)
        rows = [
            {
                "article_uri": article.uri,
                "number": numbers[article.uri] + 1,
                "created_at": now,
                "reason": EXPORT,
                "word_count": counted[article.uri][0],
                "snapshot": snapshot(article, *counted[article.uri]),
            }
            for article in bulk_articles(session, list(numbers)).values()
        ]
        if rows:
            session.execute(insert(RevisionRow), rows)
            recorded += len(rows)
    return recorded


def not_yet_kept(
    session: Session, uris: Sequence[str], wanted: Mapping[str, int], *, chunk: int = 500
) -> dict[str, int]:
    """Of ``uris``, those stored at their ``wanted`` version whose newest revision does
    not keep that version, with the number of that newest revision (0: none).

    Snapshots are read only when the columns cannot tell: an autosave revision keeps
    nothing (typing on overwrites it), and an export revision taken after the
    article's last save holds that version (an export again reads no snapshot).
    """
    stored = {
        uri: (version, updated)
        for uri, version, updated in session.execute(
            select(ArticleRow.uri, ArticleRow.version, ArticleRow.updated_at).where(
                ArticleRow.uri.in_(uris)
            )
        )
        if version == wanted[uri]
    }
    newest = (
        select(RevisionRow.article_uri, func.max(RevisionRow.number).label("number"))
        .where(RevisionRow.article_uri.in_(list(stored)))
        .group_by(RevisionRow.article_uri)
        .subquery()
    )
    found: dict[str, int] = dict.fromkeys(stored, 0)
    unsure: list[int] = []
    for uri, number, reason, created, key in session.execute(
        select(
            newest.c.article_uri,
            newest.c.number,
            RevisionRow.reason,
            RevisionRow.created_at,
            RevisionRow.id,
        ).join(
            RevisionRow,
            and_(
                RevisionRow.article_uri == newest.c.article_uri,
                RevisionRow.number == newest.c.number,
            ),
        )
    ):
        found[uri] = number
        if reason == AUTOSAVE:
            continue
        if reason == EXPORT and created >= stored[uri][1]:
            del found[uri]  # exported since its last save: this very version
        else:
            unsure.append(key)
    for start in range(0, len(unsure), chunk):
        for uri, version in session.execute(
            select(RevisionRow.article_uri, RevisionRow.snapshot["version"].as_integer()).where(
                RevisionRow.id.in_(unsure[start : start + chunk])
            )
        ):
            if version == stored[uri][0]:
                del found[uri]
    return found


def snapshot(article: Article, words: int, chars: int) -> dict[str, Any]:
    """``article.to_dict()`` with its counts given: counting a body's words takes longer
    than all the rest of a snapshot, and the caller has them already."""
    data = dataclasses.replace(article, body="").to_dict()
    data.update(body=article.body, word_count=words, char_count=chars)
    return data


def from_row(row: RevisionRow) -> Revision:
    return Revision(
        id=row.id,
        article_uri=row.article_uri,
        number=row.number,
        created_at=row.created_at,
        reason=row.reason,
        snapshot=dict(row.snapshot),
    )
