"""Pasting rich text into the body gives clean Markdown; Word files dropped or chosen with
File ▸ Import… are shown (what will be stored, what was left out) before they are stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog
from tests.word_samples import flood_story

from newsdesk.ui.desk.body_editor import BodyEditor
from newsdesk.ui.dialogs.import_preview import ImportPreview

CLIPBOARD = Path(__file__).parents[1] / "data" / "clipboard"


def rich(html: str, text: str) -> QMimeData:
    mime = QMimeData()
    mime.setHtml(html)
    mime.setText(text)
    return mime


def test_google_docs_paste_becomes_markdown_between_blank_lines(qtbot: Any) -> None:
    body = BodyEditor()
    qtbot.addWidget(body)
    body.setPlainText("Intro.\nOutro.")
    cursor = body.textCursor()
    cursor.setPosition(len("Intro.\n"))
    body.setTextCursor(cursor)
    html = (CLIPBOARD / "google_docs.html").read_text(encoding="utf-8")
    with qtbot.waitSignal(body.paste_converted) as said:
        body.insertFromMimeData(rich(html, "Council responds\nThe council said..."))
    text = body.toPlainText()
    assert text.startswith(
        "Intro.\n\n## Council responds\n\nThe council said it had **no warning**"
    )
    assert "[the report](https://www.example.org/report?id=7)" in text
    assert "- Pier\n    - North side\n- School" in text
    assert text.endswith("| Pier | 2.1 m |\n\nOutro.")
    assert said.args == [
        "tracking parameters removed from a link\na picture left out (pictures are never "
        "fetched from where they were copied; add them with Insert picture)"
    ]
    body.undo()  # one paste, one undo
    assert body.toPlainText() == "Intro.\nOutro."


def test_a_link_pasted_mid_sentence_stays_in_the_line(qtbot: Any) -> None:
    body = BodyEditor()
    qtbot.addWidget(body)
    body.setPlainText("See  for more.")
    cursor = body.textCursor()
    cursor.setPosition(4)
    body.setTextCursor(cursor)
    html = '<meta charset="utf-8"><a href="https://example.org/r?fbclid=x">the report</a>'
    body.insertFromMimeData(rich(html, "the report"))
    assert body.toPlainText() == "See [the report](https://example.org/r) for more."


def test_hostile_paste_is_inert_and_plain_html_pastes_its_text(qtbot: Any) -> None:
    body = BodyEditor()
    qtbot.addWidget(body)
    hostile = '<p>Hi <a href="javascript:alert(1)">there</a></p><script>alert(1)</script>'
    body.insertFromMimeData(rich(hostile, "Hi there"))
    assert body.toPlainText() == "Hi there"
    body.setPlainText("")
    body.insertFromMimeData(rich("<span>*typed stars*</span>", "*typed stars*"))
    assert body.toPlainText() == "*typed stars*"  # nothing rich: the text as it was


def test_paste_plain_keeps_the_words_only(qtbot: Any, make_window: Any, sample_store: Any) -> None:
    window = make_window(sample_store)
    window.open_article(sample_store.get_by_slug("severn-barrier-delay-leaves-homes-exposed").uri)
    qtbot.waitUntil(lambda: window.session.stored is not None)
    body = window.editor.body
    body.setPlainText("")
    body.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is body)
    QGuiApplication.clipboard().setMimeData(
        rich("<p><b>Bold</b> claim, <a href='https://example.com/'>source</a></p>", "Bold claim")
    )
    window.commands.paste.trigger()
    assert body.toPlainText() == "**Bold** claim, [source](https://example.com/)"
    assert window.statusBar().currentMessage() == "Pasted as Markdown."
    body.setPlainText("")
    window.commands.paste_plain.trigger()
    assert body.toPlainText() == "Bold claim"


@pytest.mark.parametrize("accept", [True, False])
def test_import_shows_the_story_before_storing_it(
    qtbot: Any,
    make_window: Any,
    empty_store: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    accept: bool,
) -> None:
    shown: list[ImportPreview] = []

    def answer(dialog: ImportPreview) -> int:
        shown.append(dialog)
        assert empty_store.info().article_count == 0  # nothing stored while it is shown
        return QDialog.DialogCode.Accepted if accept else QDialog.DialogCode.Rejected

    monkeypatch.setattr(ImportPreview, "exec", answer)
    window = make_window(empty_store)
    window.imports.with_preview([flood_story(tmp_path / "flood.docx")])
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)  # read off the GUI thread
    (dialog,) = shown
    assert dialog.articles.item(0).text().startswith("Flood defences fail at Oban · ")
    text = dialog.text.toPlainText()
    assert text.startswith(
        "Headline: Flood defences fail at Oban\n"
        "Standfirst: Residents say warnings came too late as the river broke its banks\n"
        "Byline: Morag Campbell\n"
        "Note: Comments in the Word file:\n- Ed Itor: Confirm the date\n\n"
        "The river Oban rose **two metres**"
    )
    assert dialog.notes.toPlainText() == "flood.docx: tracking parameters removed from a link"
    assert "1 article with 1 picture" in dialog.heading.text()
    if accept:
        qtbot.waitUntil(lambda: window.session.stored is not None, timeout=10_000)
        assert window.session.stored.headline == "Flood defences fail at Oban"
        assert empty_store.info().article_count == 1 and len(empty_store.list_media()) == 1
        assert window.editor.body.toPlainText().startswith("The river Oban rose")
    else:
        assert window.session.stored is None
        assert empty_store.info().article_count == 0 and empty_store.list_media() == []


def test_a_damaged_document_is_refused_before_any_preview(
    qtbot: Any, make_window: Any, empty_store: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _w, _t, text: warned.append(text))
    monkeypatch.setattr(ImportPreview, "exec", lambda _d: pytest.fail("previewed"))
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really")
    window = make_window(empty_store)
    assert window.imports.with_preview([bad]) == []
    qtbot.waitUntil(lambda: bool(warned), timeout=10_000)  # read off the GUI thread
    (message,) = warned
    assert message.startswith("Nothing was imported.\n\n")
    assert "bad.docx: the document is damaged or cut short" in message


def test_a_word_file_dropped_on_the_window_is_imported_after_the_preview(
    qtbot: Any, make_window: Any, empty_store: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QPointF, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    monkeypatch.setattr(ImportPreview, "exec", lambda _d: QDialog.DialogCode.Accepted)
    window = make_window(empty_store)
    story = flood_story(tmp_path / "flood.docx")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(story))])
    point, copy = QPointF(20, 20), Qt.DropAction.CopyAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    entering = QDragEnterEvent(point.toPoint(), copy, mime, buttons, keys)
    window.editor.body.dragEnterEvent(entering)
    assert not entering.isAccepted()  # the body leaves stories to the window
    window.dropEvent(QDropEvent(point, copy, mime, buttons, keys))
    qtbot.waitUntil(lambda: empty_store.info().article_count == 1, timeout=10_000)
    # Opened like any article: at once from a store that answers quickly, else moments later.
    qtbot.waitUntil(
        lambda: window.editor.form.headline.text() == "Flood defences fail at Oban", timeout=10_000
    )
