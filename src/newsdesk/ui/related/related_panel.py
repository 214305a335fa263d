"""The related-links panel: the article's ordered "Related articles", kept short and healthy."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from newsdesk.core.errors import ValidationError
from newsdesk.core.models import Article, RelatedLink, RelationKind
from newsdesk.core.ports import ArticleStore
from newsdesk.core.related import links as linkrules
from newsdesk.core.related.duplicates import merge
from newsdesk.core.related.pasted import has_links
from newsdesk.core.related.suggest import Suggestion
from newsdesk.ui.background.store_calls import StoreCalls
from newsdesk.ui.background.store_worker import alive
from newsdesk.ui.background.tasks import TaskRunner
from newsdesk.ui.icons import icon
from newsdesk.ui.library.delegates import TwoLineDelegate
from newsdesk.ui.related.related_adding import Adder, AddResult, Refusal
from newsdesk.ui.related.related_message import MessageBar
from newsdesk.ui.related.related_model import (
    RELATION_LABELS,
    RelatedListModel,
    Role,
    SuggestionModel,
    describe_rows,
)

Found = tuple[list[RelatedLink], list[Refusal], dict[str, Article]]
"""What a look-up found: the links, the entries refused, the archive articles they point at."""

SUGGEST_DELAY_MS = 1200
"""Suggestions follow the text once typing pauses this long."""
SUGGESTIONS = 8
LONG_LIST = 300
"""Lists longer than this are checked off the GUI thread when an article opens."""


@dataclass(frozen=True, slots=True)
class Message:
    """What a change says when it is done (and stops saying when it is undone)."""

    text: str = ""
    problem: bool = False
    details: str = ""


class _Change(QUndoCommand):
    def __init__(
        self,
        panel: RelatedPanel,
        before: list[RelatedLink],
        after: list[RelatedLink],
        text: str,
        message: Message,
    ) -> None:
        super().__init__(text)
        self.panel, self.before, self.after = panel, before, after
        self.message = message
        self.select = -1

    def redo(self) -> None:
        self.panel._apply(self.after, self.select)
        self.panel.show_message(self.message.text, self.message.problem, self.message.details)

    def undo(self) -> None:
        self.panel._apply(self.before, self.select)
        self.panel.show_message("")  # an undone paste takes its refusals with it


class AddField(QLineEdit):
    """Where a headline is typed or links are pasted; a pasted block adds every line, and
    links copied from a web page (HTML) keep their text as their titles."""

    block_pasted = Signal(str)
    """Several lines of text were pasted."""
    html_pasted = Signal(str)
    """HTML holding links was pasted."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            data = QGuiApplication.clipboard().mimeData()
            if data is not None and data.hasHtml() and has_links(data.html()):
                self.html_pasted.emit(data.html())
                return
            pasted = data.text() if data is not None else ""
            if "\n" in pasted.strip():
                self.block_pasted.emit(pasted)
                return
        super().keyPressEvent(event)


class RelatedPanel(QWidget):
    """Edits the related links of the article on screen; every change can be undone."""

    links_changed = Signal()
    """The list changed; the window stores the article as it now is."""
    looked_up = Signal(object)
    """A look-up in the archive answered and its links were added: its :class:`AddResult`."""

    def __init__(
        self, store: ArticleStore, tasks: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store, self.tasks = store, tasks
        self.article: Article | None = None
        self.cap = 6
        self.health: dict[str, str] = {}
        self.undo_stack = QUndoStack(self)
        self.model = RelatedListModel(self)
        self.suggestions = SuggestionModel(self)
        self.adder = Adder(store)
        # Every store read the journalist waits for runs on the reads lane: a slow store
        # leaves the panel (and the window) answering, with "Looking up…" said meanwhile.
        self.calls = StoreCalls(store, self)
        self._waiting_said = ""
        self._suggest_timer = QTimer(self, singleShot=True, interval=SUGGEST_DELAY_MS)
        self._suggest_timer.timeout.connect(self.refresh_suggestions)
        self._search_timer = QTimer(self, singleShot=True, interval=200)
        self._search_timer.timeout.connect(self._complete)
        self._suggest_generation = 0
        self._load_generation = 0  # the article last loaded (a long check may come back late)
        self._build()
        self._connect()
        self.setEnabled(False)

    # -- construction ------------------------------------------------------------------

    def _build(self) -> None:
        self.add_field = AddField()
        self.add_field.setPlaceholderText("Add: type a headline, or paste web links")
        self.add_field.setClearButtonEnabled(True)
        self.title_field = QLineEdit()
        self.title_field.setPlaceholderText("Title of the web page (optional)")
        self.title_field.setVisible(False)
        self.add_button = QToolButton()
        self.add_button.setIcon(icon("add"))
        self.add_button.setToolTip("Add to the related list (Enter)")
        self.completion_model = SuggestionModel(self)
        self.completer = QCompleter(self.completion_model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setWidget(self.add_field)
        self.message_bar = MessageBar()
        self.message = self.message_bar.label
        self.cap_label = QLabel()
        self.cap_label.setObjectName("relatedCap")
        tools = self._build_actions()
        self._build_lists()
        self._lay_out(tools)

    def _build_lists(self) -> None:
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(TwoLineDelegate(self.view))
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDropIndicatorShown(True)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.view.setAccessibleName("Related links")
        self.suggestion_view = QListView()
        self.suggestion_view.setModel(self.suggestions)
        self.suggestion_view.setItemDelegate(TwoLineDelegate(self.suggestion_view))
        self.suggestion_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.suggestion_view.setAccessibleName("Suggested related articles")
        self.suggestion_state = QLabel()
        self.suggestion_state.setObjectName("suggestionState")
        self.accept_button = QToolButton()
        self.accept_button.setIcon(icon("add"))
        self.accept_button.setToolTip("Add the chosen suggestion (Enter, or a double click)")

    def _build_actions(self) -> QToolBar:
        def act(text: str, name: str, shortcut: str, slot: Callable[[], object]) -> QAction:
            action = QAction(icon(name), text, self)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(f"{text} ({shortcut})")
            action.triggered.connect(slot)
            self.addAction(action)
            return action

        self.up_action = act("Move up", "up", "Alt+Up", lambda: self.move_selected(-1))
        self.down_action = act("Move down", "down", "Alt+Down", lambda: self.move_selected(1))
        self.pin_action = act("Pin to the top", "pin", "Ctrl+Shift+T", self.toggle_pin)
        # Ctrl+Shift+M is the window's Media library; Delete is the platform's Delete key.
        self.merge_action = act("Merge duplicate", "merge", "Ctrl+Alt+M", self.merge_selected)
        self.remove_action = act("Remove", "remove", "Delete", self.remove_selected)
        self.remove_action.setProperty("standard", QKeySequence.StandardKey.Delete.name)
        self.check_action = act("Check web links", "check-links", "Ctrl+Shift+K", self.check)
        self.undo_action = self.undo_stack.createUndoAction(self, "Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.undo_action)
        self.redo_action = self.undo_stack.createRedoAction(self, "Redo")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.redo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.redo_action)
        self.relation = QComboBox()
        for kind, label in RELATION_LABELS.items():
            self.relation.addItem(label, kind)
        self.relation.setToolTip("Why this link is here")
        tools = QToolBar()
        tools.setIconSize(tools.iconSize() * 0.8)
        for action in (self.up_action, self.down_action, self.pin_action):
            tools.addAction(action)
        tools.addWidget(self.relation)
        for action in (self.merge_action, self.remove_action, self.check_action):
            tools.addAction(action)
        self.pin_action.setCheckable(True)
        return tools

    def _lay_out(self, tools: QToolBar) -> None:
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_field, 1)
        add_row.addWidget(self.add_button)
        header = QHBoxLayout()
        title = QLabel("<b>Related articles</b>")
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.cap_label)
        suggest_header = QHBoxLayout()
        suggest_header.addWidget(QLabel("<b>Suggestions</b>"))
        suggest_header.addStretch(1)
        suggest_header.addWidget(self.suggestion_state)
        suggest_header.addWidget(self.accept_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(header)
        layout.addLayout(add_row)
        layout.addWidget(self.title_field)
        layout.addWidget(self.message_bar)
        layout.addWidget(tools)
        layout.addWidget(self.view, 3)
        layout.addLayout(suggest_header)
        layout.addWidget(self.suggestion_view, 2)

    def _connect(self) -> None:
        self.add_field.returnPressed.connect(self.add_from_field)
        self.add_field.textEdited.connect(self._typed)
        self.add_field.block_pasted.connect(self.add_block)
        self.add_field.html_pasted.connect(self.add_html)
        self.model.html_dropped.connect(self.add_html)
        self.title_field.returnPressed.connect(self.add_from_field)
        self.add_button.clicked.connect(self.add_from_field)
        self.completer.activated[QModelIndex].connect(self._completion_chosen)  # type: ignore[index]
        self.model.move_requested.connect(self.move_link)
        self.model.urls_dropped.connect(self._dropped)
        self.model.title_edited.connect(self.retitle)
        self.view.selectionModel().currentChanged.connect(self._update_tools)
        self.relation.activated.connect(self._relation_chosen)
        self.suggestion_view.activated.connect(self.accept_suggestion)
        self.accept_button.clicked.connect(lambda: self.accept_suggestion())  # noqa: PLW0108 (clicked carries a bool)
        self.undo_stack.indexChanged.connect(lambda _: self._update_tools())
        self.calls.waiting.connect(self._say_waiting)
        self.calls.refused.connect(lambda message: self.show_message(message, problem=True))

    # -- the article -------------------------------------------------------------------

    def load(self, article: Article) -> None:
        """Show ``article``'s links (a fresh undo history) and look for suggestions.

        The links' targets, their stored health and the publication's cap are read on the
        reads lane: the entries show at once, "checking…", and their states when read.
        A long list is checked off the GUI thread as a whole (reading thousands of targets
        and comparing every entry takes seconds): the list takes changes once their states
        are known; the rest of the window goes on.
        """
        self.article = article
        self._load_generation += 1
        self.undo_stack.clear()
        self.model.targets = {}  # read every target afresh: one may be gone or withdrawn
        self.show_message("")
        if len(article.related) <= LONG_LIST:
            self._read_links(article)
        else:
            self._check_in_background(article)
        self.refresh_suggestions()

    def _read_links(self, article: Article) -> None:
        links, generation = list(article.related), self._load_generation
        self.health = {}  # the last article's: read afresh with the targets
        self.model.set_checking(links)
        self.setEnabled(True)  # changes meanwhile are kept: the states follow the list

        def read() -> tuple[int | None, dict[str, str], dict[str, Article]]:
            targets = self.adder.targets(Adder.unknown(links, {}))
            return self.adder.cap(), self.adder.stored_health(links), targets

        def done(found: tuple[int | None, dict[str, str], dict[str, Article]]) -> None:
            if not self._showing(generation):
                return  # another article is on screen now
            cap, self.health, targets = found
            self.cap = self.cap if cap is None else cap  # the store away: the last cap known
            self.model.targets = {**targets, **self.model.targets}  # and those added meanwhile
            self._show(self.links())

        self.calls.run(
            "read links", "Reading the related links", read, done, write=False, once=False,
            failed=lambda why: self._failed(generation, f"The related links' states could "
                                            f"not be read ({why}). Open the article again."),
        )  # fmt: skip

    def _showing(self, generation: int) -> bool:
        """The article a store answer was asked for is still the one on screen."""
        return alive(self) and generation == self._load_generation

    def _failed(self, generation: int, message: str) -> None:
        if self._showing(generation):
            self._show(self.links())  # the rows leave "checking…" for what is known
            self.show_message(message, problem=True)

    def _check_in_background(self, article: Article) -> None:
        links, cap, generation = list(article.related), self.cap, self._load_generation
        self.model.set_checking(links)
        self._update_cap()
        self.setEnabled(False)  # no change to a list whose state is not known yet
        self.show_message(f"Checking {len(links):,} related links…")

        def describe(_ctx: object) -> tuple[int, dict[str, Article], dict[str, str], Any]:
            uris = [link.target_uri for link in links if link.target_uri]
            targets = self.adder.targets(uris)
            health = self.adder.stored_health(links)
            read = self.adder.cap()
            known = cap if read is None else read
            return known, targets, health, describe_rows(article, links, targets, known, health)

        def done(found: tuple[int, dict[str, Article], dict[str, str], Any]) -> None:
            if not alive(self) or generation != self._load_generation:
                return  # another article is on screen now
            self.cap, targets, self.health, (states, duplicates) = found
            self.model.set_described(links, targets, states, duplicates)
            self._update_cap()
            self._update_tools()
            self.setEnabled(True)
            self.show_message("")

        def failed(message: str) -> None:
            if alive(self) and generation == self._load_generation:
                self.show_message(message, problem=True)

        def start() -> None:  # once the article is on screen: the check competes for Python
            if not alive(self) or generation != self._load_generation:
                return
            task = self.tasks.submit(describe)
            task.finished.connect(done)
            task.failed.connect(failed)

        QTimer.singleShot(0, start)

    def clear(self) -> None:
        self.article = None
        self.undo_stack.clear()
        self.suggestions.set_suggestions([])
        self.setEnabled(False)

    def links(self) -> list[RelatedLink]:
        return list(self.model.links)

    def article_edited(self, article: Article) -> None:
        """The text on screen changed: suggestions follow once typing pauses."""
        if self.article is not None and article.uri == self.article.uri:
            self.article = article
            self._suggest_timer.start()

    # -- changes (all undoable) --------------------------------------------------------

    def change(
        self, after: list[RelatedLink], text: str, select: int = -1, message: Message = Message()
    ) -> None:
        """One undoable change of the list; ``message`` is shown while it stands."""
        before = self.links()
        if after == before:
            return
        command = _Change(self, before, after, text, message)
        command.select = select
        self.undo_stack.push(command)

    def _apply(self, links: list[RelatedLink], select: int) -> None:
        self._show(links)
        if 0 <= select < len(links):
            self.view.setCurrentIndex(self.model.index(select))
        if self.article is not None:
            self.article = replace(self.article, related=tuple(links))
        self.links_changed.emit()
        self._suggest_timer.start()

    def _show(self, links: list[RelatedLink]) -> None:
        # No store read here: every target was read when its link came (load, add).
        if self.article is not None:
            self.model.set_links(self.article, links, self.model.targets, self.cap, self.health)
        self._update_cap()
        self._update_tools()

    def add(
        self, new: Sequence[RelatedLink], at: int | None = None, refused: Sequence[Refusal] = ()
    ) -> AddResult | None:
        """Add links at ``at`` (the end by default), as one undoable change; duplicates are
        refused, with the entry they repeat. ``refused``: entries turned down before (a
        paste's), reported with these. The archive articles not read yet are read first,
        off the GUI thread: ``None`` when the store has not answered yet (the links are
        added when it does)."""
        wanted = Adder.unknown(new, self.model.targets)
        if not wanted:
            return self._accept(new, at, refused, {})
        links = list(new)
        return self._look_up(lambda: (links, [], self.adder.targets(wanted)), at, refused)

    def _look_up(
        self,
        find: Callable[[], Found],
        at: int | None = None,
        refused: Sequence[Refusal] = (),
        then: Callable[[AddResult], object] | None = None,
    ) -> AddResult | None:
        """Run ``find`` on the reads lane ("Looking up…" meanwhile) and add what it found,
        unless another article is on screen by then. The result if the store answered
        within :attr:`StoreCalls.GRACE_S`, else ``None``."""
        generation, box = self._load_generation, list[AddResult]()

        def done(found: Found) -> None:
            if not self._showing(generation):
                return  # looked up for an article no longer on screen
            links, more, targets = found
            box.append(self._accept(links, at, [*refused, *more], targets))
            if then is not None:
                then(box[0])
            self.looked_up.emit(box[0])

        self.calls.run(
            "look up", "Looking up", find, done, write=False, once=False,
            failed=lambda why: self._failed(generation, why),
        )  # fmt: skip
        return box[0] if box else None

    def _accept(
        self,
        new: Sequence[RelatedLink],
        at: int | None,
        refused: Sequence[Refusal],
        targets: dict[str, Article],
    ) -> AddResult:
        self.model.targets.update(targets)
        result = self.adder.accept(self.links(), new, self.model.targets)
        result.refused[:0] = refused
        links = self.links()
        total = len(links) + len(result.added)
        message = Message(
            result.message(self.cap, total),
            problem=result.problem and not result.added and len(result.refused) == 1,
            details=result.details() if len(result.refused) > 1 or result.added else "",
        )
        if result.added:
            at = len(links) if at is None else max(0, min(at, len(links)))
            links[at:at] = result.added
            self.change(links, f"Add {len(result.added)} related link(s)", at, message)
        else:
            self.show_message(message.text, message.problem, message.details)
        return result

    def add_from_field(self) -> None:
        """Add what the field holds: a web address at once; a headline is searched in the
        archive off the GUI thread (Enter pressed before its completions came)."""
        text, title = self.add_field.text().strip(), self.title_field.text().strip()
        if not text:
            return
        exclude, first, known = self._exclude(), self._first_completion(), dict(self.model.targets)

        def added(result: AddResult | None) -> None:
            if result is not None and result.added and self.add_field.text().strip() == text:
                self.add_field.clear()  # unless something else was typed meanwhile
                self.title_field.clear()
                self.title_field.setVisible(False)
                self.completion_model.set_suggestions([])

        if linkrules.looks_like_url(text):
            try:
                link = self.adder.from_text(text, title, exclude, first)  # no store read
            except ValidationError as exc:
                self.show_message(str(exc), problem=True)
                return
            added(self.add([link]))
            return

        def find() -> Found:
            link = self.adder.from_text(text, title, exclude, first)
            return [link], [], self.adder.targets(Adder.unknown([link], known))

        self._look_up(find, then=added)

    def add_block(self, block: str, at: int | None = None) -> AddResult | None:
        """Add every entry of a pasted or dropped block of text (one undoable change); its
        headlines are searched in the archive off the GUI thread (see :meth:`add`)."""
        own, known = self._own_uri(), dict(self.model.targets)

        def find() -> Found:
            links, refused = self.adder.from_block(block, own)
            return links, refused, self.adder.targets(Adder.unknown(links, known))

        return self._look_up(find, at)

    def add_html(self, html: str, at: int | None = None) -> AddResult | None:
        """Add every link of pasted or dropped HTML, titled by its text (see :meth:`add_block`)."""
        own, known = self._own_uri(), dict(self.model.targets)

        def find() -> Found:
            links, refused = self.adder.from_html(html, own)
            return links, refused, self.adder.targets(Adder.unknown(links, known))

        return self._look_up(find, at)

    def move_link(self, source: int, before: int) -> None:
        links = self.links()
        if not 0 <= source < len(links):
            return
        target = max(0, min(before, len(links)))
        if target in (source, source + 1):
            return
        link = links.pop(source)
        target = target - 1 if target > source else target
        links.insert(target, link)
        self.change(links, "Move related link", target)

    def move_selected(self, step: int) -> None:
        row = self.view.currentIndex().row()
        if row < 0:
            return
        destination = row + step
        if 0 <= destination < len(self.model.links):
            self.move_link(row, destination + (1 if step > 0 else 0))

    def remove_selected(self) -> None:
        row = self.view.currentIndex().row()
        if row < 0:
            return
        links = self.links()
        removed = links.pop(row)
        shortcut = self.undo_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        message = Message(f"Removed “{removed.title}”. Undo with {shortcut}.")
        self.change(links, f"Remove “{removed.title}”", min(row, len(links) - 1), message)

    def toggle_pin(self) -> None:
        self._edit_selected(lambda link: replace(link, pinned=not link.pinned), "Pin")

    def retitle(self, row: int, title: str) -> None:
        links = self.links()
        links[row] = replace(links[row], title=title)
        self.change(links, "Edit title", row)

    def _relation_chosen(self, position: int) -> None:
        kind = RelationKind(self.relation.itemData(position))
        self._edit_selected(lambda link: replace(link, relation=kind), "Set relation")

    def _edit_selected(self, edit: Callable[[RelatedLink], RelatedLink], text: str) -> None:
        row = self.view.currentIndex().row()
        if row < 0:
            return
        links = self.links()
        links[row] = edit(links[row])
        self.change(links, text, row)

    def merge_selected(self) -> None:
        row = self.view.currentIndex().row()
        duplicate = next((d for d in self.model.duplicates if d.index == row), None)
        if duplicate is None:
            return
        merged = merge(self.links(), duplicate)
        message = Message(f"Merged into #{duplicate.original + 1}.")
        self.change(merged, "Merge duplicate", duplicate.original, message)

    # -- suggestions and completion ----------------------------------------------------

    def refresh_suggestions(self) -> None:
        if self.article is None:
            return
        self._suggest_generation += 1
        generation, article = self._suggest_generation, self.article
        exclude = self._exclude()
        self.suggestion_state.setText("Looking…")
        task = self.tasks.submit(
            lambda _ctx: self.store.suggest_related(article, limit=SUGGESTIONS, exclude=exclude)
        )

        def done(found: list[Suggestion]) -> None:
            if alive(self.suggestions) and generation == self._suggest_generation:
                self.suggestions.set_suggestions(found)
                self.suggestion_state.setText(
                    "double-click or Enter to add" if found else "nothing related found yet"
                )

        def failed(message: str) -> None:
            if alive(self):
                self.suggestion_state.setText(message)

        task.finished.connect(done)
        task.failed.connect(failed)

    def accept_suggestion(self, index: QModelIndex | None = None) -> None:
        index = index if index is not None else self.suggestion_view.currentIndex()
        suggestion = index.data(Role.LINK) if index.isValid() else None
        if isinstance(suggestion, Suggestion):
            self.add([RelatedLink(title=suggestion.headline, target_uri=suggestion.uri)])

    def _typed(self, text: str) -> None:
        self.title_field.setVisible(linkrules.looks_like_url(text))
        self.show_message("")
        self._search_timer.start()

    def _complete(self) -> None:
        text = self.add_field.text().strip()
        if len(text) < 2 or linkrules.looks_like_url(text):
            self.completion_model.set_suggestions([])
            return
        exclude = self._exclude()
        task = self.tasks.submit(lambda _ctx: self.adder.complete(text, exclude))

        def done(found: list[Suggestion]) -> None:
            if alive(self) and self.add_field.text().strip() == text:
                self.completion_model.set_suggestions(found)
                if found and self.add_field.hasFocus():
                    self.completer.complete()

        task.finished.connect(done)

    def _completion_chosen(self, index: QModelIndex) -> None:
        suggestion = index.data(Role.LINK)
        if isinstance(suggestion, Suggestion):
            self.add([RelatedLink(title=suggestion.headline, target_uri=suggestion.uri)])
            QTimer.singleShot(0, self.add_field.clear)

    def _first_completion(self) -> Suggestion | None:
        found = self.completion_model.suggestions
        return found[0] if found else None

    def _own_uri(self) -> str:
        return self.article.uri if self.article is not None else ""

    def _exclude(self) -> list[str]:
        uris = [link.target_uri for link in self.links() if link.target_uri]
        return uris + ([self.article.uri] if self.article is not None else [])

    def _dropped(self, texts: list[str], row: int) -> None:
        self.add_block("\n".join(texts), row)

    # -- health ------------------------------------------------------------------------

    def check(self) -> None:
        links = self.links()
        urls = [link.url for link in links if link.url]
        if not urls:
            self.show_message("No web links to check: links to the archive are checked as you go.")
            return
        self.check_action.setEnabled(False)
        self.show_message(f"Checking {len(urls)} web link(s)…")
        task = self.tasks.submit(
            lambda ctx: self.adder.check(links, ctx.progress, lambda: ctx.cancelled)
        )

        def done(health: dict[str, str]) -> None:
            if not alive(self):
                return
            self.check_action.setEnabled(True)
            self.health.update(health)
            self._show(self.links())
            broken = sum(1 for url in urls if self.health.get(url))
            self.show_message(
                f"Checked {len(urls)} web link(s): "
                + (f"{broken} need attention." if broken else "all fine.")
            )

        def failed(message: str) -> None:
            if not alive(self):
                return
            self.check_action.setEnabled(True)
            self.show_message(f"Links not checked: {message}", problem=True)

        task.finished.connect(done)
        task.failed.connect(failed)

    # -- state shown -------------------------------------------------------------------

    def show_message(self, text: str, problem: bool = False, details: str = "") -> None:
        """One line under the add field (red when ``problem``); ``details`` behind a button."""
        self.message_bar.show_text(text, problem=problem, details=details)

    def _say_waiting(self, message: str) -> None:
        """What the panel waits for from the store; taken away once it answered, unless
        the answer (or anything else) said something since."""
        if message:
            self._waiting_said = message
            self.show_message(message)
        elif self._waiting_said:
            if self.message.text() == self._waiting_said:
                self.show_message("")
            self._waiting_said = ""

    def _update_cap(self) -> None:
        shown, total = self.model.published_count, len(self.model.links)
        over = sum(1 for s in self.model.states if not s.published and "over the cap" in s.problem)
        text = f"{shown} of {self.cap} on the page"
        if over:
            text += f" · {over} over the cap"
        self.cap_label.setText(text)
        self.cap_label.setStyleSheet("color: #8a6d00; font-weight: bold;" if over else "")
        self.cap_label.setToolTip(
            f"The publication shows at most {self.cap} related links ({total} in the list)."
        )

    def _update_tools(self, *_: Any) -> None:
        row = self.view.currentIndex().row()
        has = 0 <= row < len(self.model.links)
        link = self.model.links[row] if has else None
        self.up_action.setEnabled(has and row > 0)
        self.down_action.setEnabled(has and row < len(self.model.links) - 1)
        self.remove_action.setEnabled(has)
        self.pin_action.setEnabled(has)
        self.pin_action.setChecked(bool(link and link.pinned))
        self.relation.setEnabled(has)
        if link is not None:
            self.relation.setCurrentIndex(self.relation.findData(link.relation))
        self.merge_action.setEnabled(any(d.index == row for d in self.model.duplicates))
