"""Handing off from the window: this story, the stories selected in the library, or the
whole archive, through the export dialog, which remembers each publication's choice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from newsdesk.core.models import ArticleSummary
from newsdesk.ui.settings import ExportChoice

if TYPE_CHECKING:
    from newsdesk.ui.main_window import MainWindow


class WindowExports(QObject):
    """File ▸ Export…, Export this story… and Export selected stories… of ``window``."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def open(self, stories: list[ArticleSummary] | None = None) -> None:
        """The export dialog: for ``stories`` only, or the whole archive."""
        from newsdesk.ui.dialogs.export_dialog import ExportDialog

        window = self.window
        window.session.flush()
        dialog = ExportDialog(
            window.store, window.tasks, window, stories=stories or (),
            recall=window.settings.export_choice,  # once the publication's name is read
        )  # fmt: skip
        dialog.choice_made.connect(lambda choice: self._remember(dialog.publication, choice))
        dialog.exec()

    def archive(self) -> None:
        """Hand off the whole archive, by status and section."""
        self.open()

    def this_story(self) -> None:
        """Hand off the story in the editor, as stored once its edits are saved."""
        session = self.window.session
        if session.stored is None:
            return
        if not session.flush():
            self.window.statusBar().showMessage(
                "The story on screen is not stored yet, so it cannot be exported.", 8000
            )
            return
        self.open([session.stored.summary()])

    def selected(self) -> None:
        """Hand off the stories selected in the library."""
        selected = self.window.library.selected_summaries()
        if not selected:
            self.window.statusBar().showMessage(
                "Select stories in the library first (Ctrl+click or Shift+click).", 6000
            )
            return
        self.open(selected)

    def _remember(self, publication: str, choice: ExportChoice) -> None:
        if not publication:
            return  # its name not read yet (the store is slow): not remembered this time
        window = self.window
        window.settings = window.settings.with_export_choice(publication, choice)
        window.settings_store.save(window.settings)
