"""Shared fixtures: real stores on SQLite and PostgreSQL; Qt set up to run headless."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Qt and QtWebEngine headless, as root, without touching the user's folders
# (see ../shared/ci/HEADLESS-QT.md). Set before anything imports Qt.
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


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to a fresh, empty store on each engine."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
    else:
        url = postgres_url()
        _reset_postgres(url)
        yield url


@pytest.fixture
def store(store_url: str) -> Iterator[object]:
    from newsdesk.store import open_store

    opened = open_store(store_url)
    yield opened
    opened.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[object]:
    from newsdesk.store import open_store

    opened = open_store(str(tmp_path / "store.db"))
    yield opened
    opened.close()
