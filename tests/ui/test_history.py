"""The history dialog, driven from the real window: list, compare, restore."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt

from newsdesk.core.models import Article, Status
from newsdesk.ui.dialogs.history import HistoryDialog, RevisionListModel, time_label


@pytest.fixture
def story(empty_store: Any) -> Article:
    """A story with three deliberate revisions and text typed since the last."""
    article = empty_store.create(
        Article(headline="Council delays flood plan", byline="Amira Hassan", body="")
    )
    article = empty_store.save(
        article.edited(body="The council delayed its flood plan on Monday."), reason="manual"
    )
    article = empty_store.save(
        article.edited(
            headline="Council shelves flood plan",
            body="The council shelved its flood plan on Monday, citing costs.",
        ),
        reason="manual",
    )
    return empty_store.save(article.edited(status=Status.IN_REVIEW), reason="status")


def test_revision_model_passes_the_model_tester(
    qtmodeltester: Any, empty_store: Any, story: Article
) -> None:
    model = RevisionListModel()
    qtmodeltester.check(model)
    model.set_revisions(empty_store.revisions(story.uri))
    qtmodeltester.check(model)
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["3", "2", "1"]
    assert [model.index(r, 2).data() for r in range(3)] == [
        "Status: In review",
        "Saved (Ctrl+S)",
        "Saved (Ctrl+S)",
    ]
    assert model.index(0, 3).data() == "10"  # words
    assert model.index(0, 1).data().startswith("Today ")


def test_times_read_like_a_newsroom_clock() -> None:
    now = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    assert time_label(now - timedelta(hours=1), now).startswith("Today ")
    assert time_label(now - timedelta(days=1), now).startswith("Yesterday ")
    assert time_label(datetime(2025, 3, 2, 12, 0, tzinfo=UTC), now).startswith("02 Mar 2025")


def test_history_compares_and_restores_from_the_window(
    qtbot: Any, make_window: Any, empty_store: Any, story: Article, monkeypatch: Any
) -> None:
    window = make_window(empty_store)
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
    window.editor.body.moveCursor(window.editor.body.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor.body, " Residents were furious.")
    seen: dict[str, Any] = {}

    def drive(dialog: HistoryDialog) -> int:
        # The text typed a moment ago was stored before the history opened.
        assert dialog.model.index(0, 2).data() == "Autosave"
        assert dialog.model.rowCount() == 4
        dialog.select_number(1)
        page = dialog.diff.toPlainText()
        seen["against now"] = page
        dialog.compare_to(2)
        seen["against 2"] = dialog.diff.toPlainText()
        dialog.compare_to(None)
        restored = dialog.restore_selected()
        seen["restored"] = restored
        return 1

    monkeypatch.setattr(HistoryDialog, "exec", drive)
    window.commands.history.trigger()
    against_now = seen["against now"]
    assert "Council delays flood plan" in against_now  # the headline then
    assert "Council shelves flood plan" in against_now  # and now
    assert "Residents were furious." in against_now
    assert "Status" in against_now and "In review" in against_now
    assert "Residents" not in seen["against 2"]  # revision 1 against revision 2 only
    assert "shelved" in seen["against 2"] and "delayed" in seen["against 2"]
    # Restored: the editor shows revision 1's text; the status stays; nothing deleted.
    assert window.editor.body.toPlainText() == "The council delayed its flood plan on Monday."
    assert window.editor.form.headline.text() == "Council delays flood plan"
    stored = empty_store.get(story.uri)
    assert stored.body == "The council delayed its flood plan on Monday."
    assert stored.status == Status.IN_REVIEW
    history = empty_store.revisions(story.uri)
    assert [r.reason for r in history] == [
        "manual",
        "manual",
        "status",
        "autosave",
        "restored revision 1",
    ]
    assert history[3].snapshot["body"].endswith("Residents were furious.")
    # Typing on after a restore is saved on top of the restored text.
    window.editor.body.moveCursor(window.editor.body.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor.body, " Updated.")
    window.save_now()
    window.session.flush()  # Ctrl+S waits only a moment: its answer
    assert empty_store.get(story.uri).body.endswith("on Monday. Updated.")


def test_history_diff_marks_words_not_whole_paragraphs(
    qtbot: Any, empty_store: Any, story: Article
) -> None:
    dialog = HistoryDialog(empty_store, empty_store.get(story.uri))
    qtbot.addWidget(dialog)
    dialog.select_number(1)
    dialog.compare_to(2)
    page = dialog.diff.toHtml()
    # "delayed" is struck out and "shelved" added; "The council" is left plain.
    assert "line-through" in page
    assert page.count("The council") == 1
    assert "shelved" in page and "delayed" in page
    dialog.compare_to(1)
    assert "Choose another revision" in dialog.diff.toPlainText()


def test_the_history_action_is_in_the_article_menu_with_its_shortcut(
    make_window: Any, empty_store: Any, story: Article
) -> None:
    window = make_window(empty_store)
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    assert window.commands.history in menus["&Article"].actions()
    assert window.commands.history.shortcut().toString() == "Ctrl+Alt+H"
    assert window.commands.history.shortcutContext() == Qt.ShortcutContext.WindowShortcut


def test_exporting_from_the_window_records_export_revisions(
    qtbot: Any, make_window: Any, sample_store: Any, tmp_path: Any
) -> None:
    from newsdesk.ui.dialogs.export_dialog import ExportDialog

    window = make_window(sample_store)
    dialog = ExportDialog(sample_store, window.tasks, window)
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(tmp_path / "handoff"))
    for name, box in dialog.formats.items():
        box.setChecked(name == "markdown")
    with qtbot.waitSignal(dialog.export_finished, timeout=60_000):
        dialog.start.click()
    reasons = [r.reason for r in sample_store.all_revisions()]
    assert reasons.count("export") == 32  # one per exported article
    assert dialog.history_note == ""
    with qtbot.waitSignal(dialog.export_finished, timeout=60_000):
        dialog.start.click()
    assert [r.reason for r in sample_store.all_revisions()].count("export") == 32


def test_every_status_change_records_a_revision(
    qtbot: Any, make_window: Any, empty_store: Any, story: Article
) -> None:
    window = make_window(empty_store)
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
    status = window.editor.form.status
    for wanted in (Status.READY, Status.DRAFT):
        status.setCurrentIndex(status.findData(wanted.value))
        # (Ready waits for the readiness checklist, which a loaded machine may answer late)
        qtbot.waitUntil(lambda: status.currentData() == wanted.value, timeout=10_000)  # noqa: B023
        window.session.flush()  # as the autosave would a moment later
    window.set_status(story.uri, Status.ARCHIVED)  # the library's Archive
    window.session.flush()  # on screen: an edit, written by the autosave a moment later
    history = empty_store.revisions(story.uri)
    assert [(r.reason, r.snapshot["status"]) for r in history[-3:]] == [
        ("status", "ready"),
        ("status", "draft"),
        ("status", "archived"),
    ]


def test_the_library_context_menu_opens_an_articles_history(
    qtbot: Any, make_window: Any, sample_store: Any, monkeypatch: Any
) -> None:
    window = make_window(sample_store)
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
    row = 3
    uri = window.library.model.summary(row).uri
    assert uri != window.session.stored.uri
    shown: list[str] = []
    monkeypatch.setattr(HistoryDialog, "exec", lambda self: shown.append(self.current.uri))
    menu = window.library.row_menu(row)
    assert [a.text() for a in menu.actions()] == [
        "History…",
        "Duplicate",
        "Archive",
        "",
        "Export this story…",
    ]
    menu.actions()[0].trigger()
    assert shown == [uri]
    assert window.session.stored.uri == uri  # the editor shows the article too
