"""The window's export summary: the stories handed off with open problems (and the reason
an editor went ahead anyway), and a loud warning while the site address is the placeholder."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from newsdesk.core.models import Article, Status
from newsdesk.ui.checks import readiness_dialog
from newsdesk.ui.dialogs.export_dialog import ExportDialog

STANDFIRST = "The vote ends a row about the crossing that lasted three years."


REASON = "The desk wants it now"


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[ExportDialog]:
    """The export dialogs the window opened (not run modally, so the test can drive them);
    the readiness checklist, when it shows, is overridden with ``REASON``."""
    dialogs: list[ExportDialog] = []
    monkeypatch.setattr(ExportDialog, "exec", lambda self: dialogs.append(self) or 0)

    def go_ahead(dialog: Any) -> int:
        dialog.reason.setText(REASON)
        return 1

    monkeypatch.setattr(readiness_dialog.ReadinessDialog, "exec", go_ahead)
    return dialogs


def exported(qtbot: Any, dialog: ExportDialog, folder: Path) -> None:
    dialog.folder.setText(str(folder))
    for name, box in dialog.formats.items():
        box.setChecked(name == "ninjs")
    with qtbot.waitSignal(dialog.export_finished, timeout=60_000):
        dialog.start.click()


def test_a_story_published_anyway_is_listed_with_the_editors_reason(
    qtbot: Any, make_window: Any, empty_store: Any, tmp_path: Path, shown: list[ExportDialog]
) -> None:
    story = empty_store.create(
        Article(headline="Council approves the new brigde", section="UK",
                standfirst=STANDFIRST, body="The council said the bridge would open in spring.")
    )  # fmt: skip
    window = make_window(empty_store)
    window.open_article(story.uri)
    form = window.editor.form

    form.status.setCurrentIndex(form.status.findData(Status.PUBLISHED.value))
    # (on a loaded machine the store may answer after its grace: the status follows then)
    qtbot.waitUntil(lambda: form.current_status() == Status.PUBLISHED, timeout=10_000)
    qtbot.waitUntil(lambda: empty_store.get(story.uri).status == Status.PUBLISHED, timeout=10_000)

    window.commands.export_story.trigger()
    dialog = shown[-1]
    exported(qtbot, dialog, tmp_path / "out")
    assert dialog.problems.isVisibleTo(dialog)
    assert dialog.problems.text().splitlines()[:2] == [
        "The story handed off has open problems; an editor went ahead anyway with 1 of them:",
        f"• “Council approves the new brigde” ({story.slug}): no byline, 1 spelling mistake; "
        f"marked published anyway: “{REASON}”",
    ]
    assert dialog.site_warning.isVisibleTo(dialog)
    assert "placeholder https://example.com/" in dialog.site_warning.text()


def test_a_clean_archive_with_a_real_address_shows_neither(
    qtbot: Any, make_window: Any, empty_store: Any, tmp_path: Path, shown: list[ExportDialog]
) -> None:
    profile = empty_store.profile()
    empty_store.save_profile(dataclasses.replace(profile, base_url="https://news.example.org/"))
    empty_store.create(
        Article(headline="Council approves the new bridge", byline="Ana Lima", section="UK",
                standfirst=STANDFIRST, body="The council said the bridge would open in spring.",
                status=Status.PUBLISHED)
    )  # fmt: skip
    window = make_window(empty_store)
    window.commands.export.trigger()
    dialog = shown[-1]
    exported(qtbot, dialog, tmp_path / "out")
    assert "Exported 1 article" in dialog.message.text()
    assert not dialog.problems.isVisibleTo(dialog)
    assert not dialog.site_warning.isVisibleTo(dialog)


def test_a_chosen_draft_the_statuses_leave_out_is_not_listed(
    qtbot: Any, make_window: Any, empty_store: Any, tmp_path: Path
) -> None:
    draft = empty_store.create(Article(headline="Draft with a typpo", section="UK"))
    ready = empty_store.create(
        Article(headline="Ready with a typpo", byline="Ana Lima", section="UK",
                standfirst=STANDFIRST, body="The council met.", status=Status.READY)
    )  # fmt: skip
    window = make_window(empty_store)
    model = window.library.model
    summaries = {s.uri: s for s in (model.summary(r) for r in range(model.rowCount()))}
    dialog = ExportDialog(empty_store, window.tasks, window,
                          stories=[summaries[draft.uri], summaries[ready.uri]])  # fmt: skip
    exported(qtbot, dialog, tmp_path / "out")
    listed = dialog.problems.text()
    assert "“Ready with a typpo”" in listed and "1 spelling mistake" in listed
    assert "Draft" not in listed  # not exported (a draft), so not checked
