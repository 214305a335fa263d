"""Sync in the window: the status bar's line, File ▸ Sync now, the library and the open
story refreshed after a sync, and a story changed on both sides offered in the conflict bar.

A story on screen with unsaved edits is never replaced: its next autosave meets the newer
version and the conflict bar offers the choice, as for any save that lost a race.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from newsdesk.core.errors import NotFoundError
from newsdesk.core.models import Article
from newsdesk.core.ports import SyncConflict, SyncService
from newsdesk.ui.background.store_worker import alive
from newsdesk.ui.sync.sync_driver import SyncAttempt, SyncDriver

if TYPE_CHECKING:
    from newsdesk.ui.main_window import MainWindow

NO_SERVICE = (
    "This window works on a shared server directly: there is nothing to sync. Sync is for "
    "a laptop's own store (a SQLite file)."
)


class WindowSync(QObject):
    """Connects a :class:`SyncDriver` to the window (``service`` None: a server store)."""

    def __init__(self, window: MainWindow, service: SyncService | None) -> None:
        super().__init__(window)
        self.window = window
        self.service = service
        self.conflicts: dict[str, SyncConflict] = {}
        self.driver: SyncDriver | None = None
        if service is None:
            return
        driver = self.driver = SyncDriver(service, window.tasks, self)
        window.statusBar().addPermanentWidget(driver.label)
        driver.attempted.connect(self._attempted)
        window.session.saved.connect(lambda _article: driver.saved())
        window.article_opened.connect(lambda _uri: self.offer_conflict())
        bar = window.conflict_bar
        bar.keep_mine_chosen.connect(lambda: self._choose(keep_mine=True))
        bar.take_theirs_chosen.connect(lambda: self._choose(keep_mine=False))

    def start(self) -> None:
        if self.driver is not None and self.window.read_only_bar is None:
            self.driver.start()  # a read-only store takes nothing a sync would bring

    def stop(self) -> None:
        if self.driver is not None:
            self.driver.stop()

    def sync_now(self) -> None:
        """File ▸ Sync now."""
        status = self.window.statusBar()
        if self.driver is None:
            status.showMessage(NO_SERVICE, 10_000)
            return
        self.window.session.flush()  # what is on screen goes too
        if self.driver.server is None:
            status.showMessage(
                "No newsroom server yet: give its address in Settings ▸ Newsroom.", 10_000
            )
            return
        if not self.driver.sync_now():
            status.showMessage("Syncing already; it runs once more when it ends.", 5000)

    def server_changed(self) -> None:
        """Settings gave another newsroom address: sync with it now."""
        if self.driver is not None:
            self.driver.server_changed()
            self.driver.sync_now()

    # -- after a sync -----------------------------------------------------------------

    def _attempted(self, attempt: SyncAttempt) -> None:
        window = self.window
        if attempt.result is None:
            if attempt.manual:
                window.statusBar().showMessage(f"Not synced: {attempt.error}", 15_000)
            return
        self.conflicts = {c.mine.uri: c for c in attempt.conflicts}
        result = attempt.result
        if result.received or result.conflicts:
            window.library.refresh()
            self._refresh_open()
        self.offer_conflict()
        if attempt.manual or result.received or result.conflicts:
            window.statusBar().showMessage(result.summary, 10_000)

    def _refresh_open(self) -> None:
        """The story on screen as the sync left it, unless it has unsaved edits."""
        window, session = self.window, self.window.session
        stored = session.stored
        busy = session.pending is not None or session.resolving or session.writing
        if stored is None or busy:
            return  # its next save meets the newer version: the conflict bar offers it
        if window.calls.busy("sync-refresh"):
            return  # the store has not answered the last sync's read yet: that one will do
        store, uri = window.store, stored.uri

        def read() -> Article | None:
            try:
                return store.get(uri)
            except NotFoundError:
                return None  # deleted at the newsroom

        # Off the GUI thread; a store that does not answer now shows it at the next sync.
        window.calls.run(
            "sync-refresh", "Reading the story as the sync left it", read,
            lambda now: self._refreshed(stored, now), write=False, failed=lambda _why: None,
        )  # fmt: skip

    def _refreshed(self, stored: Article, now: Article | None) -> None:
        """The store's answer: the story on screen as the sync left it (GUI thread)."""
        window, session = self.window, self.window.session
        if session.stored is not stored or session.pending is not None:
            return
        if session.resolving or session.writing:
            return  # another story, or typed into meanwhile: its next save meets the change
        if now is None:
            session.close()
            window.statusBar().showMessage(
                f"“{stored.headline}” was deleted at the newsroom (it is still in its "
                "history there).",
                15_000,
            )
            if window.library.model.rowCount():
                window.library.table.selectRow(0)  # the next story, as at start
            else:
                window.centre.setCurrentWidget(window.welcome)
            return
        if now.version != stored.version:
            self._show(now)

    def _show(self, article: Article) -> None:
        window = self.window
        window.session.open(article)
        window.editor.load(article)
        window.preview.update_article(article)
        window._update_title()

    # -- sync conflicts in the bar ----------------------------------------------------

    def offer_conflict(self) -> None:
        """Show the bar when the story on screen changed on both sides since a sync."""
        window, bar = self.window, self.window.conflict_bar
        stored = window.session.stored
        if stored is None or window.session.resolving:
            return
        found = self.conflicts.get(stored.uri)
        if found is None:
            if bar.sync_uri is not None:
                bar.finish()  # resolved elsewhere, or another story is on screen
            return
        mine = window.current_article() or found.mine
        bar.show_sync_conflict(mine, found.theirs, found.base)

    def _choose(self, *, keep_mine: bool) -> None:
        window, bar = self.window, self.window.conflict_bar
        uri = bar.sync_uri
        if uri is None or self.service is None or window.session.resolving:
            return  # a save's conflict: the window resolves that one
        on_screen = window.session.stored is not None and window.session.stored.uri == uri
        if on_screen and not window.session.flush():
            window.statusBar().showMessage(
                "Your text could not be stored, so nothing was chosen yet; try again.", 10_000
            )
            return
        # The choice runs off the GUI thread. Text typed meanwhile would be saved on the
        # version being replaced (a false conflict): the editor holds still until it lands
        # (a moment on a healthy store; at most the store's busy wait on a locked one).
        service, focused = self.service, QApplication.focusWidget()
        bar.setEnabled(False)
        if on_screen:
            window.editor.setEnabled(False)

        def settled() -> None:
            bar.setEnabled(True)
            if on_screen:
                window.editor.setEnabled(window.session.stored is not None)
            if focused is not None and alive(focused):
                focused.setFocus()

        def failed(why: str) -> None:
            settled()
            window.statusBar().showMessage(f"Nothing was chosen: {why}", 15_000)

        def chosen(kept: Article) -> None:
            settled()
            # Still the story on screen? (Another may have been opened meanwhile.)
            still = window.session.stored is not None and window.session.stored.uri == uri
            self._chosen(uri, kept, keep_mine=keep_mine, on_screen=on_screen and still)

        window.calls.run(
            "sync-choice",
            "Keeping your version" if keep_mine else "Taking the newsroom's version",
            lambda: service.resolve(uri, keep_mine=keep_mine),
            chosen,
            failed=failed,
        )

    def _chosen(self, uri: str, kept: Article, *, keep_mine: bool, on_screen: bool) -> None:
        """The choice is stored: show it, and send it at the next sync."""
        window, bar = self.window, self.window.conflict_bar
        bar.finish()
        self.conflicts.pop(uri, None)
        if on_screen and keep_mine:
            window.session.open(kept)  # the text on screen is kept: only its version moved
        elif on_screen:
            self._show(kept)
        window.library.refresh()
        window.statusBar().showMessage(
            "Kept your version; the newsroom's is in the history. It is sent at the next sync."
            if keep_mine
            else "Took the newsroom's version; yours is in the history.",
            10_000,
        )
        if self.driver is not None:
            self.driver.saved()  # send the choice soon
