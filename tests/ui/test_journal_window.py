"""The window and the local journal: typing while the store cannot take it, killed, restarted."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QMessageBox

from newsdesk.core.journal import decode
from newsdesk.core.journal_recovery import RECOVERED, RECOVERED_ASIDE
from newsdesk.store import open_store
from newsdesk.ui.saving.session import EditingSession, SaveState

from .conftest import read_only


@pytest.fixture(autouse=True)
def no_question_at_teardown() -> Iterator[None]:
    """Set up before the windows, undone after them: windows whose store a test closed
    are closed at the end without asking (the journal's own question is not this one)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(QMessageBox, "warning", lambda *args: QMessageBox.StandardButton.Discard)
        yield


def type_at_end(qtbot: Any, window: Any, text: str) -> None:
    body = window.editor.body
    body.setFocus()
    body.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(body, text)


def killed(window: Any) -> None:
    """What SIGKILL does: no close, no dialog, the journal's file stays and its lock goes."""
    journal = window.session.journal
    journal.settle()
    os.close(journal._fd)
    journal._fd = None
    window.session.journal = None  # the dead process writes nothing more
    window.session._timer.stop()
    window.session.stored = window.session.pending = None  # nor to the store


def journal_bodies(folder: Path, window: Any = None) -> list[str]:
    """The texts on the disk in the journal (once its writer has caught up)."""
    if window is not None and window.session.journal is not None:
        window.session.journal.settle()
    return [
        entry.article.body
        for path in folder.glob("*.jsonl")
        for entry in decode(path.read_bytes()).values()
    ]


def test_text_typed_while_the_store_is_read_only_is_back_after_a_kill(
    qtbot: Any, open_window: Any, desk: Path, journal_folder: Path
) -> None:
    store = open_store(str(desk))
    window = open_window(store)
    uri = window.session.stored.uri
    store.close()  # the pool lets its connections go: the next write meets the lock-down
    with read_only(desk, desk.parent):
        type_at_end(qtbot, window, " Second paragraph.")
        # 0.8 s on a quiet machine; the write may meet SQLite's 5 s busy wait first, and
        # wait behind the process's writes lane (CI once took over 5 s, 2026-12-02).
        qtbot.waitUntil(lambda: window.session.state == SaveState.FAILED, timeout=20_000)
        assert "kept on this computer" in window.statusBar().currentMessage()
        # Within the autosave bound of the last key, the text is on the disk.
        assert journal_bodies(journal_folder, window) == ["First paragraph. Second paragraph."]
        type_at_end(qtbot, window, " Third.")
        qtbot.wait(EditingSession.MAX_WAIT_MS + 100)
        assert journal_bodies(journal_folder, window) == [
            "First paragraph. Second paragraph. Third."
        ]
        killed(window)
    restarted = open_store(str(desk))
    again = open_window(restarted)
    assert restarted.get(uri).body == "First paragraph. Second paragraph. Third."
    assert restarted.revisions(uri)[-1].reason == RECOVERED
    assert "Restored text you typed before Newsdesk last stopped" in again.recovered[0]
    qtbot.waitUntil(lambda: "Restored text" in again.statusBar().currentMessage(), timeout=3000)
    assert again.editor.body.toPlainText() == "First paragraph. Second paragraph. Third."
    assert journal_bodies(journal_folder) == []
    restarted.close()


def test_typing_through_a_conflict_is_kept_and_goes_to_the_history_after_a_kill(
    qtbot: Any, open_window: Any, desk: Path, journal_folder: Path
) -> None:
    store = open_store(str(desk))
    window = open_window(store)
    uri = window.session.stored.uri
    store.save(store.get(uri).edited(body="Their paragraph."), reason="manual")
    type_at_end(qtbot, window, " Mine.")
    assert not window.session.flush()  # the conflict bar waits for a choice
    type_at_end(qtbot, window, " Typed on while it waited.")
    qtbot.wait(EditingSession.MAX_WAIT_MS + 100)
    assert journal_bodies(journal_folder, window) == [
        "First paragraph. Mine. Typed on while it waited."
    ]
    killed(window)
    again = open_window(store)
    assert store.get(uri).body == "Their paragraph."  # their later work stands
    last = store.revisions(uri)[-1]
    assert (last.reason, last.snapshot["body"]) == (
        RECOVERED_ASIDE,
        "First paragraph. Mine. Typed on while it waited.",
    )
    assert "is in its history" in again.recovered[0]
    store.close()


def answer_quit_dialog(qtbot: Any, button: str, seen: dict[str, Any]) -> None:
    """Click ``button`` of the closing question once it shows."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, click)
            return
        seen["text"] = box.text() + "\n" + box.informativeText()
        seen["buttons"] = [b.text().replace("&", "") for b in box.buttons()]
        seen["default"] = box.defaultButton().text().replace("&", "")
        (chosen,) = [b for b in box.buttons() if b.text().replace("&", "") == button]
        chosen.click()

    QTimer.singleShot(50, click)


@pytest.mark.parametrize("choice", ["Keep on this computer", "Discard"])
@pytest.mark.real_dialogs
def test_closing_with_text_the_store_lacks_offers_to_keep_it_on_this_computer(
    qtbot: Any, open_window: Any, desk: Path, journal_folder: Path, choice: str
) -> None:
    store = open_store(str(desk))
    window = open_window(store)
    uri = window.session.stored.uri
    store.close()
    seen: dict[str, Any] = {}
    with read_only(desk, desk.parent):
        type_at_end(qtbot, window, " Unsaved line.")
        answer_quit_dialog(qtbot, choice, seen)
        assert window.close()
    assert seen["default"] == "Keep on this computer"
    assert set(seen["buttons"]) == {"Keep on this computer", "Discard", "Cancel"}
    assert "kept on this computer" in seen["text"]
    kept = choice != "Discard"
    assert journal_bodies(journal_folder) == (["First paragraph. Unsaved line."] if kept else [])
    restarted = open_store(str(desk))
    open_window(restarted)
    assert restarted.get(uri).body == (
        "First paragraph. Unsaved line." if kept else "First paragraph."
    )
    restarted.close()
