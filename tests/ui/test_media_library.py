"""The media library: thumbnails, search, use, reuse, replace, remove."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from tests.media_samples import jpeg_bytes, png_bytes, wav_bytes, write

from newsdesk.core.media.media import body_keys, image_markdown
from newsdesk.core.media.media_intake import probe
from newsdesk.core.models import Article, Media


def _add(store: Any, data: bytes, name: str) -> Any:
    asset, _ = store.add_media(data, probe(data, name), name)
    return asset


@pytest.fixture
def stocked(empty_store: Any) -> dict[str, Any]:
    river = _add(empty_store, jpeg_bytes(900, 600, caption="Flood at the bridge"), "river.jpg")
    chart = _add(empty_store, png_bytes(400, 300), "chart.png")
    talk = _add(empty_store, wav_bytes(2.0), "talk.wav")
    story = empty_store.create(
        Article(
            headline="River rises",
            body="Text.\n\n" + image_markdown(river.key, "Water", "Flood"),
            audio=Media(src=talk.ref),
        )
    )
    return {"river": river, "chart": chart, "talk": talk, "story": story}


def _library(qtbot: Any, window: Any) -> Any:
    """The library, once it has listed the three stocked files (it reads them off the GUI
    thread: on a loaded machine they arrive after it opens)."""
    window.media_view.open_library()
    library = window.media_view.library
    qtbot.addWidget(library)
    qtbot.waitUntil(lambda: library.model.rowCount() == 3, timeout=10_000)
    return library


def test_the_model_is_a_proper_list_model(
    qtbot: Any, qtmodeltester: Any, make_window: Any, empty_store: Any, stocked: Any
) -> None:
    window = make_window(empty_store)
    library = _library(qtbot, window)
    assert library.model.rowCount() == 3
    qtmodeltester.check(library.model)
    # Thumbnails arrive as they are made, off the GUI thread.
    qtbot.waitUntil(lambda: not library.model.tools.thumbnails._making, timeout=10_000)
    assert library.model.tools.thumbnails.image(stocked["river"]) is not None


def test_search_and_where_each_file_is_used(
    qtbot: Any, make_window: Any, empty_store: Any, stocked: Any
) -> None:
    window = make_window(empty_store)
    library = _library(qtbot, window)
    library.search.setText("bridge")
    qtbot.waitUntil(lambda: library.model.rowCount() == 1, timeout=5000)
    assert library.current_key() == stocked["river"].key
    assert "River rises" in library.used_in.text()
    assert not library.remove_button.isEnabled()  # a story uses it
    library.search.setText("chart")
    qtbot.waitUntil(lambda: library.current_key() == stocked["chart"].key, timeout=5000)
    assert library.used_in.text() == "Unused"
    assert "no alt text" in library.warning.text() and "no credit" in library.warning.text()
    # The library's words are what a story takes when it places the file.
    library.credit.setText("Graphics desk")
    library.alt.setText("Bar chart of river levels")
    library.save_words()
    stored = empty_store.get_media(stocked["chart"].key)
    assert (stored.credit, stored.alt) == ("Graphics desk", "Bar chart of river levels")
    assert library.current_key() == stored.key and not library.warning.isVisibleTo(library)


def test_reuse_in_the_story_being_edited(
    qtbot: Any, make_window: Any, empty_store: Any, stocked: Any
) -> None:
    window = make_window(empty_store)
    window.open_article(stocked["story"].uri)
    body = window.editor.body
    cursor = body.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    body.setTextCursor(cursor)
    library = _library(qtbot, window)
    chart_row = library.model.row_of(stocked["chart"].key)
    library.view.setCurrentIndex(library.model.index(chart_row, 0))
    library.insert_button.click()
    assert body_keys(window.editor.body.toPlainText()) == [
        stocked["river"].key,
        stocked["chart"].key,
    ]


def test_replace_keeps_the_key(
    qtbot: Any, make_window: Any, empty_store: Any, stocked: Any, tmp_path: Path
) -> None:
    window = make_window(empty_store)
    library = _library(qtbot, window)
    river = stocked["river"]
    newer = write(tmp_path, "river-better.jpg", jpeg_bytes(1200, 800, seed=5))
    with qtbot.waitSignal(library.media_changed, timeout=10_000):
        library.replace_with(river.key, str(newer))
    replaced = empty_store.get_media(river.key)
    assert replaced.sha256 != river.sha256 and replaced.width == 1200
    assert empty_store.media_data(river.key) == newer.read_bytes()
    # A picture can't replace audio: refused in words, nothing changed.
    talk = stocked["talk"]
    library.replace_with(talk.key, str(newer))
    qtbot.waitUntil(lambda: library.problem.isVisibleTo(library), timeout=10_000)
    assert "not an audio file" in library.problem.text()
    assert empty_store.get_media(talk.key).sha256 == talk.sha256


def test_remove_unused_and_ask_about_history(
    qtbot: Any, make_window: Any, empty_store: Any, stocked: Any, monkeypatch: Any
) -> None:
    window = make_window(empty_store)
    library = _library(qtbot, window)
    river = stocked["river"]
    assert not library.remove_button.isEnabled() or library.current_key() != river.key
    # The chart is unused: removed at once.
    library.refresh(select=stocked["chart"].key)
    library.remove_current()
    assert stocked["chart"].key not in {a.key for a in empty_store.list_media()}
    # The story drops the river picture; a revision still shows it: removal asks first.
    empty_store.add_revision(stocked["story"].uri, "manual")  # the text with the picture
    story = empty_store.get(stocked["story"].uri)
    empty_store.save(story.edited(body="Text."), reason="manual")
    assert empty_store.media_use([river.key])[river.key].revisions >= 1
    library.refresh(select=river.key)
    assert library.remove_button.isEnabled()
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard])
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: next(answers))
    library.remove_current()
    assert river.key in {a.key for a in empty_store.list_media()}  # cancelled
    library.remove_current()
    assert river.key not in {a.key for a in empty_store.list_media()}
