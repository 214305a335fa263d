"""A PostgreSQL server that stops answering (a proxy that stops forwarding, as a silently
dropped network or a suspended server does): a store call fails within its limit instead
of waiting for ever, and works again once the server answers."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url
from tests.tcp_proxy import TcpProxy

from newsdesk.core.errors import StoreError
from newsdesk.core.models import Article
from newsdesk.store import open_store

PG_URL = os.environ.get("NEWSDESK_TEST_PG_URL", "")
pytestmark = pytest.mark.skipif(not PG_URL, reason="NEWSDESK_TEST_PG_URL is not set")


@pytest.fixture
def proxy() -> Iterator[TcpProxy]:
    url = make_url(PG_URL)
    running = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    yield running
    running.close()


def proxied(port: int) -> str:
    return make_url(PG_URL).set(host="127.0.0.1", port=port).render_as_string(hide_password=False)


def test_a_server_that_stops_answering_fails_the_call_within_the_limit(
    proxy: TcpProxy,
) -> None:
    store = open_store(proxied(proxy.port), busy_timeout=2, answer_timeout=2)
    try:
        uri = store.create(Article(headline="Ferry strike ends")).uri
        proxy.hang()
        for call in ("statement", "check of an idle connection"):
            started = time.monotonic()
            with pytest.raises(StoreError, match="Cannot reach the PostgreSQL server"):
                if call == "statement":
                    store.save(store.get(uri).edited(body="Typed during the outage."))
                else:
                    store.get(uri)
            assert time.monotonic() - started < 8, call
        proxy.resume()
        assert store.get(uri).headline == "Ferry strike ends"  # a new connection, at once
    finally:
        proxy.resume()
        store.close()
