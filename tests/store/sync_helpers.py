"""Two SQLite laptops and one newsroom server (PostgreSQL) for the sync tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.conftest import _reset_postgres, postgres_url

from newsdesk.core.models import Article
from newsdesk.store import SqlStore, open_store
from newsdesk.store.sync_rows import content


def server_url() -> str:
    """The newsroom server: a fresh schema in the test database."""
    url = postgres_url()
    _reset_postgres(url)
    return url


@contextmanager
def two_laptops(folder: Path) -> Iterator[tuple[SqlStore, SqlStore]]:
    first = open_store(str(folder / "laptop-a.db"))
    second = open_store(str(folder / "laptop-b.db"))
    try:
        yield first, second
    finally:
        first.close()
        second.close()


def everything(store: SqlStore) -> dict[str, tuple[dict[str, Any], str | None]]:
    """``uri -> (content, version id)`` of every story: what stores must agree on."""
    from sqlalchemy import select

    from newsdesk.store.schema import ArticleRow

    with store.transaction(write=False) as session:
        heads = {u: h for u, h in session.execute(select(ArticleRow.uri, ArticleRow.head_rev))}
    return {a.uri: (content(a), heads[a.uri]) for a in store.iter_articles()}


def history_bodies(store: SqlStore) -> set[str]:
    """Every body in any revision of any story, and every current body."""
    bodies = {str(r.snapshot.get("body", "")) for r in store.all_revisions()}
    return bodies | {a.body for a in store.iter_articles()}


def story(headline: str, body: str = "First text.") -> Article:
    return Article(headline=headline, body=body)


class TcpProxy:
    """Forwards TCP connections to ``upstream``; :meth:`cut` drops them all and refuses
    new ones (the server gone away), :meth:`restore` lets them through again. (The same
    proxy as tests/ui/test_faults.py, which is a GUI module.)"""

    def __init__(self, upstream: tuple[str, int]) -> None:
        import socket
        import threading

        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = True
        self._pairs: list[tuple[Any, Any]] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import socket
        import threading

        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pairs.append((client, server))
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    @staticmethod
    def _pump(client: Any, server: Any) -> None:
        import contextlib
        import selectors

        selector = selectors.DefaultSelector()
        selector.register(client, selectors.EVENT_READ, server)
        selector.register(server, selectors.EVENT_READ, client)
        try:
            while True:
                for key, _ in selector.select(timeout=0.5):
                    data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                    if not data:
                        return
                    key.data.sendall(data)
        except OSError:
            return
        finally:
            selector.close()
            for end in (client, server):
                with contextlib.suppress(OSError):
                    end.close()

    def cut(self) -> None:
        import contextlib
        import socket

        self.up = False
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for end in pair:
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def restore(self) -> None:
        self.up = True

    def close(self) -> None:
        self.cut()
        self.listener.close()
