"""The writing desk: the text gets the room at every window size; panes stay put."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from newsdesk.core.models import Status
from newsdesk.ui.desk.desk_layout import Pane, PreviewMode

SLUG = "severn-barrier-delay-leaves-homes-exposed"


def open_story(qtbot: Any, make_window: Any, store: Any, width: int, height: int) -> Any:
    window = make_window(store)
    window.resize(width, height)
    uri = store.get_by_slug(SLUG).uri
    window.open_article(uri)
    qtbot.waitUntil(lambda: window.session.stored is not None and window.splitter.width() == width)
    QApplication.processEvents()
    return window


def body_lines(window: Any) -> float:
    body = window.editor.body
    return body.viewport().height() / body.fontMetrics().lineSpacing()


@pytest.mark.parametrize(
    "size", [(1024, 700, 12), (1280, 800, 20), (1366, 768, 20), (1920, 1080, 20)], ids=str
)
def test_the_body_gets_the_room_and_the_preview_is_never_squashed(
    qtbot: Any, make_window: Any, sample_store: Any, size: tuple[int, int, int]
) -> None:
    width, height, lines = size
    window = open_story(qtbot, make_window, sample_store, width, height)
    assert body_lines(window) >= lines
    assert window.preview.isVisible()  # side by side at every one of these sizes
    assert window.preview.width() >= 360
    for pane in (window.library, window.editor.inspector, window.preview):
        if pane.isVisible():
            assert pane.width() >= pane.minimumWidth()
    assert window.editor.body.width() >= 420


def test_below_a_phone_column_beside_the_text_the_preview_becomes_a_toggle(
    qtbot: Any, make_window: Any, sample_store: Any
) -> None:
    window = open_story(qtbot, make_window, sample_store, 800, 560)
    assert window.desk.plan.preview == PreviewMode.SWAP
    assert not window.preview.isVisible() and window.editor.body.isVisible()
    window.commands.preview.trigger()  # Ctrl+3: the page instead of the text
    assert window.preview.isVisible() and not window.centre.isVisible()
    assert window.preview.width() >= 360
    window.commands.preview.trigger()  # and back to writing
    assert window.centre.isVisible() and not window.preview.isVisible()


def test_the_library_collapses_when_narrow_and_comes_back_when_asked(
    qtbot: Any, make_window: Any, sample_store: Any
) -> None:
    window = open_story(qtbot, make_window, sample_store, 1920, 1000)
    assert window.library.isVisible()
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.splitter.width() == 1024)
    assert not window.library.isVisible()
    assert window.commands.library.isChecked() is False
    window.commands.library.trigger()  # Ctrl+1: the library takes the room first
    assert window.library.isVisible() and window.library.width() >= 230
    assert window.editor.body.width() >= 420
    window.commands.library.trigger()
    assert not window.library.isVisible()
    assert Pane.LIBRARY not in window.desk.wanted


def test_find_and_a_status_change_leave_the_panes_where_they_were(
    qtbot: Any, make_window: Any, sample_store: Any
) -> None:
    window = open_story(qtbot, make_window, sample_store, 1366, 768)
    before = window.splitter.sizes()
    lines = body_lines(window)
    window.commands.replace.trigger()  # the find bar, with its replace row
    assert window.editor.find_bar.isVisible()
    form = window.editor.form
    form.status.setCurrentIndex(form.status.findData(Status.READY.value))
    form.status.setCurrentIndex(form.status.findData(Status.PUBLISHED.value))
    QApplication.processEvents()
    assert window.splitter.sizes() == before
    window.editor.find_bar.close_bar()
    QApplication.processEvents()
    assert window.splitter.sizes() == before
    assert body_lines(window) == pytest.approx(lines, abs=0.5)


def test_focus_mode_shows_the_text_alone_and_esc_leaves_it(
    qtbot: Any, make_window: Any, sample_store: Any
) -> None:
    window = open_story(qtbot, make_window, sample_store, 1366, 768)
    window.activateWindow()
    window.editor.body.setFocus()
    qtbot.keyClick(window.editor.body, Qt.Key.Key_F11)
    assert window.desk.focus
    assert window.isFullScreen()
    for widget in (window.library, window.editor.inspector, window.preview,
                   window.menuBar(), window.statusBar(), window.editor.toolbar):  # fmt: skip
        assert not widget.isVisible()
    for widget in (window.editor.form.headline, window.editor.form.standfirst,
                   window.editor.body):  # fmt: skip
        assert widget.isVisible()
    qtbot.keyClick(window.editor.body, Qt.Key.Key_Escape)
    assert not window.desk.focus and not window.isFullScreen()
    assert window.preview.isVisible() and window.menuBar().isVisible()


def test_typewriter_scrolling_keeps_the_line_being_typed_in_the_middle(
    qtbot: Any, make_window: Any, sample_store: Any
) -> None:
    window = open_story(qtbot, make_window, sample_store, 1366, 768)
    body = window.editor.body
    window.commands.typewriter.trigger()
    body.moveCursor(body.textCursor().MoveOperation.End)
    qtbot.keyClicks(body, " And one more line.")
    middle = body.viewport().height() / 2
    assert abs(body.cursorRect().center().y() - middle) < body.fontMetrics().lineSpacing() * 2


def test_a_new_article_takes_my_details_never_the_open_articles(
    qtbot: Any, make_window: Any, sample_store: Any, settings_store: Any
) -> None:
    settings = settings_store.load()
    settings.my_byline, settings.my_section, settings.my_dateline = "Ana Lima", "Politics", "LISBON"
    settings_store.save(settings)
    window = open_story(qtbot, make_window, sample_store, 1366, 768)
    assert window.current_article().byline == "Amira Hassan"
    window.commands.new.trigger()
    window.calls.writes.wait(10)  # stored off the GUI thread: its answer
    article = window.current_article()
    assert (article.byline, article.section, article.dateline) == ("Ana Lima", "Politics", "LISBON")


def test_a_new_article_left_without_a_word_is_not_kept(
    qtbot: Any, make_window: Any, sample_store: Any
) -> None:
    window = open_story(qtbot, make_window, sample_store, 1366, 768)
    other = sample_store.get_by_slug(SLUG).uri
    count = sample_store.info().article_count
    window.commands.new.trigger()
    window.calls.writes.wait(10)  # stored off the GUI thread: its answer
    empty = window.session.stored.uri
    window.open_article(other)  # left it untouched
    assert sample_store.info().article_count == count
    # The library reads the store again off the GUI thread: gone once that answer is in.
    qtbot.waitUntil(lambda: window.library.model.row_of(empty) < 0, timeout=10_000)

    window.commands.new.trigger()
    window.calls.writes.wait(10)  # stored off the GUI thread: its answer
    qtbot.keyClicks(window.editor.body, "Notes")
    kept = window.session.stored.uri
    window.open_article(other)
    assert sample_store.info().article_count == count + 1
    assert sample_store.get(kept).body == "Notes"

    window.commands.new.trigger()
    window.calls.writes.wait(10)  # stored off the GUI thread: its answer
    window.close()  # closing the window is leaving too
    assert sample_store.info().article_count == count + 1


def test_history_from_the_menu_opens_the_story_in_the_editor(
    qtbot: Any, make_window: Any, sample_store: Any, monkeypatch: Any
) -> None:
    from newsdesk.ui.dialogs import history

    shown: list[str] = []
    monkeypatch.setattr(history.HistoryDialog, "exec", lambda d: shown.append(d.windowTitle()))
    window = open_story(qtbot, make_window, sample_store, 1366, 768)
    messages: list[str] = []
    window.statusBar().messageChanged.connect(messages.append)
    window.commands.history.trigger()  # triggered(checked=False) once became uri=False
    assert len(shown) == 1
    assert not [m for m in messages if "no article" in m.lower()]


def test_paste_as_plain_text_drops_the_formatting(
    qtbot: Any, make_window: Any, sample_store: Any
) -> None:
    window = open_story(qtbot, make_window, sample_store, 1366, 768)
    body = window.editor.body
    body.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is body)
    body.moveCursor(body.textCursor().MoveOperation.End)
    mime = QMimeData()
    mime.setHtml("<p><b>Bold</b> claim, <a href='https://example.com/'>source</a></p>")
    mime.setText("Bold claim, source")
    QGuiApplication.clipboard().setMimeData(mime)
    window.commands.paste_plain.trigger()
    assert body.toPlainText().endswith("Bold claim, source")
    window.commands.undo.trigger()  # Edit ▸ Undo reaches the body
    assert not body.toPlainText().endswith("Bold claim, source")
    window.commands.redo.trigger()
    assert body.toPlainText().endswith("Bold claim, source")


def test_the_welcome_text_is_shown_whole(qtbot: Any, make_window: Any, empty_store: Any) -> None:
    window = make_window(empty_store)
    window.resize(1024, 700)
    welcome = window.welcome
    qtbot.waitUntil(welcome.isVisible)
    QApplication.processEvents()
    for label in (welcome.title, welcome.text):
        assert label.height() >= label.heightForWidth(label.width())


def test_my_details_are_set_in_settings_and_kept(
    qtbot: Any, make_window: Any, sample_store: Any, settings_store: Any, monkeypatch: Any
) -> None:
    from newsdesk.ui.dialogs import settings_dialog

    def fill(dialog: Any) -> int:
        dialog.my_byline.setText("  Min-ji Park ")
        dialog.my_section.setEditText("World")
        dialog.my_dateline.setText("SEOUL")
        return 1

    monkeypatch.setattr(settings_dialog.SettingsDialog, "exec", fill)
    window = open_story(qtbot, make_window, sample_store, 1366, 768)
    window.commands.settings.trigger()
    saved = settings_store.load()
    assert (saved.my_byline, saved.my_section, saved.my_dateline) == (
        "Min-ji Park",
        "World",
        "SEOUL",
    )
    window.commands.new.trigger()
    window.calls.writes.wait(10)  # stored off the GUI thread: its answer
    assert window.editor.form.byline.text() == "Min-ji Park"
