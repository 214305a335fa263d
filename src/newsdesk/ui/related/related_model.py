"""The item models of the related-links panel: the article's list, and the suggestions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from newsdesk.core.models import Article, PublicationProfile, RelatedLink, RelationKind
from newsdesk.core.related.duplicates import Duplicate, find_duplicates
from newsdesk.core.related.health import HealthState, target_health
from newsdesk.core.related.links import default_title
from newsdesk.core.related.pasted import has_links
from newsdesk.core.related.suggest import Suggestion
from newsdesk.publish.related import resolve_related
from newsdesk.ui.icons import icon

ROWS_MIME = "application/x-newsdesk-related-row"
STAND_IN_TITLE = "title made from the address: give it the page's headline (F2)"
RELATION_LABELS = {
    RelationKind.RELATED: "related",
    RelationKind.BACKGROUND: "background",
    RelationKind.FOLLOW_UP: "follow-up",
}

Index = QModelIndex | QPersistentModelIndex


class Severity(IntEnum):
    OK = 0
    NOTE = 1
    """Not on the page, and that is expected (over the cap, not yet published)."""
    WARNING = 2
    """Something to fix: a duplicate, a withdrawn or deleted target, a broken page."""


class Role(IntEnum):
    LINK = Qt.ItemDataRole.UserRole + 1
    SUBTITLE = Qt.ItemDataRole.UserRole + 2
    PROBLEM = Qt.ItemDataRole.UserRole + 3
    SEVERITY = Qt.ItemDataRole.UserRole + 4
    PUBLISHED = Qt.ItemDataRole.UserRole + 5


@dataclass(frozen=True, slots=True)
class RowState:
    """What the panel says about one entry, beyond the link itself."""

    published: bool
    problem: str = ""
    severity: Severity = Severity.OK


def describe_rows(
    article: Article,
    links: Sequence[RelatedLink],
    targets: Mapping[str, Article],
    cap: int,
    health: Mapping[str, str] | None = None,
) -> tuple[list[RowState], list[Duplicate]]:
    """Each entry's state, from the same resolution the published page uses."""
    candidate = replace(article, related=tuple(links))
    resolved = resolve_related(candidate, targets, PublicationProfile(related_cap=cap))
    shown_uris = {r.target_uri for r in resolved if r.target_uri}
    shown_urls = {r.url for r in resolved if not r.target_uri}
    duplicates = find_duplicates(links, targets)
    repeat = {d.index: d for d in duplicates}
    health = health or {}
    states: list[RowState] = []
    shown_so_far: set[str] = set()
    for index, link in enumerate(links):
        key = link.target_uri or link.url or ""
        published = key not in shown_so_far and (
            link.target_uri in shown_uris if link.target_uri else link.url in shown_urls
        )
        if published:
            shown_so_far.add(key)
        states.append(
            _state(
                index,
                link,
                published=published,
                targets=targets,
                repeat=repeat,
                health=health,
                cap=cap,
                own_uri=article.uri,
            )
        )
    return states, duplicates


def _state(
    index: int,
    link: RelatedLink,
    *,
    published: bool,
    targets: Mapping[str, Article],
    repeat: Mapping[int, Duplicate],
    health: Mapping[str, str],
    cap: int,
    own_uri: str,
) -> RowState:
    if index in repeat:
        original = repeat[index]
        return RowState(
            False, f"{original.kind.value} as #{original.original + 1}: merge", Severity.WARNING
        )
    if link.target_uri:
        state, message = target_health(link, targets.get(link.target_uri), own_uri)
        if state != HealthState.OK:
            severity = Severity.WARNING if state.is_problem else Severity.NOTE
            return RowState(False, message, severity)
    problem = health.get(link.url or "", "") if link.url else ""
    if problem:
        return RowState(published, problem, Severity.WARNING)
    if not published:
        return RowState(False, f"over the cap of {cap}: not shown", Severity.NOTE)
    if link.url and link.title == default_title(link.url):
        return RowState(True, STAND_IN_TITLE, Severity.NOTE)
    return RowState(True)


class RelatedListModel(QAbstractListModel):
    """The ordered related links of one article, with what the page will make of each.

    The model never changes its own list: drops and edits are requests (signals) that the
    panel turns into undoable changes, which then come back through :meth:`set_links`.
    """

    move_requested = Signal(int, int)
    """Drag and drop asked to move the entry at the first row to before the second."""
    urls_dropped = Signal(list, int)
    """Addresses were dropped from elsewhere (a browser): the texts and the row."""
    html_dropped = Signal(str, int)
    """Links were dropped as HTML (titled by their text): the HTML and the row."""
    title_edited = Signal(int, str)
    """The title of the entry at the row was edited in place."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.links: list[RelatedLink] = []
        self.states: list[RowState] = []
        self.duplicates: list[Duplicate] = []
        self.targets: dict[str, Article] = {}

    def set_links(
        self,
        article: Article,
        links: Sequence[RelatedLink],
        targets: Mapping[str, Article],
        cap: int,
        health: Mapping[str, str] | None = None,
    ) -> None:
        states, duplicates = describe_rows(article, links, targets, cap, health)
        self.set_described(links, targets, states, duplicates)

    def set_described(
        self,
        links: Sequence[RelatedLink],
        targets: Mapping[str, Article],
        states: Sequence[RowState],
        duplicates: Sequence[Duplicate],
    ) -> None:
        """The links with their states worked out already (elsewhere: off the GUI thread)."""
        self.beginResetModel()
        self.links = list(links)
        self.targets = dict(targets)
        self.states, self.duplicates = list(states), list(duplicates)
        self.endResetModel()

    def set_checking(self, links: Sequence[RelatedLink]) -> None:
        """The links as they are, while their states are being worked out."""
        checking = RowState(False, "checking…", Severity.NOTE)
        self.set_described(links, {}, [checking] * len(links), [])

    @property
    def published_count(self) -> int:
        return sum(state.published for state in self.states)

    # -- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.links)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.links):
            return None
        link, state = self.links[index.row()], self.states[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._title(link)
        if role == Qt.ItemDataRole.ToolTipRole:
            where = link.url or f"article in the archive ({self._subtitle(link)})"
            return f"{self._title(link)}\n{where}" + (f"\n{state.problem}" if state.problem else "")
        if role == Qt.ItemDataRole.DecorationRole:
            if state.severity == Severity.WARNING:
                return icon("warning")
            return icon("external" if link.url else "article")
        if role == Role.LINK:
            return link
        if role == Role.SUBTITLE:
            return f"#{index.row() + 1} · {self._subtitle(link)}"
        if role == Role.PROBLEM:
            return state.problem
        if role == Role.SEVERITY:
            return int(state.severity)
        if role == Role.PUBLISHED:
            return state.published
        return None

    def _title(self, link: RelatedLink) -> str:
        target = self.targets.get(link.target_uri or "")
        return (target.headline if target else "") or link.title or "(untitled)"

    def _subtitle(self, link: RelatedLink) -> str:
        parts = []
        if link.url:
            parts.append(urlsplit(link.url).netloc.removeprefix("www."))
        else:
            target = self.targets.get(link.target_uri or "")
            parts.append(target.section or "archive" if target else "archive")
        if link.relation != RelationKind.RELATED:
            parts.append(RELATION_LABELS[link.relation])
        if link.pinned:
            parts.append("pinned")
        return " · ".join(parts)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        title = " ".join(str(value).split())
        if not title or title == self._title(self.links[index.row()]):
            return False
        self.title_edited.emit(index.row(), title)
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base
        flags = base | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        flags |= Qt.ItemFlag.ItemIsDragEnabled
        if self.links[index.row()].url:
            flags |= Qt.ItemFlag.ItemIsEditable  # a stored article's title is its headline
        return flags

    # -- drag and drop -------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        return [ROWS_MIME, "text/uri-list", "text/html", "text/plain"]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        if rows:
            data.setData(ROWS_MIME, QByteArray(str(rows[0]).encode()))
            link = self.links[rows[0]]
            data.setText(link.url or self._title(link))
        return data

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return data.hasFormat(ROWS_MIME) or data.hasUrls() or data.hasText() or data.hasHtml()

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if row < 0:
            row = parent.row() if parent.isValid() else len(self.links)
        if data.hasFormat(ROWS_MIME):
            source = int(bytes(data.data(ROWS_MIME).data()).decode() or -1)
            if 0 <= source < len(self.links):
                self.move_requested.emit(source, row)
            return False  # the panel moved it; the view must not remove the dragged row
        if data.hasHtml() and has_links(data.html()):
            self.html_dropped.emit(data.html(), row)
            return False
        texts = [u.toString() for u in data.urls()] if data.hasUrls() else [data.text()]
        self.urls_dropped.emit([t for t in texts if t.strip()], row)
        return False


class SuggestionModel(QAbstractListModel):
    """Ranked suggestions for the article, best first, each with why it was suggested."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.suggestions: list[Suggestion] = []

    def set_suggestions(self, suggestions: Sequence[Suggestion]) -> None:
        self.beginResetModel()
        self.suggestions = list(suggestions)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.suggestions)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.suggestions):
            return None
        item = self.suggestions[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return item.headline
        if role == Role.SUBTITLE:
            return " · ".join(p for p in (item.section, item.reason) if p)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{item.headline}\n{item.reason}\nAdd with Enter or a double click"
        if role == Qt.ItemDataRole.DecorationRole:
            return icon("suggest")
        if role == Role.LINK:
            return item
        return None
