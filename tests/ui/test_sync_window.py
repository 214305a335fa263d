"""Sync in the window: the status bar's line, File ▸ Sync now, background syncs that bring
the desk's changes into the library and the open story, sync conflicts in the bar, and
Settings ▸ Newsroom. A SQLite laptop and the real PostgreSQL newsroom server."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.store.sync_helpers import server_url

from newsdesk.core.errors import StoreError
from newsdesk.core.history import MANUAL
from newsdesk.core.models import Article
from newsdesk.core.ports import SyncResult, SyncStatus
from newsdesk.store import SqlStore, open_store
from newsdesk.store.sync import sync_local
from newsdesk.store.sync.sync import sync
from newsdesk.store.sync.sync_service import StoreSync, connection_problem
from newsdesk.ui.sync.sync_driver import SyncDriver

REFUSED = "postgresql://newsdesk@127.0.0.1:9/nowhere"  # the discard port: nothing listens


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[SqlStore]:
    store = open_store(str(tmp_path / "laptop.db"))
    yield store
    store.close()


@pytest.fixture
def newsroom() -> Iterator[SqlStore]:
    store = open_store(server_url())
    yield store
    store.close()


@pytest.fixture
def manual_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No background sync unless a test asks for one."""
    monkeypatch.setattr(SyncDriver, "FIRST_MS", 3_600_000)
    monkeypatch.setattr(SyncDriver, "AFTER_SAVE_MS", 3_600_000)


@pytest.fixture
def sync_window(qtbot: Any, settings_store: Any) -> Iterator[Callable[[SqlStore], Any]]:
    from newsdesk.ui.main_window import MainWindow

    windows: list[Any] = []

    def make(store: SqlStore) -> Any:
        window = MainWindow(store, settings_store, sync=StoreSync(store))
        qtbot.addWidget(window)
        window.resize(1400, 900)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.syncing.stop()
        window.tasks.wait(20_000)
        window.session.flush()
        window.preview.shutdown()


def line(window: Any) -> str:
    return str(window.syncing.driver.label.text())


def headlines(window: Any) -> list[str]:
    model = window.library.model
    return [str(model.data(model.index(row, 0))) for row in range(model.rowCount())]


def attach(laptop: SqlStore, newsroom: SqlStore) -> None:
    StoreSync(laptop).set_server(newsroom.url)


def test_the_line_counts_what_waits_and_sync_now_sends_it(
    qtbot: Any, sync_window: Any, laptop: SqlStore, newsroom: SqlStore, manual_only: None
) -> None:
    for headline in ("Ferry strike ends", "Council vote"):
        laptop.create(Article(headline=headline, body="Filed from the road."))
    attach(laptop, newsroom)
    window = sync_window(laptop)
    qtbot.waitUntil(lambda: line(window) == "synced never · 2 to send", timeout=5000)
    window.commands.sync.trigger()
    qtbot.waitUntil(lambda: line(window) == "synced just now · 0 to send", timeout=30_000)
    assert sorted(a.headline for a in newsroom.iter_articles()) == [
        "Council vote",
        "Ferry strike ends",
    ]
    assert "Synced: sent 2" in window.statusBar().currentMessage()


def test_offline_says_so_and_each_failed_attempt_waits_longer(
    qtbot: Any, sync_window: Any, laptop: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SyncDriver, "INTERVAL_MS", 300)
    monkeypatch.setattr(SyncDriver, "FIRST_MS", 0)
    laptop.create(Article(headline="Train delayed", body="Filed offline."))
    StoreSync(laptop).set_server(REFUSED)
    window = sync_window(laptop)
    driver = window.syncing.driver
    qtbot.waitUntil(lambda: driver.failures >= 3, timeout=30_000)
    assert line(window) == "offline: 1 to send"
    assert "connection refused" in driver.label.toolTip().lower()
    assert 600 < driver.wait_ms() <= 1200  # 300, 600, then 1200 ms
    window.syncing.stop()


class SlowService:
    """A sync service whose sync waits for the test: counts how many run at once."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.running = self.most = self.calls = 0
        self.lock = threading.Lock()

    def server(self) -> str | None:
        return "postgresql://desk@newsroom/newsdesk"

    def status(self, *, reach: bool = False) -> SyncStatus:
        return SyncStatus(self.server(), None, 0, 0, 0, None, None)

    def sync(self, progress: Any) -> SyncResult:
        with self.lock:
            self.calls += 1
            self.running += 1
            self.most = max(self.most, self.running)
        self.release.wait(10)
        with self.lock:
            self.running -= 1
        return SyncResult("Synced: sent 0, received 0.", 0, 0)

    def conflicts(self) -> list[Any]:
        return []


def test_never_two_syncs_at_once_and_one_asked_for_meanwhile_runs_after(qtbot: Any) -> None:
    from PySide6.QtWidgets import QWidget

    from newsdesk.ui.background.tasks import TaskRunner

    holder = QWidget()  # Qt owns and deletes all of it with the test, not Python's GC
    qtbot.addWidget(holder)
    service = SlowService()
    tasks = TaskRunner(holder, threads=4)
    driver = SyncDriver(service, tasks, holder)  # type: ignore[arg-type]
    driver.label.setParent(holder)
    assert driver.sync_now()
    qtbot.waitUntil(lambda: service.running == 1, timeout=5000)
    assert not driver.sync_now()  # asked again while it runs
    driver.saved()  # and a save meanwhile
    service.release.set()
    qtbot.waitUntil(lambda: service.calls == 2 and not driver.running, timeout=10_000)
    assert service.most == 1
    driver.stop()
    tasks.wait()


def test_a_background_sync_brings_the_desks_change_into_the_library_and_the_open_story(
    qtbot: Any,
    sync_window: Any,
    laptop: SqlStore,
    newsroom: SqlStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    filed = laptop.create(Article(headline="Flood on the ring road", body="Water rose."))
    sync(laptop, newsroom.url, server=newsroom)
    at_desk = newsroom.get(filed.uri)
    newsroom.save(
        at_desk.edited(headline="Flood closes the ring road", body="Water rose. Drivers rescued."),
        reason=MANUAL,
    )
    monkeypatch.setattr(SyncDriver, "FIRST_MS", 1500)  # the story is open by then
    window = sync_window(laptop)
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
    assert window.editor.form.headline.text() == "Flood on the ring road"
    qtbot.waitUntil(
        lambda: window.editor.form.headline.text() == "Flood closes the ring road", timeout=30_000
    )
    assert window.editor.body.toPlainText() == "Water rose. Drivers rescued."
    qtbot.waitUntil(lambda: headlines(window) == ["Flood closes the ring road"], timeout=5000)
    assert window.session.stored.version == laptop.get(filed.uri).version
    window.editor.body.setFocus()
    window.editor.body.moveCursor(window.editor.body.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor.body, " More.")
    assert window.session.flush()  # saved over the synced version: no false conflict
    assert laptop.get(filed.uri).body == "Water rose. Drivers rescued. More."


def test_unsaved_edits_are_not_replaced_the_save_offers_the_choice(
    qtbot: Any, sync_window: Any, laptop: SqlStore, newsroom: SqlStore, manual_only: None
) -> None:
    filed = laptop.create(Article(headline="Budget leak", body="Base."))
    sync(laptop, newsroom.url, server=newsroom)
    newsroom.save(newsroom.get(filed.uri).edited(body="Desk's text."), reason=MANUAL)
    window = sync_window(laptop)
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
    # The edit stays unsaved through the sync, however long the sync takes (the autosave's
    # 1.5 s bound would otherwise write it first on a slow machine, and the sync would meet
    # it as a sync conflict instead: another test).
    window.session.MAX_WAIT_MS = window.session.MAX_DELAY_MS = 600_000
    window.session.set_delay(600_000)
    window.editor.body.setFocus()
    window.editor.body.moveCursor(window.editor.body.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor.body, " Mine.")
    assert window.session.pending is not None
    window.syncing.driver.sync_now()
    qtbot.waitUntil(lambda: not window.syncing.driver.running, timeout=30_000)
    assert window.editor.body.toPlainText() == "Base. Mine."  # not replaced under the cursor
    assert not window.session.flush()  # the save meets the desk's version
    assert window.conflict_bar.isVisible() and window.conflict_bar.sync_uri is None
    assert "saved elsewhere" in window.conflict_bar.message.text()


def conflicted(laptop: SqlStore, newsroom: SqlStore) -> Article:
    """A story changed at the desk and on the laptop since their last sync."""
    filed = laptop.create(Article(headline="Pier collapse", body="Base text."))
    sync(laptop, newsroom.url, server=newsroom)
    newsroom.save(newsroom.get(filed.uri).edited(body="The desk's text."), reason=MANUAL)
    laptop.save(laptop.get(filed.uri).edited(body="The reporter's text."), reason=MANUAL)
    return filed


def test_a_sync_conflict_is_offered_in_the_bar_and_take_theirs_resolves_it(
    qtbot: Any, sync_window: Any, laptop: SqlStore, newsroom: SqlStore, manual_only: None
) -> None:
    filed = conflicted(laptop, newsroom)
    window = sync_window(laptop)
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
    window.commands.sync.trigger()
    bar = window.conflict_bar
    qtbot.waitUntil(bar.isVisible, timeout=30_000)
    assert bar.sync_uri == filed.uri
    assert "changed at the newsroom and on this computer" in bar.message.text()
    assert window.editor.body.toPlainText() == "The reporter's text."
    assert "1 to choose" in line(window)
    bar.compare.click()
    assert bar.dialog is not None and "The desk's text." in bar.dialog.diff.toPlainText()
    bar.take.click()
    assert bar.isHidden()
    assert window.editor.body.toPlainText() == "The desk's text."
    assert sync_local.conflicts(laptop) == []
    assert laptop.get(filed.uri).body == "The desk's text."
    bodies = {str(r.snapshot["body"]) for r in laptop.revisions(filed.uri)}
    assert "The reporter's text." in bodies
    window.commands.sync.trigger()
    qtbot.waitUntil(lambda: line(window) == "synced just now · 0 to send", timeout=30_000)
    assert newsroom.get(filed.uri).body == "The desk's text."


def test_a_slow_choice_leaves_the_window_free_and_nothing_typed_meanwhile_is_lost(
    qtbot: Any, sync_window: Any, laptop: SqlStore, newsroom: SqlStore, manual_only: None
) -> None:
    import time

    from PySide6.QtCore import Qt

    filed = conflicted(laptop, newsroom)
    window = sync_window(laptop)
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
    window.commands.sync.trigger()
    bar = window.conflict_bar
    qtbot.waitUntil(bar.isVisible, timeout=30_000)
    service = window.syncing.service
    release, resolve = threading.Event(), service.resolve

    def held_resolve(uri: str, *, keep_mine: bool) -> Article:
        release.wait(8)  # the store is slow to answer
        return resolve(uri, keep_mine=keep_mine)

    service.resolve = held_resolve
    started = time.perf_counter()
    bar.take.click()
    assert time.perf_counter() - started < 1.0  # the window did not wait for the store
    assert "Taking the newsroom's version" in window.statusBar().currentMessage()
    assert not window.editor.isEnabled() and not bar.isEnabled()  # nothing typed is lost
    qtbot.keyClick(window.editor.body, Qt.Key.Key_X)
    release.set()
    qtbot.waitUntil(bar.isHidden, timeout=10_000)
    assert window.editor.isEnabled() and bar.isEnabled()
    assert window.editor.body.toPlainText() == "The desk's text."
    assert laptop.get(filed.uri).body == "The desk's text."
    assert sync_local.conflicts(laptop) == []


def test_a_choice_that_lands_after_another_story_was_opened_leaves_that_story_on_screen(
    qtbot: Any, sync_window: Any, laptop: SqlStore, newsroom: SqlStore, manual_only: None
) -> None:
    filed = conflicted(laptop, newsroom)
    other = laptop.create(Article(headline="Ferry timetable", body="The other story."))
    window = sync_window(laptop)
    window.open_article(filed.uri)
    qtbot.waitUntil(lambda: window.session.stored.uri == filed.uri, timeout=5000)
    window.commands.sync.trigger()
    bar = window.conflict_bar
    qtbot.waitUntil(bar.isVisible, timeout=30_000)
    service = window.syncing.service
    release, resolve = threading.Event(), service.resolve

    def held_resolve(uri: str, *, keep_mine: bool) -> Article:
        release.wait(8)
        return resolve(uri, keep_mine=keep_mine)

    service.resolve = held_resolve
    bar.take.click()
    window.open_article(other.uri)  # the library stays usable while the choice is out
    qtbot.waitUntil(lambda: window.session.stored.uri == other.uri, timeout=10_000)
    release.set()
    qtbot.waitUntil(lambda: sync_local.conflicts(laptop) == [], timeout=10_000)
    qtbot.wait(200)
    assert window.session.stored.uri == other.uri
    assert window.editor.body.toPlainText() == "The other story."
    assert window.editor.isEnabled()
    assert laptop.get(filed.uri).body == "The desk's text."


def test_keep_mine_in_the_bar_sends_the_reporters_text_to_the_desk(
    qtbot: Any, sync_window: Any, laptop: SqlStore, newsroom: SqlStore, manual_only: None
) -> None:
    filed = conflicted(laptop, newsroom)
    window = sync_window(laptop)
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
    window.commands.sync.trigger()
    bar = window.conflict_bar
    qtbot.waitUntil(bar.isVisible, timeout=30_000)
    window.editor.body.setFocus()
    window.editor.body.moveCursor(window.editor.body.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor.body, " Checked.")  # typing goes on while it is shown
    bar.keep.click()
    assert bar.isHidden() and sync_local.conflicts(laptop) == []
    assert laptop.get(filed.uri).body == "The reporter's text. Checked."
    window.commands.sync.trigger()
    qtbot.waitUntil(lambda: newsroom.get(filed.uri).body.endswith("Checked."), timeout=30_000)
    bodies = {str(r.snapshot["body"]) for r in newsroom.revisions(filed.uri)}
    assert "The desk's text." in bodies


def test_settings_test_the_address_and_remember_it(
    qtbot: Any, laptop: SqlStore, newsroom: SqlStore
) -> None:
    from PySide6.QtWidgets import QWidget

    from newsdesk.ui.background.tasks import TaskRunner
    from newsdesk.ui.sync.sync_settings import NewsroomTab

    holder = QWidget()  # Qt owns and deletes all of it with the test, not Python's GC
    qtbot.addWidget(holder)
    tasks = TaskRunner(holder)
    service = StoreSync(laptop)
    tab = NewsroomTab(service, tasks, holder)
    assert tab.typed() == "" and tab.problems() == ""
    tab.address.setText("/home/me/newsroom.db")
    assert "starts with postgresql://" in tab.problems()
    tab.address.setText(REFUSED)
    tab.test.click()
    qtbot.waitUntil(tab.test.isEnabled, timeout=15_000)
    assert "connection refused" in tab.answer.text() and tab.answer.property("ok") is False
    tab.address.setText(newsroom.url)
    tab.test.click()
    qtbot.waitUntil(tab.test.isEnabled, timeout=15_000)
    assert "a Newsdesk server with 0 stories" in tab.answer.text()
    assert tab.apply() and service.server() == newsroom.url
    tasks.wait()


def test_an_address_that_is_no_newsdesk_server_is_named_so(newsroom: SqlStore) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(newsroom.url)
    with engine.begin() as conn:  # another application's tables, in a schema of their own
        conn.execute(text("DROP SCHEMA IF EXISTS invoicing CASCADE"))
        conn.execute(text("CREATE SCHEMA invoicing"))
        conn.execute(text("CREATE TABLE invoicing.invoices (id int)"))
    engine.dispose()
    url = newsroom.url + "?options=-csearch_path%3Dinvoicing"
    with pytest.raises(StoreError, match="not a Newsdesk server"):
        StoreSync(newsroom).check_server(url)
    empty = newsroom.url + "?options=-csearch_path%3Dnothing_here"
    assert "an empty database" in StoreSync(newsroom).check_server(empty)


def test_connection_problems_say_what_to_do() -> None:
    url = "postgresql+psycopg://desk@newsroom.example:5433/newsdesk"
    wrong = connection_problem(
        url, 'connection failed: FATAL:  password authentication failed for user "desk"'
    )
    assert "refused the user name or password (desk)" in wrong
    refused = connection_problem(
        url, 'connection to server at "10.0.0.5", port 5433 failed: Connection refused'
    )
    assert "newsroom.example:5433 (connection refused)" in refused
    missing = connection_problem(url, 'FATAL:  database "newsdesk" does not exist')
    assert "no database 'newsdesk'" in missing


def test_a_store_never_attached_says_nothing_until_sync_now_says_where_to_attach(
    qtbot: Any, sync_window: Any, laptop: SqlStore
) -> None:
    laptop.create(Article(headline="Local only", body="Never synced."))
    window = sync_window(laptop)
    driver = window.syncing.driver
    qtbot.waitUntil(lambda: driver.status is not None, timeout=5000)
    assert line(window) == "" and driver.wait_ms() == -1  # no background sync planned
    window.commands.sync.trigger()
    assert "Settings ▸ Newsroom" in window.statusBar().currentMessage()
    assert driver.attempts == 0
