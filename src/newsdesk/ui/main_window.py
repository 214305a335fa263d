"""The main window: library, the page you write on, its details and the preview."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QShortcut,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from newsdesk.core.journal import Journal
from newsdesk.core.journal_recovery import recover
from newsdesk.core.models import Article, PublicationProfile, Status
from newsdesk.core.ports import ArticleStore, StoreInfo, SyncService
from newsdesk.ui.background.store_calls import StoreCalls
from newsdesk.ui.background.store_worker import show_waiting
from newsdesk.ui.background.tasks import TaskRunner
from newsdesk.ui.checks.checking import WindowChecks
from newsdesk.ui.desk.desk import Desk
from newsdesk.ui.desk.desk_layout import Pane, PreviewMode
from newsdesk.ui.desk.edit_commands import EditCommands
from newsdesk.ui.desk.editor_panel import EditorPanel
from newsdesk.ui.desk.welcome import WelcomePanel
from newsdesk.ui.exports import WindowExports
from newsdesk.ui.icons import icon
from newsdesk.ui.imports import WindowImports, importable
from newsdesk.ui.library.library import LibraryPanel
from newsdesk.ui.media.media_adding import MediaTools
from newsdesk.ui.media.window_media import WindowMedia
from newsdesk.ui.preview.preview import PreviewPane
from newsdesk.ui.preview.preview_render import PreviewMedia, PreviewRenderer
from newsdesk.ui.related.related_panel import RelatedPanel
from newsdesk.ui.saving.conflict import ConflictBar
from newsdesk.ui.saving.opening import ArticleOpener
from newsdesk.ui.saving.read_only import apply_read_only
from newsdesk.ui.saving.session import EditingSession, SaveState
from newsdesk.ui.settings import APPLICATION as APP_NAME
from newsdesk.ui.settings import AppSettings, SettingsStore
from newsdesk.ui.sync.syncing import WindowSync
from newsdesk.ui.window_actions import WindowActions


class _ArchiveCommand(QUndoCommand):
    """Archiving an article, undone by giving it back its status."""

    def __init__(
        self, window: MainWindow, uri: str, headline: str, previous: Status | None
    ) -> None:
        super().__init__(f"Archive “{headline}”")
        self.window = window
        self.uri = uri
        self.previous = previous  # as the library shows it; the store's answer says for sure

    def redo(self) -> None:
        self.window.set_status(self.uri, Status.ARCHIVED, self._was)

    def undo(self) -> None:
        if self.previous is not None:
            self.window.set_status(self.uri, self.previous)

    def _was(self, previous: Status) -> None:
        self.previous = previous


_WORDS = ("headline", "kicker", "standfirst", "body", "tags", "editor_note", "image", "audio",
          "related", "seo_title", "seo_description", "canonical_url")  # fmt: skip


def untouched(created: Article, now: Article) -> bool:
    """Nothing was typed into the new article ``created``: no words, pictures or links."""
    return all(getattr(created, name) == getattr(now, name) for name in _WORDS)


class MainWindow(QMainWindow):
    """One window for the working day."""

    article_opened = Signal(str)
    """The editor now shows the article with this uri."""

    def __init__(
        self,
        store: ArticleStore,
        settings_store: SettingsStore,
        *,
        tasks: TaskRunner | None = None,
        journal: Journal | None = None,
        sync: SyncService | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)  # stories dropped on the window are imported
        self.store = store
        # Before anything reads the store: text a killed Newsdesk left on this computer.
        self.recovered = recover(store, journal).messages() if journal is not None else []
        self.settings_store = settings_store
        self.settings: AppSettings = settings_store.load()
        self.tasks = tasks or TaskRunner(self)
        self.undo_stack = QUndoStack(self)
        self.session = EditingSession(store, self.settings.autosave_delay_ms, self, journal=journal)
        self.preview_renderer = PreviewRenderer(store)
        self.media = MediaTools(store, self.tasks, self.settings.media_limits())
        self.preview_media = PreviewMedia(store)

        self.library = LibraryPanel(store)
        self.related = RelatedPanel(store, self.tasks)
        # The window owns Ctrl+Z: Edit ▸ Undo reaches the links' own history when they
        # have the focus (two Ctrl+Z shortcuts at once would cancel each other out).
        for act in (self.related.undo_action, self.related.redo_action):
            act.setShortcuts([])
        self.editor = EditorPanel(self.related, media=self.media)
        self.editor.set_page_font(self.settings.editor_font_family, self.settings.editor_font_size)
        self.conflict_bar = self._build_conflict_bar()
        self.welcome = WelcomePanel()
        self.centre = QStackedWidget()
        self.centre.addWidget(self.editor)
        self.centre.addWidget(self.welcome)
        self.preview = PreviewPane(self.preview_renderer.render, media=self.preview_media)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        for pane in (self.library, self.centre, self.editor.inspector, self.preview):
            self.splitter.addWidget(pane)
        self.setCentralWidget(self.splitter)
        self.desk = Desk(
            self, self.splitter, self.centre,
            {Pane.LIBRARY: self.library, Pane.INSPECTOR: self.editor.inspector,
             Pane.PREVIEW: self.preview},
            wanted=self.settings.wanted_panes(), priority=self.settings.priority(),
            widths=self.settings.widths(), page=self.editor,
        )  # fmt: skip

        self._build_status_bar()
        show_waiting(self.session.store_waiting, self.statusBar())  # a slow store, said so
        self.calls = StoreCalls(store, self)  # the actions' own store calls, off this thread
        self.imports = WindowImports(self)  # File ▸ Import…, drops, the sample archive
        self.exports = WindowExports(self)  # File ▸ Export…: this story, selected, all
        self.media_view = WindowMedia(self)  # the media library, media news in the status bar
        show_waiting(self.calls.waiting, self.statusBar())
        self.calls.refused.connect(lambda why: self.statusBar().showMessage(why, 15_000))
        self.edit_commands = EditCommands(self._undo_stack_for)
        self.commands = WindowActions(self)
        self.checking = WindowChecks(self)
        self.syncing = WindowSync(self, sync)  # File ▸ Sync now, the status line, conflicts
        self.undo_action = self.commands.undo
        self._leave_focus = self._build_leave_focus()
        self._fresh: Article | None = None  # a new article nothing was typed into yet
        self._connect()
        self._restore_layout()
        self.editor.form.set_choices(store.sections(), store.tags())
        self._update_title()
        self._show_save_state(SaveState.SAVED.value, "")
        self._start(store.info())
        self.syncing.start()

    # -- construction -----------------------------------------------------------------

    def _start(self, info: StoreInfo) -> None:
        """What the window shows first: the first story, or the welcome for an empty store."""
        # Said before anyone types: nothing typed into a read-only store could be kept.
        self.read_only_bar = apply_read_only(self, info.read_only) if info.read_only else None
        if self.library.model.rowCount() == 0 and info.article_count == 0:
            self.centre.setCurrentWidget(self.welcome)
            self.desk.welcome = True  # no story yet: no details to show beside it
            self.desk.apply()
        else:
            QTimer.singleShot(0, self.open_first)
        if self.recovered:
            # After the start's other messages: this one matters more.
            QTimer.singleShot(0, self._show_recovered)

    def _build_conflict_bar(self) -> ConflictBar:
        bar = ConflictBar(self.editor)
        page = self.editor.layout()
        assert isinstance(page, QVBoxLayout)
        page.insertWidget(0, bar)  # above the text, never over it
        return bar

    def _build_leave_focus(self) -> QShortcut:
        """Esc leaves focus mode (enabled only while in it)."""
        shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        shortcut.activated.connect(lambda: self.toggle_focus(False))
        shortcut.setEnabled(False)
        return shortcut

    def _build_status_bar(self) -> None:
        self.save_label = QLabel()
        self.save_label.setObjectName("saveState")
        self.save_icon = QLabel()
        self.counts_label = QLabel()
        self.counts_label.setObjectName("counts")
        for label in (self.counts_label, self.save_icon, self.save_label):
            self.statusBar().addPermanentWidget(label)

    def _connect(self) -> None:
        self.library.article_selected.connect(self.open_article)
        self.library.new_requested.connect(self.new_article)
        self.library.duplicate_requested.connect(self.duplicate_article)
        self.library.archive_requested.connect(self.archive_article)
        self.library.history_requested.connect(self.open_history)
        self.library.export_requested.connect(self.exports.open)
        self.article_opened.connect(lambda _uri: self.commands.export_story.setEnabled(True))
        self.article_opened.connect(self._check_opened)
        self.editor.edited.connect(self._edited)
        self.editor.counts_changed.connect(self._show_counts)
        self.editor.body.first_visible_line_changed.connect(self.preview.follow)
        self.session.state_changed.connect(self._show_save_state)
        self.session.saved.connect(self._saved)
        self.session.conflict_detected.connect(self._resolve_conflict)
        self.conflict_bar.keep_mine_chosen.connect(self.keep_mine)
        self.conflict_bar.take_theirs_chosen.connect(self.take_theirs)
        self.welcome.blank_requested.connect(self.new_article)
        self.welcome.sample_requested.connect(self.imports.sample)
        self.preview.problem.connect(lambda message: self.statusBar().showMessage(message, 8000))
        self.editor.body.paste_converted.connect(self._paste_converted)
        self.desk.changed.connect(self._show_panes)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
            app.applicationStateChanged.connect(self._application_state_changed)

    def _restore_layout(self) -> None:
        if self.settings.window_geometry:
            self.restoreGeometry(QByteArray(self.settings.window_geometry))
        else:
            self.resize(1366, 800)
        if self.settings.window_state:
            self.restoreState(QByteArray(self.settings.window_state))
        self.library.set_hidden_columns(self.settings.library_hidden_columns)
        self.commands.phone.setChecked(self.settings.preview_phone)
        self.preview.set_phone(self.settings.preview_phone)
        self.commands.typewriter.setChecked(self.settings.typewriter)
        self.editor.body.set_typewriter(self.settings.typewriter)
        self.desk.apply()

    def show_editor(self) -> None:
        self.centre.setCurrentWidget(self.editor)
        if self.desk.welcome:
            self.desk.welcome = False
            self.desk.apply()

    def _show_panes(self) -> None:
        """The View menu's ticks follow what is on screen."""
        self.commands.library.setChecked(self.desk.shows(Pane.LIBRARY))
        self.commands.inspector.setChecked(self.desk.shows(Pane.INSPECTOR))
        self.commands.preview.setChecked(self.desk.shows(Pane.PREVIEW))
        self.commands.focus.setChecked(self.desk.focus)
        swap = self.desk.plan.preview == PreviewMode.SWAP
        self.commands.preview.setToolTip(
            "Show the page instead of the text; again to write (Ctrl+3)"
            if swap
            else "The page beside the text (Ctrl+3)"
        )

    def _check_opened(self, _uri: str) -> None:
        article = self.current_article()
        if article is not None:
            self.checking.article_opened(article)

    def _undo_stack_for(self, widget: QWidget | None) -> QUndoStack:
        if widget is not None and self.related.isAncestorOf(widget):
            return self.related.undo_stack
        return self.undo_stack

    # -- articles ---------------------------------------------------------------------

    def open_first(self) -> None:
        if self.session.stored is None and self.library.model.rowCount():
            self.library.table.selectRow(0)

    def open_article(self, uri: str) -> None:
        """Show the article ``uri``; the one on screen is written first (if it cannot be, it
        stays, and the status bar says so). The store is read off the GUI thread: while it
        is slow the article on screen stays, editable, and the last one chosen opens."""
        opener = self._opening()
        on_screen = self.session.stored
        if on_screen is not None and on_screen.uri == uri:
            opener.cancel()  # back to the article on screen: a late answer must not replace it
            return
        if opener.uri == uri:
            return  # asked for already: the answer is on its way
        if not self._leave_current():
            opener.cancel()
            return
        row = self.library.model.row_of(uri)
        headline = self.library.model.summary(row).headline if row >= 0 else ""
        opener.open(uri, headline, leaving=on_screen.uri if on_screen is not None else "")

    _opener: ArticleOpener | None = None

    def _opening(self) -> ArticleOpener:
        """The reader of the article chosen (made on first use)."""
        if self._opener is None:
            self._opener = ArticleOpener(self.store, self)
            self._opener.opened.connect(self._opened)
            self._opener.failed.connect(lambda why: self.statusBar().showMessage(why, 8000))
            show_waiting(self._opener.waiting, self.statusBar())
        return self._opener

    def _leave_current(self) -> bool:
        """Write the article on screen before another replaces it; False: it stays."""
        if self.session.flush():
            return True
        self.statusBar().showMessage(
            "The previous article could not be saved; its text is still here.", 8000
        )
        return False

    def _opened(self, article: Article, leaving: str) -> None:
        """The store's answer for the article chosen last (GUI thread)."""
        if self.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide) and self.isHidden():
            return  # the window was closed meanwhile: its session and preview are over
        on_screen = self.session.stored
        if (on_screen.uri if on_screen is not None else "") != leaving:
            return  # another article was opened meanwhile (a new one, an import): it stays
        if not self._leave_current():  # it was typed into while the store was read
            return
        self._drop_if_untouched()
        self.session.open(article)
        self.editor.load(article)
        self.show_editor()
        self.preview.show_article(article)
        self._update_title()
        self.article_opened.emit(article.uri)

    def current_article(self) -> Article | None:
        """The article as on screen, unsaved edits included."""
        stored = self.session.stored
        return None if stored is None else self.editor.article(self.session.current or stored)

    def new_article(self) -> None:
        """A blank article with the journalist's own details (Settings ▸ My details)."""
        mine = self.settings
        blank = Article(headline="", byline=mine.my_byline, dateline=mine.my_dateline,
                        section=mine.my_section)  # fmt: skip
        store = self.store
        self._create_and_open(lambda: store.create(blank), "Creating a new article", fresh=True)

    def _drop_if_untouched(self) -> None:
        """A new article left without a word typed is not kept (no empty drafts)."""
        fresh, self._fresh = self._fresh, None
        current = self.current_article()
        if fresh is None or current is None or current.uri != fresh.uri:
            return
        if not untouched(fresh, current):
            return
        self.session.close()  # its last details written first: the delete comes after them
        store, uri = self.store, fresh.uri
        # Not kept if the store refuses: an empty draft is a nuisance, not a loss.
        self.calls.run(
            f"drop-{uri}", "Removing the empty new article", lambda: store.delete(uri),
            lambda _none: self.library.refresh(),
        )  # fmt: skip

    def create_and_open(self, article: Article) -> None:
        """Store ``article`` as a new one, and open it once the store has it."""
        store = self.store
        self._create_and_open(lambda: store.create(article), "Creating the article")

    def _create_and_open(
        self, create: Callable[[], Article], doing: str, *, fresh: bool = False
    ) -> None:
        """Run ``create`` on the writes lane (after the saves asked before) and open what it
        stored; meanwhile the article on screen stays, editable, and is written when it
        is left (a store that does not answer is not waited for twice)."""
        on_screen = self.session.stored
        leaving = on_screen.uri if on_screen is not None else ""
        self.calls.run(
            "create", doing, create, lambda stored: self._created(stored, leaving, fresh)
        )

    def _created(self, stored: Article, leaving: str, fresh: bool) -> None:
        """The store's new article (GUI thread): opened, unless another one was meanwhile."""
        self.library.refresh()
        on_screen = self.session.stored
        if (on_screen.uri if on_screen is not None else "") != leaving or not self._leave_current():
            name = f"“{stored.headline}”" if stored.headline else "The new article"
            self.statusBar().showMessage(f"{name} is stored: open it from the library.", 8000)
            return
        self._drop_if_untouched()
        self.session.open(stored)
        self.editor.load(stored)
        self.show_editor()
        self.preview.show_article(stored)
        self.library.select(stored.uri, emit=False)
        self.editor.form.headline.setFocus()
        self._update_title()
        self.article_opened.emit(stored.uri)
        if fresh:
            self._fresh = stored

    def duplicate_article(self, uri: str) -> None:
        """A copy of ``uri`` (a new draft), opened: of the article on screen as it is on
        screen, of another as stored."""
        store, current = self.store, self.current_article()
        if current is not None and current.uri == uri:
            copy = current.duplicate()
            self._create_and_open(lambda: store.create(copy), "Making a copy of the article")
            return
        self._create_and_open(
            lambda: store.create(store.get(uri).duplicate()), "Making a copy of the article"
        )

    def duplicate_current(self) -> None:
        if self.session.stored is not None:
            self.duplicate_article(self.session.stored.uri)

    def archive_article(self, uri: str) -> None:
        row = self.library.model.row_of(uri)  # what the library shows: nothing to wait for
        summary = self.library.model.summary(row) if row >= 0 else None
        headline = summary.headline if summary is not None else "the article"
        previous = summary.status if summary is not None else None
        self.undo_stack.push(_ArchiveCommand(self, uri, headline, previous))
        self.statusBar().showMessage(
            f"Archived “{headline}”. Undo with {self.undo_action.shortcut().toString()} "
            "(Edit ▸ Undo).",
            8000,
        )

    def set_status(
        self, uri: str, status: Status, was: Callable[[Status], None] | None = None
    ) -> None:
        """Give an article a new status (recording a revision); ``was(old status)`` once known.

        The article on screen changes as if chosen in its Status box: the session writes
        it after the text typed before, journalled like any edit, so the two never race.
        Another article is changed on the writes lane, after every save asked before.
        """
        on_screen = self.session.stored
        if on_screen is not None and on_screen.uri == uri:
            old = self.editor.form.current_status()
            combo = self.editor.form.status
            combo.blockSignals(True)  # not the journalist's choice: no readiness checklist
            combo.setCurrentIndex(combo.findData(status.value))
            combo.blockSignals(False)
            self._edited()
            if was is not None:
                was(old)
            return
        store = self.store

        def change() -> tuple[Status, Article]:
            article = store.get(uri)
            return article.status, store.save(article.edited(status=status), reason="status")

        def changed(value: tuple[Status, Article]) -> None:
            saved, shown = value[1], self.session.stored
            # Opened meanwhile, read before the change landed: show the stored version, or
            # the next save would meet it as a conflict (once typed into, it does, and the
            # conflict bar offers the choice as for any race).
            stale = shown is not None and shown.uri == uri and shown.version < saved.version
            if stale and self.session.pending is None:
                self._show_restored(saved)
            self.library.refresh()
            if was is not None:
                was(value[0])

        self.calls.run(
            "status", f"Marking the article {status.label.lower()}", change, changed, once=False
        )

    def save_now(self) -> None:
        """Ctrl+S: write at once and record a revision, without making typing wait for a
        store that does not answer."""
        if self.session.stored is None:
            return
        self._edited_now()
        saved = self.session.save_soon(reason="manual")
        if saved:
            self.statusBar().showMessage("Saved, with a revision in the history.", 4000)
        elif saved is None:  # the store has not answered: typing goes on meanwhile
            self.statusBar().showMessage(
                "Saving… the store has not answered yet: your text is kept on this computer, "
                "and saved with a revision as soon as the store answers.",
                10_000,
            )

    def _paste_converted(self, dropped: str) -> None:
        message = "Pasted as Markdown."
        if dropped:
            message += " Left out: " + "; ".join(dropped.splitlines())
        self.statusBar().showMessage(message, 10_000)

    # -- editing ----------------------------------------------------------------------

    def _edited(self) -> None:
        self._edited_now()
        self._update_title()

    def _edited_now(self) -> None:
        current = self.current_article()
        if current is None:
            return
        self.session.edit(current)
        if self.session.resolving or self.conflict_bar.sync_uri is not None:
            self.conflict_bar.update_mine(current)  # a save's conflict, or a sync's
        self.preview.update_article(current)
        self.related.article_edited(current)

    def _saved(self, article: Article) -> None:
        self.library.model.update_summary(article.summary())
        self.editor.form.remember(article)
        self._update_title()

    def _resolve_conflict(self, mine: Article, theirs: Article) -> None:
        """Say so above the text; typing goes on; nothing is replaced until a choice."""
        self.conflict_bar.show_conflict(mine, theirs, base=self.session.stored)

    def _with_their_newest(self, choose: Callable[[Article], None]) -> None:
        """``choose(their version as stored now)``: it may have changed again since the bar
        opened. Read on the reads lane; the bar's buttons wait meanwhile, typing does not."""
        theirs = self.conflict_bar.theirs
        if theirs is None or not self.session.resolving:
            return  # a sync's conflict: WindowSync makes that choice
        store, uri, bar = self.store, theirs.uri, self.conflict_bar
        bar.setEnabled(False)  # one choice at a time

        def read(newest: Article) -> None:
            bar.setEnabled(True)
            choose(newest)

        def unread(_why: str) -> None:
            bar.setEnabled(True)
            choose(theirs)  # the version the bar shows, then

        self.calls.run(
            "their-newest", "Reading their newest version", lambda: store.get(uri), read,
            write=False, failed=unread,
        )  # fmt: skip

    def keep_mine(self) -> None:
        """The conflict bar's choice: the text on screen becomes the newest version."""
        self._with_their_newest(self._keep_mine_over)

    def _keep_mine_over(self, theirs: Article) -> None:
        mine = self.current_article()  # what was typed until now, the wait included
        if mine is None or not self.session.resolving:
            return
        self.conflict_bar.finish()
        self.session.resolve_keep_mine(mine, theirs)  # a new race shows the bar again
        if self.session.resolving and self.conflict_bar.isHidden():
            self.conflict_bar.show()  # their text could not be kept: still to choose
        self._update_title()

    def take_theirs(self) -> None:
        """The conflict bar's choice: their version on screen, the text typed in the history."""
        self._with_their_newest(self._take_theirs_over)

    def _take_theirs_over(self, theirs: Article) -> None:
        mine = self.current_article()
        if mine is None or not self.session.resolving:
            return
        if self.session.resolve_take_theirs(mine, theirs):
            self.conflict_bar.finish()
            self.editor.load(theirs)
            self.preview.update_article(theirs)
        self._update_title()

    def _show_recovered(self) -> None:
        message = " ".join(self.recovered)
        self.statusBar().showMessage(message, 60_000)
        self.save_label.setToolTip(message)

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if (
            old is not None
            and self.editor.isAncestorOf(old)
            and (new is None or not self.editor.isAncestorOf(new))
        ):
            self.session.flush()

    def _application_state_changed(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationState.ApplicationActive:
            self.session.flush()

    # -- status bar and title ---------------------------------------------------------

    def _show_counts(self, words: int, chars: int, minutes: int) -> None:
        target = self.settings.word_target
        counted = f"{words:,} of {target:,} words" if target else f"{words:,} words"
        self.counts_label.setText(f"{counted} · {chars:,} characters · {minutes} min read")

    def _show_save_state(self, state: str, message: str) -> None:
        names = {"saved": "saved", "unsaved": "unsaved", "failed": "error"}
        words = {"saved": "All changes stored", "unsaved": "Editing…", "failed": "Not stored"}
        size = self.save_label.fontMetrics().height()
        self.save_icon.setPixmap(icon(names[state]).pixmap(size, size))
        self.save_label.setText(words[state])
        self.save_label.setToolTip(message or "Everything on screen is stored")
        if state == SaveState.FAILED:
            self.statusBar().showMessage(message)
        elif state == SaveState.SAVED and message:
            self.statusBar().showMessage(message, 3000)
        self.setWindowModified(state != SaveState.SAVED)

    def _update_title(self) -> None:
        current = self.session.current
        if current is None:
            self.setWindowTitle(APP_NAME)
            return
        headline = self.editor.form.headline.text().strip() or "Untitled article"
        self.setWindowTitle(f"{headline}[*] — {APP_NAME}")

    # -- dialogs and view -------------------------------------------------------------

    def open_history(self, uri: str | None = None) -> None:
        """The history of the article ``uri`` (the one in the editor by default)."""
        from newsdesk.ui.dialogs.history import HistoryDialog

        if uri is not None and (self.session.stored is None or self.session.stored.uri != uri):
            self.open_article(uri)
            if self.session.stored is None or self.session.stored.uri != uri:
                return  # still opening (the store is slow), or it could not be opened
        if self.session.stored is None:
            return
        if not self.session.flush():
            self.statusBar().showMessage(
                "The text on screen is not stored yet, so the history cannot be shown.", 8000
            )
            return
        current = self.current_article()
        assert current is not None
        dialog = HistoryDialog(self.store, current, self)
        dialog.restored.connect(self._show_restored)
        dialog.exec()

    def _show_restored(self, article: Article) -> None:
        self.session.open(article)
        self.editor.load(article)
        self.preview.update_article(article)
        self.library.model.update_summary(article.summary())
        self._update_title()
        self.statusBar().showMessage(
            "Restored. The text it replaced is still in the history.", 8000
        )

    def open_settings(self) -> None:
        """Settings: the publication's profile is read, then saved, off the GUI thread (the
        window's own settings are a file on this computer, saved at once)."""
        store = self.store
        self.calls.run(
            "settings", "Reading the publication's settings",
            lambda: (store.profile(), store.sections()), self._show_settings, write=False,
        )  # fmt: skip

    def _show_settings(self, read: tuple[PublicationProfile, list[str]]) -> None:
        from newsdesk.ui.dialogs.settings_dialog import SettingsDialog

        profile, sections = read
        dialog = SettingsDialog(
            profile, self.settings, self, sections=sections,
            checks_note=self.checking.notes(), sync=self.syncing.service, tasks=self.tasks,
        )  # fmt: skip
        if not dialog.exec():
            return
        if dialog.newsroom is not None and dialog.newsroom.apply():
            self.syncing.server_changed()
        changed, store = dialog.profile(), self.store
        if changed != profile:
            self.calls.run(
                "profile", "Saving the publication's settings",
                lambda: store.save_profile(changed), lambda _none: self._profile_changed(changed),
                failed=lambda why: QMessageBox.warning(
                    self, APP_NAME,
                    f"The publication's settings were not saved: {why}\n\n"
                    "Open Settings again to make the change once the store answers.",
                ),
            )  # fmt: skip
        self.settings = dataclasses.replace(self.settings, **dialog.app_changes())
        self.settings_store.save(self.settings)
        self.media.adder.limits = self.settings.media_limits()
        self.session.set_delay(self.settings.autosave_delay_ms)
        self.editor.set_page_font(self.settings.editor_font_family, self.settings.editor_font_size)
        self.checking.settings_changed()
        if changed == profile:  # else the preview is made again once the profile is stored
            self._preview_again()

    def _profile_changed(self, profile: PublicationProfile) -> None:
        self.checking.language_changed(profile.language)
        self._preview_again()

    def _preview_again(self) -> None:
        self.preview_renderer.reset()
        self.preview.refresh()

    # -- drops ----------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if importable(event.mimeData().urls()):
            event.acceptProposedAction()
            return
        super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        """Stories (Markdown, Word) dropped on the window are imported, after a preview."""
        paths = importable(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.imports.with_preview(paths)
            return
        super().dropEvent(event)

    def focus_search(self) -> None:
        self.desk.show_pane(Pane.LIBRARY)
        self.library.search.setFocus()
        self.library.search.selectAll()

    def show_related(self) -> None:
        """The related links, in the details beside the text."""
        self.desk.show_pane(Pane.INSPECTOR)
        self.editor.show_related()

    def find_next(self) -> None:
        bar = self.editor.find_bar
        if not bar.find_edit.text():
            bar.open(replace=False)
        else:
            bar.find_next()

    def toggle_phone(self) -> None:
        self.preview.set_phone(self.commands.phone.isChecked())
        self.desk.show_pane(Pane.PREVIEW)

    def toggle_focus(self, on: bool | None = None) -> None:
        """Focus mode (F11, Esc to leave): full screen, the text alone."""
        on = not self.desk.focus if on is None else on
        self.desk.set_focus(on)
        self.editor.set_focus_mode(on)
        self._leave_focus.setEnabled(on)
        if on and self.centre.currentWidget() is self.editor:
            self.editor.body.setFocus()

    def toggle_typewriter(self) -> None:
        on = self.commands.typewriter.isChecked()
        self.editor.body.set_typewriter(on)

    def show_shortcuts(self) -> None:
        from newsdesk.ui.dialogs.shortcuts_dialog import ShortcutsDialog

        related = self.related
        panel_actions = [
            related.up_action, related.down_action, related.pin_action,
            related.merge_action, related.remove_action, related.check_action,
        ]  # fmt: skip
        ShortcutsDialog(self.commands.menus, self, [("Related links", panel_actions)]).exec()

    # -- closing ----------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.session.pending is not None:
            self._edited_now()  # what is on screen, to the last key
        if self.desk.focus:
            self.toggle_focus(False)  # the normal geometry is the one to remember
        if not self.session.flush() and not self._may_close_unstored():
            event.ignore()
            return
        self._drop_if_untouched()
        if not self.calls.writes.slow:  # its removal, unless the store is not answering
            self.calls.writes.wait(2.0)
        self.settings = dataclasses.replace(
            self.settings.with_desk(self.desk.wanted, self.desk.priority, self.desk.widths),
            window_geometry=bytes(self.saveGeometry().data()),
            window_state=bytes(self.saveState().data()),
            library_hidden_columns=self.library.hidden_columns(),
            preview_phone=self.commands.phone.isChecked(),
            typewriter=self.commands.typewriter.isChecked(),
            my_words=self.checking.my_words_text(),
        )
        self.settings_store.save(self.settings)
        self.preview.shutdown()
        self.syncing.stop()
        self.tasks.wait(10_000)
        self.media_view.close()
        self.conflict_bar.finish()
        if self.session.journal is not None:
            self.session.journal.close()  # what is not stored stays, for the next start
        event.accept()

    def _may_close_unstored(self) -> bool:
        """The text on screen is not stored: keep it on this computer, discard it, or stay."""
        session = self.session
        if session.journal is None or not session.kept_locally:
            answer = QMessageBox.warning(
                self,
                APP_NAME,
                f"Your latest changes could not be stored: {session.message}\n\n"
                "Close anyway and lose them?",
                QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Discard,
                QMessageBox.StandardButton.Cancel,
            )
            return answer == QMessageBox.StandardButton.Discard
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, "", parent=self)
        box.setText(f"Your latest changes are not in the store: {session.message}")
        box.setInformativeText(
            "They are kept on this computer: closing keeps them there, and Newsdesk puts them "
            "back (or into the article's history) when it next starts."
        )
        keep = box.addButton("Keep on this computer", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(QMessageBox.StandardButton.Discard)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(keep)
        box.exec()
        if box.clickedButton() is discard:
            session.discard()
            return True
        return box.clickedButton() is keep
