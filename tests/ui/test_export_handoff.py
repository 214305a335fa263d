"""Handing off from the window: this story, the selected ones, one section; the dialog remembers."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, QSettings

from newsdesk.core.models import Status
from newsdesk.publish.exporting.export import export
from newsdesk.ui.dialogs.export_dialog import ExportDialog
from newsdesk.ui.settings import AppSettings, ExportChoice, SettingsStore

PAGE = "severn-barrier-delay-leaves-homes-exposed"  # UK, published in the sample archive


def files(folder: Path) -> dict[str, bytes]:
    """What the web team receives: every file, Newsdesk's hidden bookkeeping aside."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    }


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[ExportDialog]:
    """The export dialogs the window opened (not run modally, so the test can drive them)."""
    dialogs: list[ExportDialog] = []
    monkeypatch.setattr(ExportDialog, "exec", lambda self: dialogs.append(self) or 0)
    return dialogs


def run(qtbot: Any, dialog: ExportDialog, folder: Path, formats: set[str]) -> Any:
    dialog.folder.setText(str(folder))
    for name, box in dialog.formats.items():
        box.setChecked(name in formats)
    with qtbot.waitSignal(dialog.export_finished, timeout=60_000) as finished:
        dialog.start.click()
    return finished.args[0]


def open_story(qtbot: Any, window: Any, uri: str) -> None:
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
    window.library.select(uri)
    qtbot.waitUntil(lambda: window.session.stored.uri == uri, timeout=5000)


def select_rows(library: Any, rows: list[int]) -> None:
    """As Ctrl+click on each row does."""
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    library.table.clearSelection()
    for row in rows:
        library.table.selectionModel().select(library.model.index(row, 0), flags)


def test_export_this_story_hands_off_the_story_as_on_screen_and_keeps_the_rest(
    qtbot: Any, make_window: Any, sample_store: Any, tmp_path: Path, shown: list[ExportDialog]
) -> None:
    out = tmp_path / "handoff"
    export(sample_store, out, formats="site,markdown", workers=1)
    before = files(out)
    story = sample_store.get_by_slug(PAGE)
    other = sample_store.get_by_slug("harbourside-rovers-appoint-academy-boss-ifeoma-grant")
    sample_store.save(other.edited(standfirst="Changed after the hand-off."), reason="edit")

    window = make_window(sample_store)
    assert window.commands.export_story in window.menuBar().actions()[2].menu().actions()
    open_story(qtbot, window, story.uri)
    window.editor.form.headline.setFocus()
    window.editor.form.headline.end(False)
    qtbot.keyClicks(window.editor.form.headline, " Tonight")  # not saved yet
    window.commands.export_story.trigger()

    dialog = shown[-1]
    assert dialog.windowTitle() == "Export this story"
    assert f"“{story.headline} Tonight” (Published)" in dialog.scope.text()
    assert "other stories' files in the folder are kept" in dialog.scope.text()
    assert not dialog.section.isVisibleTo(dialog)  # no archive filters for one story
    report = run(qtbot, dialog, out, {"site", "markdown"})

    after = files(out)
    # What the dialog says: this story changed for the web team, the others did not.
    assert "For the web team: 1 updated, 31 unchanged (HANDOFF.md" in dialog.message.text()
    story_files = [n for n in report.written if n.startswith(("markdown/", "site/uk/severn"))]
    assert story_files and all(PAGE in name for name in story_files)
    assert set(before) <= set(after)  # nothing of the other stories removed
    mine = [name for name in after if PAGE in name]
    assert f"site/uk/{PAGE}/index.html" in mine
    assert any(name.startswith("markdown/") for name in mine)
    for name in mine:
        if name.endswith((".md", ".html")):
            assert f"{story.headline} Tonight" in after[name].decode("utf-8")
    # The history records the hand-off of this story and of no other.
    exported = {r.article_uri for r in sample_store.all_revisions() if r.reason == "export"}
    assert exported == {story.uri}
    # The other edited story was not handed off: its files are the previous export's.
    theirs = [name for name in before if other.slug in name]
    assert theirs and all(after[name] == before[name] for name in theirs)
    assert all(
        after[name] == data for name, data in before.items() if name.startswith("markdown/")
        and PAGE not in name
    )  # fmt: skip


def test_export_selected_from_the_library_menu_hands_off_those_stories_only(
    qtbot: Any, make_window: Any, sample_store: Any, tmp_path: Path, shown: list[ExportDialog]
) -> None:
    window = make_window(sample_store)
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
    model = window.library.model
    rows = list(range(model.rowCount()))
    published = [r for r in rows if model.summary(r).status == Status.PUBLISHED][:2]
    draft = next(r for r in rows if model.summary(r).status == Status.DRAFT)
    select_rows(window.library, [*published, draft])

    menu = window.library.row_menu(published[0])
    action = menu.actions()[-1]
    assert action.text() == "Export 3 selected stories…"
    action.trigger()
    dialog = shown[-1]
    assert dialog.windowTitle() == "Export 3 selected stories"
    chosen = [model.summary(r) for r in [*published, draft]]
    for summary in chosen:
        assert f"“{summary.headline}”" in dialog.scope.text()
    note = dialog.scope_note.text()
    assert f"“{chosen[2].headline}”" in note and "Draft" in note
    assert "drafts included" in note  # says how to hand it off anyway

    report = run(qtbot, dialog, tmp_path / "two", {"markdown", "ninjs"})
    assert report.articles == 2
    names = set(files(tmp_path / "two"))
    slugs = {chosen[0].slug, chosen[1].slug}
    for fmt, suffix in (("markdown", ".md"), ("ninjs", ".json")):
        stories = [n for n in names if n.startswith(f"{fmt}/") and n.endswith(suffix)]
        assert len(stories) == 2, stories  # a story with media is a folder: <slug>/index.md
        assert {slug for slug in slugs for n in stories if slug in n} == slugs

    # A right-click outside the selection exports that row alone.
    outside = next(r for r in rows if r not in (*published, draft))
    assert window.library.row_menu(outside).actions()[-1].text() == "Export this story…"


def test_export_this_story_waits_for_a_story(
    qtbot: Any, make_window: Any, empty_store: Any
) -> None:
    window = make_window(empty_store)
    assert not window.commands.export_story.isEnabled()  # the welcome page: no story yet
    assert window.commands.export_story.shortcut().toString() == "Ctrl+Shift+E"
    window.new_article()
    window.calls.writes.wait(10)  # stored off the GUI thread: its answer
    assert window.commands.export_story.isEnabled()


def test_file_menu_exports_the_library_selection(
    qtbot: Any, make_window: Any, sample_store: Any, shown: list[ExportDialog]
) -> None:
    window = make_window(sample_store)
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
    assert window.commands.export_selected in window.menuBar().actions()[0].menu().actions()
    select_rows(window.library, [0, 1])
    window.commands.export_selected.trigger()
    assert [s.uri for s in shown[-1].stories] == [
        window.library.model.summary(0).uri,
        window.library.model.summary(1).uri,
    ]


def test_the_archive_by_section_exports_that_section_only(
    qtbot: Any, make_window: Any, sample_store: Any, tmp_path: Path, shown: list[ExportDialog]
) -> None:
    window = make_window(sample_store)
    window.commands.export.trigger()
    dialog = shown[-1]
    assert dialog.windowTitle() == "Export the archive"
    assert dialog.section.isVisibleTo(dialog)
    dialog.section.setCurrentIndex(dialog.section.findData("Science"))
    report = run(qtbot, dialog, tmp_path / "science", {"markdown"})
    assert "For the web team: 3 added (HANDOFF.md in the folder)." in dialog.message.text()

    assert report.articles == 3  # 2 ready and 1 published; the withdrawn one stays out
    names = [n for n in files(tmp_path / "science") if n.startswith("markdown/")]
    assert len(names) == 3
    assert all(n.startswith("markdown/science/") for n in names)


def test_the_dialog_remembers_folder_and_formats_per_publication(
    qtbot: Any,
    make_window: Any,
    sample_store: Any,
    tmp_path: Path,
    shown: list[ExportDialog],
) -> None:
    window = make_window(sample_store)
    window.commands.export.trigger()
    first = shown[-1]
    default_folder = first.folder.text()
    first.which.setCurrentText("Published only")
    run(qtbot, first, tmp_path / "web team", {"ninjs"})

    window.commands.export.trigger()
    again = shown[-1]
    assert again.folder.text() == str(tmp_path / "web team")
    assert again.chosen_formats() == ["ninjs"]
    assert again.which.currentText() == "Published only"
    # Kept on disk too, for the next start of Newsdesk.
    assert window.settings_store.load().export_choice("London Daily") == ExportChoice(
        str(tmp_path / "web team"), ("ninjs",), "Published only"
    )

    profile = sample_store.profile()
    sample_store.save_profile(dataclasses.replace(profile, name="Severn Courier"))
    window.commands.export.trigger()
    other = shown[-1]
    assert other.folder.text() == default_folder
    assert len(other.chosen_formats()) == len(other.formats)  # all, as on a first export


def test_export_choices_survive_a_restart_and_a_damaged_value(tmp_path: Path, qapp: Any) -> None:
    path = tmp_path / "s.ini"
    choice = ExportChoice("/srv/hand off/Daily", ("site", "fragment"), "Published only")
    settings = AppSettings().with_export_choice("London Daily / Web", choice)
    SettingsStore(QSettings(str(path), QSettings.Format.IniFormat)).save(settings)
    loaded = SettingsStore(QSettings(str(path), QSettings.Format.IniFormat)).load()
    assert loaded.export_choice("London Daily / Web") == choice
    assert loaded.export_choice("Another paper") is None

    text = path.read_text("utf-8")
    start = text.index("export_choices=")
    path.write_text(text[:start] + 'export_choices="{not json"\n', "utf-8")
    damaged = SettingsStore(QSettings(str(path), QSettings.Format.IniFormat)).load()
    assert damaged.export_choices == {}
    assert damaged.editor_font_size == settings.editor_font_size
