"""Backups of a SQLite store: consistent, checked, rotated, offered; restores lose nothing."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsdesk.core.errors import StoreError
from newsdesk.core.models import Article
from newsdesk.store import backup as backups
from newsdesk.store import open_store
from newsdesk.store.backup import (
    Backup,
    automatic_backup,
    backup_if_due,
    create_backup,
    kept,
    list_backups,
    newest_good_backup,
    restore_advice,
    rotate,
    start_backup,
)
from newsdesk.store.engine import DamagedStoreError
from newsdesk.store.restore import restore

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def headlines(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT headline FROM article ORDER BY headline")]
    finally:
        conn.close()


def make_store(path: Path, *names: str) -> None:
    store = open_store(str(path))
    store.create_many([Article(headline=name, body=f"The text of {name}.") for name in names])
    store.close()


def damage_pages(path: Path, pages: int = 3) -> None:
    """Garbage over the last pages: the file still opens, its check fails."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    size = 4096
    for page in range(len(data) // size - pages, len(data) // size):
        data[page * size + 10 : (page + 1) * size] = b"\x5a" * (size - 10)
    path.write_bytes(bytes(data))


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_backup_is_a_consistent_checked_copy_while_another_connection_writes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "newsroom.db"
    make_store(path, "Alpha", "Beta")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE article SET headline = 'Half-written' WHERE headline = 'Alpha'")
    try:
        made = create_backup(path, "start", now=NOW)  # readers are not blocked in WAL mode
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert made.path == tmp_path / "backups" / "newsroom-20260320T120000.000Z-start.db"
    assert headlines(made.path) == ["Alpha", "Beta"]
    assert files_in(tmp_path / "backups") == [made.path.name]  # self-contained, no partial
    conn = sqlite3.connect(made.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_names_sort_by_time_and_other_files_are_not_backups(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.db"
    make_store(path, "Alpha")
    older = create_backup(path, "daily", now=NOW - timedelta(days=1))
    newer = create_backup(path, "start", now=NOW)
    again = create_backup(path, "start", now=NOW)  # the same millisecond: the next one
    folder = tmp_path / "backups"
    (folder / "notes.txt").write_text("mine")
    (folder / "other-20260320T120000.000Z-start.db").write_bytes(newer.path.read_bytes())
    (folder / "newsroom-copy.db").write_bytes(newer.path.read_bytes())
    found = list_backups(path)
    assert [b.path for b in found] == [again.path, newer.path, older.path]
    assert again.path.name == "newsroom-20260320T120000.001Z-start.db"
    assert found[-1].taken_at == NOW - timedelta(days=1) and found[-1].reason == "daily"


def _synthetic(now: datetime, days: int, per_day: int) -> list[Backup]:
    made = []
    for day in range(days):
        for hour in range(per_day):
            moment = now - timedelta(days=day, hours=hour * 3)
            made.append(Backup(Path(f"{moment.isoformat()}.db"), moment, "start"))
    return made


def test_rotation_keeps_the_newest_one_a_day_for_a_week_and_one_a_week_for_a_month() -> None:
    made = _synthetic(NOW, days=60, per_day=3)
    keep = kept(made, NOW)
    by_path = {b.path: b for b in made}
    moments = sorted((by_path[p].taken_at for p in keep), reverse=True)
    newest = sorted((b.taken_at for b in made), reverse=True)
    assert moments[: backups.KEEP_NEWEST] == newest[: backups.KEEP_NEWEST]
    days = {m.date() for m in moments}
    assert {(NOW - timedelta(days=d)).date() for d in range(backups.KEEP_DAYS)} <= days
    weeks = {m.isocalendar()[:2] for m in moments}
    assert {(NOW - timedelta(weeks=w)).isocalendar()[:2] for w in range(4)} <= weeks
    assert min(moments) > NOW - timedelta(weeks=backups.KEEP_WEEKS)  # the rest goes
    assert len(keep) <= backups.KEEP_NEWEST + backups.KEEP_DAYS + backups.KEEP_WEEKS
    # A journalist back after two months keeps the newest backups, however old.
    assert len(kept(made, NOW + timedelta(days=60))) == backups.KEEP_NEWEST


def test_rotation_deletes_only_automatic_backups_it_made(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.db"
    make_store(path, "Alpha")
    folder = tmp_path / "backups"
    precious = [
        create_backup(path, "before-migration-0001", now=NOW - timedelta(days=90)),
        create_backup(path, "before-restore", now=NOW - timedelta(days=80)),
        create_backup(path, "manual", now=NOW - timedelta(days=70)),
    ]
    foreign = folder / "newsroom-old-start.db"
    foreign.write_bytes(b"someone's own file")
    automatic = [
        create_backup(path, "start", now=NOW - timedelta(days=d, hours=h))
        for d in range(40) for h in (0, 6)
    ]  # fmt: skip
    before = {p: digest(p) for p in [*(b.path for b in precious), foreign]}
    deleted = rotate(path, now=NOW)
    remaining = {b.path for b in list_backups(path)}
    assert set(deleted) == {b.path for b in automatic} - remaining
    assert len(remaining & {b.path for b in automatic}) <= 19 < len(automatic)
    assert {p: digest(p) for p in before} == before
    assert automatic[0].path in remaining  # the newest


def test_an_unchanged_store_is_not_copied_again(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.db"
    make_store(path, "Alpha")
    first = automatic_backup(path, "start", now=NOW)
    assert first is not None
    assert automatic_backup(path, "start", now=NOW + timedelta(hours=1)) is None
    store = open_store(str(path))
    article = store.get_by_slug("alpha")
    store.save(article.edited(body="A later paragraph."))
    store.close()
    second = automatic_backup(path, "start", now=NOW + timedelta(hours=2))
    assert second is not None and [b.path for b in list_backups(path)] == [
        second.path,
        first.path,
    ]


def test_the_daily_backup_waits_a_day_after_the_last_automatic_one(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.db"
    make_store(path, "Alpha")
    assert backup_if_due(path, now=NOW) is not None  # none yet: due
    make_store(path, "Beta")
    assert backup_if_due(path, now=NOW + timedelta(hours=23)) is None
    made = backup_if_due(path, now=NOW + timedelta(hours=24))
    assert made is not None and made.reason == "daily"
    assert headlines(made.path) == ["Alpha", "Beta"]


def test_a_damaged_store_makes_no_backup_and_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.db"
    make_store(path, *(f"Story {i}" for i in range(100)))
    good = create_backup(path, "start", now=NOW)
    damage_pages(path)
    before = digest(path)
    with pytest.raises(DamagedStoreError) as caught:
        start_backup(path, now=NOW + timedelta(hours=1))
    message = str(caught.value)
    assert "itself is damaged and was not changed" in message
    assert f"The newest good backup is {good.path}" in message
    assert f"newsdesk --db {path} restore {good.path}" in message
    assert files_in(tmp_path / "backups") == [good.path.name]  # no partial, no bad copy
    assert digest(path) == before


def test_the_newest_good_backup_skips_damaged_ones(tmp_path: Path) -> None:
    path = tmp_path / "my store.db"
    make_store(path, "Alpha", "Beta")
    good = create_backup(path, "start", now=NOW)
    bad = create_backup(path, "start", now=NOW + timedelta(hours=1))
    bad.path.write_bytes(bad.path.read_bytes()[:5000])
    found = newest_good_backup(path)
    assert found is not None and found[0].path == good.path and found[1].article_count == 2
    advice = restore_advice(path)
    assert f"newsdesk --db '{path}' restore '{good.path}'" in advice  # quoted for the shell
    assert "2 articles" in advice


def test_opening_a_truncated_store_names_the_newest_good_backup(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.db"
    make_store(path, *(f"Story {i}" for i in range(100)))
    good = create_backup(path, "start", now=NOW)
    path.write_bytes(path.read_bytes()[:20_000])
    with pytest.raises(DamagedStoreError, match="truncated") as caught:
        open_store(str(path))
    assert f"restore {good.path}" in str(caught.value)


def test_opening_a_store_with_bad_pages_names_the_newest_good_backup(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.db"
    make_store(path, *(f"Story {i}" for i in range(100)))
    good = create_backup(path, "start", now=NOW)
    damage_pages(path, pages=path.stat().st_size // 4096 - 1)  # all but the first
    with pytest.raises(DamagedStoreError, match="malformed") as caught:
        open_store(str(path))
    message = str(caught.value)
    assert f"The store {path} is damaged" in message
    assert message.count("The newest good backup is") == 1
    assert f"newsdesk --db {path} restore {good.path}" in message


def test_damage_met_while_working_names_the_newest_good_backup(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.db"
    make_store(path, *(f"Story {i}" for i in range(100)))
    good = create_backup(path, "start", now=NOW)
    damage_pages(path, pages=10)  # the tables opening reads are whole; the articles are not
    store = open_store(str(path))
    try:
        with pytest.raises(DamagedStoreError, match="malformed") as caught:
            list(store.iter_articles())
    finally:
        store.close()
    message = str(caught.value)
    assert f"The store {path} is damaged" in message
    assert message.count("The newest good backup is") == 1
    assert f"newsdesk --db {path} restore {good.path}" in message


def test_a_migration_that_cannot_be_backed_up_first_does_not_run(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:  # a store as an older Newsdesk left it
        config = Config()
        config.set_main_option("script_location", "newsdesk.store:migrations")
        config.set_main_option("path_separator", "os")
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    engine.dispose()
    (tmp_path / "backups").write_text("a file where the folder should be")
    before = digest(path)
    with pytest.raises(StoreError, match="could not back it up first, so it was not changed"):
        open_store(str(path))
    assert digest(path) == before


# -- restoring ------------------------------------------------------------------------


def test_restore_refuses_a_store_holding_newer_work_unless_forced(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.db"
    make_store(path, "Alpha")
    made = create_backup(path, "start", now=NOW)
    store = open_store(str(path))
    store.save(store.get_by_slug("alpha").edited(body="Written after the backup."))
    store.create(Article(headline="Gamma"))
    store.close()
    before = digest(path)
    with pytest.raises(StoreError, match=r"2 articles changed or added.*--force") as caught:
        restore(path, made.path)
    assert "Gamma" in str(caught.value) or "Alpha" in str(caught.value)
    assert digest(path) == before
    done = restore(path, made.path, force=True)
    assert headlines(path) == ["Alpha"]
    assert done.kept is not None and headlines(done.kept.path) == ["Alpha", "Gamma"]
    store = open_store(str(path))
    assert store.get_by_slug("alpha").body == "The text of Alpha."
    store.close()
    assert not [n for n in files_in(tmp_path) if n.startswith(".")]


def test_restore_without_newer_work_needs_no_force(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.db"
    make_store(path, "Alpha", "Beta")
    made = create_backup(path, "start", now=NOW)
    store = open_store(str(path))
    store.delete(store.get_by_slug("beta").uri)  # deleting loses nothing the backup holds
    store.close()
    restore(path, made.path)
    assert headlines(path) == ["Alpha", "Beta"]


@pytest.mark.parametrize("damage", ["truncated", "pages", "not sqlite", "newer schema"])
def test_restore_refuses_a_bad_backup_and_changes_nothing(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "newsroom.db"
    make_store(path, *(f"Story {i}" for i in range(100)))
    source = create_backup(path, "manual", now=NOW).path
    if damage == "truncated":
        source.write_bytes(source.read_bytes()[:30_000])
    elif damage == "pages":
        damage_pages(source)
    elif damage == "not sqlite":
        source.write_text("Dear editor, this is a letter.\n" * 20)
    else:
        conn = sqlite3.connect(source)
        conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
        conn.commit()
        conn.close()
    before = digest(path)
    expected = {
        "truncated": "damaged",
        "pages": "damaged",
        "not sqlite": "not a Newsdesk store",
        "newer schema": "newer Newsdesk",
    }[damage]
    with pytest.raises(StoreError, match=f"{expected}.*Nothing was changed"):
        restore(path, source, force=True)
    assert digest(path) == before
    assert not [n for n in files_in(tmp_path) if n.startswith(".")]


def test_restore_over_a_damaged_store_keeps_it_aside(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.db"
    make_store(path, *(f"Story {i}" for i in range(100)))
    good = create_backup(path, "start", now=NOW)
    damage_pages(path)
    damaged = path.read_bytes()
    done = restore(path, good.path)  # no --force needed: the damaged file is kept
    assert done.set_aside is not None and done.set_aside.read_bytes() == damaged
    assert done.set_aside.name.startswith("newsroom.damaged-")
    store = open_store(str(path))
    assert store.info().article_count == 100
    store.close()


def test_restore_refuses_a_store_another_program_has_open(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.db"
    make_store(path, "Alpha")
    made = create_backup(path, "start", now=NOW)
    store = open_store(str(path))
    store.create(Article(headline="Typed in the open window"))
    try:
        with pytest.raises(StoreError, match="open in another program"):
            restore(path, made.path, force=True)
        assert store.get_by_slug("typed-in-the-open-window").headline
    finally:
        store.close()
    assert headlines(path) == ["Alpha", "Typed in the open window"]


def test_a_failed_swap_leaves_the_store_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "newsroom.db"
    make_store(path, "Alpha")
    made = create_backup(path, "start", now=NOW)
    make_store(path, "Beta")

    def no_space(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    with pytest.raises(StoreError, match=r"No space left.*not changed"):
        restore(path, made.path, force=True)
    monkeypatch.undo()
    assert headlines(path) == ["Alpha", "Beta"]
    store = open_store(str(path))  # and it is still a healthy store
    assert store.get_by_slug("beta").body == "The text of Beta."
    store.close()
    assert not [n for n in files_in(tmp_path) if n.startswith(".")]


def test_restore_into_a_missing_store_creates_it(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.db"
    make_store(path, "Alpha")
    made = create_backup(path, "manual", now=NOW)
    fresh = tmp_path / "elsewhere" / "restored.db"
    fresh.parent.mkdir()
    restore(fresh, made.path)
    assert headlines(fresh) == ["Alpha"]
