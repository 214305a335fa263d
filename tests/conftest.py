"""Shared fixtures: real stores on SQLite and PostgreSQL; Qt set up to run headless."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

# Qt and QtWebEngine headless, as root, without touching the user's folders
# (see docs/headless-qt.md). Set before anything imports Qt.
_XDG = Path(tempfile.gettempdir()) / f"newsdesk-tests-{os.getuid()}"
for _name, _default in {
    "QT_QPA_PLATFORM": "offscreen",
    "QTWEBENGINE_DISABLE_SANDBOX": "1",
    "QTWEBENGINE_CHROMIUM_FLAGS": "--disable-dev-shm-usage",
    "XDG_RUNTIME_DIR": str(_XDG / "runtime"),
    "XDG_CACHE_HOME": str(_XDG / "cache"),
    "XDG_DATA_HOME": str(_XDG / "data"),
    "XDG_CONFIG_HOME": str(_XDG / "config"),
}.items():
    os.environ.setdefault(_name, _default)
Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)
# Never let a test touch the developer's own store.
os.environ.pop("NEWSDESK_DB", None)

PG_URL_VAR = "NEWSDESK_TEST_PG_URL"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/ui and tests/e2e as a GUI test."""
    for item in items:
        parts = Path(str(item.fspath)).parts
        if "ui" in parts or "e2e" in parts:
            item.add_marker(pytest.mark.gui)


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def postgres_url() -> str:
    url = os.environ.get(PG_URL_VAR)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_URL_VAR} is not set: CI must run the store tests on PostgreSQL")
        pytest.skip(f"set {PG_URL_VAR} (scripts/check does) to run on PostgreSQL")
    return url


def no_fill(_store: object) -> None:
    """A store as opening an empty one leaves it: migrated, nothing in it."""


class StoreTemplates:
    """Stores made once per run and copied for each test that asks for one.

    Opening an empty store runs every migration (0.13 s on SQLite, 0.3 s on PostgreSQL) and
    the sample archive takes 0.8 s to import, for each of hundreds of tests; a copy of the
    same store takes milliseconds and holds the same bytes. SQLite stores are copied as
    files, PostgreSQL ones as databases made from a template database (``CREATE DATABASE
    ... TEMPLATE``). The copies share what the template was given once (the sync epoch, the
    sample stories' version ids): no test meets two copies of one template.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._files: dict[str, Path] = {}
        self._databases: dict[str, str] = {}
        self._used_postgres = False

    def sqlite(self, name: str, fill: Callable[[Any], object], destination: Path) -> None:
        """Put a copy of the SQLite store ``name`` (opened, then ``fill(store)``) at
        ``destination``."""
        from newsdesk.store import open_store

        template = self._files.get(name)
        if template is None:
            template = self.folder / f"{name}.db"
            store = open_store(str(template))
            try:
                fill(store)
            finally:
                store.close()
            # Closed by its last connection, a WAL store has nothing left beside the file.
            assert not Path(f"{template}-wal").exists(), f"{template}-wal is left after closing"
            self._files[name] = template
        shutil.copyfile(template, destination)

    def postgres(self, name: str | None, fill: Callable[[Any], object] = no_fill) -> str:
        """The URL of the test server's database for this test, made anew: empty
        (``name`` None) or a copy of the store ``name`` (opened, then ``fill(store)``)."""
        from sqlalchemy.engine import make_url

        from newsdesk.store import open_store

        url = make_url(postgres_url())
        template = "template0"
        if name is not None:
            template = self._databases.get(name) or ""
            if not template:
                template = f"{url.database}_template_{name}"
                self._recreate(template, "template0")
                store = open_store(url.set(database=template).render_as_string(hide_password=False))
                try:
                    fill(store)
                finally:
                    store.close()
                self._databases[name] = template
        database = f"{url.database}_store"
        self._used_postgres = True
        self._recreate(database, template)
        return url.set(database=database).render_as_string(hide_password=False)

    def drop_databases(self) -> None:
        """Drop the databases this run made (the test server keeps running after it)."""
        from sqlalchemy.engine import make_url

        if not self._used_postgres:
            return
        url = make_url(postgres_url())
        for database in [f"{url.database}_store", *self._databases.values()]:
            self._admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    def _recreate(self, database: str, template: str) -> None:
        # FORCE: a connection an earlier test left open must not keep its database.
        self._admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')

    @staticmethod
    def _admin(statement: str) -> None:
        from sqlalchemy import create_engine, make_url, text

        engine = create_engine(
            make_url(postgres_url()).set(database="postgres"), isolation_level="AUTOCOMMIT"
        )
        try:
            with engine.connect() as conn:
                conn.execute(text(statement))
        finally:
            engine.dispose()


@pytest.fixture(scope="session")
def store_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreTemplates]:
    templates = StoreTemplates(tmp_path_factory.mktemp("store templates"))
    yield templates
    templates.drop_databases()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(
    request: pytest.FixtureRequest, tmp_path: Path, store_templates: StoreTemplates
) -> Iterator[str]:
    """A URL to a fresh, empty store on each engine; a migrated one when the test also
    takes ``store``, which would migrate it the moment it opens it (a copy of one migrated
    once, as opening it would leave it)."""
    migrated = "store" in request.fixturenames
    if request.param == "sqlite":
        path = tmp_path / "store.db"
        if migrated:
            store_templates.sqlite("migrated", no_fill, path)
        yield f"sqlite:///{path}"
    else:
        yield store_templates.postgres("migrated" if migrated else None)


@pytest.fixture
def store(store_url: str) -> Iterator[object]:
    from newsdesk.store import open_store

    opened = open_store(store_url)
    yield opened
    opened.close()


@pytest.fixture
def sqlite_store(tmp_path: Path, store_templates: StoreTemplates) -> Iterator[object]:
    from newsdesk.store import open_store

    store_templates.sqlite("migrated", no_fill, tmp_path / "store.db")
    opened = open_store(str(tmp_path / "store.db"))
    yield opened
    opened.close()


class LinkSite:
    """A small web site on 127.0.0.1 for the link-check tests: none touches the internet.

    ``/ok`` 200; ``/gone`` 404; ``/error`` 500; ``/forbidden`` 403; ``/busy`` 429;
    ``/moved`` 301 to ``/ok``; ``/relative`` 302 to ``ok``; ``/slash`` 301 to ``/slash/``
    (the same page); ``/moved-to-gone``; ``/loop``; ``/to-ftp``; ``/nowhere`` (a 301 with
    no Location); ``/no-head`` (405 to HEAD); ``/hangup-head`` (hangs up on HEAD);
    ``/slow`` (answers only when the test ends); ``/hold`` (answers after a moment).
    """

    ROUTES: ClassVar[dict[str, tuple[int, str | None]]] = {
        "/ok": (200, None),
        "/slash/": (200, None),
        "/gone": (404, None),
        "/error": (500, None),
        "/forbidden": (403, None),
        "/busy": (429, None),
        "/moved": (301, "/ok"),
        "/relative": (302, "ok"),
        "/slash": (301, "/slash/"),
        "/moved-to-gone": (308, "/gone"),
        "/loop": (302, "/loop"),
        "/to-ftp": (301, "ftp://files.example.com/x"),
        "/nowhere": (301, None),
        "/no-head": (200, None),
        "/hangup-head": (200, None),
        "/slow": (200, None),
        "/hold": (200, None),
    }

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        site = self
        self.requests: list[tuple[str, str, str]] = []
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.in_flight = self.max_in_flight = 0

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_HEAD(self) -> None:
                site.answer(self, head=True)

            def do_GET(self) -> None:
                site.answer(self, head=False)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def answer(self, handler: Any, *, head: bool) -> None:
        import time

        path = handler.path.split("?", 1)[0]
        with self.lock:
            self.requests.append((handler.command, path, handler.headers.get("User-Agent", "")))
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        counted = [True]

        def done() -> None:
            # Before the answer leaves: the client may start its next request the moment it
            # has the answer, before this thread gets the lock again (that read as 4 at once).
            if counted[0]:
                counted[0] = False
                with self.lock:
                    self.in_flight -= 1

        try:
            if path == "/slow":
                self.release.wait(30)
            elif path == "/hold":
                time.sleep(0.2)
            if path == "/hangup-head" and head:
                handler.close_connection = True
                return
            status, location = self.ROUTES.get(path, (404, None))
            if path == "/no-head" and head:
                status = 405
            done()
            handler.send_response(status)
            if location:
                handler.send_header("Location", location)
            handler.send_header("Content-Type", "text/plain")
            handler.send_header("Content-Length", "2")
            handler.end_headers()
            if not head:
                handler.wfile.write(b"ok")
        finally:
            done()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def refused_url() -> str:
    """An address on this machine where nothing listens: the connection is refused."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/story"


@pytest.fixture
def link_site(monkeypatch: pytest.MonkeyPatch) -> Iterator[LinkSite]:
    """The local site, reached directly even where a proxy is configured."""
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.setenv("NO_PROXY", "*")
    site = LinkSite()
    yield site
    site.close()
