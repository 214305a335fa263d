"""Two windows, or two machines, editing one article: nothing typed is ever lost."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt

from newsdesk.core.models import Article
from newsdesk.ui.saving.session import EditingSession, SaveState


@pytest.fixture(autouse=True)
def no_modal_dialogs() -> Iterator[None]:
    """Set up before the windows, undone after them: a window closed at the end of a test
    with a conflict still waiting asks nothing."""
    from PySide6.QtWidgets import QMessageBox

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(QMessageBox, "warning", lambda *args: QMessageBox.StandardButton.Discard)
        yield


def bodies(store: Any, uri: str) -> list[str]:
    return [r.snapshot["body"] for r in store.revisions(uri)]


def at_end(window: Any) -> None:
    window.editor.body.setFocus()
    window.editor.body.moveCursor(window.editor.body.textCursor().MoveOperation.End)


def test_two_windows_on_one_store_keep_both_texts(
    qtbot: Any, make_window: Any, empty_store: Any
) -> None:
    article = empty_store.create(Article(headline="Pier collapse", body="Base text."))
    first, second = make_window(empty_store), make_window(empty_store)
    for window in (first, second):
        qtbot.waitUntil(lambda w=window: w.session.stored is not None, timeout=5000)
        at_end(window)
    qtbot.keyClicks(first.editor.body, " First window.")
    first.session.flush()
    qtbot.keyClicks(second.editor.body, " Second window.")
    assert not second.session.flush()  # lost the race: the bar asks, nothing is written
    bar = second.conflict_bar
    assert bar.isVisible() and "saved elsewhere" in bar.message.text()
    assert empty_store.get(article.uri).body == "Base text. First window."
    bar.compare.click()  # look at both side by side, then still choose
    dialog = bar.dialog
    assert dialog is not None and not dialog.isModal() and not dialog.diff.isHidden()
    intro = re.sub(r"<[^>]+>", "", dialog.intro.text())
    assert "Their version changed: body (+2 words)" in intro
    assert "Your version changed: body (+2 words)" in intro
    assert "Base text. First window." in dialog.diff.toPlainText()
    assert "Base text. Second window." in dialog.diff.toPlainText()
    dialog.keep.click()
    assert bar.isHidden() and bar.dialog is None
    assert empty_store.get(article.uri).body == "Base text. Second window."
    assert "Base text. First window." in bodies(empty_store, article.uri)
    assert second.session.state == SaveState.SAVED

    # The first window types on: its save loses now; it takes the other version.
    qtbot.keyClicks(first.editor.body, " More from the first.")
    assert not first.session.flush()
    first.conflict_bar.take.click()
    assert first.editor.body.toPlainText() == "Base text. Second window."
    assert empty_store.get(article.uri).body == "Base text. Second window."
    assert "Base text. First window. More from the first." in bodies(empty_store, article.uri)
    # And it carries on from the newest version without a new conflict.
    at_end(first)
    qtbot.keyClicks(first.editor.body, " Agreed.")
    assert first.session.flush()
    assert empty_store.get(article.uri).body == "Base text. Second window. Agreed."


def test_a_conflict_waiting_for_a_choice_writes_nothing_and_loses_nothing(
    qtbot: Any, make_window: Any, empty_store: Any
) -> None:
    article = empty_store.create(Article(headline="Bridge tolls", body="Base."))
    window = make_window(empty_store)
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
    empty_store.save(empty_store.get(article.uri).edited(body="Theirs."), reason="manual")
    shown: list[Article] = []
    window.session.conflict_detected.connect(lambda mine, theirs: shown.append(theirs))
    at_end(window)
    qtbot.keyClicks(window.editor.body, " Mine.")
    assert not window.session.flush()
    assert len(shown) == 1 and window.conflict_bar.isVisible()
    assert window.session.state == SaveState.FAILED
    assert window.editor.body.toPlainText() == "Base. Mine."
    assert empty_store.get(article.uri).body == "Theirs."
    # Were the app killed now, the text on screen is in the history already.
    assert "Base. Mine." in bodies(empty_store, article.uri)
    window.session.flush()  # focus leaving the editor, Ctrl+S: still nothing written
    qtbot.keyClicks(window.editor.body, " More.")
    qtbot.wait(EditingSession.MAX_WAIT_MS + 300)  # the autosave comes and goes
    assert len(shown) == 1  # no second conflict behind the first
    assert empty_store.get(article.uri).body == "Theirs."
    assert bodies(empty_store, article.uri).count("Base. Mine.") == 1  # recorded once
    # Their version changed again meanwhile: keeping mine goes over the newest one.
    empty_store.save(empty_store.get(article.uri).edited(body="Theirs, again."), reason="manual")
    window.conflict_bar.keep.click()
    assert window.conflict_bar.isHidden() and len(shown) == 1
    assert empty_store.get(article.uri).body == "Base. Mine. More."
    assert "Theirs, again." in bodies(empty_store, article.uri)


def test_typing_through_a_conflict_loses_no_key_and_decides_nothing(
    qtbot: Any, make_window: Any, empty_store: Any
) -> None:
    """The autosave meets a conflict mid-word; the journalist types on, Space included,
    into whatever has the keyboard: every key lands in the text and nothing is chosen."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    article = empty_store.create(Article(headline="Harbour fire", body="Base."))
    window = make_window(empty_store)
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
    window.session.set_delay(50)  # the autosave comes after the first key
    at_end(window)
    empty_store.save(empty_store.get(article.uri).edited(body="Theirs."), reason="cli")
    keys = list(" five six seven")
    seen = {"modal": [], "focus": []}

    def type_next() -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None:
            seen["modal"].append(modal)
        if modal is not None and len(seen["modal"]) > 30:
            modal.close()  # a dialog that no key closes: end the test, not hang it
        if not keys:
            return
        # Where a key typed now goes (offscreen, a closed dialog gives the focus back to
        # no one; a desktop gives it back to the text).
        target = QApplication.focusWidget() or modal or window.editor.body
        seen["focus"].append(target)
        qtbot.keyClicks(target, keys.pop(0))

    typist = QTimer(interval=60)
    typist.timeout.connect(type_next)
    typist.start()
    qtbot.waitUntil(lambda: not keys, timeout=10_000)
    qtbot.wait(300)
    typist.stop()
    assert window.editor.body.toPlainText() == "Base. five six seven"
    assert empty_store.get(article.uri).body == "Theirs."  # nothing decided by accident
    assert seen["modal"] == []  # nothing took the keyboard
    assert set(seen["focus"]) == {window.editor.body}
    assert window.conflict_bar.isVisible()
    assert window.session.resolving
    qtbot.mouseClick(window.conflict_bar.take, Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is window.editor.body  # the click left the focus
    assert window.editor.body.toPlainText() == "Theirs."
    assert "Base. five six seven" in bodies(empty_store, article.uri)
    assert not window.session.resolving and window.conflict_bar.isHidden()


class Machine(QObject):
    """One Newsdesk on its own machine: its own store connection and editing session."""

    def __init__(self, url: str, choice: str) -> None:
        super().__init__()
        from newsdesk.store import open_store

        self.store = open_store(url)
        self.session = EditingSession(self.store, 200, self)
        self.choice = choice
        self.conflicts: list[tuple[Article, Article]] = []
        self.session.conflict_detected.connect(self._resolve)

    def _resolve(self, mine: Article, theirs: Article) -> None:
        self.conflicts.append((mine, theirs))
        if self.choice == "keep":
            self.session.resolve_keep_mine(mine, theirs)
        elif self.choice == "take":
            self.session.resolve_take_theirs(mine, theirs)

    def type(self, text: str) -> None:
        current = self.session.current
        assert current is not None
        self.session.edit(current.edited(body=current.body + text))


@pytest.fixture
def machines(store_url: str) -> Iterator[tuple[Machine, Machine]]:
    a, b = Machine(store_url, "keep"), Machine(store_url, "take")
    yield a, b
    a.store.close()
    b.store.close()


def test_two_machines_on_one_store_through_the_session(
    qtbot: Any, machines: tuple[Machine, Machine]
) -> None:
    a, b = machines
    article = a.store.create(Article(headline="Shared desk", body="Base."))
    a.session.open(a.store.get(article.uri))
    b.session.open(b.store.get(article.uri))
    a.type(" From A.")
    b.type(" From B.")
    qtbot.waitUntil(lambda: a.session.state == SaveState.SAVED and not a.conflicts, timeout=5000)
    qtbot.waitUntil(lambda: bool(b.conflicts), timeout=5000)  # B's autosave lost the race
    # B took A's version; B's text is in the history, seen from A's machine too.
    assert b.session.current is not None and b.session.current.body == "Base. From A."
    assert "Base. From B." in bodies(a.store, article.uri)
    # B types on from A's version; A, which typed meanwhile, keeps its own text.
    b.type(" B again.")
    assert b.session.flush()
    a.type(" A again.")
    assert a.session.flush()  # lost the race, then resolved: kept its own text
    assert len(a.conflicts) == 1 and a.session.state == SaveState.SAVED
    stored = b.store.get(article.uri)
    assert stored.body == "Base. From A. A again."
    history = bodies(b.store, article.uri)
    assert "Base. From A. B again." in history  # what A's choice replaced
    reasons = [r.reason for r in b.store.revisions(article.uri)]
    assert reasons[-2:] == ["conflict: their version", "conflict: kept mine"]


def test_typing_without_a_pause_is_still_saved_every_two_seconds(
    qtbot: Any, empty_store: Any
) -> None:
    article = empty_store.create(Article(headline="Live blog", body=""))
    session = EditingSession(empty_store, 10_000)  # a setting past the limit is capped
    session.open(article)
    typed: list[str] = []
    writes: list[int] = []
    session.saved.connect(lambda saved: writes.append(len(saved.body.split())))
    for word in range(30):  # a word every 150 ms for 4.5 s, never a pause of 800 ms
        typed.append(f"w{word}")
        current = session.current
        assert current is not None
        session.edit(current.edited(body=" ".join(typed)))
        qtbot.wait(150)
    assert len(writes) >= 2  # written while typing went on, not only at the end
    assert writes[0] < 30


def test_a_window_too_busy_for_its_timers_still_writes_within_the_bound(
    qtbot: Any, empty_store: Any
) -> None:
    """Keystrokes arriving back to back, no idle moment between them (a long story, a busy
    machine): the autosave timer never gets its turn, yet the 1.5 s bound holds."""
    article = empty_store.create(Article(headline="Live blog", body=""))
    session = EditingSession(empty_store, 800)
    session.open(article)
    writes: list[float] = []
    session.saved.connect(lambda saved: writes.append(time.monotonic()))
    started = time.monotonic()
    typed: list[str] = []
    while time.monotonic() - started < 2.5:  # the event loop never runs meanwhile
        typed.append(f"w{len(typed)}")
        current = session.current
        assert current is not None
        session.edit(current.edited(body=" ".join(typed)))
        time.sleep(0.05)
    assert writes, "nothing written in 2.5 s of typing"
    assert writes[0] - started < EditingSession.MAX_WAIT_MS / 1000 + 0.2
    assert len(empty_store.get(article.uri).body.split()) >= len(typed) - 25


def test_no_setting_lets_an_edit_wait_more_than_two_seconds(
    qtbot: Any, make_window: Any, empty_store: Any, settings_store: Any
) -> None:
    settings_store.qsettings.setValue("autosave_delay_ms", 60_000)  # a hand-edited file
    empty_store.create(Article(headline="Budget", body=""))
    window = make_window(empty_store)
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
    assert window.settings.autosave_delay_ms == 2000
    qtbot.keyClicks(window.editor.body, "A")
    assert 0 <= window.session.write_due_ms <= EditingSession.MAX_WAIT_MS <= 2000
    window.session.set_delay(60_000)  # from the settings dialog, were it to allow it
    qtbot.keyClicks(window.editor.body, "B")
    assert 0 <= window.session.write_due_ms <= EditingSession.MAX_WAIT_MS
