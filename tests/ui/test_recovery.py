"""The window's backups: at start, daily, and a damaged store offered its newest good backup."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newsdesk import app
from newsdesk.core.models import Article
from newsdesk.store import open_store
from newsdesk.store.backup import create_backup, list_backups
from newsdesk.store.engine import DamagedStoreError
from newsdesk.ui.background.tasks import TaskRunner
from newsdesk.ui.saving.recovery import BackupOffer, BackupTimer, DamagedStoreDialog


def make_store(path: Path, count: int = 100) -> None:
    store = open_store(str(path))
    store.create_many([Article(headline=f"Story {i}", body="word " * 100) for i in range(count)])
    store.close()


def damage_pages(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    pages = len(data) // 4096
    for page in range(pages - 3, pages):
        data[page * 4096 + 10 : (page + 1) * 4096] = b"\x5a" * 4086
    path.write_bytes(bytes(data))
    return bytes(data)


def test_opening_the_window_backs_the_store_up_once_per_change(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.db"
    make_store(path, 3)
    store, backup = app.open_for_window(str(path))
    message = backup.result()
    store.close()
    (made,) = list_backups(path)
    assert made.reason == "start" and message == f"Backed up at start: {made.path}"
    store, backup = app.open_for_window(str(path))  # nothing changed: no second copy
    assert backup.result() == ""
    store.create(Article(headline="Typed today"))
    store.close()
    assert len(list_backups(path)) == 1
    store, backup = app.open_for_window(str(path))
    assert backup.result().startswith("Backed up at start")
    store.close()
    assert len(list_backups(path)) == 2


def test_a_start_backup_that_cannot_be_written_is_only_reported(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.db"
    make_store(path, 3)
    (tmp_path / "backups").write_text("a file where the folder should be")
    store, backup = app.open_for_window(str(path))
    try:
        assert backup.result().startswith("No backup was made at start: Could not write")
        assert store.info().article_count == 3
    finally:
        store.close()


def test_a_damaged_store_is_found_at_start_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.db"
    make_store(path)
    create_backup(path, "start", now=datetime.now(UTC) - timedelta(hours=1))
    damaged = damage_pages(path)
    store, backup = app.open_for_window(str(path))
    store.close()
    with pytest.raises(DamagedStoreError, match="damaged"):
        backup.result()
    assert path.read_bytes() == damaged
    assert len(list_backups(path)) == 1


def test_quitting_the_damaged_store_dialog_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: Any
) -> None:
    path = tmp_path / "newsroom.db"
    make_store(path)
    create_backup(path, "start")
    damaged = damage_pages(path)
    offers: list[BackupOffer | None] = []

    def choose_quit(self: DamagedStoreDialog) -> int:
        offers.append(self.offer)
        return DamagedStoreDialog.QUIT

    monkeypatch.setattr(DamagedStoreDialog, "exec_choice", choose_quit)
    assert app.recover_damaged_store(str(path), DamagedStoreError("damaged")) == (None, "")
    assert path.read_bytes() == damaged
    assert offers[0] is not None and offers[0].article_count == 100


def test_restoring_from_the_dialog_keeps_the_damaged_file_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: Any
) -> None:
    path = tmp_path / "newsroom.db"
    make_store(path)
    good = create_backup(path, "start")
    damaged = damage_pages(path)
    monkeypatch.setattr(DamagedStoreDialog, "exec_choice", lambda self: self.RESTORE)
    store, message = app.recover_damaged_store(str(path), DamagedStoreError("damaged"))
    assert store is not None
    try:
        assert store.info().article_count == 100
    finally:
        store.close()
    (aside,) = tmp_path.glob("newsroom.damaged-*.db")
    assert aside.read_bytes() == damaged
    assert message == f"Restored the backup {good.path.name}; the damaged store is kept as {aside}"


def test_the_window_opens_on_the_restored_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: Any
) -> None:
    from PySide6.QtWidgets import QApplication

    from newsdesk.ui.main_window import MainWindow

    path = tmp_path / "newsroom.db"
    make_store(path)
    create_backup(path, "start")
    damage_pages(path)
    monkeypatch.setattr(DamagedStoreDialog, "exec_choice", lambda self: self.RESTORE)
    monkeypatch.setattr(QApplication, "exec", lambda *args: 0)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    shown: list[MainWindow] = []
    show = MainWindow.show
    monkeypatch.setattr(MainWindow, "show", lambda self: (shown.append(self), show(self))[1])
    assert app.run_window(str(path)) == 0
    (window,) = shown
    try:
        assert window.statusBar().currentMessage().startswith("Restored the backup")
        assert window.library.model.rowCount() > 0
    finally:
        window.preview.shutdown()
        window.deleteLater()


def test_the_dialog_offers_restore_only_when_there_is_a_backup(qtbot: Any) -> None:
    offer = BackupOffer("/data/backups/newsroom-x-start.db", datetime.now(UTC), 44)
    dialog = DamagedStoreDialog("The store is damaged (malformed).", offer)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.restore_button.isVisible()
    assert "44 articles" in dialog.intro.text() and "newsroom-x-start.db" in dialog.intro.text()
    assert dialog.details.toPlainText() == "The store is damaged (malformed)."
    dialog.restore_button.click()
    assert dialog.choice == DamagedStoreDialog.RESTORE
    bare = DamagedStoreDialog("The store is damaged.", None)
    qtbot.addWidget(bare)
    bare.show()
    assert not bare.restore_button.isVisible() and bare.quit_button.isVisible()
    bare.quit_button.click()
    assert bare.choice == DamagedStoreDialog.QUIT


def test_the_daily_timer_backs_up_and_reports(qtbot: Any, tmp_path: Path) -> None:
    runner = TaskRunner()
    calls: list[int] = []

    def job() -> str:
        calls.append(1)
        return "Daily backup made: x" if len(calls) == 1 else ""

    timer = BackupTimer(job, runner, interval_ms=60_000)
    with qtbot.waitSignal(timer.reported, timeout=5000) as report:
        timer.run_now()
    assert report.args == ["Daily backup made: x"]

    def broken() -> str:
        raise OSError(28, "No space left on device")

    failing = BackupTimer(broken, runner)
    with qtbot.waitSignal(failing.reported, timeout=5000) as report:
        failing.run_now()
    assert report.args[0].startswith("Backup failed:") and "No space" in report.args[0]
    runner.wait()


def test_the_window_makes_its_daily_backup(
    qtbot: Any, make_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "newsroom.db"
    make_store(path, 2)
    create_backup(path, "start", now=datetime.now(UTC) - timedelta(hours=25))
    store = open_store(str(path))
    window = make_window(store)
    app.schedule_daily_backups(window, str(path))
    (timer,) = window.findChildren(BackupTimer)
    assert timer.timer.isActive() and timer.timer.interval() == BackupTimer.HOUR_MS
    store.create(Article(headline="Written this afternoon"))
    with qtbot.waitSignal(timer.reported, timeout=10_000):
        timer.run_now()
    daily = [b for b in list_backups(path) if b.reason == "daily"]
    assert len(daily) == 1
    assert window.statusBar().currentMessage() == f"Daily backup made: {daily[0].path}"
    copy = sqlite3.connect(f"{daily[0].path.as_uri()}?mode=ro", uri=True)
    try:
        rows = copy.execute("SELECT headline FROM article WHERE slug = 'written-this-afternoon'")
        assert rows.fetchall() == [("Written this afternoon",)]
    finally:
        copy.close()
