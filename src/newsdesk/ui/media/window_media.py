"""The window's pictures and audio: what it says as files are added or refused, the media
library beside it, and the screen's media caches kept bounded."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from newsdesk.ui.media.media_adding import Added
from newsdesk.ui.settings import APPLICATION

if TYPE_CHECKING:
    from newsdesk.ui.main_window import MainWindow
    from newsdesk.ui.media.media_library import MediaLibrary


class WindowMedia(QObject):
    """Media for ``window``: its tools' news said in the status bar, the media library."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.library: MediaLibrary | None = None  # made when first opened
        window.media.adder.added.connect(self._added)
        window.editor.body.media_problem.connect(self._problem)

    def open_library(self) -> None:
        """The media library, beside the window (it stays open while you write)."""
        from newsdesk.ui.media.media_library import MediaLibrary  # made when first asked for

        if self.library is None:
            library = MediaLibrary(self.window.media, self.window)
            library.insert_requested.connect(self._insert)
            library.media_changed.connect(self._changed)
            self.window.media.adder.added.connect(
                lambda _added: library.refresh() if library.isVisible() else None
            )
            self.library = library
        self.library.refresh()
        self.library.show()
        self.library.raise_()

    def close(self) -> None:
        """The window closes: the media library with it, then the caches pruned."""
        if self.library is not None:
            self.library.close()
        self._prune_caches()

    def _prune_caches(self) -> None:
        """Keep the preview's caches bounded between sessions: on closing, when no other
        thread is at work. (Pruned on a thread at start-up, a garbage collection on the GUI
        thread meanwhile crashed the process now and then: PySide6 6.11, Python 3.11.)"""
        from newsdesk.ui.media.media_cache import prune

        window = self.window
        for folder in (window.preview_media.cache.folder, window.media.thumbnails.folder):
            prune(folder)

    def _added(self, added: Added) -> None:
        self.window.preview_media.prime(added.asset, added.data)
        word = "Added" if added.new else "Already in the media library:"
        self.window.statusBar().showMessage(f"{word} {added.asset.filename}", 5000)

    def _problem(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 15_000)
        QMessageBox.warning(self.window, APPLICATION, message)

    def _insert(self, asset: object) -> None:
        window = self.window
        if window.session.stored is None:
            window.statusBar().showMessage("Open a story first, then insert the picture.", 6000)
            return
        window.editor.body.insert_picture(asset)  # type: ignore[arg-type]
        window.statusBar().showMessage("Placed in the story at the cursor.", 4000)

    def _changed(self, key: str) -> None:
        """A file was replaced or removed: the story on screen shows it afresh."""
        window = self.window
        current = window.current_article()
        window.editor.forget_pictures()  # the body's pictures' details are read again
        if current is not None:
            window.editor.form.image.refresh_asset()
            window.editor.form.audio.refresh_asset()
            window.preview.show_article(current)
