"""The main window: library, editor and preview side by side, and the actions that join them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from newsdesk.core.errors import NewsdeskError
from newsdesk.core.importing import import_paths
from newsdesk.core.models import Article, ArticleSummary, Status
from newsdesk.core.ports import ArticleStore
from newsdesk.ui.conflict import ConflictDialog
from newsdesk.ui.editor_panel import EditorPanel
from newsdesk.ui.icons import icon
from newsdesk.ui.library import LibraryPanel
from newsdesk.ui.media_adding import Added, MediaTools
from newsdesk.ui.preview import PreviewPane
from newsdesk.ui.preview_render import PreviewMedia, PreviewRenderer
from newsdesk.ui.related_panel import RelatedPanel
from newsdesk.ui.session import EditingSession, SaveState
from newsdesk.ui.settings import AppSettings, ExportChoice, SettingsStore
from newsdesk.ui.tasks import TaskRunner
from newsdesk.ui.welcome import WelcomePanel

APP_NAME = "Newsdesk"


class _ArchiveCommand(QUndoCommand):
    """Archiving an article, undone by giving it back its status."""

    def __init__(self, window: MainWindow, uri: str, headline: str) -> None:
        super().__init__(f"Archive “{headline}”")
        self.window = window
        self.uri = uri
        self.previous: Status | None = None

    def redo(self) -> None:
        self.previous = self.window.set_status(self.uri, Status.ARCHIVED)

    def undo(self) -> None:
        if self.previous is not None:
            self.window.set_status(self.uri, self.previous)


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
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.settings_store = settings_store
        self.settings: AppSettings = settings_store.load()
        self.tasks = tasks or TaskRunner(self)
        self.undo_stack = QUndoStack(self)
        self.session = EditingSession(store, self.settings.autosave_delay_ms, self)
        self.preview_renderer = PreviewRenderer(store)
        self.media = MediaTools(store, self.tasks, self.settings.media_limits())
        self.preview_media = PreviewMedia(store)
        self.media_library: QWidget | None = None

        self.library = LibraryPanel(store)
        self.related = RelatedPanel(store, self.tasks)
        self.editor = EditorPanel(self.related, media=self.media)
        self.editor.body.set_editor_font(
            self.settings.editor_font_family, self.settings.editor_font_size
        )
        self.welcome = WelcomePanel()
        self.centre = QStackedWidget()
        self.centre.addWidget(self.editor)
        self.centre.addWidget(self.welcome)
        self.preview = PreviewPane(self.preview_renderer.render, media=self.preview_media)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.library)
        self.splitter.addWidget(self.centre)
        self.splitter.addWidget(self.preview)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self.save_label = QLabel()
        self.save_label.setObjectName("saveState")
        self.save_icon = QLabel()
        self.counts_label = QLabel()
        self.counts_label.setObjectName("counts")
        self.statusBar().addPermanentWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.save_icon)
        self.statusBar().addPermanentWidget(self.save_label)

        self._build_actions()
        self._connect()
        self._restore_layout()
        self.editor.form.set_choices(store.sections(), store.tags())
        self._update_title()
        self._show_save_state(SaveState.SAVED.value, "")
        if self.library.model.rowCount() == 0 and store.info().article_count == 0:
            self.centre.setCurrentWidget(self.welcome)
        else:
            QTimer.singleShot(0, self._open_first)

    # -- construction -----------------------------------------------------------------

    def _build_actions(self) -> None:
        def action(
            text: str, slot: object, shortcut: object = None, icon_name: str = ""
        ) -> QAction:
            act = QAction(text, self)
            if icon_name:
                act.setIcon(icon(icon_name))
            if shortcut is not None:
                act.setShortcut(shortcut)  # type: ignore[arg-type]
            act.triggered.connect(slot)
            return act

        self.new_action = action(
            "&New article", self.new_article, QKeySequence.StandardKey.New, "new"
        )
        self.duplicate_action = action("&Duplicate", self._duplicate_current, None, "duplicate")
        self.save_action = action("&Save now", self.save_now, QKeySequence.StandardKey.Save, "save")
        self.export_action = action(
            "&Export…", self.export_archive, QKeySequence("Ctrl+E"), "export"
        )
        self._build_export_actions()
        self.settings_action = action(
            "Se&ttings…", self.open_settings, QKeySequence.StandardKey.Preferences, "settings"
        )
        self.quit_action = action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Shift+Z"))
        self.undo_action.setIcon(icon("undo"))
        self.search_action = action(
            "&Search the library", self._focus_search, QKeySequence("Ctrl+Shift+F"), "search"
        )
        self.phone_action = action(
            "&Phone width", self._toggle_phone, QKeySequence("Ctrl+Shift+P"), "phone"
        )
        self.phone_action.setCheckable(True)
        self.preview_action = action(
            "Show p&review", self._toggle_preview, QKeySequence("Ctrl+Shift+V")
        )
        self.preview_action.setCheckable(True)
        self.preview_action.setChecked(True)
        self.history_action = action(
            "&History…", self.open_history, QKeySequence("Ctrl+Alt+H"), "history"
        )
        self.history_action.setToolTip("Every revision of this article: compare and restore")
        self.related_action = action(
            "&Related articles", self.editor.show_related, QKeySequence("Ctrl+Shift+L"), "article"
        )
        self.media_action = action(
            "&Media library", self.open_media_library, QKeySequence("Ctrl+Shift+M"), "media"
        )
        self.media_action.setToolTip("Every picture and audio file in the store (Ctrl+Shift+M)")

        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        for act in (self.new_action, self.duplicate_action, self.save_action, self.export_action,
                    self.export_selected_action):  # fmt: skip
            file_menu.addAction(act)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menus.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addSeparator()
        for act in self.editor.body.format_actions:
            edit_menu.addAction(act)
        edit_menu.addAction(self.editor.body.insert_image_action)
        article_menu = menus.addMenu("&Article")
        article_menu.addAction(self.history_action)
        article_menu.addAction(self.export_story_action)
        view_menu = menus.addMenu("&View")
        for act in (self.search_action, self.related_action, self.media_action,
                    self.phone_action, self.preview_action):  # fmt: skip
            view_menu.addAction(act)

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        for act in (self.new_action, self.save_action, self.history_action, self.media_action,
                    self.export_action, self.phone_action, self.settings_action):  # fmt: skip
            toolbar.addAction(act)

    def _build_export_actions(self) -> None:
        self.export_action.setToolTip("Hand off the archive, by status and section (Ctrl+E)")
        self.export_story_action = QAction(icon("export"), "Export this &story…", self)
        self.export_story_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.export_story_action.setToolTip("Hand off the story in the editor (Ctrl+Shift+E)")
        self.export_story_action.setEnabled(False)  # until a story is open
        self.export_story_action.triggered.connect(self.export_this_story)
        self.export_selected_action = QAction(icon("export"), "Export se&lected stories…", self)
        self.export_selected_action.setToolTip("Hand off the stories selected in the library")
        self.export_selected_action.triggered.connect(self.export_selected)

    def _connect(self) -> None:
        self.library.article_selected.connect(self.open_article)
        self.library.new_requested.connect(self.new_article)
        self.library.duplicate_requested.connect(self.duplicate_article)
        self.library.archive_requested.connect(self.archive_article)
        self.library.history_requested.connect(self.open_history)
        self.library.export_requested.connect(self.open_export)
        self.article_opened.connect(lambda _uri: self.export_story_action.setEnabled(True))
        self.editor.edited.connect(self._edited)
        self.editor.counts_changed.connect(self._show_counts)
        self.editor.body.first_visible_line_changed.connect(self.preview.follow)
        self.session.state_changed.connect(self._show_save_state)
        self.session.saved.connect(self._saved)
        self.session.conflict_detected.connect(self._resolve_conflict)
        self.welcome.blank_requested.connect(self.new_article)
        self.welcome.sample_requested.connect(self.load_sample_archive)
        self.preview.problem.connect(lambda message: self.statusBar().showMessage(message, 8000))
        self.media.adder.added.connect(self._media_added)
        self.editor.body.media_problem.connect(self._media_problem)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
            app.applicationStateChanged.connect(self._application_state_changed)

    def _restore_layout(self) -> None:
        if self.settings.window_geometry:
            self.restoreGeometry(QByteArray(self.settings.window_geometry))
        else:
            self.resize(1480, 900)
        if self.settings.window_state:
            self.restoreState(QByteArray(self.settings.window_state))
        self.splitter.setSizes(self.settings.splitter_sizes)
        self.library.set_hidden_columns(self.settings.library_hidden_columns)
        self.phone_action.setChecked(self.settings.preview_phone)
        self.preview.set_phone(self.settings.preview_phone)
        self.preview_action.setChecked(self.settings.preview_visible)
        self.preview.setVisible(self.settings.preview_visible)

    # -- articles ---------------------------------------------------------------------

    def _open_first(self) -> None:
        if self.session.stored is None and self.library.model.rowCount():
            self.library.table.selectRow(0)

    def open_article(self, uri: str) -> None:
        if self.session.stored is not None and self.session.stored.uri == uri:
            return
        if not self.session.flush():
            self.statusBar().showMessage(
                "The previous article could not be saved; its text is still here.", 8000
            )
            return
        try:
            article = self.store.get(uri)
        except NewsdeskError as exc:
            self.statusBar().showMessage(str(exc), 8000)
            return
        self.session.open(article)
        self.editor.load(article)
        self.centre.setCurrentWidget(self.editor)
        self.preview.show_article(article)
        self._update_title()
        self.article_opened.emit(uri)

    def current_article(self) -> Article | None:
        """The article as on screen, unsaved edits included."""
        stored = self.session.stored
        return None if stored is None else self.editor.article(self.session.current or stored)

    def new_article(self) -> None:
        self.create_and_open(Article(headline="", byline=self._last_byline()))

    def _last_byline(self) -> str:
        current = self.session.stored
        return current.byline if current else ""

    def create_and_open(self, article: Article) -> Article | None:
        if not self.session.flush():
            return None
        try:
            stored = self.store.create(article)
        except NewsdeskError as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return None
        self.library.refresh()
        self.session.open(stored)
        self.editor.load(stored)
        self.centre.setCurrentWidget(self.editor)
        self.preview.show_article(stored)
        self.library.select(stored.uri, emit=False)
        self.editor.form.headline.setFocus()
        self._update_title()
        self.article_opened.emit(stored.uri)
        return stored

    def duplicate_article(self, uri: str) -> None:
        self.session.flush()
        try:
            original = self.store.get(uri)
        except NewsdeskError as exc:
            self.statusBar().showMessage(str(exc), 8000)
            return
        self.create_and_open(original.duplicate())

    def _duplicate_current(self) -> None:
        if self.session.stored is not None:
            self.duplicate_article(self.session.stored.uri)

    def archive_article(self, uri: str) -> None:
        try:
            headline = self.store.get(uri).headline
        except NewsdeskError as exc:
            self.statusBar().showMessage(str(exc), 8000)
            return
        self.undo_stack.push(_ArchiveCommand(self, uri, headline))
        self.statusBar().showMessage(
            f"Archived “{headline}”. Undo with {self.undo_action.shortcut().toString()}.", 8000
        )

    def set_status(self, uri: str, status: Status) -> Status | None:
        """Give an article a new status (recording a revision); return the old one."""
        self.session.flush()
        try:
            article = self.store.get(uri)
            saved = self.store.save(article.edited(status=status), reason="status")
        except NewsdeskError as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return None
        if self.session.stored is not None and self.session.stored.uri == uri:
            self.session.open(saved)
            self.editor.load(saved)
            self.preview.update_article(saved)
        self.library.refresh()
        return article.status

    def save_now(self) -> None:
        """Ctrl+S: write at once and record a revision."""
        if self.session.stored is None:
            return
        self._edited_now()
        if self.session.flush(reason="manual"):
            self.statusBar().showMessage("Saved, with a revision in the history.", 4000)

    def import_files(self, paths: list[Path]) -> list[Article]:
        """Import Markdown files as new articles (all or none) and show the first one."""
        try:
            articles = import_paths(paths, self.store)
        except NewsdeskError as exc:
            QMessageBox.warning(self, APP_NAME, f"Nothing was imported.\n\n{exc}")
            return []
        self.editor.form.set_choices(self.store.sections(), self.store.tags())
        self.library.refresh()
        if articles:
            self.centre.setCurrentWidget(self.editor)
            self.open_article(articles[0].uri)
            self.library.select(articles[0].uri, emit=False)
        self.statusBar().showMessage(f"Imported {len(articles)} article(s).", 6000)
        return articles

    def load_sample_archive(self) -> None:
        from newsdesk.ui.sample import load_sample

        try:
            count = load_sample(self.store)
        except NewsdeskError as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return
        self.editor.form.set_choices(self.store.sections(), self.store.tags())
        self.library.refresh()
        self.statusBar().showMessage(f"Added {count} sample articles.", 6000)
        self.centre.setCurrentWidget(self.editor)
        self._open_first()

    # -- editing ----------------------------------------------------------------------

    def _edited(self) -> None:
        self._edited_now()
        self._update_title()

    def _edited_now(self) -> None:
        current = self.current_article()
        if current is None:
            return
        self.session.edit(current)
        self.preview.update_article(current)
        self.related.article_edited(current)

    def _saved(self, article: Article) -> None:
        self.library.model.update_summary(article.summary())
        self.editor.form.remember(article)
        self._update_title()

    def _resolve_conflict(self, mine: Article, theirs: Article) -> None:
        dialog = ConflictDialog(mine, theirs, self, base=self.session.stored)
        choice = dialog.exec_choice()
        if choice == ConflictDialog.KEEP_MINE:
            self.session.resolve_keep_mine(mine, theirs)
        elif choice == ConflictDialog.TAKE_THEIRS and self.session.resolve_take_theirs(
            mine, theirs
        ):
            self.editor.load(theirs)
            self.preview.update_article(theirs)
        self._update_title()

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
        self.counts_label.setText(f"{words:,} words · {chars:,} characters · {minutes} min read")

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

    def open_export(self, stories: list[ArticleSummary] | None = None) -> None:
        """The export dialog: for ``stories`` only, or the whole archive."""
        from newsdesk.ui.export_dialog import ExportDialog

        self.session.flush()
        publication = self.store.profile().name
        dialog = ExportDialog(
            self.store, self.tasks, self, stories=stories or (),
            remembered=self.settings.export_choice(publication),
        )  # fmt: skip
        dialog.choice_made.connect(lambda choice: self._remember_export(publication, choice))
        dialog.exec()

    def export_archive(self) -> None:
        """Hand off the whole archive, by status and section."""
        self.open_export()

    def export_this_story(self) -> None:
        """Hand off the story in the editor, as stored once its edits are saved."""
        if self.session.stored is None:
            return
        if not self.session.flush():
            self.statusBar().showMessage(
                "The story on screen is not stored yet, so it cannot be exported.", 8000
            )
            return
        self.open_export([self.session.stored.summary()])

    def export_selected(self) -> None:
        """Hand off the stories selected in the library."""
        selected = self.library.selected_summaries()
        if not selected:
            self.statusBar().showMessage(
                "Select stories in the library first (Ctrl+click or Shift+click).", 6000
            )
            return
        self.open_export(selected)

    def _remember_export(self, publication: str, choice: ExportChoice) -> None:
        self.settings = self.settings.with_export_choice(publication, choice)
        self.settings_store.save(self.settings)

    def open_history(self, uri: str | None = None) -> None:
        """The history of the article ``uri`` (the one in the editor by default)."""
        from newsdesk.ui.history import HistoryDialog

        if uri is not None and (self.session.stored is None or self.session.stored.uri != uri):
            self.open_article(uri)
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
        from newsdesk.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.store.profile(), self.settings, self)
        if not dialog.exec():
            return
        try:
            self.store.save_profile(dialog.profile())
        except NewsdeskError as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return
        self.settings = dataclasses.replace(self.settings, **dialog.app_changes())
        self.settings_store.save(self.settings)
        self.media.adder.limits = self.settings.media_limits()
        self.session.set_delay(self.settings.autosave_delay_ms)
        self.editor.body.set_editor_font(
            self.settings.editor_font_family, self.settings.editor_font_size
        )
        self.preview_renderer.reset()
        self.preview.refresh()

    # -- media ----------------------------------------------------------------------

    def _prune_media_caches(self) -> None:
        """Keep the preview's caches bounded between sessions: on closing, when no other
        thread is at work. (Pruned on a thread at start-up, a garbage collection on the GUI
        thread meanwhile crashed the process now and then: PySide6 6.11, Python 3.11.)"""
        from newsdesk.ui.media_cache import prune

        for folder in (self.preview_media.cache.folder, self.media.thumbnails.folder):
            prune(folder)

    def _media_added(self, added: Added) -> None:
        self.preview_media.prime(added.asset, added.data)
        word = "Added" if added.new else "Already in the media library:"
        self.statusBar().showMessage(f"{word} {added.asset.filename}", 5000)

    def _media_problem(self, message: str) -> None:
        self.statusBar().showMessage(message, 15_000)
        QMessageBox.warning(self, APP_NAME, message)

    def open_media_library(self) -> None:
        """The media library, beside the window (it stays open while you write)."""
        from newsdesk.ui.media_library import MediaLibrary

        if self.media_library is None:
            library = MediaLibrary(self.media, self)
            library.insert_requested.connect(self._insert_from_library)
            library.media_changed.connect(self._media_changed)
            self.media.adder.added.connect(
                lambda _added: library.refresh() if library.isVisible() else None
            )
            self.media_library = library
        assert isinstance(self.media_library, MediaLibrary)
        self.media_library.refresh()
        self.media_library.show()
        self.media_library.raise_()

    def _insert_from_library(self, asset: object) -> None:
        if self.session.stored is None:
            self.statusBar().showMessage("Open a story first, then insert the picture.", 6000)
            return
        self.editor.body.insert_picture(asset)  # type: ignore[arg-type]
        self.statusBar().showMessage("Placed in the story at the cursor.", 4000)

    def _media_changed(self, key: str) -> None:
        """A file was replaced or removed: the story on screen shows it afresh."""
        current = self.current_article()
        if current is not None:
            self.editor.form.image.refresh_asset()
            self.editor.form.audio.refresh_asset()
            self.preview.show_article(current)

    def _focus_search(self) -> None:
        self.library.search.setFocus()
        self.library.search.selectAll()

    def _toggle_phone(self, checked: bool) -> None:
        self.preview.set_phone(checked)

    def _toggle_preview(self, checked: bool) -> None:
        self.preview.setVisible(checked)

    # -- closing ----------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.session.pending is not None:
            self._edited_now()  # what is on screen, to the last key
        if not self.session.flush():
            answer = QMessageBox.warning(
                self,
                APP_NAME,
                f"Your latest changes could not be stored: {self.session.message}\n\n"
                "Close anyway and lose them?",
                QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Discard,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                event.ignore()
                return
        self.settings = dataclasses.replace(
            self.settings,
            window_geometry=bytes(self.saveGeometry().data()),
            window_state=bytes(self.saveState().data()),
            splitter_sizes=self.splitter.sizes(),
            library_hidden_columns=self.library.hidden_columns(),
            preview_phone=self.phone_action.isChecked(),
            preview_visible=self.preview_action.isChecked(),
        )
        self.settings_store.save(self.settings)
        self.preview.shutdown()
        if self.media_library is not None:
            self.media_library.close()
        self.tasks.wait(10_000)
        self._prune_media_caches()
        event.accept()
