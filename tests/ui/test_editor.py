"""The body editor's commands and the settings dialog, as a journalist uses them."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QTextCursor

from newsdesk.ui.desk.body_editor import BodyEditor, FindBar
from newsdesk.ui.dialogs.settings_dialog import SettingsDialog

from .conftest import wait_for_dom


def select_all(editor: BodyEditor) -> None:
    cursor = editor.textCursor()
    cursor.select(QTextCursor.SelectionType.Document)
    editor.setTextCursor(cursor)


def test_formatting_commands_and_their_shortcuts(qtbot: Any) -> None:
    editor = BodyEditor()
    qtbot.addWidget(editor)
    shortcuts = {a.text(): a.shortcut().toString() for a in editor.format_actions}
    assert shortcuts == {
        "Bold": "Ctrl+B",
        "Italic": "Ctrl+I",
        "Link": "Ctrl+K",
        "Heading": "Ctrl+Alt+2",
        "Block quote": "Ctrl+Shift+Q",
        "Bulleted list": "Ctrl+Shift+8",
        "Numbered list": "Ctrl+Shift+7",
    }
    actions = {a.text(): a for a in editor.format_actions}
    editor.setPlainText("word")
    select_all(editor)
    actions["Bold"].trigger()
    assert editor.toPlainText() == "**word**"
    select_all(editor)
    actions["Bold"].trigger()  # again: bold comes off
    assert editor.toPlainText() == "word"
    select_all(editor)
    actions["Italic"].trigger()
    assert editor.toPlainText() == "_word_"
    editor.setPlainText("one\ntwo")
    select_all(editor)
    actions["Bulleted list"].trigger()
    assert editor.toPlainText() == "- one\n- two"
    actions["Bulleted list"].trigger()
    assert editor.toPlainText() == "one\ntwo"
    actions["Numbered list"].trigger()
    assert editor.toPlainText() == "1. one\n2. two"
    editor.setPlainText("Title")
    actions["Heading"].trigger()
    assert editor.toPlainText() == "## Title"
    actions["Block quote"].trigger()
    assert editor.toPlainText() == "> ## Title"
    editor.setPlainText("site")
    select_all(editor)
    editor.link_to("https://example.com/")
    assert editor.toPlainText() == "[site](https://example.com/)"


def test_bold_without_selection_selects_a_placeholder(qtbot: Any) -> None:
    editor = BodyEditor()
    qtbot.addWidget(editor)
    editor.bold()
    assert editor.toPlainText() == "**text**"
    assert editor.textCursor().selectedText() == "text"


def test_find_and_replace(qtbot: Any) -> None:
    editor = BodyEditor()
    bar = FindBar(editor)
    qtbot.addWidget(editor)
    qtbot.addWidget(bar)
    editor.setPlainText("The council said. The Council met. Councils agree.")
    bar.find_edit.setText("council")
    assert bar.find_next()
    assert editor.textCursor().selectedText() == "council"
    bar.replace_edit.setText("authority")
    assert bar.replace_all() == 3
    assert editor.toPlainText() == "The authority said. The authority met. authoritys agree."
    editor.document().undo()
    assert "council" in editor.toPlainText()  # one undo step takes back the whole replace
    bar.case.setChecked(True)
    bar.find_edit.setText("Council")
    assert bar.replace_all() == 2
    bar.find_edit.setText("nowhere")
    assert not bar.find_next()
    assert bar.status.text() == "Not found"


def test_settings_change_the_publication_in_the_preview(
    qtbot: Any, make_window: Any, sample_store: Any, monkeypatch: Any
) -> None:
    window = make_window(sample_store)
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
    wait_for_dom(
        qtbot,
        window.preview,
        "(document.body || {innerText: ''}).innerText",
        lambda v: "London Daily" in v,
    )

    def accept(dialog: SettingsDialog) -> int:
        dialog.name.setText("Harbour Gazette")
        dialog.related_cap.setValue(2)
        dialog.time_zone.setText("Europe/Londn")
        assert dialog.problems().startswith("Unknown time zone 'Europe/Londn'")
        assert "did you mean 'Europe/London'?" in dialog.problems()
        dialog.time_zone.setText("Europe/London")
        assert dialog.problems() == ""
        return 1

    monkeypatch.setattr(SettingsDialog, "exec", accept)
    window.open_settings()
    assert sample_store.profile().name == "Harbour Gazette"
    masthead = wait_for_dom(
        qtbot,
        window.preview,
        "(document.body || {innerText: ''}).innerText",
        lambda v: "Harbour Gazette" in v,
    )
    assert "London Daily" not in masthead
    related = wait_for_dom(
        qtbot,
        window.preview,
        "document.querySelectorAll('#nd-related li').length",
        lambda v: v is not None and v <= 2,
    )
    assert related <= 2
