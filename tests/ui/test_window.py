"""The real window, driven as a journalist would: offscreen, with the live preview."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from newsdesk.core.models import Article, Status
from newsdesk.core.ports import ArticleQuery
from newsdesk.ui.library.library import ArticleTableModel

from .conftest import run_js, wait_for_dom

BODY_TEXT = "(document.getElementById('nd-body') || {innerText: ''}).innerText"
HEADLINE_TEXT = "(document.getElementById('nd-headline') || {innerText: ''}).innerText"


def test_library_model_passes_the_model_tester(qtmodeltester: Any, sample_store: Any) -> None:
    model = ArticleTableModel(sample_store)
    model.refresh()
    qtmodeltester.check(model)
    model.set_filters(model.query, "flood")
    qtmodeltester.check(model)


def test_library_pages_instead_of_reading_everything(sample_store: Any) -> None:
    ArticleTableModel.PAGE_SIZE, old = 10, ArticleTableModel.PAGE_SIZE
    try:
        model = ArticleTableModel(sample_store)
        model.refresh()
        assert model.rowCount() == 10 and model.canFetchMore(model.index(-1, -1))
        model.fetchMore(model.index(-1, -1))
        assert model.rowCount() == 20
        # A story saved while the journalist scrolls goes to the top: the next page starts
        # after the last row shown, so no row comes twice and none is skipped.
        sample_store.create(Article(headline="Just filed", body="Text."))
        while model.canFetchMore(model.index(-1, -1)):
            model.fetchMore(model.index(-1, -1))
        shown = [model._rows[row].uri for row in range(model.rowCount())]
        assert len(shown) == len(set(shown))
        everything = sample_store.list_page(ArticleQuery(limit=1000))
        assert shown == [row.uri for row in everything if row.headline != "Just filed"]
    finally:
        ArticleTableModel.PAGE_SIZE = old


def test_window_opens_on_the_newest_article_with_its_preview(
    qtbot: Any, make_window: Any, sample_store: Any
) -> None:
    window = make_window(sample_store)
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
    article = window.session.stored
    assert window.windowTitle().startswith(article.headline)
    assert window.windowTitle().endswith("— Newsdesk")
    headline = wait_for_dom(qtbot, window.preview, HEADLINE_TEXT, bool)
    assert headline.strip() == article.headline
    assert run_js(qtbot, window.preview, "document.querySelectorAll('h1').length") == 1


def test_create_type_and_see_it_in_the_preview_and_the_store(
    qtbot: Any, make_window: Any, sample_store: Any
) -> None:
    window = make_window(sample_store)
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
    window.commands.new.trigger()
    window.calls.writes.wait(10)  # stored off the GUI thread: its answer
    uri = window.session.stored.uri
    qtbot.keyClicks(window.editor.form.headline, "Ferry Strike Ends: Islanders Relieved")
    window.editor.body.setFocus()
    qtbot.keyClicks(window.editor.body, "The ferry ran again on *Monday*, officials said.")
    wait_for_dom(
        qtbot,
        window.preview,
        HEADLINE_TEXT,
        lambda v: v.strip() == "Ferry Strike Ends: Islanders Relieved",
    )
    body = wait_for_dom(qtbot, window.preview, BODY_TEXT, lambda v: "officials said" in v)
    assert "The ferry ran again on Monday" in body
    em = run_js(qtbot, window.preview, "document.querySelector('#nd-body em').innerText")
    assert em == "Monday"
    qtbot.waitUntil(lambda: "officials said" in sample_store.get(uri).body, timeout=5000)
    stored = sample_store.get(uri)
    assert stored.headline == "Ferry Strike Ends: Islanders Relieved"
    assert stored.slug == "ferry-strike-ends-islanders-relieved"
    qtbot.waitUntil(  # the store's answer reaches the window a moment after the store has it
        lambda: (
            window.save_label.toolTip() == "Everything on screen is stored"
            or "Saved" in window.save_label.toolTip()
        ),
        timeout=5000,
    )
    assert window.library.model.row_of(uri) >= 0


def test_ctrl_s_saves_at_once_with_a_revision(
    qtbot: Any, make_window: Any, sample_store: Any
) -> None:
    window = make_window(sample_store)
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
    uri = window.session.stored.uri
    before = len(sample_store.revisions(uri))
    window.editor.body.setFocus()
    qtbot.keyClicks(window.editor.body, "Late line.")
    qtbot.keyClick(window.editor.body, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    window.session.flush()  # Ctrl+S waits only a moment: its answer
    assert "Late line." in sample_store.get(uri).body
    revisions = sample_store.revisions(uri)
    assert len(revisions) == before + 1 and revisions[-1].reason == "manual"


def test_filters_and_search_narrow_the_library(
    qtbot: Any, make_window: Any, sample_store: Any
) -> None:
    window = make_window(sample_store)
    library = window.library
    library.status_filter.setCurrentIndex(library.status_filter.findData(Status.DRAFT.value))
    model = library.model
    assert model.rowCount() == 5
    assert {model.summary(r).status for r in range(model.rowCount())} == {Status.DRAFT}
    library.status_filter.setCurrentIndex(0)
    library.section_filter.setCurrentIndex(library.section_filter.findData("Sport"))
    assert {model.summary(r).section for r in range(model.rowCount())} == {"Sport"}
    library.section_filter.setCurrentIndex(0)
    library.search.setText("severn")
    qtbot.waitUntil(lambda: model.search_text == "severn", timeout=3000)
    assert model.rowCount() >= 3
    assert "severn" in model.summary(0).headline.lower()
    assert library.count_label.text().endswith("matches")


def test_sorting_by_headline(qtbot: Any, make_window: Any, sample_store: Any) -> None:
    window = make_window(sample_store)
    window.library.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    model = window.library.model

    def headlines() -> list[str]:
        return [model.summary(r).headline for r in range(model.rowCount())]

    def sorted_page() -> bool:
        shown = headlines()
        return len(shown) > 1 and shown == sorted(shown)

    # The sorted page is read off the GUI thread: on a slow store it comes a moment later.
    qtbot.waitUntil(sorted_page, timeout=10_000)


def test_archive_and_undo(qtbot: Any, make_window: Any, sample_store: Any) -> None:
    window = make_window(sample_store)
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
    article = window.session.stored
    window.archive_article(article.uri)  # on screen: written as an edit, by the autosave
    qtbot.waitUntil(lambda: sample_store.get(article.uri).status is Status.ARCHIVED, timeout=5000)
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: sample_store.get(article.uri).status is article.status, timeout=5000)


def test_duplicate_makes_a_new_draft(qtbot: Any, make_window: Any, sample_store: Any) -> None:
    window = make_window(sample_store)
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
    original = window.session.stored
    window.duplicate_article(original.uri)
    window.calls.writes.wait(10)  # stored off the GUI thread: its answer
    copy = window.session.stored
    assert copy.uri != original.uri and copy.status is Status.DRAFT
    assert copy.body == original.body and copy.headline == original.headline + " (copy)"


def test_first_run_offers_the_sample_or_a_blank_article(
    qtbot: Any, make_window: Any, empty_store: Any
) -> None:
    window = make_window(empty_store)
    assert window.centre.currentWidget() is window.welcome
    window.welcome.sample.click()
    window.calls.writes.wait(30)  # stored off the GUI thread: its answer
    assert empty_store.info().article_count == 44
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
    assert window.centre.currentWidget() is window.editor


def test_empty_headline_cannot_be_marked_ready(
    qtbot: Any, make_window: Any, empty_store: Any
) -> None:
    window = make_window(empty_store)
    window.welcome.blank.click()
    window.calls.writes.wait(10)  # stored off the GUI thread: its answer
    form = window.editor.form
    form.status.setCurrentIndex(form.status.findData(Status.READY.value))
    assert form.current_status() is Status.DRAFT
    assert "Write a headline" in form.status_problem.text()


def test_an_image_that_is_not_an_image_is_refused_in_place(
    qtbot: Any, make_window: Any, empty_store: Any, tmp_path: Path
) -> None:
    window = make_window(empty_store)
    window.welcome.blank.click()
    window.calls.writes.wait(10)  # stored off the GUI thread: its answer
    fake = tmp_path / "photo.jpg"
    fake.write_text("this is not a JPEG")
    task = window.editor.form.image.set_source(str(fake))
    qtbot.waitUntil(lambda: task.done, timeout=10_000)  # checked off the GUI thread
    assert "photo.jpg" in window.editor.form.image.problem.text()
    assert window.editor.form.image.src.text() == ""
    assert empty_store.list_media() == []


def test_duplicate_tags_are_flagged_and_kept_once(
    qtbot: Any, make_window: Any, empty_store: Any
) -> None:
    window = make_window(empty_store)
    window.welcome.blank.click()
    window.calls.writes.wait(10)  # stored off the GUI thread: its answer
    uri = window.session.stored.uri
    qtbot.keyClicks(window.editor.form.tags, "courts, appeals, courts")
    assert "courts" in window.editor.form.tags_problem.text()
    window.save_now()
    window.session.flush()  # Ctrl+S waits only a moment: its answer
    assert empty_store.get(uri).tags == ("courts", "appeals")


def test_long_fields_are_shown_from_their_start(
    qtbot: Any, make_window: Any, empty_store: Any
) -> None:
    """A field longer than its box shows its first words (``climate change, ...``), not
    its last (``...e change, climate diplomacy, adaptation``), as the window opens it."""
    tags = ("climate change", "climate diplomacy", "adaptation", "finance", "Kenya")
    article = empty_store.create(
        Article(
            headline="Nairobi climate talks",
            kicker="Climate diplomacy at the adaptation summit in Nairobi, day one of two",
            tags=tags,
            body="Delegates gather.",
        )
    )
    window = make_window(empty_store)
    window.resize(1366, 768)
    window.open_article(article.uri)
    form = window.editor.form
    qtbot.waitUntil(lambda: form.tags.text() == ", ".join(tags), timeout=5000)
    form.setCurrentIndex(0)
    qtbot.wait(50)
    for field in (form.tags, form.kicker):
        assert field.cursorPosition() == 0
        # What is drawn: the box's left edge shows the text's first character.
        assert field.cursorRect().left() < field.width() // 4


def test_a_pasted_five_megabyte_body_is_kept_and_typing_goes_on(
    qtbot: Any, make_window: Any, empty_store: Any
) -> None:
    window = make_window(empty_store)
    window.welcome.blank.click()
    window.calls.writes.wait(10)  # stored off the GUI thread: its answer
    uri = window.session.stored.uri
    paragraph = "Around 1,100 homes were evacuated overnight, officials said. " * 8
    huge = "\n\n".join(f"{i}. {paragraph}" for i in range(10_500))
    assert len(huge) > 5_000_000
    window.editor.body.setPlainText(huge)
    window.editor.body.setFocus()
    window.editor.body.moveCursor(window.editor.body.textCursor().MoveOperation.End)
    started = time.perf_counter()
    qtbot.keyClicks(window.editor.body, " THE END")
    typing_seconds = time.perf_counter() - started
    assert typing_seconds < 3  # the editor never waits for the page
    window.save_now()
    window.session.flush()  # Ctrl+S waits only a moment: its answer
    assert empty_store.get(uri).body == huge + " THE END"
    tail = wait_for_dom(
        qtbot,
        window.preview,
        "(document.querySelector('#nd-body > :last-child') || {innerText: ''}).innerText",
        lambda v: v.endswith("THE END"),
        timeout=120_000,
    )
    assert tail.endswith("THE END")


def test_opening_markdown_files_imports_and_shows_them(
    qtbot: Any, make_window: Any, empty_store: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    story = tmp_path / "ferry.md"
    story.write_text("---\ntitle: Ferry Strike Ends\nsection: UK\n---\nThe ferry ran.\n")
    window = make_window(empty_store)
    window.imports.files([story])  # off the GUI thread: shown once the store has it
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=10_000)
    imported = empty_store.get(window.session.stored.uri)
    assert imported.headline == "Ferry Strike Ends"
    assert window.session.stored.uri == imported.uri
    assert window.editor.form.headline.text() == "Ferry Strike Ends"
    warnings: list[str] = []
    monkeypatch.setattr(
        "newsdesk.ui.main_window.QMessageBox.warning",
        lambda _parent, _title, text, *args: warnings.append(text),
    )
    broken = tmp_path / "broken.md"
    broken.write_text("---\ntitle: [unclosed\n---\n")
    assert window.imports.files([broken]) == []
    qtbot.waitUntil(lambda: bool(warnings), timeout=10_000)
    assert "Nothing was imported" in warnings[0] and "broken.md:2" in warnings[0]
    assert empty_store.info().article_count == 1
