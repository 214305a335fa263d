"""Wavy underlines under misspelt words and house-style slips, and the menu that fixes them.

Spelling is underlined in red, house style in blue, in the body and in the fields that
hold words (headline, standfirst, kicker, captions, alt text, SEO fields). A right click on
an underlined word offers the fixes, the dictionaries and "Ignore in this article".
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import (
    QColor,
    QInputMethodEvent,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QPlainTextEdit, QWidget

from newsdesk.core.checks.checks import CheckKind, Problem
from newsdesk.ui.checks.copy_checks import CopyChecks
from newsdesk.ui.palette import is_dark

COLOURS = {CheckKind.SPELLING: ("#d32f2f", "#ff6f6f"), CheckKind.STYLE: ("#1d6fd1", "#7fb2ff")}


def underline_format(kind: CheckKind, severity: str = "warning") -> QTextCharFormat:
    """The underline for ``kind``: wavy, in a colour that reads on the palette; a mere
    suggestion of the house style is dotted, quieter."""
    fmt = QTextCharFormat()
    quiet = severity == "suggestion"
    fmt.setUnderlineStyle(
        QTextCharFormat.UnderlineStyle.DotLine
        if quiet
        else QTextCharFormat.UnderlineStyle.WaveUnderline
    )
    light, dark = COLOURS.get(kind, COLOURS[CheckKind.STYLE])
    fmt.setUnderlineColor(QColor(dark if is_dark() else light))
    return fmt


def redraw(highlighter: QSyntaxHighlighter, block: QTextBlock | None = None) -> None:
    """Redraw underlines without telling anyone the text changed: a rehighlight makes the
    document emit contentsChanged, which would read as the journalist typing (an autosave
    postponed for ever while a long story is checked, a journal entry per redraw)."""
    document = highlighter.document()
    document.blockSignals(True)
    try:
        if block is None:
            highlighter.rehighlight()
        else:
            highlighter.rehighlightBlock(block)
    finally:
        document.blockSignals(False)


def marked(problems: list[Problem]) -> list[Problem]:
    """The problems that have a place to underline."""
    return [p for p in problems if p.end > p.start and p.kind in COLOURS]


def underline(highlighter: QSyntaxHighlighter, problems: list[Problem], skip: int = -1) -> None:
    """Add the underlines to what ``highlighter`` already set in the current block (bold,
    links...), character by character so both show. A spelling problem ending at ``skip``
    (the word being typed) waits until the word is finished."""
    for problem in marked(problems):
        if problem.kind == CheckKind.SPELLING and problem.end == skip:
            continue
        line = underline_format(problem.kind, problem.severity)
        for position in range(problem.start, problem.end):
            fmt = QTextCharFormat(highlighter.format(position))
            fmt.setUnderlineStyle(line.underlineStyle())
            fmt.setUnderlineColor(line.underlineColor())
            highlighter.setFormat(position, 1, fmt)


class FieldHighlighter(QSyntaxHighlighter):
    """Underlines for a plain-text field (the headline, the standfirst)."""

    def __init__(self, document: QTextDocument, field: str, checks: CopyChecks) -> None:
        super().__init__(document)
        self.field = field
        self.checks = checks
        checks.changed.connect(lambda: redraw(self))

    def highlightBlock(self, text: str) -> None:
        underline(self, self.checks.problems(self.field, text))


class LineUnderlines(QObject):
    """Underlines in a QLineEdit, which has no highlighter: drawn as input-method formats
    (the way an input method marks text it is composing), redrawn as the text changes."""

    def __init__(self, edit: QLineEdit, field: str, checks: CopyChecks) -> None:
        super().__init__(edit)
        self.edit = edit
        self.field = field
        self.checks = checks
        edit.textChanged.connect(self.refresh)
        checks.changed.connect(self.refresh)
        self.problems: list[Problem] = []

    def refresh(self) -> None:
        self.problems = marked(self.checks.problems(self.field, self.edit.text()))
        cursor = self.edit.cursorPosition()
        attributes = [
            QInputMethodEvent.Attribute(
                QInputMethodEvent.AttributeType.TextFormat,
                p.start - cursor,
                p.end - p.start,
                underline_format(p.kind, p.severity),
            )
            for p in self.problems
        ]
        QApplication.sendEvent(self.edit, QInputMethodEvent("", attributes))


# -- the menu ---------------------------------------------------------------------------


def problem_at(problems: list[Problem], position: int) -> Problem | None:
    """The underlined problem under ``position`` (a character offset), if any."""
    for problem in marked(problems):
        if problem.start <= position <= problem.end:
            return problem
    return None


def fill_menu(
    menu: QMenu,
    problem: Problem,
    word: str,
    checks: CopyChecks,
    replace: Callable[[str], None],
) -> None:
    """Put the fixes for ``problem`` (on ``word``) at the top of ``menu``."""
    first = menu.actions()[0] if menu.actions() else None
    added = []
    fixes = checks.suggestions(problem, word)
    for fix in fixes:
        act = menu.addAction(fix or "(remove it)")
        act.triggered.connect(lambda _checked=False, f=fix: replace(f))
        font = act.font()
        font.setBold(True)
        act.setFont(font)
        added.append(act)
    if not fixes:
        spelling = problem.kind == CheckKind.SPELLING
        note = menu.addAction("No suggestions" if spelling else problem.message)
        note.setEnabled(False)
        added.append(note)
    elif problem.kind == CheckKind.STYLE:
        note = menu.addAction(problem.message)
        note.setEnabled(False)
        added.append(note)
    if problem.kind == CheckKind.SPELLING:
        for text, slot in (
            (f"Add “{word}” to the newsroom dictionary", checks.add_to_newsroom),
            (f"Add “{word}” to my dictionary", checks.add_to_mine),
            ("Ignore in this article", checks.ignore),
        ):
            act = menu.addAction(text)
            act.triggered.connect(lambda _checked=False, s=slot: s(word))
            added.append(act)
    added.append(menu.addSeparator())
    if first is not None:
        for act in added:
            menu.removeAction(act)
        menu.insertActions(first, added)


def attach_text_menu(edit: QPlainTextEdit, field: str, checks: CopyChecks) -> None:
    """A right click on an underlined word in ``edit`` offers its fixes first."""
    edit.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show(pos: QPoint) -> None:
        menu = edit.createStandardContextMenu(pos)
        cursor = edit.cursorForPosition(pos)
        block = cursor.block()
        found = problem_at(checks.problems(field, block.text()), cursor.positionInBlock())
        if found is not None:
            word = block.text()[found.start : found.end]

            def replace(fix: str) -> None:
                change = QTextCursor(block)
                change.setPosition(block.position() + found.start)
                change.setPosition(block.position() + found.end, QTextCursor.MoveMode.KeepAnchor)
                change.insertText(fix)

            fill_menu(menu, found, word, checks, replace)
        menu.exec(edit.viewport().mapToGlobal(pos))
        menu.deleteLater()

    edit.customContextMenuRequested.connect(show)


def attach_line_menu(marks: LineUnderlines) -> None:
    """The same for a one-line field."""
    edit = marks.edit
    edit.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show(pos: QPoint) -> None:
        menu = edit.createStandardContextMenu()
        found = problem_at(marks.problems, edit.cursorPositionAt(pos))
        if found is not None:
            text = edit.text()
            word = text[found.start : found.end]

            def replace(fix: str) -> None:
                edit.setSelection(found.start, found.end - found.start)
                edit.insert(fix)
                edit.textEdited.emit(edit.text())

            fill_menu(menu, found, word, marks.checks, replace)
        menu.exec(edit.mapToGlobal(pos))
        menu.deleteLater()

    edit.customContextMenuRequested.connect(show)


def mark_widget(widget: QWidget, field: str, checks: CopyChecks) -> object:
    """Underlines and the fixing menu for ``widget`` (a line or a plain-text field)."""
    if isinstance(widget, QLineEdit):
        marks = LineUnderlines(widget, field, checks)
        attach_line_menu(marks)
        return marks
    assert isinstance(widget, QPlainTextEdit)
    highlighter = FieldHighlighter(widget.document(), field, checks)
    attach_text_menu(widget, field, checks)
    return highlighter
