"""Opening stores: defaults, migrations, and every kind of bad store, left untouched."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

from newsdesk.core.errors import StoreError
from newsdesk.core.models import Article
from newsdesk.core.ports import ArticleQuery
from newsdesk.store import open_store, resolve_url
from newsdesk.store.migrate import HEAD, KNOWN_REVISIONS, migration_scripts_head


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_known_revisions_match_the_migration_scripts() -> None:
    assert migration_scripts_head() == KNOWN_REVISIONS


def test_default_store_lives_in_the_user_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("NEWSDESK_DB", raising=False)
    url = resolve_url(None)
    assert url == f"sqlite:///{tmp_path / 'data' / 'newsdesk' / 'newsdesk.db'}"
    store = open_store(None)
    store.create(Article(headline="First"))
    store.close()
    assert (tmp_path / "data" / "newsdesk" / "newsdesk.db").stat().st_size > 0


def test_env_var_and_paths_select_the_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NEWSDESK_DB", str(tmp_path / "env.db"))
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'env.db'}"
    assert resolve_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"


def test_a_relative_sqlite_url_opens_the_file_beside_the_working_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    first = open_store("sqlite:///relative.db")
    first.create(Article(headline="Kept"))
    first.close()
    again = open_store("sqlite:///relative.db")  # an existing file: its state is read first
    assert [s.headline for s in again.list_page(ArticleQuery())] == ["Kept"]
    again.close()
    assert (tmp_path / "relative.db").is_file()


def test_sqlite_store_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "s.db"))
    store.create(Article(headline="x"))
    store.close()
    conn = sqlite3.connect(tmp_path / "s.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def _alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", "newsdesk.store:migrations")
    config.set_main_option("path_separator", "os")
    return config


def make_old_store(path: Path, revision: str) -> None:
    """A store as an older Newsdesk left it: migrated only up to ``revision``."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        config = _alembic_config(str(path))
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        conn.exec_driver_sql(
            "INSERT INTO article (uri, version, status, headline, kicker, standfirst, slug, "
            "slug_locked, byline, authors, dateline, section, tags_text, body, word_count, "
            "char_count, language, created_at, updated_at, seo_title, seo_description, "
            "canonical_url, editor_note) VALUES ('urn:x', 1, 'draft', 'Kept across upgrades', "
            "'', '', 'kept', 0, '', '[]', '', '', '', 'Body text', 2, 8, 'en-GB', "
            "'2026-01-01 00:00:00', '2026-01-01 00:00:00', '', '', '', '')"
        )
    engine.dispose()


def test_old_store_is_copied_aside_then_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_old_store(path, KNOWN_REVISIONS[0])
    before = digest(path)
    store = open_store(str(path))
    assert store.info().schema_revision == HEAD
    article = store.get_by_slug("kept")
    assert article.headline == "Kept across upgrades" and article.corrections == ()
    assert [h.summary.slug for h in store.search("upgrades")] == ["kept"]
    store.close()
    backups = list((tmp_path / "backups").glob("old-*-before-migration-0001.db"))
    assert len(backups) == 1
    conn = sqlite3.connect(backups[0])
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    assert conn.execute("SELECT headline FROM article").fetchone()[0] == "Kept across upgrades"
    conn.close()
    assert digest(path) != before


def test_store_from_a_newer_newsdesk_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    open_store(str(path)).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = digest(path)
    with pytest.raises(StoreError, match=r"newer Newsdesk.*not changed.*Update Newsdesk"):
        open_store(str(path))
    assert digest(path) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Dear editor,\nthis is a letter, not a database.\n" * 10, "not a Newsdesk store"),
        (b"\x00\x01binary" * 50, "not a Newsdesk store"),
    ],
)
def test_a_file_that_is_not_a_store_is_refused_untouched(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "letter.txt"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=message):
        open_store(str(path))
    assert path.read_bytes() == content


def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(StoreError, match="not a Newsdesk store"):
        open_store(str(path))
    assert digest(path) == before


def _filled_store(path: Path, count: int = 300) -> None:
    store = open_store(str(path))
    store.create_many([Article(headline=f"Story {i}", body="word " * 300) for i in range(count)])
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def test_truncated_store_is_reported_untouched(tmp_path: Path) -> None:
    path = tmp_path / "cut.db"
    _filled_store(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    before = digest(path)
    with pytest.raises(StoreError, match=r"damaged.*truncated.*not changed.*restore"):
        open_store(str(path))
    assert digest(path) == before


def test_corrupted_pages_are_reported_untouched(tmp_path: Path) -> None:
    path = tmp_path / "bad.db"
    _filled_store(path)
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page, after the header
    path.write_bytes(bytes(data))
    before = digest(path)
    with pytest.raises(StoreError, match="damaged"):
        open_store(str(path))
    assert digest(path) == before


def test_folder_and_missing_folder_are_explained(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        open_store(str(tmp_path))
    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "no" / "such" / "store.db"))


@pytest.fixture
def read_only_store(tmp_path: Path) -> Iterator[Path]:
    """A store file that cannot be written, even by root (immutable attribute)."""
    path = tmp_path / "ro.db"
    _filled_store(path, 3)
    if os.geteuid() == 0:
        chattr = shutil.which("chattr")
        assert chattr, "chattr is needed to make a file read-only for root"
        subprocess.run([chattr, "+i", str(path)], check=True)
        subprocess.run([chattr, "+i", str(tmp_path)], check=True)
        try:
            yield path
        finally:
            subprocess.run([chattr, "-i", str(tmp_path)], check=True)
            subprocess.run([chattr, "-i", str(path)], check=True)
    else:
        path.chmod(0o444)
        tmp_path.chmod(0o555)
        try:
            yield path
        finally:
            tmp_path.chmod(0o755)
            path.chmod(0o644)


def test_read_only_store_refuses_writes_with_a_clear_message(read_only_store: Path) -> None:
    before = digest(read_only_store)
    with pytest.raises(StoreError, match=r"read-only|cannot be opened"):
        store = open_store(str(read_only_store))
        store.create(Article(headline="Cannot land"))
    assert digest(read_only_store) == before


def test_read_only_store_opens_for_reading(read_only_store: Path) -> None:
    """A store on a read-only medium (no -wal or -shm beside it, a folder nobody may write):
    read, searched and copied; writes refused at once with what to do."""
    before = digest(read_only_store)
    store = open_store(str(read_only_store))
    try:
        assert "read-only" in store.info().read_only
        assert store.count(ArticleQuery()) == 3
        assert store.search("Story 1")[0].summary.headline == "Story 1"
        with pytest.raises(StoreError, match="you can read, search, export and back it up"):
            store.create(Article(headline="Cannot land"))
    finally:
        store.close()
    assert digest(read_only_store) == before
    assert sorted(p.name for p in read_only_store.parent.iterdir()) == ["ro.db"]


def test_a_server_store_open_for_reading_only_says_so() -> None:
    """An account or server that may only read (a standby, a read-only default)."""
    from tests.conftest import _reset_postgres, postgres_url

    url = postgres_url()
    _reset_postgres(url)
    open_store(url).close()  # created and migrated by a writer first
    reader = open_store(f"{url}?options=-c%20default_transaction_read_only%3Don")
    try:
        assert "read-only" in reader.info().read_only
        with pytest.raises(StoreError, match=r"read-only .*Ask its administrator"):
            reader.create(Article(headline="Cannot land"))
        assert reader.count(ArticleQuery()) == 0
    finally:
        reader.close()
    writer = open_store(url)
    try:
        assert writer.info().read_only == ""
    finally:
        writer.close()


def test_locked_store_is_reported_as_busy(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    open_store(str(path)).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store = open_store(str(path), busy_timeout=0.2)
        with pytest.raises(StoreError, match="busy: another program"):
            store.create(Article(headline="Waits"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    store.create(Article(headline="Lands once the lock is gone"))
    assert store.info().article_count == 1
    store.close()


def test_two_writers_queue_instead_of_failing(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    open_store(str(path)).close()
    errors: list[BaseException] = []

    def write(prefix: str) -> None:
        store = open_store(str(path))
        try:
            for i in range(20):
                store.create(Article(headline=f"{prefix} {i}"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=write, args=(p,)) for p in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    store = open_store(str(path))
    assert store.info().article_count == 40
    store.close()


def test_unreachable_postgres_is_explained() -> None:
    with pytest.raises(StoreError, match="Cannot reach the PostgreSQL server"):
        open_store("postgresql+psycopg://nobody@127.0.0.1:1/none", busy_timeout=1)


def test_postgres_url_password_is_never_shown() -> None:
    with pytest.raises(StoreError) as caught:
        open_store("postgresql+psycopg://editor:s3cret@127.0.0.1:1/none", busy_timeout=1)
    assert "s3cret" not in str(caught.value)
