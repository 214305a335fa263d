"""The panes around the text: shown, collapsed or swapped as the window's width allows.

:mod:`newsdesk.ui.desk.desk_layout` decides; :class:`Desk` applies its plan to the splitter,
remembers what the user asked for and how wide they made each pane, and runs focus mode.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

from newsdesk.ui.desk.desk_layout import (
    DEFAULT_PRIORITY,
    MIN_WIDTH,
    WRITING_MIN,
    Pane,
    PanePlan,
    PreviewMode,
    asked_for,
    pane_widths,
    plan_panes,
)

FOCUS_TEXT_WIDTH = 760
"""In focus mode the text is set in a column about this wide, centred."""


class Desk(QObject):
    """Lays out library | writing | inspector | preview in ``splitter``."""

    changed = Signal()
    """The plan changed: which panes show, the preview's mode, focus mode."""

    def __init__(
        self,
        window: QMainWindow,
        splitter: QSplitter,
        writing: QWidget,
        panes: Mapping[Pane, QWidget],
        *,
        wanted: set[Pane],
        priority: tuple[Pane, ...] = DEFAULT_PRIORITY,
        widths: Mapping[Pane, int] | None = None,
        page: QWidget | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.splitter = splitter
        self.writing = writing
        self.page = page or writing  # what focus mode centres
        self.panes = dict(panes)
        self.wanted = set(wanted)
        self.priority = priority
        self.widths: dict[Pane, int] = dict(widths or {})
        self.previewing = False  # while the preview takes the text's place (narrow windows)
        self.focus = False
        self.welcome = False  # the first-run welcome shows: no story, so no details
        self._before_focus = Qt.WindowState.WindowNoState
        self.plan = PanePlan(library=False, inspector=False, preview=PreviewMode.OFF)
        # No hard minimums: the window must stay free to shrink (the plan then collapses
        # panes); a drag that would squash a pane is undone in _dragged instead.
        for widget in (writing, *self.panes.values()):
            widget.setMinimumWidth(1)
        for widget in self.panes.values():
            splitter.setStretchFactor(splitter.indexOf(widget), 0)
        splitter.setStretchFactor(splitter.indexOf(writing), 1)
        splitter.setChildrenCollapsible(False)
        splitter.splitterMoved.connect(self._dragged)
        splitter.installEventFilter(self)

    # -- what the user asks for -------------------------------------------------------

    def shows(self, pane: Pane) -> bool:
        """Whether ``pane`` is on screen now (the preview also when swapped in)."""
        if pane == Pane.PREVIEW:
            return self.plan.preview == PreviewMode.SIDE or self._swapped_in()
        return pane in self.plan.shown()

    def toggle(self, pane: Pane) -> None:
        """Show ``pane`` (making room for it first) or hide it."""
        if pane == Pane.PREVIEW and self.plan.preview == PreviewMode.SWAP:
            self.previewing = not self.previewing
        elif self.shows(pane):
            self.wanted.discard(pane)
        else:
            self.wanted.add(pane)
            self.priority = asked_for(self.priority, pane)
            if self.focus:
                self.set_focus(False)
        self.apply()

    def show_pane(self, pane: Pane) -> None:
        """Make sure ``pane`` is on screen (for commands that need it, like Related)."""
        if not self.shows(pane):
            self.toggle(pane)

    def set_focus(self, on: bool) -> None:
        """Focus mode: full screen, the text alone in a centred column."""
        if on == self.focus:
            return
        self.focus = on
        window = self.window
        for bar in (window.menuBar(), window.statusBar()):
            bar.setVisible(not on)
        for toolbar in window.findChildren(QWidget, "mainToolbar"):
            toolbar.setVisible(not on)
        if on:
            self._before_focus = window.windowState()
            window.showFullScreen()
        else:
            window.setWindowState(self._before_focus)
        self.apply()

    # -- applying ---------------------------------------------------------------------

    def apply(self, width: int | None = None) -> None:
        """Show what fits ``width`` (the splitter's, by default) and size it."""
        width = width if width is not None else self.splitter.width()
        if width <= 0:
            return
        wanted = self.wanted - {Pane.INSPECTOR} if self.welcome else self.wanted
        plan = plan_panes(width, wanted, self.priority, focus=self.focus)
        if plan.preview != PreviewMode.SWAP:
            self.previewing = False
        self.plan = plan
        swapped = self._swapped_in()
        self.writing.setVisible(not swapped)
        for pane, widget in self.panes.items():
            widget.setVisible(pane in plan.shown() or (pane == Pane.PREVIEW and swapped))
        self._size(width)
        self._centre_text(width)
        self.changed.emit()

    def _swapped_in(self) -> bool:
        return self.plan.preview == PreviewMode.SWAP and self.previewing

    def _size(self, width: int) -> None:
        shown = self.plan.shown()
        writing, side = pane_widths(width, shown, self.widths)
        swapped = self._swapped_in()
        sizes = []
        for widget in self._order():
            pane = next((p for p, w in self.panes.items() if w is widget), None)
            if widget is self.writing:
                sizes.append(0 if swapped else writing)
            elif swapped and pane == Pane.PREVIEW:
                sizes.append(writing)  # the page takes the text's place
            elif pane is not None and pane in side:
                sizes.append(side[pane])
            else:
                sizes.append(0)
        self.splitter.setSizes(sizes)

    def _centre_text(self, width: int) -> None:
        margin = max(0, (width - FOCUS_TEXT_WIDTH) // 2) if self.focus else 0
        layout = self.page.layout()
        if layout is not None:
            layout.setContentsMargins(margin, 24 if self.focus else 0, margin, 0)

    def _dragged(self, _pos: int, _index: int) -> None:
        """Remember the widths the user gives the panes, never below a pane's minimum."""
        if self._swapped_in():
            return
        sizes = dict(zip(self._order(), self.splitter.sizes(), strict=True))
        for pane, widget in self.panes.items():
            if pane in self.plan.shown():
                self.widths[pane] = max(MIN_WIDTH[pane], sizes[widget])
        squashed = sizes[self.writing] < WRITING_MIN or any(
            sizes[widget] < MIN_WIDTH[pane]
            for pane, widget in self.panes.items()
            if pane in self.plan.shown()
        )
        if squashed:
            self._size(self.splitter.width())

    def _order(self) -> list[QWidget]:
        found = (self.splitter.widget(i) for i in range(self.splitter.count()))
        return [widget for widget in found if widget is not None]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.splitter and event.type() == QEvent.Type.Resize:
            self.apply(self.splitter.width())
        return False
