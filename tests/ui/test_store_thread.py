"""The window never waits on the store: typing goes on while a save or a listing hangs.

A hung store is a PostgreSQL server behind a proxy that stops forwarding (the connection
stays open: what a suspended server or a silently dropped network does), another program
holding SQLite's write lock, or a real store whose chosen calls wait on a gate.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication
from sqlalchemy import event
from sqlalchemy.engine import make_url
from tests.tcp_proxy import TcpProxy

from newsdesk.core.journal import decode
from newsdesk.core.models import Article
from newsdesk.store import open_store
from newsdesk.ui.background.store_worker import StoreLane
from newsdesk.ui.saving.session import EditingSession, SaveState

from .stalls import PROMPT_S


class GatedStore:
    """A real store whose calls named in ``names`` wait for :attr:`gate` (a hung store)."""

    def __init__(self, store: Any, *names: str) -> None:
        self._store = store
        self.names = set(names)
        self.gate = threading.Event()
        self.gate.set()

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._store, name)
        if name not in self.names:
            return found

        def gated(*args: Any, **kwargs: Any) -> Any:
            self.gate.wait(60)
            return found(*args, **kwargs)

        return gated


@pytest.fixture
def gated() -> Iterator[Callable[..., GatedStore]]:
    """Gated stores, their gates opened at the end whatever happened: a call left waiting
    would hold up the process's writer lane for the tests after this one."""
    made: list[GatedStore] = []

    def make(store: Any, *names: str) -> GatedStore:
        made.append(GatedStore(store, *names))
        return made[-1]

    yield make
    for store in made:
        store.gate.set()


def timed_keys(qtbot: Any, window: Any, text: str, pause_ms: int = 0) -> list[float]:
    """Type ``text`` at the end of the body, ``pause_ms`` apart; each key's time: the key
    event and whatever the event loop runs after it until the next key (the autosave, its
    retries, the preview, the status bar), the pause itself left out."""
    body = window.editor.body
    body.setFocus()
    body.moveCursor(QTextCursor.MoveOperation.End)
    times = []
    for char in text:
        started = time.perf_counter()
        qtbot.keyClick(body, char)
        QApplication.processEvents()
        if pause_ms:
            qtbot.wait(pause_ms)
        times.append(time.perf_counter() - started - pause_ms / 1000)
    return times


def journal_bodies(folder: Path, window: Any) -> list[str]:
    window.session.journal.settle()
    return [
        entry.article.body
        for path in folder.glob("*.jsonl")
        for entry in decode(path.read_bytes()).values()
    ]


@pytest.fixture
def stalling_url(store_url: str) -> Iterator[tuple[str, TcpProxy]]:
    url = make_url(store_url)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    try:
        yield url.set(host="127.0.0.1", port=proxy.port).render_as_string(False), proxy
    finally:
        proxy.close()


@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_typing_goes_on_while_the_server_hangs_and_every_word_is_stored_when_it_answers(
    qtbot: Any,
    open_window: Any,
    stalling_url: tuple[str, TcpProxy],
    store_url: str,
    journal_folder: Path,
) -> None:
    url, proxy = stalling_url
    # As the window opens its store (app.open_for_window), with room for the test's steps.
    store = open_store(url, busy_timeout=1.0, answer_timeout=30.0)
    store.create(Article(headline="Harbour fire", body="Crews arrived."))
    window = open_window(store)
    first = window.session.stored
    proxy.hang()
    times = timed_keys(qtbot, window, " The fire")
    qtbot.waitUntil(lambda: window.session.writing, timeout=3000)  # the autosave hangs
    qtbot.waitUntil(lambda: "not answering" in window.statusBar().currentMessage(), timeout=3000)
    message = window.statusBar().currentMessage()
    assert message == "The newsroom server is not answering: your text is kept on this computer."
    times += timed_keys(qtbot, window, " is out.", 80)  # while the write is in flight
    # A key that waited on the hung server would take its answer limit (30 s): far above
    # what a loaded machine adds to a prompt key (0.77 s seen in CI on 2026-12-02).
    assert max(times) < PROMPT_S, f"a key took {max(times):.3f} s while the server hung"
    assert window.editor.body.toPlainText() == "Crews arrived. The fire is out."
    qtbot.wait(EditingSession.MAX_WAIT_MS + 300)
    assert journal_bodies(journal_folder, window) == ["Crews arrived. The fire is out."]
    assert window.session.writing  # still waiting on the server
    proxy.resume()
    qtbot.waitUntil(lambda: window.session.state == SaveState.SAVED, timeout=20_000)
    assert not window.session.resolving and window.conflict_bar.isHidden()
    check = open_store(store_url)
    stored = check.get(first.uri)
    check.close()
    assert stored.body == "Crews arrived. The fire is out."
    # The write that hung, then what was typed meanwhile, on the version it stored: two
    # versions. Or one, when the hung write failed at once and its retry carried every
    # word: one version was seen once in a full CI run (2026-12-02), likely a write that
    # needed a new connection while another lane held the pooled one (a new connection's
    # limit is 1 s here). Never more versions, never a lost word.
    assert first.version + 1 <= stored.version <= first.version + 2
    assert "not answering" not in window.statusBar().currentMessage()
    assert journal_bodies(journal_folder, window) == []


HOLD_LOCK = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.read()
db.execute("ROLLBACK")
"""


@contextmanager
def gui_thread_waits(store: Any) -> Iterator[list[str]]:
    """What the GUI thread did that waits on the store, while the block runs: each SQL
    statement it sent and each time it waited for a lane. Typing must do neither: with
    another program holding the write lock, either would hold a key for the busy wait."""
    waits: list[str] = []
    gui = threading.main_thread()

    def on_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if threading.current_thread() is gui:
            waits.append(f"SQL: {statement[:40]}")

    real_wait = StoreLane.wait

    def lane_wait(lane: StoreLane, seconds: float) -> bool:
        waits.append(f"waited {seconds} s for the {lane.name} lane")
        return real_wait(lane, seconds)

    engine = store._engine  # the store's own engine: every statement of every call
    event.listen(engine, "before_cursor_execute", on_execute)
    StoreLane.wait = lane_wait  # type: ignore[method-assign]
    try:
        yield waits
    finally:
        StoreLane.wait = real_wait  # type: ignore[method-assign]
        event.remove(engine, "before_cursor_execute", on_execute)


def test_typing_goes_on_while_another_program_holds_the_write_lock(
    qtbot: Any, open_window: Any, desk: Path
) -> None:
    store = open_store(str(desk), busy_timeout=1.0)  # the window's busy wait
    window = open_window(store)
    uri = window.session.stored.uri
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(desk)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with gui_thread_waits(store) as waits:
            # Typing on for 2.5 s: the autosave's bound passes, and its retries come due.
            times = timed_keys(qtbot, window, " Second paragraph, typed on.", 80)
            qtbot.waitUntil(lambda: "busy" in window.statusBar().currentMessage(), timeout=5000)
            assert "another program is writing to it" in window.statusBar().currentMessage()
            times += timed_keys(qtbot, window, " Third.", 80)
        # The guard: not one wait on the store from the GUI thread. A key's time alone
        # cannot tell a key held by the lock (the busy wait, 1 s) from one held by a loaded
        # machine (0.82 s seen in CI on 2026-12-02); the bound below catches a hang.
        assert waits == []
        assert max(times) < PROMPT_S, f"a key took {max(times):.3f} s while the store was locked"
        assert window.session.state != SaveState.SAVED
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(10)
    qtbot.waitUntil(lambda: window.session.state == SaveState.SAVED, timeout=10_000)
    expected = "First paragraph. Second paragraph, typed on. Third."
    assert window.editor.body.toPlainText() == expected
    check = open_store(str(desk))
    assert check.get(uri).body == expected
    check.close()


def test_edits_made_while_a_write_hangs_are_written_after_it_on_its_version(
    qtbot: Any, empty_store: Any, gated: Any
) -> None:
    article = empty_store.create(Article(headline="Live blog", body="One."))
    gated = gated(empty_store, "save")
    session = EditingSession(gated, 100)
    conflicts: list[object] = []
    session.conflict_detected.connect(lambda mine, theirs: conflicts.append(theirs))
    session.open(article)
    gated.gate.clear()
    session.edit(article.edited(body="One. Two."))
    qtbot.waitUntil(lambda: session.writing, timeout=2000)
    started = time.perf_counter()
    session.edit(article.edited(body="One. Two. Three."))
    assert time.perf_counter() - started < PROMPT_S
    qtbot.wait(400)  # its autosave came due behind the write in flight
    assert session.writing and empty_store.get(article.uri).body == "One."
    gated.gate.set()
    qtbot.waitUntil(lambda: session.state == SaveState.SAVED, timeout=5000)
    stored = empty_store.get(article.uri)
    assert stored.body == "One. Two. Three."
    assert stored.version == article.version + 2
    assert conflicts == []


def test_ctrl_s_on_a_hung_store_waits_a_moment_says_so_and_saves_once_it_answers(
    qtbot: Any, open_window: Any, desk: Path, journal_folder: Path, gated: Any
) -> None:
    real = open_store(str(desk))
    gated = gated(real, "save")
    window = open_window(gated)
    uri = window.session.stored.uri
    gated.gate.clear()
    timed_keys(qtbot, window, " Late line.")
    started = time.perf_counter()
    window.save_now()
    waited = time.perf_counter() - started
    assert waited < window.session.GRACE_S + PROMPT_S  # a moment, not the answer limit
    message = window.statusBar().currentMessage()
    assert message.startswith("Saving…") and "kept on this computer" in message
    assert journal_bodies(journal_folder, window) == ["First paragraph. Late line."]
    assert real.get(uri).body == "First paragraph."
    assert max(timed_keys(qtbot, window, " More.")) < PROMPT_S  # typing goes on
    gated.gate.set()
    qtbot.waitUntil(lambda: window.session.state == SaveState.SAVED, timeout=5000)
    assert real.get(uri).body == "First paragraph. Late line. More."
    reasons = [revision.reason for revision in real.revisions(uri)]
    assert "manual" in reasons  # Ctrl+S's revision, all the same
    real.close()


def test_the_library_lists_and_searches_off_the_gui_thread(
    qtbot: Any, open_window: Any, sample_store: Any, gated: Any
) -> None:
    gated = gated(sample_store, "list_page", "count", "search", "sections", "tags")
    window = open_window(gated)
    library = window.library
    before = library.model.rowCount()
    assert before > 1
    gated.gate.clear()
    started = time.perf_counter()
    library.search.setText("severn")
    library.apply_filters()
    assert time.perf_counter() - started < library.model.GRACE_S + PROMPT_S
    assert library.model.loading and library.model.rowCount() == before  # as it was
    qtbot.waitUntil(lambda: library.count_label.text() == "Waiting for the store…", timeout=3000)
    times = timed_keys(qtbot, window, " More.")
    assert max(times) < PROMPT_S
    gated.gate.set()
    qtbot.waitUntil(lambda: not library.model.loading, timeout=5000)
    assert 0 < library.model.rowCount() < before
    assert "severn" in library.model.summary(0).headline.lower()
    assert library.count_label.text().endswith("matches")


def test_a_lane_answers_in_order_drops_stale_listings_and_says_when_it_is_slow(
    qtbot: Any,
) -> None:
    lane = StoreLane("test")
    lane.IDLE_EXIT_S = 0.2  # the thread ends when idle, and starts again with the next call
    gate = threading.Event()
    answers: list[object] = []
    slow: list[bool] = []
    lane.slow_changed.connect(slow.append)

    def record(value: object, error: BaseException | None) -> None:
        answers.append(error or value)

    lane.submit(lambda: gate.wait(10) and "first", record)
    lane.submit(lambda: "old listing", record, key="listing")
    lane.submit(lambda: "newest listing", record, key="listing")  # the old one is not asked
    lane.submit(lambda: 1 / 0, record)
    qtbot.waitUntil(lambda: slow == [True], timeout=3000)
    assert answers == [] and lane.busy
    gate.set()
    qtbot.waitUntil(lambda: not lane.busy, timeout=3000)
    assert answers[:2] == ["first", "newest listing"]
    assert isinstance(answers[2], ZeroDivisionError)
    assert slow == [True, False]
    time.sleep(0.5)
    assert lane._thread is None
    lane.submit(lambda: "again", record)
    assert lane.wait(3) and answers[-1] == "again"
