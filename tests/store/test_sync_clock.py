"""The server's change clock against a real PostgreSQL: a change that took its number first
but commits last is never skipped by a reader (SYNC.md trap 1: sequence cursors skip)."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import event
from tests.store.sync_helpers import server_url

from newsdesk.core.models import Article
from newsdesk.store import open_store
from newsdesk.store.sync.sync_server import START, feed


def test_a_writer_that_commits_late_is_not_skipped_by_the_feed() -> None:
    url = server_url()
    slow, fast, reader = open_store(url), open_store(url), open_store(url)
    try:
        first = slow.create(Article(headline="Slow story", body="One."))
        second = fast.create(Article(headline="Fast story", body="One."))
        cursor = feed(reader, START, 100)[-1]
        after = (cursor.seq, cursor.uri)
        stamped, release = threading.Event(), threading.Event()

        def hold_commit(conn: Any) -> None:
            stamped.set()
            release.wait(10)  # the slow writer has its number and has not committed

        event.listen(slow._engine, "commit", hold_commit)
        writer = threading.Thread(target=lambda: slow.save(first.edited(body="Slow two.")))
        writer.start()
        assert stamped.wait(10)
        racer = threading.Thread(target=lambda: fast.save(second.edited(body="Fast two.")))
        racer.start()
        racer.join(1.0)
        # The fast writer cannot commit a later number while the slow one holds the clock,
        # so a reader now sees neither, and cannot move its cursor past the slow one.
        assert racer.is_alive()
        assert feed(reader, after, 100) == []
        release.set()
        writer.join(10)
        racer.join(10)
        event.remove(slow._engine, "commit", hold_commit)
        seen = feed(reader, after, 100)
        assert [e.uri for e in seen] == [first.uri, second.uri]
        assert seen[0].seq < seen[1].seq
    finally:
        release.set()
        for store in (slow, fast, reader):
            store.close()
