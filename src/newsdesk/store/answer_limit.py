"""A time limit on the PostgreSQL server's answers, kept on this side of the connection.

A server that stops answering without closing the connection (a process suspended, a
network that drops packets silently, a proxy that stops forwarding) leaves libpq waiting
for ever: the server's ``statement_timeout`` cannot fire, and TCP keepalives do not help
while the other side's kernel still acknowledges. So each statement, and the pool's check
of an idle connection, is watched: past the limit the connection's socket is shut down,
the call fails at once with "connection lost", and the store says the server is not
answering. One thread watches every connection of the process.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, event


class _Watch:
    """Deadlines of the statements in flight; a thread cuts those past theirs."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._due: dict[int, tuple[float, Any]] = {}
        self._ids = itertools.count()
        self._thread: threading.Thread | None = None

    def start(self, dbapi_conn: Any, seconds: float) -> int:
        key = next(self._ids)
        with self._lock:
            self._due[key] = (time.monotonic() + seconds, dbapi_conn)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="answer-limit", daemon=True)
                self._thread.start()
        return key

    def stop(self, key: int | None) -> None:
        if key is not None:
            with self._lock:
                self._due.pop(key, None)

    def _run(self) -> None:
        while True:
            time.sleep(0.25)
            now = time.monotonic()
            with self._lock:
                late = [key for key, (due, _) in self._due.items() if due <= now]
                cut = [self._due.pop(key)[1] for key in late]
            for dbapi_conn in cut:
                _shut(dbapi_conn)


def _shut(dbapi_conn: Any) -> None:
    """Shut the connection's socket: the waiting call returns with "connection lost"."""
    with contextlib.suppress(Exception):
        duplicate = os.dup(dbapi_conn.pgconn.socket)
        with socket.socket(fileno=duplicate) as sock:
            sock.shutdown(socket.SHUT_RDWR)


_WATCH = _Watch()
_KEY = "newsdesk_answer_watch"


def limit_answers(engine: Engine, seconds: float) -> None:
    """Fail any statement of ``engine`` (a PostgreSQL one) not answered within ``seconds``."""

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn: Any, cursor: Any, *args: Any) -> None:
        conn.info[_KEY] = _WATCH.start(conn.connection.dbapi_connection, seconds)

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn: Any, cursor: Any, *args: Any) -> None:
        _WATCH.stop(conn.info.pop(_KEY, None))

    @event.listens_for(engine, "handle_error")
    def _failed(context: Any) -> None:
        if context.connection is not None:
            _WATCH.stop(context.connection.info.pop(_KEY, None))

    ping: Callable[[Any], bool] = engine.dialect.do_ping

    def guarded_ping(dbapi_conn: Any) -> bool:
        key = _WATCH.start(dbapi_conn, seconds)
        try:
            return ping(dbapi_conn)
        finally:
            _WATCH.stop(key)

    engine.dialect.do_ping = guarded_ping  # type: ignore[method-assign,assignment]
