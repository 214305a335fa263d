"""The media library: every stored picture and audio file, where each is used, and what
may be done with it (reuse in this story, replace the file, remove an unused one)."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from newsdesk.core.media.media import MediaAsset, MediaKind, MediaUse, problems
from newsdesk.ui.background.store_calls import StoreCalls
from newsdesk.ui.desk.problem import Problem
from newsdesk.ui.icons import icon
from newsdesk.ui.media.media_adding import MediaTools
from newsdesk.ui.media.media_fields import AUDIO_FILTER, IMAGE_FILTER, describe

Index = QModelIndex | QPersistentModelIndex
ASSET_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
USE_ROLE = Qt.ItemDataRole.UserRole + 3
TILE = QSize(132, 92)


class MediaListModel(QAbstractListModel):
    """Rows of :class:`MediaAsset` with their use; thumbnails arrive as they are made."""

    def __init__(self, tools: MediaTools, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tools = tools
        self._rows: list[MediaAsset] = []
        self._use: dict[str, MediaUse] = {}
        self._icons: dict[str, QIcon] = {}
        tools.thumbnails.ready.connect(self._thumbnail_ready)

    def load(self, assets: list[MediaAsset], use: dict[str, MediaUse]) -> None:
        self.beginResetModel()
        self._rows = list(assets)
        self._use = dict(use)
        self.endResetModel()

    def asset(self, row: int) -> MediaAsset:
        return self._rows[row]

    def use(self, key: str) -> MediaUse:
        return self._use.get(key) or MediaUse(key)

    def row_of(self, key: str) -> int:
        return next((i for i, a in enumerate(self._rows) if a.key == key), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        asset = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return asset.caption or asset.filename
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{describe(asset)}\n{_use_words(self.use(asset.key))}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(asset)
        if role == ASSET_ROLE:
            return asset
        if role == KEY_ROLE:
            return asset.key
        if role == USE_ROLE:
            return self.use(asset.key)
        return None

    def _icon(self, asset: MediaAsset) -> QIcon:
        if asset.kind == MediaKind.AUDIO:
            return icon("audio")
        found = self._icons.get(asset.sha256)
        if found is not None:
            return found
        image = self.tools.thumbnails.image(asset)
        if image is None:
            return icon("image")
        made = QIcon(QPixmap.fromImage(image))
        self._icons[asset.sha256] = made
        return made

    def _thumbnail_ready(self, key: str) -> None:
        row = self.row_of(key)
        if row >= 0:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


def _use_words(use: MediaUse) -> str:
    if use.articles:
        count = len(use.articles)
        return f"Used in {count} {'story' if count == 1 else 'stories'}"
    if use.revisions:
        return f"Unused; {use.revisions} revision(s) of the history still show it"
    return "Unused"


class MediaLibrary(QDialog):
    """A window on the store's media: search, thumbnails, use; reuse, replace, remove."""

    insert_requested = Signal(object)
    """Place this :class:`MediaAsset` in the story being edited."""
    media_changed = Signal(str)
    """The file with this key was replaced or removed (stories using it follow)."""

    def __init__(self, tools: MediaTools, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Media library")
        self.tools = tools
        self.model = MediaListModel(tools, self)
        self.search = QLineEdit(placeholderText="Search captions, credits and file names")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search media")
        self.count = QLabel()
        self.waiting = QLabel()  # what the store is being asked, while it is slow to answer
        self.waiting.setWordWrap(True)
        self.calls = StoreCalls(tools.store, self)
        self.calls.waiting.connect(self.waiting.setText)
        self._reads = 0  # counts the listings asked for: only the last one is shown
        self.unused_only = QCheckBox("Unused only")
        self.unused_only.setToolTip("Files no story uses now: candidates for removal")
        self.unused_only.toggled.connect(lambda _on: self.refresh())
        self.view = QListView()
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setIconSize(TILE)
        self.view.setGridSize(QSize(TILE.width() + 24, TILE.height() + 44))
        self.view.setWordWrap(True)
        self.view.setUniformItemSizes(True)
        self.view.setSpacing(4)
        self.view.setModel(self.model)
        self.view.setAccessibleName("Media files")
        self.details = self._details()
        self.calls.refused.connect(self.problem.say)
        self._build()
        self._typing = QTimer(self, singleShot=True, interval=200)
        self._typing.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._typing.start)
        self.view.selectionModel().currentChanged.connect(self._show_current)
        self.view.doubleClicked.connect(lambda _index: self.insert_current())
        self.resize(1000, 640)
        self.refresh()

    def _details(self) -> QWidget:
        self.preview = QLabel()
        self.preview.setFixedSize(280, 190)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.caption = QLineEdit()
        self.credit = QLineEdit()
        self.alt = QLineEdit(
            placeholderText="What the picture shows, for readers who cannot see it"
        )
        self.copyright = QLineEdit()
        self.save_words_button = QPushButton(icon("save"), "Save words")
        self.save_words_button.setToolTip(
            "The words a story takes when the file is placed in it (stories keep their own)"
        )
        self.save_words_button.clicked.connect(self.save_words)
        self.used_in = QLabel()
        self.used_in.setWordWrap(True)
        self.used_in.setTextFormat(Qt.TextFormat.PlainText)
        self.warning = Problem("caution")
        self.problem = Problem()
        self.insert_button = QPushButton(icon("insert-image"), "Insert in this story")
        self.insert_button.clicked.connect(self.insert_current)
        self.replace_button = QPushButton(icon("replace"), "Replace file…")
        self.replace_button.setToolTip("Put a new file in its place: every story using it follows")
        self.replace_button.clicked.connect(self.choose_replacement)
        self.remove_button = QPushButton(icon("remove"), "Remove")
        self.remove_button.clicked.connect(self.remove_current)
        buttons = QHBoxLayout()
        for button in (self.insert_button, self.replace_button, self.remove_button):
            buttons.addWidget(button)
        panel = QWidget()
        form = QFormLayout(panel)
        form.addRow(self.preview)
        form.addRow(self.about)
        form.addRow("Caption", self.caption)
        form.addRow("Credit", self.credit)
        form.addRow("Alt text", self.alt)
        form.addRow("Copyright", self.copyright)
        form.addRow("", self.save_words_button)
        form.addRow("Used in", self.used_in)
        form.addRow(self.warning)
        form.addRow(self.problem)
        form.addRow(buttons)
        panel.setMinimumWidth(320)
        return panel

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.unused_only)
        top.addWidget(self.count)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(top)
        column.addWidget(self.view, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        layout.addWidget(self.waiting)

    # -- loading --------------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        """Read the library again (after a search, an add, a replace, a removal), off the
        GUI thread: the search field and the window answer while the store is slow."""
        current = select or self.current_key()
        self._reads += 1
        read, store, text = self._reads, self.tools.store, self.search.text().strip()

        def listing() -> tuple[list[MediaAsset], dict[str, MediaUse]]:
            assets = store.list_media(text)
            return assets, (store.media_use([a.key for a in assets]) if assets else {})

        def listed(value: tuple[list[MediaAsset], dict[str, MediaUse]]) -> None:
            if read == self._reads:  # else a newer search is on its way
                self._show_listing(*value, current)

        self.calls.run(
            "list", "Reading the media library", listing, listed, write=False, once=False,
            failed=self.problem.say,
        )  # fmt: skip

    def _show_listing(
        self, assets: list[MediaAsset], use: dict[str, MediaUse], current: str | None
    ) -> None:
        if self.unused_only.isChecked():
            assets = [a for a in assets if not (use.get(a.key) or MediaUse(a.key)).articles]
        self.model.load(assets, use)
        total = len(assets)
        self.count.setText(f"{total} file{'s' if total != 1 else ''}")
        row = self.model.row_of(current) if current else -1
        self.view.setCurrentIndex(self.model.index(max(row, 0), 0))
        if not total:
            self._show_current(QModelIndex())

    def current_key(self) -> str | None:
        index = self.view.currentIndex()
        return self.model.asset(index.row()).key if index.isValid() else None

    def current_asset(self) -> MediaAsset | None:
        index = self.view.currentIndex()
        return self.model.asset(index.row()) if index.isValid() else None

    def _show_current(self, index: Index) -> None:
        asset = self.model.asset(index.row()) if index.isValid() else None
        for button in (self.insert_button, self.replace_button, self.remove_button,
                       self.save_words_button):  # fmt: skip
            button.setEnabled(asset is not None)
        self.problem.say("")
        for edit, value in ((self.caption, asset.caption if asset else ""),
                            (self.credit, asset.credit if asset else ""),
                            (self.alt, asset.alt if asset else ""),
                            (self.copyright, asset.copyright if asset else "")):  # fmt: skip
            edit.setText(value)
            edit.setCursorPosition(0)
            edit.setEnabled(asset is not None)
        if asset is None:
            self.preview.clear()
            self.about.setText("No media yet. Add pictures from the story's Media tab, or "
                               "drop them onto the body.")  # fmt: skip
            self.used_in.clear()
            self.warning.say("")
            return
        self._show_preview(asset)
        self.about.setText(describe(asset))
        self.alt.setEnabled(asset.kind == MediaKind.IMAGE)
        use = self.model.use(asset.key)
        stories = [headline or uri for uri, headline in use.articles]
        self.used_in.setText("\n".join(stories) if stories else _use_words(use))
        found = problems(asset)
        self.warning.say(
            ("Not ready to publish unless a story adds its own: " + "; ".join(found) + ".")
            if found
            else ""
        )
        self.insert_button.setEnabled(asset.kind == MediaKind.IMAGE)
        self.remove_button.setEnabled(not use.articles)
        self.remove_button.setToolTip(
            "Stories still use it: take it out of them first." if use.articles else ""
        )

    def _show_preview(self, asset: MediaAsset) -> None:
        image = self.tools.thumbnails.image(asset) if asset.kind == MediaKind.IMAGE else None
        if image is None:
            self.preview.setPixmap(icon(asset.kind.value).pixmap(64, 64))
            return
        self.preview.setPixmap(
            QPixmap.fromImage(image).scaled(
                self.preview.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    # -- actions --------------------------------------------------------------------

    def save_words(self) -> MediaAsset | None:
        """Keep the words typed for the current file (stories placing it later take them)."""
        asset = self.current_asset()
        if asset is None:
            return None
        changed = dataclasses.replace(
            asset,
            caption=self.caption.text().strip(),
            credit=self.credit.text().strip(),
            alt=self.alt.text().strip(),
            copyright=self.copyright.text().strip(),
        )
        store, done = self.tools.store, list[MediaAsset]()

        def saved(asset: MediaAsset) -> None:
            done.append(asset)
            self.refresh(select=asset.key)
            self.media_changed.emit(asset.key)

        self.calls.run(
            f"words-{asset.key}", f"Saving the words for {asset.filename}",
            lambda: store.update_media(changed), saved, failed=self.problem.say,
        )  # fmt: skip
        return done[0] if done else None  # at once from a store that answers quickly

    def insert_current(self) -> None:
        asset = self.current_asset()
        if asset is not None and asset.kind == MediaKind.IMAGE:
            self.insert_requested.emit(asset)

    def choose_replacement(self) -> None:
        asset = self.current_asset()
        if asset is None:
            return
        pattern = IMAGE_FILTER if asset.kind == MediaKind.IMAGE else AUDIO_FILTER
        path, _ = QFileDialog.getOpenFileName(self, f"Replace {asset.filename}", "", pattern)
        if path:
            self.replace_with(asset.key, path)

    def replace_with(self, key: str, path: str) -> None:
        """Put the file at ``path`` under ``key`` (off the GUI thread)."""
        self.problem.say("")
        self.replace_button.setEnabled(False)
        task = self.tools.adder.replace_file(key, path)
        task.finished.connect(self._replaced)
        task.failed.connect(self._replace_failed)
        self.task = task

    def _replaced(self, asset: MediaAsset) -> None:
        self.refresh(select=asset.key)
        self.media_changed.emit(asset.key)

    def _replace_failed(self, message: str) -> None:
        self.replace_button.setEnabled(True)
        self.problem.say(message)

    def remove_current(self) -> None:
        asset = self.current_asset()
        if asset is None:
            return
        use = self.model.use(asset.key)
        if use.articles:
            self.problem.say(
                f"{asset.filename} is used in {len(use.articles)} story(ies): take it out of "
                "them before removing it."
            )
            return
        force = False
        if use.revisions:
            answer = QMessageBox.warning(
                self,
                "Remove from the history too?",
                f"No story uses {asset.filename} now, but {use.revisions} revision(s) in the "
                "history still show it. Restoring one of them would bring back a missing "
                "picture.\n\nRemove it anyway?",
                QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Discard,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
            force = True
        self.remove(asset.key, force=force)

    def remove(self, key: str, *, force: bool = False) -> bool:
        """Remove ``key`` from the store (off the GUI thread); True once removed."""
        store, done = self.tools.store, list[str]()

        def removed(_none: object) -> None:
            done.append(key)
            self.refresh()
            self.media_changed.emit(key)

        self.calls.run(
            f"remove-{key}", "Removing the file", lambda: store.delete_media(key, force=force),
            removed, failed=self.problem.say,
        )  # fmt: skip
        return bool(done)
