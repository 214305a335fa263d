"""Sync a laptop's store with the newsroom's server, in stages: handshake, push, pull.

The server alone orders changes (its clock row); laptop clocks are for display. Each stage
is idempotent and each batch is one transaction on each side, so a sync cut anywhere is
simply run again. See README, "Working offline: sync", and SYNC.md in the reference notes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.exc import DBAPIError

from newsdesk.core.errors import StoreError
from newsdesk.core.ports import Progress, SyncStatus, no_progress
from newsdesk.store.engine import redact
from newsdesk.store.repository import SqlStore
from newsdesk.store.sync import sync_local, sync_server
from newsdesk.store.sync.sync_media import MediaReport, sync_media
from newsdesk.store.sync.sync_rows import CONFLICT, KEPT, RENAMED, FeedEntry
from newsdesk.store.sync.sync_shared import sync_shared

BATCH = 250  # stories per push transaction and per feed page
CONNECT_TIMEOUT = 5.0  # seconds to reach the server
ANSWER_TIMEOUT = 120.0  # a statement the server leaves unanswered longer fails the sync
PULL_PAGE = 1000  # feed entries per page (ids only; content is fetched for the ones needed)
RETRIES = 3  # a batch that lost a race (a slug taken meanwhile) is tried again
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What one sync did."""

    sent: int = 0
    revisions_sent: int = 0
    received: int = 0
    removed: int = 0
    revisions_received: int = 0
    conflicts: int = 0
    held: int = 0  # stories in conflict, not sent until someone chooses
    kept: int = 0  # deletes refused: the story was edited on the server
    renamed: int = 0
    words_sent: int = 0  # the newsroom dictionary (added or removed)
    words_received: int = 0
    profile: str = ""  # the publication profile: "sent", "received", "newsroom kept"
    media_sent: int = 0  # pictures and audio files
    media_received: int = 0
    media_removed: int = 0
    media_kept_both: int = 0  # changed on both sides: the laptop's kept as a file of its own

    @property
    def nothing_done(self) -> bool:
        return not (
            self.sent
            or self.revisions_sent
            or self.received
            or self.removed
            or self.revisions_received
            or self.words_sent
            or self.words_received
            or self.profile
            or self.media_sent
            or self.media_received
            or self.media_removed
        )

    def summary(self) -> str:
        parts = [f"sent {self.sent}", f"received {self.received}"]
        if self.removed:
            parts.append(f"removed {self.removed}")
        if self.revisions_sent or self.revisions_received:
            parts.append(
                f"revisions {self.revisions_sent} sent, {self.revisions_received} received"
            )
        if self.words_sent or self.words_received:
            parts.append(f"dictionary {self.words_sent} sent, {self.words_received} received")
        if self.media_sent or self.media_received or self.media_removed:
            parts.append(f"media files {self.media_sent} sent, {self.media_received} received")
        if self.media_removed:
            parts.append(f"{self.media_removed} media files removed")
        if self.profile in {"sent", "received"}:
            parts.append(f"publication profile {self.profile}")
        text = "Synced: " + ", ".join(parts) + "."
        if self.conflicts or self.held:
            count = max(self.conflicts, self.held)
            text += (
                f" {count} stor{'y' if count == 1 else 'ies'} changed on both sides: both versions "
                "are in the history; choose one in the window (or newsdesk sync --resolve)."
            )
        if self.kept:
            text += f" {self.kept} deleted here but edited at the desk: the edit was kept."
        if self.media_kept_both:
            text += (
                f" {self.media_kept_both} media file(s) replaced here and at the newsroom: the "
                "newsroom's is used, yours is kept in the media library as a laptop copy."
            )
        if self.profile == "newsroom kept":
            text += (
                " The publication profile was changed here and at the newsroom: the "
                "newsroom's is kept (Settings to change it again)."
            )
        return text


def open_server(url: str) -> SqlStore:
    """The server, with limits for a sync: a hung server fails the sync, never hangs it."""
    from newsdesk.store import open_store

    return open_store(url, busy_timeout=CONNECT_TIMEOUT, answer_timeout=ANSWER_TIMEOUT)


def sync(
    local: SqlStore,
    server_url: str | None = None,
    *,
    progress: Progress = no_progress,
    server: SqlStore | None = None,
    batch: int = BATCH,
) -> SyncReport:
    """Send this store's changes to the server and bring the server's back.

    ``server_url`` is remembered in the local store; without it the remembered one is used.
    ``server``: an open server store (tests, the bench); otherwise one is opened and closed.
    """
    state = sync_local.read_state(local)
    url = server_url or (state.server if state else None)
    if not url:
        raise StoreError(
            "This store is not attached to a newsroom server yet. Run newsdesk sync "
            "--server URL once (the URL of the newsroom's PostgreSQL); it is remembered."
        )
    owned = server is None
    remote = server or open_server(url)
    try:
        return _session(local, remote, url, state, progress=progress, batch=batch)
    finally:
        if owned:
            remote.close()


def _session(
    local: SqlStore,
    server: SqlStore,
    url: str,
    state: sync_local.SyncState | None,
    *,
    progress: Progress,
    batch: int,
) -> SyncReport:
    epoch, _clock = sync_server.handshake(server)
    if state is None or state.epoch != epoch:
        # A new server, or this one restored from a backup: offer everything again.
        state = sync_local.SyncState(server=url, epoch=epoch)
        sync_local.reconcile(local, state)
    elif state.server != url:  # the same server under another address
        state = dataclasses.replace(state, server=url)
        sync_local.save_state(local, state)
    to_send, revs_to_send, _ = sync_local.count_outbox(local)
    to_get, revs_to_get = sync_server.pending(server, state.articles, state.revisions)
    total = to_send + revs_to_send + to_get + revs_to_get
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done = min(total, done + count)
        progress(done, total)

    # Files first, so the newsroom never holds a story whose pictures are still to come;
    # again after the pull, for the files of the stories it brought.
    before = sync_media(local, server, epoch)
    report = _push_revisions(local, server, batch, step)
    report = _push(local, server, batch, step, report)
    state = sync_local.read_state(local) or state
    report = _pull(local, server, state, batch=batch, step=step, report=report)
    state = sync_local.read_state(local) or state
    report = _pull_revisions(local, server, state, step, report)
    # The files of the stories the pull brought (nothing brought: nothing more is needed).
    brought = report.received or report.conflicts or report.kept
    after = sync_media(local, server, epoch) if brought else MediaReport()
    report = dataclasses.replace(
        report,
        media_sent=before.sent + after.sent,
        media_received=before.received + after.received,
        media_removed=before.removed + after.removed,
        media_kept_both=before.kept_both + after.kept_both,
    )
    shared = sync_shared(local, server)
    report = dataclasses.replace(
        report,
        words_sent=shared.words_sent,
        words_received=shared.words_received,
        profile=shared.profile,
    )
    final = sync_local.read_state(local) or state
    from newsdesk.core.models import utcnow

    sync_local.save_state(local, dataclasses.replace(final, last_sync=utcnow()))
    progress(total, total)
    return report


def _push_revisions(
    local: SqlStore, server: SqlStore, batch: int, step: Callable[[int], None]
) -> SyncReport:
    sent, after = 0, 0
    while True:
        copies, after = sync_local.unsynced_revisions(local, after, batch)
        if not copies:
            return SyncReport(revisions_sent=sent)
        _retried(lambda copies=copies: sync_server.push(server, [], copies))  # type: ignore[misc]
        sync_local.mark_synced(local, [c.rev_id for c in copies])
        sent += len(copies)
        step(len(copies))


def _push(
    local: SqlStore, server: SqlStore, batch: int, step: Callable[[int], None], report: SyncReport
) -> SyncReport:
    after = sync_local.START
    sent = held = kept = renamed = 0
    while True:
        out = sync_local.outbox_page(local, after, batch)
        if out.last == after:
            break
        after, held = out.last, held + out.held
        if out.items:
            sync_local.mark_sent(local, out.items)
            results = _retried(lambda out=out: sync_server.push(server, out.items, []))  # type: ignore[misc]
            sync_local.record_push(local, out.items, results, out.seqs)
            _bring_back(local, server, [r.uri for r in results if r.outcome == KEPT])
            sent += sum(r.outcome not in {CONFLICT, KEPT} for r in results)
            kept += sum(r.outcome == KEPT for r in results)
            renamed += sum(r.outcome == RENAMED for r in results)
        step(len(out.seqs))
    return dataclasses.replace(report, sent=sent, held=held, kept=kept, renamed=renamed)


def _bring_back(local: SqlStore, server: SqlStore, uris: list[str]) -> None:
    """Stories deleted here but edited on the server: the edit comes back now (the feed may
    have brought that edit before the delete, and will not again)."""
    state = sync_local.read_state(local)
    if not uris or state is None:
        return
    fetched = sync_server.fetch(server, uris)
    entries = [FeedEntry(0, uri, head, False) for uri, (_a, head) in fetched.items()]
    sync_local.apply_pull(local, entries, fetched, state, None)


def _pull(
    local: SqlStore,
    server: SqlStore,
    state: sync_local.SyncState,
    *,
    batch: int,
    step: Callable[[int], None],
    report: SyncReport,
) -> SyncReport:
    received = removed = conflicts = 0
    cursor = state.articles
    while True:
        entries = sync_server.feed(server, cursor, PULL_PAGE)
        if not entries:
            break
        needed = sync_local.wanted(local, entries)
        fetched = {}
        for start in range(0, len(needed), batch):
            fetched.update(sync_server.fetch(server, needed[start : start + batch]))
        cursor = (entries[-1].seq, entries[-1].uri)
        got, gone, clashes = sync_local.apply_pull(local, entries, fetched, state, cursor)
        state = dataclasses.replace(state, articles=cursor)
        received, removed, conflicts = received + got, removed + gone, conflicts + clashes
        step(len(entries))
    return dataclasses.replace(report, received=received, removed=removed, conflicts=conflicts)


def _pull_revisions(
    local: SqlStore,
    server: SqlStore,
    state: sync_local.SyncState,
    step: Callable[[int], None],
    report: SyncReport,
) -> SyncReport:
    added = 0
    cursor = state.revisions
    while True:
        page = sync_server.revision_feed(server, cursor, PULL_PAGE)
        if not page:
            break
        missing = sync_local.missing_revisions(local, [rev for _seq, rev in page])
        copies = sync_server.fetch_revisions(server, missing) if missing else []
        cursor = page[-1]
        added += sync_local.apply_revisions(local, copies, state, cursor)
        state = dataclasses.replace(state, revisions=cursor)
        step(len(page))
    return dataclasses.replace(report, revisions_received=added)


def _retried(call: Callable[[], T]) -> T:
    """Run a server transaction again when it lost a race with another writer (a unique
    slug taken, a serialization failure); any other error goes up at once."""
    for attempt in range(RETRIES):
        try:
            return call()
        except StoreError as exc:
            cause = exc.__cause__
            lost_race = (
                isinstance(cause, DBAPIError)
                and not cause.connection_invalidated
                and (
                    "unique" in str(cause).lower()
                    or "serializ" in str(cause).lower()
                    or "deadlock" in str(cause).lower()
                )
            )
            if not lost_race or attempt == RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def status(local: SqlStore, *, reach: bool = True) -> SyncStatus:
    """What a sync would send and receive; ``received`` is ``None`` when the server cannot
    be reached (or ``reach`` is false)."""
    state = sync_local.read_state(local)
    stories, revisions, conflicts = sync_local.count_outbox(local)
    articles = revisions_in = None
    error = ""
    if state is not None and reach:
        try:
            server = open_server(state.server)
            try:
                epoch, _ = sync_server.handshake(server)
                if epoch == state.epoch:
                    articles, revisions_in = sync_server.pending(
                        server, state.articles, state.revisions
                    )
                else:
                    articles, revisions_in = sync_server.pending(
                        server, sync_server.START, sync_server.START
                    )
            finally:
                server.close()
        except StoreError as exc:
            error = str(exc)
    return SyncStatus(
        server=redact(state.server) if state else None,
        last_sync=state.last_sync if state else None,
        to_send=stories,
        revisions_to_send=revisions,
        conflicts=conflicts,
        to_receive=articles,
        revisions_to_receive=revisions_in,
        error=error,
    )
