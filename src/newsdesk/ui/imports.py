"""Stories brought into the store from the window: File ▸ Import…, files dropped on the
window, files named at start, and the welcome's sample archive. Read and stored off the
GUI thread; shown once stored."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl
from PySide6.QtWidgets import QMessageBox

from newsdesk.core.intake.importing import IMPORT_SUFFIXES, ImportPlan, import_paths, plan_import
from newsdesk.core.models import Article
from newsdesk.core.ports import ArticleStore
from newsdesk.ui.settings import APPLICATION as APP_NAME

if TYPE_CHECKING:
    from newsdesk.ui.main_window import MainWindow

STORY_FILES = (
    "Stories (*.md *.markdown *.mdown *.docx *.docm);;Word documents (*.docx *.docm);;"
    "Markdown (*.md *.markdown *.mdown)"
)


def importable(urls: list[QUrl]) -> list[Path]:
    """The dropped files, when every one is a story to import (Markdown or Word)."""
    paths = [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]
    stories = all(path.suffix.lower() in IMPORT_SUFFIXES for path in paths)
    return paths if paths and len(paths) == len(urls) and stories else []


def _with_choices(
    store: ArticleStore, articles: list[Article]
) -> tuple[list[Article], list[str], list[str]]:
    """``articles`` just stored, with the sections and tags the form offers now (read on
    the store's thread, with them)."""
    return articles, store.sections(), store.tags()


class WindowImports(QObject):
    """Imports into ``window``'s store, through its store calls (all or none each)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def files(self, paths: list[Path]) -> list[Article]:
        """Import Markdown files as new articles (all or none) and show the first one,
        off the GUI thread; the articles, when the store answered at once ([] if not yet)."""
        store = self.window.store
        imported: list[Article] = []

        def stored(value: tuple[list[Article], list[str], list[str]]) -> None:
            imported.extend(value[0])
            self.imported(*value)

        self.window.calls.run(
            "import", f"Importing {len(paths)} file(s)",
            lambda: _with_choices(store, import_paths(paths, store)), stored,
            failed=self._refused,
        )  # fmt: skip
        return imported

    def choose(self) -> None:
        """File ▸ Import…: Markdown files and Word documents, shown before they are stored."""
        from PySide6.QtWidgets import QFileDialog

        names, _ = QFileDialog.getOpenFileNames(self.window, "Import stories", "", STORY_FILES)
        if names:
            self.with_preview([Path(name) for name in names])

    def with_preview(self, paths: list[Path]) -> list[Article]:
        """Read ``paths``, show what will be stored and what was left out, and store it
        (all or none) once the preview is accepted."""
        from newsdesk.ui.dialogs.import_preview import ImportPreview

        window = self.window
        store, limits = window.store, window.settings.media_limits()
        imported: list[Article] = []

        def preview(plan: ImportPlan) -> None:
            if ImportPreview(plan, window).exec() != ImportPreview.DialogCode.Accepted:
                return

            def store_all() -> tuple[list[Article], list[str], list[str]]:
                store.create_many(plan.articles, media=plan.media)
                return _with_choices(store, plan.articles)

            def stored(value: tuple[list[Article], list[str], list[str]]) -> None:
                imported.extend(value[0])
                self.imported(*value)

            window.calls.run(
                "import", f"Importing {len(plan.articles)} article(s)", store_all, stored,
                failed=self._refused,
            )  # fmt: skip

        window.calls.run(
            "import-plan", f"Reading {len(paths)} file(s) to import",
            lambda: plan_import(paths, store, limits=limits), preview, write=False,
            failed=self._refused,
        )  # fmt: skip
        return imported

    def imported(self, articles: list[Article], sections: list[str], tags: list[str]) -> None:
        """Stored: the form's choices and the library brought up to date, the first
        article opened."""
        window = self.window
        window.editor.form.set_choices(sections, tags)
        window.library.refresh()
        if articles:
            window.show_editor()
            window.open_article(articles[0].uri)
            window.library.select(articles[0].uri, emit=False)
        window.statusBar().showMessage(f"Imported {len(articles)} article(s).", 6000)

    def sample(self) -> None:
        """The welcome's sample archive, stored off the GUI thread, shown when stored."""
        from newsdesk.ui.sample import load_sample

        window = self.window
        store = window.store

        def stored(value: tuple[int, list[str], list[str]]) -> None:
            count, sections, tags = value
            window.editor.form.set_choices(sections, tags)
            window.library.refresh()
            window.statusBar().showMessage(f"Added {count} sample articles.", 6000)
            window.show_editor()
            window.open_first()

        window.calls.run(
            "sample", "Adding the sample articles",
            lambda: (load_sample(store), store.sections(), store.tags()), stored,
            failed=lambda why: QMessageBox.warning(window, APP_NAME, why),
        )  # fmt: skip

    def _refused(self, why: str) -> None:
        QMessageBox.warning(self.window, APP_NAME, f"Nothing was imported.\n\n{why}")
