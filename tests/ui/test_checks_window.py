"""Spelling and house style in the window: underlines while typing, the fixing menu, the
dictionaries, and the readiness checklist that guards Ready."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import QApplication, QMenu

from newsdesk.core.checks.checks import CheckKind
from newsdesk.core.models import Article, Status
from newsdesk.ui.checks import readiness_dialog
from newsdesk.ui.checks.check_marks import fill_menu, problem_at

WAVE = QTextCharFormat.UnderlineStyle.WaveUnderline


def underlined(edit: Any, word: str) -> list[str]:
    """The colours of the wavy underlines under ``word`` in a plain-text editor."""
    document = edit.document()
    found = document.find(word)
    assert not found.isNull(), word
    block = found.block()
    start = found.selectionStart() - block.position()
    colours = []
    for fmt_range in block.layout().formats():
        inside = fmt_range.start <= start < fmt_range.start + fmt_range.length
        if inside and fmt_range.format.underlineStyle() == WAVE:
            colours.append(fmt_range.format.underlineColor().name())
    return colours


@pytest.fixture
def desk_window(qtbot: Any, make_window: Any, empty_store: Any) -> Any:
    story = empty_store.create(
        Article(
            headline="Council approves the new bridge",
            byline="Ana Lima",
            section="UK",
            standfirst="The vote ends a row that lasted three years.",
            body="The goverment said the bridge would open in spring.\n\nMore to follow.",
            tags=("Nkemelu",),
        )
    )
    window = make_window(empty_store)
    window.resize(1366, 768)
    window.open_article(story.uri)
    qtbot.waitUntil(lambda: window.session.stored is not None)
    QApplication.processEvents()
    return window


def test_a_misspelt_word_is_underlined_in_red_and_a_right_word_is_not(desk_window: Any) -> None:
    body = desk_window.editor.body
    assert underlined(body, "goverment") == ["#d32f2f"]
    assert underlined(body, "bridge") == []


def test_the_word_being_typed_waits_until_it_is_finished(qtbot: Any, desk_window: Any) -> None:
    body = desk_window.editor.body
    body.setFocus()
    qtbot.waitUntil(body.hasFocus)
    body.moveCursor(body.textCursor().MoveOperation.End)
    qtbot.keyClicks(body, " Resdents")
    assert underlined(body, "Resdents") == []  # still typing it
    qtbot.keyClicks(body, " were")
    assert underlined(body, "Resdents") == ["#d32f2f"]


def test_the_menu_offers_the_right_spelling_and_replaces_the_word(desk_window: Any) -> None:
    checks = desk_window.checking.checks
    body = desk_window.editor.body
    block = body.document().firstBlock()
    problem = problem_at(checks.problems("body", block.text()), block.text().index("goverment"))
    assert problem is not None and problem.kind == CheckKind.SPELLING
    menu = QMenu()
    replaced: list[str] = []
    fill_menu(menu, problem, "goverment", checks, replaced.append)
    texts = [a.text() for a in menu.actions()]
    assert texts[0] == "government"
    assert "Ignore in this article" in texts
    menu.actions()[0].trigger()
    assert replaced == ["government"]


def test_dictionaries_and_ignoring_take_the_underline_away(
    qtbot: Any, desk_window: Any, empty_store: Any, settings_store: Any
) -> None:
    checks = desk_window.checking.checks
    body = desk_window.editor.body
    checks.ignore("goverment")
    assert underlined(body, "goverment") == []
    other = empty_store.create(Article(headline="Other", body="Another goverment story."))
    desk_window.open_article(other.uri)  # an ignore lasts for its story only
    qtbot.waitUntil(lambda: "Another" in body.toPlainText())
    assert underlined(body, "goverment") == ["#d32f2f"]

    checks.add_to_newsroom("goverment")  # shared: in the store
    assert "goverment" in empty_store.newsroom_words()
    assert underlined(body, "goverment") == []

    checks.add_to_mine("Tewkesbury")
    desk_window.close()
    assert "Tewkesbury" in settings_store.load().my_words.split()


def test_names_the_story_uses_in_its_tags_count_as_known(desk_window: Any) -> None:
    body = desk_window.editor.body
    cursor = body.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    cursor.insertText("\n\nNkemelu spoke first.")
    QApplication.processEvents()
    assert underlined(body, "Nkemelu") == []


def test_fields_are_underlined_too(qtbot: Any, desk_window: Any) -> None:
    form = desk_window.editor.form
    form.headline.setText("Councl approves the new bridge")
    QApplication.processEvents()
    assert underlined(form.headline, "Councl") == ["#d32f2f"]
    marks = next(m for m in desk_window.checking._marks if getattr(m, "edit", None) is form.kicker)
    form.kicker.setText("Breaking nwes")
    assert [(p.start, p.end) for p in marks.problems] == [(9, 13)]


def test_marking_ready_runs_the_checklist_and_can_be_kept_back(
    qtbot: Any, desk_window: Any, monkeypatch: Any, empty_store: Any
) -> None:
    shown: list[list[str]] = []

    def keep_back(dialog: Any) -> int:
        shown.append([dialog.list.item(i).text() for i in range(dialog.list.count())])
        return 0

    monkeypatch.setattr(readiness_dialog.ReadinessDialog, "exec", keep_back)
    form = desk_window.editor.form
    form.status.setCurrentIndex(form.status.findData(Status.READY.value))
    # (on a loaded machine the store may answer after its grace: the checklist shows then)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert any("spelling" in line.lower() for line in shown[0])
    assert form.current_status() == Status.DRAFT  # kept back
    desk_window.session.flush()
    uri = desk_window.session.stored.uri
    assert empty_store.get(uri).status == Status.DRAFT


def test_going_ahead_anyway_needs_a_reason_kept_in_the_history(
    qtbot: Any, desk_window: Any, monkeypatch: Any, empty_store: Any
) -> None:
    def go_ahead(dialog: Any) -> int:
        assert not dialog.anyway_button.isEnabled()  # no reason, no going ahead
        dialog.reason.setText("The desk wants it now")
        assert dialog.anyway_button.isEnabled()
        assert not dialog.anyway_button.isDefault()
        return 1

    monkeypatch.setattr(readiness_dialog.ReadinessDialog, "exec", go_ahead)
    form = desk_window.editor.form
    form.status.setCurrentIndex(form.status.findData(Status.READY.value))
    uri = desk_window.session.stored.uri
    qtbot.waitUntil(lambda: empty_store.get(uri).status == Status.READY, timeout=10_000)
    reasons = [r.reason for r in empty_store.revisions(uri)]
    assert any("The desk wants it now" in reason for reason in reasons)


def test_a_clean_story_becomes_ready_without_a_question(
    qtbot: Any, make_window: Any, empty_store: Any, monkeypatch: Any
) -> None:
    profile = empty_store.profile()
    from dataclasses import replace

    empty_store.save_profile(replace(profile, base_url="https://news.example.org/"))
    story = empty_store.create(
        Article(
            headline="Council approves the new bridge",
            byline="Ana Lima",
            section="UK",
            standfirst="The vote ends a row about the crossing that lasted three years.",
            body="The council said the bridge would open in spring.",
        )
    )
    asked: list[int] = []
    monkeypatch.setattr(readiness_dialog.ReadinessDialog, "exec", lambda d: asked.append(1) or 0)
    window = make_window(empty_store)
    window.open_article(story.uri)
    form = window.editor.form

    form.status.setCurrentIndex(form.status.findData(Status.READY.value))
    # (on a loaded machine the store may answer after its grace: the status follows then)
    qtbot.waitUntil(lambda: form.current_status() == Status.READY, timeout=10_000)
    assert asked == []


def test_redrawing_the_underlines_is_not_an_edit(qtbot: Any, desk_window: Any) -> None:
    """A dictionary change redraws every underline; that must not read as typing (it once
    postponed the autosave for as long as a long story was being checked)."""
    edits: list[int] = []
    desk_window.editor.edited.connect(lambda: edits.append(1))
    desk_window.checking.checks.add_to_mine("goverment")
    QApplication.processEvents()
    assert edits == []
    assert desk_window.session.pending is None
