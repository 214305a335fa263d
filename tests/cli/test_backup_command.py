"""``newsdesk backup``, ``restore`` and ``backups``: files on disk, rows in the store."""

from __future__ import annotations

import hashlib
import json
import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk import cli
from newsdesk.core.models import Article
from newsdesk.store import open_store

from .helpers import run


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def headlines(url_or_path: str) -> list[str]:
    store = open_store(url_or_path)
    try:
        return sorted(a.headline for a in store.iter_articles())
    finally:
        store.close()


def make_store(path: Path, *names: str) -> None:
    store = open_store(str(path))
    store.create_many([Article(headline=name, body=f"The text of {name}.") for name in names])
    store.close()


def test_backup_to_a_folder_then_restore_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "newsroom.db"
    make_store(db, "Alpha", "Beta")
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    code, out, err = run(capsys, "--db", str(db), "backup", str(shelf))
    assert code == 0, err
    (copy,) = shelf.iterdir()
    assert copy.name.startswith("newsroom-") and copy.name.endswith("-manual.db")
    assert f"Backed up {db} to {copy} (2 articles; checked)" in out
    assert headlines(str(copy)) == ["Alpha", "Beta"]
    make_store(db, "Gamma")  # work after the backup
    before = digest(db)
    code, _, err = run(capsys, "--db", str(db), "restore", str(copy))
    assert code == 1
    assert "1 article changed or added" in err and "Gamma" in err and "--force" in err
    assert digest(db) == before
    code, out, err = run(capsys, "--db", str(db), "restore", "--force", str(copy))
    assert code == 0, err
    assert headlines(str(db)) == ["Alpha", "Beta"]
    kept = next((tmp_path / "backups").glob("newsroom-*-before-restore.db"))
    assert f"The store as it was is kept as {kept}" in out
    assert headlines(str(kept)) == ["Alpha", "Beta", "Gamma"]


def test_backup_to_a_file_never_overwrites(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "newsroom.db"
    make_store(db, "Alpha")
    target = tmp_path / "friday.db"
    target.write_text("the web team's own file")
    code, _, err = run(capsys, "--db", str(db), "backup", str(target))
    assert code == 1 and "already exists" in err
    assert target.read_text() == "the web team's own file"
    code, _, err = run(capsys, "--db", str(db), "backup", str(tmp_path / "no" / "x.db"))
    assert code == 1 and "does not exist" in err
    code, _, err = run(capsys, "--db", str(db), "backup", str(tmp_path / "monday.db"))
    assert code == 0 and headlines(str(tmp_path / "monday.db")) == ["Alpha"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_backup_as_json_and_restore_from_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "newsroom.db"
    make_store(db, "Alpha", "Beta")
    archive = tmp_path / "all.json"
    code, out, _ = run(capsys, "--db", str(db), "backup", str(archive))
    assert code == 0 and "a JSON archive, 2 articles" in out
    assert [a["headline"] for a in json.loads(archive.read_text())["articles"]] == [
        "Alpha",
        "Beta",
    ]
    store = open_store(str(db))
    store.delete(store.get_by_slug("beta").uri)
    store.close()
    code, out, err = run(capsys, "--db", str(db), "restore", str(archive))
    assert code == 0, err
    assert headlines(str(db)) == ["Alpha", "Beta"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_damaged_store_names_the_backup_and_the_exact_command(tmp_path: Path) -> None:
    db = tmp_path / "news room.db"  # a space: the command must quote it
    make_store(db, *(f"Story {i}" for i in range(60)))
    code = cli.main(["--db", str(db), "backup", str(tmp_path)])
    assert code == 0
    from newsdesk.store.backup import create_backup

    good = create_backup(db, "start")
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    db.write_bytes(db.read_bytes()[:20_000])
    damaged = db.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk", "--db", str(db), "list"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert db.read_bytes() == damaged
    command = result.stderr.split("keeping the damaged file aside: ")[1].strip()
    assert command == f"newsdesk --db '{db}' restore '{good.path}'"
    argv = shlex.split(command)[1:]
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk", *argv], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "The damaged store was moved aside to" in result.stdout
    (aside,) = tmp_path.glob("news room.damaged-*.db")
    assert aside.read_bytes() == damaged
    assert len(headlines(str(db))) == 60


def test_backups_lists_and_checks(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from newsdesk.store.backup import create_backup

    db = tmp_path / "newsroom.db"
    make_store(db, "Alpha")
    code, out, _ = run(capsys, "--db", str(db), "backups")
    assert code == 0 and "No backups" in out
    good = create_backup(db, "start")
    bad = create_backup(db, "daily")
    bad.path.write_bytes(b"broken")
    code, out, _ = run(capsys, "--db", str(db), "backups", "--check")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    assert str(bad.path) in lines[0] and "NOT USABLE" in lines[0]
    assert str(good.path) in lines[1] and "ok, 1 article" in lines[1]


def empty_database(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_postgres_backup_is_a_json_archive_and_restores_only_into_an_empty_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, store_url: str
) -> None:
    pg_url = store_url
    store = open_store(pg_url)
    store.create_many([Article(headline="Alpha"), Article(headline="Beta")])
    store.close()
    code, out, err = run(capsys, "--db", pg_url, "backup", str(tmp_path))
    assert code == 0, err
    (archive,) = tmp_path.glob("newsdesk-*.json")
    assert len(json.loads(archive.read_text())["articles"]) == 2
    code, _, err = run(capsys, "--db", pg_url, "restore", "--force", str(archive))
    assert code == 1 and "already holds 2 articles" in err and "never overwrites" in err
    assert headlines(pg_url) == ["Alpha", "Beta"]
    code, _, err = run(capsys, "--db", pg_url, "restore", str(tmp_path / "x.db"))
    assert code == 1 and "not a JSON archive" in err
    empty_database(pg_url)
    code, out, err = run(capsys, "--db", pg_url, "restore", str(archive))
    assert code == 0, err
    assert headlines(pg_url) == ["Alpha", "Beta"]
    code, out, _ = run(capsys, "--db", pg_url, "backups")
    assert code == 0 and "SQLite stores" in out


def test_relative_paths_work(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    make_store(tmp_path / "newsroom.db", "Alpha")
    code, _, err = run(capsys, "--db", "newsroom.db", "backup", "copy.db")
    assert code == 0, err
    make_store(tmp_path / "newsroom.db", "Beta")
    code, _, err = run(capsys, "--db", "newsroom.db", "restore", "--force", "copy.db")
    assert code == 0, err
    assert headlines(str(tmp_path / "newsroom.db")) == ["Alpha"]
