"""The library: every article in the store as a paged table, with search, filters, sort."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from newsdesk.core.models import ArticleSummary, Status
from newsdesk.core.ports import ArticleQuery, ArticleStore, SortKey
from newsdesk.ui.background.store_worker import GRACE_S, StoreLane
from newsdesk.ui.icons import icon

Index = QModelIndex | QPersistentModelIndex
URI_ROLE = Qt.ItemDataRole.UserRole + 1
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True, slots=True)
class Listing:
    """The first page of the library (or the search's matches), read off the GUI thread."""

    rows: list[ArticleSummary]
    total: int
    exhausted: bool


def read_listing(store: ArticleStore, query: ArticleQuery, search: str, limit: int) -> Listing:
    """The store calls behind one look at the library (made on the library's lane)."""
    if search:
        rows = [hit.summary for hit in store.search(search, limit=limit, query=query)]
        return Listing(rows, len(rows), exhausted=True)
    rows = store.list_page(query)
    return Listing(rows, store.count(query), exhausted=len(rows) < (query.limit or 0))


class ArticleTableModel(QAbstractTableModel):
    """Rows of :class:`ArticleSummary`, fetched from the store a page at a time.

    With search text the rows are the store's ranked matches (best first); without it,
    the filtered library in the chosen order. Fast on 100,000 articles: only the pages
    the view scrolls to are ever read.

    The store is read on a lane of its own (:class:`StoreLane`): a listing waits for the
    store at most :attr:`GRACE_S` on the GUI thread (none while the store is already slow),
    then arrives when it comes (:attr:`loaded`); the rows shown stay until then.
    """

    loaded = Signal()
    """A new listing replaced the rows (after :meth:`refresh`)."""
    failed = Signal(str)
    """The store could not be read; the rows shown are the previous ones."""

    COLUMNS: tuple[tuple[str, SortKey], ...] = (
        ("Headline", SortKey.HEADLINE),
        ("Status", SortKey.STATUS),
        ("Section", SortKey.SECTION),
        ("Byline", SortKey.BYLINE),
        ("Updated", SortKey.UPDATED),
    )
    PAGE_SIZE = 100
    SEARCH_LIMIT = 200
    GRACE_S = GRACE_S
    """How long a listing may hold the window: a healthy store answers well within it."""
    FIRST_WAIT_S = 5.0
    """The first listing, as the window opens, is waited for (its errors are the store's)."""

    def __init__(
        self, store: ArticleStore, parent: QWidget | None = None, *, lane: StoreLane | None = None
    ) -> None:
        super().__init__(parent)
        self._store = store
        self.lane = lane or StoreLane("library", self)
        self._rows: list[ArticleSummary] = []
        self._query = ArticleQuery(limit=self.PAGE_SIZE)
        self._search = ""
        self._exhausted = True
        self._total = 0
        self._generation = 0  # counts listings asked for: an older answer is dropped
        self._loading = False
        self._fetching = False
        self._first = True

    # -- what to show ---------------------------------------------------------------

    @property
    def query(self) -> ArticleQuery:
        return self._query

    @property
    def search_text(self) -> str:
        return self._search

    @property
    def loading(self) -> bool:
        """A listing was asked for and has not arrived yet."""
        return self._loading

    def set_filters(self, query: ArticleQuery, search: str = "") -> None:
        self._query = dataclasses.replace(query, offset=0, limit=self.PAGE_SIZE)
        self._search = search.strip()
        self.refresh()

    def refresh(self) -> None:
        """Read the first page again (after a save, a filter change, an import)."""
        self._generation += 1
        self._loading, self._fetching = True, False
        generation, store, query, search = self._generation, self._store, self._query, self._search
        first_errors: list[BaseException] = []

        def listed(value: object, error: BaseException | None) -> None:
            if error is not None and self._first:
                first_errors.append(error)
            self._listed(generation, value, error)

        self.lane.submit(
            lambda: read_listing(store, query, search, self.SEARCH_LIMIT), listed, key="listing"
        )
        if self._first:
            self._first = False
            self.lane.wait(self.FIRST_WAIT_S)
            if first_errors:
                raise first_errors[0]  # a damaged store is found as the window opens
        else:
            self.wait_briefly()

    def wait_briefly(self) -> None:
        """Let a healthy store's answer in now (no flicker); a slow store is not waited for."""
        if not self.lane.slow:
            self.lane.wait(self.GRACE_S)

    def _listed(self, generation: int, value: object, error: BaseException | None) -> None:
        if generation != self._generation:
            return  # a newer listing was asked for meanwhile
        self._loading = False
        if error is not None or not isinstance(value, Listing):
            self.failed.emit(str(error))
            return
        self.beginResetModel()
        self._rows, self._total, self._exhausted = value.rows, value.total, value.exhausted
        self.endResetModel()
        self.loaded.emit()

    def total(self) -> int:
        """How many articles match (search: how many are shown)."""
        return self._total  # a search's listing counts the matches it shows

    # -- Qt model interface ---------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.headline}\n{row.word_count:,} words · {', '.join(row.tags)}"
        if role == URI_ROLE:
            return row.uri
        if role == SUMMARY_ROLE:
            return row
        if (
            role == Qt.ItemDataRole.FontRole
            and column == 0
            and row.status
            in {
                Status.WITHDRAWN,
                Status.ARCHIVED,
            }
        ):
            font = QFont()
            font.setItalic(True)
            return font
        return None

    @staticmethod
    def _display(row: ArticleSummary, column: int) -> str:
        if column == 0:
            return row.headline or "(no headline)"
        if column == 1:
            return row.status.label
        if column == 2:
            return row.section
        if column == 3:
            return row.byline
        return _relative_time(row.updated_at)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.COLUMNS[section][0]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not (self._exhausted or self._fetching or self._loading)

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        generation, store = self._generation, self._store
        # Keyset paging: the next page starts after the last row shown (the offset is the
        # store's fallback when that story went meanwhile): deep pages cost what the first does.
        last = self._rows[-1].id if self._rows else None
        query = dataclasses.replace(self._query, offset=len(self._rows), after=last)
        self.lane.submit(
            lambda: store.list_page(query),
            lambda value, error: self._paged(generation, value, error),
            key="page",
        )
        self.wait_briefly()

    def _paged(self, generation: int, page: object, error: BaseException | None) -> None:
        if generation != self._generation:
            return
        self._fetching = False
        if error is not None or not isinstance(page, list):
            self.failed.emit(str(error))
            return  # the view asks again as it scrolls
        self._exhausted = len(page) < self.PAGE_SIZE
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            return
        key = self.COLUMNS[column][1]
        self._query = dataclasses.replace(
            self._query, sort=key, descending=order == Qt.SortOrder.DescendingOrder
        )
        if not self._search:
            self.refresh()

    # -- rows -----------------------------------------------------------------------

    def summary(self, row: int) -> ArticleSummary:
        return self._rows[row]

    def row_of(self, uri: str) -> int:
        for number, summary in enumerate(self._rows):
            if summary.uri == uri:
                return number
        return -1

    def update_summary(self, summary: ArticleSummary) -> None:
        """Show a saved article's new headline, status... without re-reading the page."""
        row = self.row_of(summary.uri)
        if row < 0:
            return
        self._rows[row] = summary
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))


def _relative_time(when: datetime) -> str:
    now = datetime.now(UTC)
    seconds = (now - when).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    local = when.astimezone()
    if local.date() == now.astimezone().date():
        return local.strftime("%H:%M")
    if local.year == now.year:
        return local.strftime("%d %b %H:%M").lstrip("0")
    return local.strftime("%d %b %Y")


class LibraryPanel(QWidget):
    """Search box, filters, the table and the article actions."""

    article_selected = Signal(str)
    """The user picked an article (its uri)."""
    new_requested = Signal()
    """The user asked for a blank article."""
    duplicate_requested = Signal(str)
    """The user asked for a copy of the article with this uri."""
    archive_requested = Signal(str)
    """The user asked to archive the article with this uri."""
    history_requested = Signal(str)
    """The user asked for the history of the article with this uri."""
    export_requested = Signal(list)
    """The user asked to hand off these stories (a list of :class:`ArticleSummary`)."""

    def __init__(self, store: ArticleStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.model = ArticleTableModel(store, self)
        self._reselect: str | None = None  # to select again once the listing arrives

        self.search = QLineEdit(placeholderText="Search headlines, text and tags")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.status_filter = _combo("Status filter")
        self.status_filter.addItem("All statuses", None)
        for status in Status:
            self.status_filter.addItem(status.label, status.value)
        self.section_filter = _combo("Section filter")
        self.tag_filter = _combo("Tag filter")
        self.reload_choices()

        self.table = self._make_table()
        self.count_label = QLabel()
        self.count_label.setObjectName("libraryCount")

        self.new_button = _tool_button("new", "New article (Ctrl+N)", self.new_requested.emit)
        self.duplicate_button = _tool_button("duplicate", "Duplicate", self._duplicate)
        self.archive_button = _tool_button(
            "archive", "Archive (Ctrl+Shift+Z brings it back)", self._archive
        )

        filters = QHBoxLayout()
        filters.addWidget(self.status_filter)
        filters.addWidget(self.section_filter)
        filters.addWidget(self.tag_filter)
        actions = QHBoxLayout()
        actions.addWidget(self.count_label, 1)
        for button in (self.new_button, self.duplicate_button, self.archive_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)

        self._debounce = QTimer(self, singleShot=True, interval=180)
        self._debounce.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._debounce.start)
        for combo in (self.status_filter, self.section_filter, self.tag_filter):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(self._read_failed)
        self.model.lane.slow_changed.connect(self._slow)
        self.apply_filters()

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows at once for "Export selected"; the current row is the one edited.
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setSortingEnabled(True)
        table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
        table.verticalHeader().hide()
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 84), (2, 86), (3, 120), (4, 92)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        # Section and byline make a narrow library unreadable: offered, not shown, by default.
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._show_row_menu)
        for column in (2, 3):
            table.setColumnHidden(column, True)
        return table

    def reload_choices(self) -> None:
        """Refill the section and tag filters from the store, keeping the current choice."""
        store = self._store
        self.model.lane.submit(
            lambda: (store.sections(), store.tags()), self._fill_choices, key="choices"
        )
        self.model.wait_briefly()

    def _fill_choices(self, answer: object, error: BaseException | None) -> None:
        if error is not None or not isinstance(answer, tuple):
            return  # the filters keep their choices; the next refresh tries again
        sections: list[str] = answer[0]
        tags: list[str] = answer[1]
        for combo, label, values in (
            (self.section_filter, "All sections", sections),
            (self.tag_filter, "All tags", tags),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(label, None)
            for value in values:
                combo.addItem(value, value)
            found = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(0, found))
            combo.blockSignals(False)

    def current_query(self) -> ArticleQuery:
        status = self.status_filter.currentData()
        return dataclasses.replace(
            self.model.query,
            statuses=frozenset({Status(status)}) if status else frozenset(),
            section=self.section_filter.currentData(),
            tag=self.tag_filter.currentData(),
        )

    def apply_filters(self) -> None:
        """Show the library as filtered now (the rows arrive from the store's lane)."""
        self._reselect = self.selected_uri() or self._reselect
        self.model.set_filters(self.current_query(), self.search.text())

    def _loaded(self) -> None:
        total = self.model.total()
        if self.model.search_text:
            self.count_label.setText(f"{total:,} {'match' if total == 1 else 'matches'}")
        else:
            self.count_label.setText(f"{total:,} {'article' if total == 1 else 'articles'}")
        self.count_label.setToolTip("")
        uri, self._reselect = self._reselect, None
        if uri:
            self.select(uri, emit=False)

    def _read_failed(self, message: str) -> None:
        self.count_label.setText("The library could not be read")
        self.count_label.setToolTip(
            f"{message}\nThe list shows what it had; it is read again "
            "with the next search or filter."
        )

    def _slow(self, slow: bool) -> None:
        if slow and self.model.loading:
            self.count_label.setText("Waiting for the store…")
            self.count_label.setToolTip(
                "The store is not answering yet: the list shows what it had meanwhile."
            )

    def refresh(self) -> None:
        self._reselect = self.selected_uri() or self._reselect
        self.reload_choices()
        self.apply_filters()

    def selected_uri(self) -> str | None:
        index = self.table.currentIndex()
        return str(self.model.data(index, URI_ROLE)) if index.isValid() else None

    def selected_summaries(self) -> list[ArticleSummary]:
        """The selected rows, in the library's order."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.summary(row) for row in rows]

    def select(self, uri: str, *, emit: bool = True) -> None:
        if self.model.loading:
            self._reselect = uri  # and again in the listing on its way
        row = self.model.row_of(uri)
        if row < 0:
            return
        if not emit:
            self.table.selectionModel().blockSignals(True)
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))
        if not emit:
            self.table.selectionModel().blockSignals(False)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.article_selected.emit(str(self.model.data(current, URI_ROLE)))

    def _column_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        for column, (title, _key) in enumerate(self.model.COLUMNS[1:], start=1):
            action = menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.toggled.connect(
                lambda shown, column=column: self.table.setColumnHidden(column, not shown)
            )
        menu.exec(self.table.horizontalHeader().mapToGlobal(position))

    def row_menu(self, row: int) -> QMenu:
        """The actions on the article in ``row`` (the table's context menu)."""
        uri = str(self.model.data(self.model.index(row, 0), URI_ROLE))
        menu = QMenu(self)
        for text, icon_name, signal in (
            ("History…", "history", self.history_requested),
            ("Duplicate", "duplicate", self.duplicate_requested),
            ("Archive", "archive", self.archive_requested),
        ):
            action = menu.addAction(icon(icon_name), text)
            action.triggered.connect(lambda _=False, signal=signal: signal.emit(uri))
        menu.addSeparator()
        selected = self.selected_summaries()
        if len(selected) < 2 or uri not in {summary.uri for summary in selected}:
            selected = [self.model.summary(row)]  # the row under the mouse alone
        text = (
            "Export this story…"
            if len(selected) == 1
            else f"Export {len(selected)} selected stories…"
        )
        action = menu.addAction(icon("export"), text)
        action.triggered.connect(lambda _=False: self.export_requested.emit(selected))
        return menu

    def _show_row_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        if index.isValid():
            self.row_menu(index.row()).exec(self.table.viewport().mapToGlobal(position))

    def hidden_columns(self) -> list[int]:
        return [c for c in range(self.model.columnCount()) if self.table.isColumnHidden(c)]

    def set_hidden_columns(self, columns: list[int]) -> None:
        for column in range(1, self.model.columnCount()):
            self.table.setColumnHidden(column, column in columns)

    def _duplicate(self) -> None:
        uri = self.selected_uri()
        if uri:
            self.duplicate_requested.emit(uri)

    def _archive(self) -> None:
        uri = self.selected_uri()
        if uri:
            self.archive_requested.emit(uri)


def _tool_button(icon_name: str, tip: str, slot: object) -> QToolButton:
    button = QToolButton()
    button.setIcon(icon(icon_name))
    button.setToolTip(tip)
    button.setAccessibleName(tip.split(" (", maxsplit=1)[0])
    button.setAutoRaise(True)
    button.clicked.connect(slot)
    return button


def _combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    return combo
