"""The newsroom server going away in the middle of a sync (a TCP proxy that cuts every
connection): the laptop says so, keeps everything, and the next sync finishes the job."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from tests.store.sync_helpers import TcpProxy, everything, server_url, two_laptops

from newsdesk.core.errors import StoreError
from newsdesk.core.models import Article
from newsdesk.store import SqlStore, open_store
from newsdesk.store.sync.sync import status, sync
from newsdesk.store.sync.sync_local import count_outbox


@pytest.fixture
def laptops(tmp_path: Path) -> Iterator[tuple[SqlStore, SqlStore]]:
    with two_laptops(tmp_path) as pair:
        yield pair


@pytest.fixture
def proxied() -> Iterator[tuple[str, TcpProxy, SqlStore]]:
    """The server's URL through a proxy the test can cut, and the server opened directly."""
    url = server_url()
    direct = open_store(url)
    parsed = make_url(url)
    proxy = TcpProxy((parsed.host or "127.0.0.1", parsed.port or 5432))
    try:
        yield parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(False), proxy, direct
    finally:
        proxy.close()
        direct.close()


def cut_at(proxy: TcpProxy, marker: str, nth: int) -> Any:
    """A statement hook that cuts the proxy when ``marker`` is sent the ``nth`` time."""
    seen = 0

    def hook(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        nonlocal seen
        if marker in statement and conn.engine.dialect.name == "postgresql":
            seen += 1
            if seen == nth and proxy.up:
                proxy.cut()

    return hook


@pytest.mark.parametrize(
    ("marker", "nth"),
    [
        ("UPDATE sync_clock", 3),  # in the third batch, just before the server commits
        ("FROM sync_tombstone", 1),  # pulling, after the push went through
    ],
)
def test_the_server_going_away_mid_sync_loses_nothing_and_the_next_sync_finishes(
    laptops: tuple[SqlStore, SqlStore],
    proxied: tuple[str, TcpProxy, SqlStore],
    marker: str,
    nth: int,
) -> None:
    laptop, _ = laptops
    url, proxy, server = proxied
    for n in range(30):
        laptop.create(Article(headline=f"Dispatch {n}", body=f"Report number {n}."))
    server.create(Article(headline="From the desk", body="Desk."))
    hook = cut_at(proxy, marker, nth)
    event.listen(Engine, "before_cursor_execute", hook)
    try:
        with pytest.raises(StoreError, match="Cannot reach the PostgreSQL server"):
            sync(laptop, url, batch=5)
    finally:
        event.remove(Engine, "before_cursor_execute", hook)
    assert len(everything(laptop)) == 30  # nothing lost or half-written here
    offline = status(laptop)
    assert offline.to_receive is None and "Cannot reach" in offline.error
    proxy.restore()
    report = sync(laptop)  # the remembered server
    assert report.received == 1
    assert len(everything(server)) == 31  # no duplicates from the retried batch
    assert everything(laptop) == everything(server)
    assert count_outbox(laptop) == (0, 0, 0)
    assert sync(laptop).nothing_done
