"""File ▸ Import site…: the report shown before anything is stored, the proposed profile
applied only when ticked, nothing stored while a file has a problem."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from newsdesk.core.models import PublicationProfile
from newsdesk.ui.background.tasks import TaskRunner
from newsdesk.ui.dialogs.import_site import ImportSiteDialog

SITES = Path(__file__).parents[1] / "data" / "sites"


def read(qtbot: Any, dialog: ImportSiteDialog, folder: Path) -> None:
    dialog.folder.setText(str(folder))
    task = dialog.read_site()
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=60_000):
        pass


def rows(dialog: ImportSiteDialog) -> list[str]:
    return [dialog.files.item(i).text() for i in range(dialog.files.count())]


def test_the_report_shows_before_anything_is_stored(qtbot: Any, empty_store: Any) -> None:
    dialog = ImportSiteDialog(empty_store, TaskRunner())
    qtbot.addWidget(dialog)
    read(qtbot, dialog, SITES / "jekyll-blog")
    assert "skipped    _posts/notes.md" in rows(dialog)
    assert "new        _posts/2016-05-20-welcome-to-jekyll.md" in rows(dialog)
    assert "5 new, 0 updated" in dialog.heading.text()
    dialog.files.setCurrentRow(
        rows(dialog).index("new        _posts/2016-05-20-welcome-to-jekyll.md")
    )
    details = dialog.details.toPlainText()
    assert "'Welcome To Jekyll' → /jekyll/welcome-to-jekyll/" in details
    assert "converted: line 13: post_url → internal link to /news/harbour-dredging/" in details
    assert "Publication name: 'London Daily' → 'Harbour Weekly'" in dialog.profile.text()
    assert not dialog.use_profile.isChecked()  # proposed, never ticked for the user
    assert empty_store.info().article_count == 0
    assert dialog.start.isEnabled()


def test_import_keeps_the_profile_unless_ticked(qtbot: Any, empty_store: Any) -> None:
    dialog = ImportSiteDialog(empty_store, TaskRunner())
    qtbot.addWidget(dialog)
    read(qtbot, dialog, SITES / "hugo-news")
    with qtbot.waitSignal(dialog.site_imported, timeout=60_000) as done:
        dialog.run_import()
    assert done.args == [7]
    assert empty_store.info().article_count == 7
    assert empty_store.profile() == PublicationProfile()
    again = ImportSiteDialog(empty_store, TaskRunner())
    qtbot.addWidget(again)
    read(qtbot, again, SITES / "hugo-news")
    assert "0 new, 0 updated, 7 unchanged" in again.heading.text()
    again.use_profile.setChecked(True)
    with qtbot.waitSignal(again.site_imported, timeout=60_000):
        again.run_import()
    assert empty_store.profile().name == "Riverside Gazette"
    assert empty_store.info().article_count == 7


def test_a_problem_file_blocks_the_import(qtbot: Any, empty_store: Any, tmp_path: Path) -> None:
    site = Path(shutil.copytree(SITES / "hugo-news", tmp_path / "site"))
    (site / "content/sport/bad.md").write_text('+++\ntitle = "x"\nslug: y\n+++\n')
    dialog = ImportSiteDialog(empty_store, TaskRunner())
    qtbot.addWidget(dialog)
    read(qtbot, dialog, site)
    assert "problem    content/sport/bad.md" in rows(dialog)
    assert dialog.files.currentItem().text() == "problem    content/sport/bad.md"
    assert "content/sport/bad.md:3: the front matter mixes forms" in dialog.details.toPlainText()
    assert not dialog.start.isEnabled()
    assert dialog.run_import() is None
    assert empty_store.info().article_count == 0


def test_a_folder_that_is_no_site_says_so(qtbot: Any, empty_store: Any, tmp_path: Path) -> None:
    dialog = ImportSiteDialog(empty_store, TaskRunner())
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(tmp_path))
    task = dialog.read_site()
    assert task is not None
    with qtbot.waitSignal(task.failed, timeout=60_000):
        pass
    assert "Nothing was imported." in dialog.heading.text()
    assert "not a Hugo or Jekyll site" in dialog.heading.text()


def test_the_file_menu_offers_import_site(make_window: Any, empty_store: Any) -> None:
    window = make_window(empty_store)
    file_menu = window.commands.menus[0]
    labels = [a.text() for a in file_menu.actions()]
    assert labels.index("Import s&ite…") == labels.index("&Import…") + 1
    window.commands.import_site.trigger()
    dialog = window.findChild(ImportSiteDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
