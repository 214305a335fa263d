"""An article's history: its revisions, what changed between them, and restore."""

from __future__ import annotations

import html
from datetime import datetime, timedelta

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from newsdesk.core.errors import ConflictError
from newsdesk.core.history import AUTOSAVE, restore, revision_time
from newsdesk.core.models import Article, Revision
from newsdesk.core.ports import ArticleStore
from newsdesk.ui.background.store_worker import (
    GRACE_S,
    alive,
    not_answering,
    reads_lane,
    writes_lane,
)
from newsdesk.ui.dialogs.diff_html import article_diff_html
from newsdesk.ui.icons import icon
from newsdesk.ui.palette import tone

Index = QModelIndex | QPersistentModelIndex
REASONS = {
    AUTOSAVE: "Autosave",
    "manual": "Saved (Ctrl+S)",
    "status": "Status changed",
    "export": "Exported",
    "conflict: my version": "Conflict: text that lost",
    "conflict: their version": "Conflict: other version",
    "conflict: kept mine": "Conflict: kept this text",
}
CURRENT = -1  # the "compare with" entry for the text in the editor


def reason_label(revision: Revision) -> str:
    """What a journalist reads for why a revision was taken."""
    if revision.reason == "status":
        status = str(revision.snapshot.get("status", "")).replace("_", " ").capitalize()
        return f"Status: {status}" if status else "Status changed"
    if revision.reason.startswith("restored revision"):
        return revision.reason.capitalize()
    return REASONS.get(revision.reason, revision.reason.capitalize())


def time_label(when: datetime, now: datetime | None = None) -> str:
    """Today 14:32, Yesterday 09:10, Mon 23 Nov 14:32, or 23 Nov 2025 14:32."""
    local = when.astimezone()
    today = (now or datetime.now(local.tzinfo)).astimezone().date()
    if local.date() == today:
        return f"Today {local:%H:%M}"
    if local.date() == today - timedelta(days=1):
        return f"Yesterday {local:%H:%M}"
    if local.year == today.year:
        return local.strftime("%a %d %b %H:%M")
    return local.strftime("%d %b %Y %H:%M")


class RevisionListModel(QAbstractTableModel):
    """The revisions of one article, newest first."""

    COLUMNS = ("No.", "Time", "Reason", "Words")
    RevisionRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Revision] = []

    def set_revisions(self, revisions: list[Revision]) -> None:
        self.beginResetModel()
        self._rows = sorted(revisions, key=lambda r: r.number, reverse=True)
        self.endResetModel()

    def revision(self, row: int) -> Revision:
        return self._rows[row]

    def row_of(self, number: int) -> int:
        for row, revision in enumerate(self._rows):
            if revision.number == number:
                return row
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        revision = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                str(revision.number),
                time_label(revision_time(revision)),
                reason_label(revision),
                f"{revision.word_count:,}",
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            when = revision_time(revision).astimezone()
            return f"Revision {revision.number}, {when:%A %d %B %Y, %H:%M:%S}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.RevisionRole:
            return revision
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class HistoryDialog(QDialog):
    """The revisions of an article, a word-by-word comparison, and restore.

    The revisions are read off the GUI thread (:func:`reads_lane`): a healthy store's
    answer within :attr:`GRACE_S` is shown at once; a slow store leaves the dialog (and the
    window behind it) answering, and says so.
    """

    restored = Signal(object)
    """A revision was restored: carries the stored :class:`Article` now to show."""

    GRACE_S = GRACE_S

    def __init__(
        self, store: ArticleStore, current: Article, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._store = store
        self.current = current
        self.lane = reads_lane()
        self.lane.slow_changed.connect(self._slow)
        self._reads = 0  # counts the reads asked for: only the last one's answer is shown
        self._answered = 0  # the read whose answer came last
        self._restoring = 0  # the revision being restored, its answer not in yet (0: none)
        writes_lane().slow_changed.connect(self._say_restoring)
        self.setWindowTitle(f"History — {current.headline or 'Untitled article'}")
        self.resize(1180, 720)

        self.model = RevisionListModel(self)
        self.table = self._make_table()
        self.compare_with = QComboBox()
        self.compare_with.setAccessibleName("Compare with")
        self.diff = QTextBrowser()
        self.diff.setOpenLinks(False)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.restore_button = QPushButton(icon("undo"), "Restore this revision")
        self.restore_button.setToolTip(
            "Bring back this revision's text, details and links as a new revision; the "
            "status stays as it is and nothing is deleted from the history"
        )
        self.restore_button.setEnabled(False)
        self.message = QLabel()
        self.message.setWordWrap(True)

        compare_row = QHBoxLayout()
        compare_row.addWidget(QLabel("Compare with"))
        compare_row.addWidget(self.compare_with, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(compare_row)
        right_layout.addWidget(self.summary)
        right_layout.addWidget(self.diff, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([380, 800])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

        self.table.selectionModel().currentRowChanged.connect(self._show_selected)
        self.compare_with.currentIndexChanged.connect(self._show_selected)
        self.restore_button.clicked.connect(self.restore_selected)
        self.reload()

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column in (0, 1, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        return table

    # -- the list -----------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        """The revisions asked for have not come from the store yet."""
        return self._answered != self._reads

    def reload(self, *, newest: bool = False) -> None:
        """Read the revisions again (``newest``: the article's stored version first)."""
        self._reads += 1
        read, store, uri = self._reads, self._store, self.current.uri

        def fetch() -> tuple[Article | None, list[Revision]]:
            return (store.get(uri) if newest else None), store.revisions(uri)

        self.lane.submit(
            fetch, lambda value, error: self._read(read, value, error), key=f"history-{id(self)}"
        )
        if not self.lane.slow:  # a store already slow is not waited for at all
            self.lane.wait(self.GRACE_S)
        if self.loading:
            self.restore_button.setEnabled(False)
            self.summary.setText("Reading the history…")

    def _read(self, read: int, value: object, error: BaseException | None) -> None:
        """The store's answer (GUI thread); one about an older read is dropped."""
        if not alive(self) or read != self._reads:
            return  # the dialog is gone, or a newer read is on its way
        self._answered = read
        if error is not None or not isinstance(value, tuple):
            self._say(f"The history cannot be read: {error}", error=True)
            self._show_revisions([])
            return
        article, revisions = value
        if article is not None:
            self.current = article
        if self.message.text().startswith("The store is not answering"):
            self._say("")
        self._show_revisions(revisions)

    def _slow(self, slow: bool) -> None:
        if slow and self.loading:
            self._say(
                "The store is not answering yet: the history shows as soon as it does. "
                "Close this window to go back to writing meanwhile.",
            )

    def _show_revisions(self, revisions: list[Revision]) -> None:
        self.model.set_revisions(revisions)
        self.summary.clear()
        self.compare_with.blockSignals(True)
        self.compare_with.clear()
        self.compare_with.addItem("The text in the editor now", CURRENT)
        for row in range(self.model.rowCount()):
            revision = self.model.revision(row)
            when = time_label(revision_time(revision))
            self.compare_with.addItem(
                f"Revision {revision.number} · {when} · {reason_label(revision)}",
                revision.number,
            )
        self.compare_with.blockSignals(False)
        if revisions:
            self.table.selectRow(0)
        else:
            self.summary.setText(
                "No revisions yet: one is recorded as you type, on Ctrl+S, on each status "
                "change and on each export."
            )

    def selected(self) -> Revision | None:
        index = self.table.currentIndex()
        return self.model.revision(index.row()) if index.isValid() else None

    def select_number(self, number: int) -> None:
        row = self.model.row_of(number)
        if row >= 0:
            self.table.selectRow(row)

    def compare_to(self, number: int | None) -> None:
        """Compare the selected revision with revision ``number`` (None: the editor's text)."""
        self.compare_with.setCurrentIndex(
            max(0, self.compare_with.findData(CURRENT if number is None else number))
        )

    # -- the comparison -----------------------------------------------------------------

    def _show_selected(self) -> None:
        revision = self.selected()
        self.restore_button.setEnabled(revision is not None and not self._restoring)
        if revision is None:
            self.diff.clear()
            return
        this = f"Revision {revision.number}"
        other_number = self.compare_with.currentData()
        other = None if other_number in (None, CURRENT) else self._revision(other_number)
        if other is None:
            old, new = revision.article(), self.current
            old_label, new_label = this, "The text now"
        elif other.number < revision.number:
            old, new = other.article(), revision.article()
            old_label, new_label = f"Revision {other.number}", this
        else:
            old, new = revision.article(), other.article()
            old_label, new_label = this, f"Revision {other.number}"
        when = revision_time(revision).astimezone()
        self.summary.setText(
            f"<b>{html.escape(this)}</b>: {html.escape(reason_label(revision))}, "
            f"{when:%A %d %B %Y at %H:%M}, {revision.word_count:,} words."
        )
        if other is not None and other.number == revision.number:
            self.diff.setHtml("<p>Choose another revision to compare with.</p>")
            return
        self.diff.setHtml(article_diff_html(old, new, old_label, new_label))

    def _revision(self, number: int) -> Revision | None:
        row = self.model.row_of(number)
        return self.model.revision(row) if row >= 0 else None

    # -- restore ------------------------------------------------------------------------

    def restore_selected(self) -> Article | None:
        """Restore the selected revision as a new one; the dialog then closes.

        Written on :func:`writes_lane` (after the editor's saves): a healthy store's answer
        within :attr:`GRACE_S` closes the dialog at once, and the stored article is
        returned; a slow store leaves the dialog answering (the button off, the message
        saying why) until it answers.
        """
        revision = self.selected()
        if revision is None or self._restoring:
            return None
        store, uri, number = self._store, self.current.uri, revision.number
        self._restoring = number
        self.restore_button.setEnabled(False)
        done: list[Article] = []
        lane = writes_lane()
        lane.submit(
            lambda: restore(store, uri, number)[1],
            lambda value, error: self._restored(number, value, error, done),
        )
        if not lane.slow:
            lane.wait(self.GRACE_S)
        self._say_restoring(lane.slow)
        return done[0] if done else None

    def _say_restoring(self, slow: bool) -> None:
        number = self._restoring
        if not number or not alive(self):
            return
        who = not_answering(self._store)
        self._say(
            f"Restoring revision {number}: {who}. It is restored as soon as it answers."
            if slow
            else f"Restoring revision {number}…"
        )

    def _restored(
        self, number: int, value: object, error: BaseException | None, done: list[Article]
    ) -> None:
        """The store's answer to a restore (GUI thread)."""
        if not alive(self):
            return  # closed meanwhile: the restore is in the history, shown when reopened
        self._restoring = 0
        self._say("")
        self.restore_button.setEnabled(self.selected() is not None)
        if isinstance(error, ConflictError):
            self._say(
                "The article was saved elsewhere a moment ago; the list now shows its "
                "newest revisions. Choose again.",
                error=True,
            )
            self.reload(newest=True)
            return
        if error is not None or not isinstance(value, Article):
            self._say(f"Revision {number} was not restored: {error}", error=True)
            return
        done.append(value)
        self.current = value
        self.restored.emit(value)
        self.accept()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(f"color: {tone('error').name()};" if error else "")
        self.message.setText(text)
