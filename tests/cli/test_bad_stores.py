"""Every bad store gets a clear message on the command line, exit 1, and no change."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk.core.models import Article
from newsdesk.store import open_store


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def newsdesk(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsdesk", *argv], capture_output=True, text=True, check=False
    )


def make_store(path: Path) -> None:
    store = open_store(str(path))
    store.create_many([Article(headline=f"Story {i}", body="text " * 200) for i in range(50)])
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def test_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    make_store(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = sha(path)
    result = newsdesk("--db", str(path), "list")
    assert result.returncode == 1
    assert "written by a newer Newsdesk" in result.stderr and "Traceback" not in result.stderr
    assert sha(path) == before


def test_truncated(tmp_path: Path) -> None:
    path = tmp_path / "cut.db"
    make_store(path)
    path.write_bytes(path.read_bytes()[:12_000])
    before = sha(path)
    result = newsdesk("--db", str(path), "new", "--headline", "x")
    assert result.returncode == 1 and "damaged" in result.stderr
    assert sha(path) == before


def test_locked(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    make_store(path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = subprocess.run(
            [sys.executable, "-c",
             "import sys; from newsdesk import cli; from newsdesk.store import open_store;"
             "argv = ['--db', sys.argv[1], 'new', '--headline', 'x'];"
             "args = cli.build_parser().parse_args(argv);"
             "sys.exit(cli.run(args, store_opener=lambda db: open_store(db, busy_timeout=0.3)))",
             str(path)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 1
    assert "busy: another program is writing" in result.stderr
    store = open_store(str(path))
    assert store.info().article_count == 50
    store.close()


def test_unreachable_postgres() -> None:
    result = newsdesk("--db", "postgresql+psycopg://desk@127.0.0.1:9/newsroom", "list")
    assert result.returncode == 1
    assert "Cannot reach the PostgreSQL server" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("url", ["mysql://x@y/z", "nonsense://", "sqlite:///:memory:x/y"])
def test_unusable_urls(url: str) -> None:
    result = newsdesk("--db", url, "list")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr.startswith("newsdesk: error:")
