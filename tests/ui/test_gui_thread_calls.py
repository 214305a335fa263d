"""The window's actions never wait on the store: new, copy, archive, import, restore.

Each test holds one store method (a fake wrapping the real store) while the journalist
acts: the action returns at once, keys typed meanwhile appear in the editor, the status
bar says what is being done and that the store does not answer; once the store answers,
the result is there (in the store, the library and on screen). A held call that was made
on the GUI thread would hold the test for :attr:`HeldStore.HOLD_S` and fail it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from newsdesk.core.models import Article, Status
from newsdesk.ui.background.store_calls import StoreCalls

from .stalls import PROMPT_S

# An action waits the grace for a healthy store, and may build a dialog: well under the
# HeldStore.HOLD_S a call made on the GUI thread would take.
ACTION_S = StoreCalls.GRACE_S + PROMPT_S
BUSY = "the store is busy (another program is writing to it)"  # SQLite's wording


class HeldStore:
    """A real store whose methods named in :attr:`held` wait for :attr:`gate` (at most
    :attr:`HOLD_S`: a test that made the call on the GUI thread fails, it does not hang)."""

    HOLD_S = 8.0

    def __init__(self, store: Any) -> None:
        self._store = store
        self.gate = threading.Event()
        self.held: set[str] = set()
        self.calls: list[tuple[str, str]] = []  # (method, thread name) of each held call

    def hold(self, *names: str) -> None:
        self.gate.clear()
        self.held = set(names)

    def release(self) -> None:
        self.held = set()
        self.gate.set()

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._store, name)
        if name not in self.held or not callable(method):
            return method

        def held(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, threading.current_thread().name))
            self.gate.wait(self.HOLD_S)
            return method(*args, **kwargs)

        return held


@pytest.fixture
def held(empty_store: Any) -> Iterator[tuple[HeldStore, list[Article]]]:
    """Two articles behind a held store; released at the end whatever happened (the
    store lanes are the process's: a call left held would hold the next test)."""
    made = [
        empty_store.create(Article(headline=headline, body=f"{headline}: first line."))
        for headline in ("Harbour fire", "Council vote")
    ]
    store = HeldStore(empty_store)
    yield store, made
    store.release()


@pytest.fixture
def window(qtbot: Any, make_window: Any, held: tuple[HeldStore, list[Article]]) -> Iterator[Any]:
    store, _made = held
    shown = make_window(store)
    qtbot.waitUntil(lambda: shown.session.stored is not None, timeout=5000)
    yield shown
    store.release()
    shown.calls.writes.wait(10)
    shown.calls.reads.wait(10)


def act(action: Callable[[], object]) -> float:
    """Do ``action`` as a click does; how long the window was busy."""
    started = time.perf_counter()
    action()
    QApplication.processEvents()
    return time.perf_counter() - started


def type_keys(qtbot: Any, window: Any, text: str) -> float:
    """Type ``text`` at the end of the body; the slowest key's time."""
    body = window.editor.body
    body.setFocus()
    body.moveCursor(QTextCursor.MoveOperation.End)
    slowest = 0.0
    for char in text:
        started = time.perf_counter()
        qtbot.keyClick(body, char)
        QApplication.processEvents()
        slowest = max(slowest, time.perf_counter() - started)
    return slowest


def held_and_typed(
    qtbot: Any, window: Any, action: Callable[[], object], doing: str, said: str = ""
) -> None:
    """``action`` returns at once, typing goes on into the article on screen, and the
    status bar says ``doing`` (or what the action ``said``), then that the store is not
    answering."""
    first = window.session.stored
    busy = act(action)
    assert busy < ACTION_S, f"the action held the window {busy:.3f} s"
    assert window.statusBar().currentMessage() == (said or f"{doing}…")
    slowest = type_keys(qtbot, window, " More.")
    assert slowest < PROMPT_S, f"a key took {slowest:.3f} s while the store was held"
    assert window.editor.body.toPlainText() == first.body + " More."
    qtbot.waitUntil(lambda: BUSY in window.statusBar().currentMessage(), timeout=3000)
    assert window.statusBar().currentMessage() == (
        f"{doing}: {BUSY}. Keep writing meanwhile; it is done as soon as the store answers."
    )


def uris(window: Any) -> set[str]:
    model = window.library.model
    return {model.summary(row).uri for row in range(model.rowCount())}


def test_a_new_article_while_the_store_is_held_keeps_the_window_and_opens_when_stored(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]]
) -> None:
    store, made = held
    first = window.session.stored
    store.hold("create")
    held_and_typed(qtbot, window, window.commands.new.trigger, "Creating a new article")
    assert window.session.stored.uri == first.uri  # still on screen, as it was
    assert [name for name, _ in store.calls] == ["create"]
    assert store.calls[0][1] != threading.current_thread().name  # off the GUI thread
    act(window.commands.new.trigger)  # asked again meanwhile: not a second article
    assert "still waiting for the store" in window.statusBar().currentMessage()
    store.release()
    qtbot.waitUntil(lambda: window.session.stored.uri != first.uri, timeout=10_000)
    new = window.session.stored
    assert new.headline == "" and new.uri in uris(window)
    assert len(uris(window)) == len(made) + 1  # one new article, not two
    assert store.get(first.uri).body == first.body + " More."  # written before it left
    assert "Creating" not in window.statusBar().currentMessage()


def test_archiving_another_article_while_the_store_is_held_is_stored_when_it_answers(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]]
) -> None:
    store, made = held
    other = next(a for a in made if a.uri != window.session.stored.uri)
    store.hold("get")
    held_and_typed(
        qtbot,
        window,
        lambda: window.archive_article(other.uri),
        "Marking the article archived",
        f"Archived “{other.headline}”. Undo with Ctrl+Z (Edit ▸ Undo).",
    )
    store.release()
    qtbot.waitUntil(lambda: store.get(other.uri).status is Status.ARCHIVED, timeout=10_000)
    model = window.library.model
    qtbot.waitUntil(
        lambda: model.summary(model.row_of(other.uri)).status is Status.ARCHIVED, timeout=10_000
    )
    assert [r.reason for r in store.revisions(other.uri)][-1] == "status"
    window.undo_stack.undo()  # in order after the archive, on the same lane
    qtbot.waitUntil(lambda: store.get(other.uri).status is other.status, timeout=10_000)


def test_an_article_opened_while_its_archiving_is_out_shows_the_archived_version(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]]
) -> None:
    store, made = held
    other = next(a for a in made if a.uri != window.session.stored.uri)
    store.hold("save")
    window.archive_article(other.uri)
    window.open_article(other.uri)  # read before the archive lands: the old version
    qtbot.waitUntil(lambda: window.session.stored.uri == other.uri, timeout=10_000)
    assert window.session.stored.status is other.status
    store.release()
    qtbot.waitUntil(lambda: window.session.stored.status is Status.ARCHIVED, timeout=10_000)
    assert window.session.stored.version == store.get(other.uri).version
    assert window.editor.form.current_status() is Status.ARCHIVED
    type_keys(qtbot, window, " Typed after.")
    window.session.flush()
    assert store.get(other.uri).body.endswith("Typed after.")  # no false conflict


def test_archiving_the_article_on_screen_is_an_edit_written_after_the_text_typed(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]]
) -> None:
    store, _made = held
    first = window.session.stored
    store.hold("save")  # the store takes no write: typing and the status wait together
    slowest = type_keys(qtbot, window, " Typed first.")
    busy = act(lambda: window.archive_article(first.uri))
    assert busy < ACTION_S and slowest < PROMPT_S
    assert window.editor.form.current_status() is Status.ARCHIVED
    type_keys(qtbot, window, " Then this.")
    store.release()
    expected = first.body + " Typed first. Then this."
    qtbot.waitUntil(lambda: store.get(first.uri).body == expected, timeout=10_000)
    qtbot.waitUntil(lambda: window.session.pending is None, timeout=10_000)
    stored = store.get(first.uri)
    assert stored.status is Status.ARCHIVED  # no race: one writer, in the order typed
    assert "status" in [r.reason for r in store.revisions(first.uri)]
    assert window.session.state.value == "saved"  # no conflict with itself


def test_a_copy_while_the_store_is_held_opens_when_stored(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]]
) -> None:
    store, _made = held
    first = window.session.stored
    store.hold("create")
    held_and_typed(qtbot, window, window.duplicate_current, "Making a copy of the article")
    store.release()
    qtbot.waitUntil(lambda: window.session.stored.uri != first.uri, timeout=10_000)
    copy = window.session.stored
    assert copy.headline == f"{first.headline} (copy)" and copy.status is Status.DRAFT
    assert copy.body == first.body  # the text on screen when the copy was asked for
    assert copy.uri in uris(window)
    assert store.get(first.uri).body == first.body + " More."  # typed meanwhile: kept


def test_an_import_while_the_store_is_held_is_shown_when_stored(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]], tmp_path: Path
) -> None:
    store, _made = held
    story = tmp_path / "ferry.md"
    story.write_text("---\ntitle: Ferry Strike Ends\nsection: UK\n---\nThe ferry ran.\n")
    store.hold("create_many")
    held_and_typed(qtbot, window, lambda: window.imports.files([story]), "Importing 1 file(s)")
    store.release()
    qtbot.waitUntil(
        lambda: window.editor.form.headline.text() == "Ferry Strike Ends", timeout=10_000
    )
    section = window.editor.form.section
    assert "UK" in [section.itemText(i) for i in range(section.count())]  # read with it
    assert window.session.stored.uri in uris(window)
    assert store.get(window.session.stored.uri).body.strip() == "The ferry ran."


def test_restoring_a_revision_while_the_store_is_held_keeps_the_dialog_answering(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]]
) -> None:
    from newsdesk.ui.dialogs.history import HistoryDialog

    store, _made = held
    first = window.session.stored
    for take in (" Second take.", " Third take."):
        type_keys(qtbot, window, take)
        assert window.session.flush(reason="manual")  # revisions 1 and 2
    dialog = HistoryDialog(store, window.current_article(), window)
    qtbot.addWidget(dialog)
    dialog.restored.connect(window._show_restored)
    dialog.select_number(1)
    store.hold("save")
    busy = act(dialog.restore_selected)
    assert busy < ACTION_S, f"the restore held the window {busy:.3f} s"
    assert dialog.message.text() == "Restoring revision 1…"
    assert not dialog.restore_button.isEnabled()  # one restore at a time
    qtbot.waitUntil(lambda: BUSY in dialog.message.text(), timeout=3000)
    store.release()
    second = first.body + " Second take."
    qtbot.waitUntil(lambda: window.editor.body.toPlainText() == second, timeout=10_000)
    assert store.get(first.uri).body == second
    assert [r.reason for r in store.revisions(first.uri)][-1].startswith("restored revision")


def test_the_publications_settings_are_saved_when_the_store_answers(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]], monkeypatch: Any
) -> None:
    from newsdesk.ui.dialogs.settings_dialog import SettingsDialog

    store, _made = held

    def rename(dialog: SettingsDialog) -> int:
        dialog.name.setText("Harbour Gazette")
        return 1

    monkeypatch.setattr(SettingsDialog, "exec", rename)
    store.hold("save_profile")
    held_and_typed(qtbot, window, window.open_settings, "Saving the publication's settings")
    assert store.profile().name != "Harbour Gazette"
    store.release()
    qtbot.waitUntil(lambda: store.profile().name == "Harbour Gazette", timeout=10_000)
    qtbot.waitUntil(lambda: "Saving" not in window.statusBar().currentMessage(), timeout=5000)


def test_keeping_mine_while_their_newest_is_read_keeps_typing_and_then_keeps_it_all(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]]
) -> None:
    store, _made = held
    first = window.session.stored
    store.save(store.get(first.uri).edited(body="Theirs."), reason="cli")
    type_keys(qtbot, window, " Mine.")
    assert not window.session.flush()
    assert window.conflict_bar.isVisible()
    store.hold("get")
    busy = act(window.conflict_bar.keep.click)
    assert busy < ACTION_S, f"the choice held the window {busy:.3f} s"
    assert not window.conflict_bar.isEnabled()  # one choice at a time
    slowest = type_keys(qtbot, window, " More.")
    assert slowest < PROMPT_S
    qtbot.waitUntil(lambda: BUSY in window.statusBar().currentMessage(), timeout=3000)
    store.release()
    expected = first.body + " Mine. More."
    qtbot.waitUntil(lambda: store.get(first.uri).body == expected, timeout=10_000)
    assert window.conflict_bar.isHidden() and not window.session.resolving


def test_the_media_library_lists_when_the_store_answers(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]]
) -> None:
    store, _made = held
    store.hold("list_media")
    busy = act(window.media_view.open_library)
    library = window.media_view.library
    assert busy < ACTION_S, f"opening the media library held the window {busy:.3f} s"
    assert library.waiting.text() == "Reading the media library…"
    assert library.count.text() == ""
    qtbot.keyClicks(library.search, "river")  # the search field answers meanwhile
    assert library.search.text() == "river"
    qtbot.waitUntil(lambda: BUSY in library.waiting.text(), timeout=3000)
    store.release()
    qtbot.waitUntil(lambda: library.count.text() == "0 files", timeout=10_000)
    assert library.waiting.text() == ""


def test_the_story_a_sync_changed_is_read_off_the_gui_thread_and_shown_when_read(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]]
) -> None:
    store, _made = held
    first = window.session.stored
    store.save(first.edited(body="Changed at the newsroom."), reason="sync")  # as a sync does
    store.hold("get")
    busy = act(window.syncing._refresh_open)  # what a sync that brought changes does
    assert busy < ACTION_S, f"the sync's refresh held the window {busy:.3f} s"
    assert window.statusBar().currentMessage() == "Reading the story as the sync left it…"
    assert window.editor.body.toPlainText() == first.body  # as it was, meanwhile
    qtbot.waitUntil(lambda: BUSY in window.statusBar().currentMessage(), timeout=3000)
    store.release()
    qtbot.waitUntil(
        lambda: window.editor.body.toPlainText() == "Changed at the newsroom.", timeout=10_000
    )
    assert window.session.stored.version > first.version


def choose(window: Any, status: Status) -> float:
    """Choose ``status`` in the story's form, as a click does; how long it held the window."""
    form = window.editor.form
    return act(lambda: form.status.setCurrentIndex(form.status.findData(status.value)))


def test_a_status_chosen_while_the_store_is_held_is_applied_when_it_answers(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]]
) -> None:
    """The readiness checklist reads the publication's profile; held, the choice waits
    for it instead of being refused, and the checklist (gone ahead with here, as
    conftest's ``_readiness_answered`` does) shows when the answer comes."""
    store, _made = held
    first = window.session.stored
    store.hold("profile")
    busy = choose(window, Status.READY)
    assert busy < ACTION_S, f"choosing Ready held the window {busy:.3f} s"
    form = window.editor.form
    assert form.current_status() == Status.DRAFT  # not yet: the checklist has not answered
    assert (
        window.statusBar()
        .currentMessage()
        .startswith(
            "Checking the story before it is marked ready: it will be as soon as the store answers."
        )
    )
    slowest = type_keys(qtbot, window, " More.")
    assert slowest < PROMPT_S, f"a key took {slowest:.3f} s while the store was held"
    store.release()
    qtbot.waitUntil(lambda: form.current_status() == Status.READY, timeout=10_000)
    qtbot.waitUntil(lambda: store.get(first.uri).status == Status.READY, timeout=10_000)
    assert store.get(first.uri).body == first.body + " More."
    reasons = [r.reason for r in store.revisions(first.uri)]
    assert any("(a test that is not about the checklist)" in r for r in reasons), reasons


def test_a_late_answer_is_dropped_when_another_status_was_chosen_meanwhile(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]]
) -> None:
    store, made = held
    store.hold("profile")
    choose(window, Status.READY)
    choose(window, Status.PUBLISHED)  # refused while the first check is out
    assert (
        window.statusBar()
        .currentMessage()
        .startswith(
            "The store has not yet answered the check of the status chosen before: choose the "
            "status again once it has."
        )
    )
    form = window.editor.form
    assert form.current_status() == Status.DRAFT
    store.release()
    window.calls.reads.wait(10)
    QApplication.processEvents()
    assert form.current_status() == Status.DRAFT  # neither choice stands
    window.session.flush()
    window.calls.writes.wait(10)
    assert [store.get(a.uri).status for a in made] == [Status.DRAFT, Status.DRAFT]
    choose(window, Status.READY)  # chosen again once answered: done at once
    assert form.current_status() == Status.READY
