"""Two SQLite laptops and one newsroom server (PostgreSQL) for the sync tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.conftest import _reset_postgres, postgres_url
from tests.tcp_proxy import TcpProxy  # noqa: F401 (the sync fault tests take it from here)

from newsdesk.core.models import Article
from newsdesk.store import SqlStore, open_store
from newsdesk.store.sync.sync_rows import content


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
