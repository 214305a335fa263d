"""A PostgreSQL server that stops answering (a proxy that stops forwarding, as a silently
dropped network or a suspended server does): a store call fails within its limit instead
of waiting for ever, and works again once the server answers."""

from __future__ import annotations

import os
import selectors
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url

from newsdesk.core.errors import StoreError
from newsdesk.core.models import Article
from newsdesk.store import open_store

PG_URL = os.environ.get("NEWSDESK_TEST_PG_URL", "")
pytestmark = pytest.mark.skipif(not PG_URL, reason="NEWSDESK_TEST_PG_URL is not set")


class StallingProxy:
    """Forwards TCP to ``upstream``; while :attr:`stalled`, it forwards nothing and keeps
    every connection open (the kernel still acknowledges: no TCP timeout fires)."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stalled = False
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self.closed = True
        self.listener.close()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        while self.stalled and not self.closed:
            time.sleep(0.05)  # a new connection waits, unanswered
        try:
            server = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            client.close()
            return
        selector = selectors.DefaultSelector()
        selector.register(client, selectors.EVENT_READ, server)
        selector.register(server, selectors.EVENT_READ, client)
        try:
            while not self.closed:
                if self.stalled:
                    time.sleep(0.05)
                    continue
                for key, _ in selector.select(timeout=0.1):
                    data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                    if not data:
                        return
                    key.data.sendall(data)
        except OSError:
            return
        finally:
            selector.close()
            client.close()
            server.close()


@pytest.fixture
def proxy() -> Iterator[StallingProxy]:
    url = make_url(PG_URL)
    running = StallingProxy((url.host or "127.0.0.1", url.port or 5432))
    yield running
    running.close()


def proxied(port: int) -> str:
    return make_url(PG_URL).set(host="127.0.0.1", port=port).render_as_string(hide_password=False)


def test_a_server_that_stops_answering_fails_the_call_within_the_limit(
    proxy: StallingProxy,
) -> None:
    store = open_store(proxied(proxy.port), busy_timeout=2, answer_timeout=2)
    try:
        uri = store.create(Article(headline="Ferry strike ends")).uri
        proxy.stalled = True
        for call in ("statement", "check of an idle connection"):
            started = time.monotonic()
            with pytest.raises(StoreError, match="Cannot reach the PostgreSQL server"):
                if call == "statement":
                    store.save(store.get(uri).edited(body="Typed during the outage."))
                else:
                    store.get(uri)
            assert time.monotonic() - started < 8, call
        proxy.stalled = False
        assert store.get(uri).headline == "Ferry strike ends"  # a new connection, at once
    finally:
        proxy.stalled = False
        store.close()
