"""The Markdown body editor: highlighting, formatting commands, find and replace."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from newsdesk.ui.highlighter import MarkdownHighlighter
from newsdesk.ui.icons import icon

_LIST_PREFIX = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s+")
_HEADING_PREFIX = re.compile(r"^#{1,6}\s+")


class BodyEditor(QPlainTextEdit):
    """A plain-text Markdown editor that knows the newsroom's formatting commands."""

    first_visible_line_changed = Signal(int)
    """The 1-based source line at the top of the view (for the preview to follow)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Article body")
        self.setPlaceholderText("Write the story here. Markdown: **bold**, _italic_, ## heading")
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabChangesFocus(False)
        self.highlighter = MarkdownHighlighter(self.document())
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.format_actions = self._make_actions()

    def set_editor_font(self, family: str, size: int) -> None:
        font = QFont(family, size)
        self.setFont(font)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)

    def first_visible_line(self) -> int:
        return self.firstVisibleBlock().blockNumber() + 1

    def _scrolled(self, _value: int) -> None:
        self.first_visible_line_changed.emit(self.first_visible_line())

    # -- formatting commands --------------------------------------------------------

    def wrap_selection(self, marker: str, placeholder: str = "text") -> None:
        """Surround the selection (or a placeholder, selected) with ``marker``."""
        cursor = self.textCursor()
        selected = cursor.selectedText()
        if (
            selected.startswith(marker)
            and selected.endswith(marker)
            and len(selected) > 2 * len(marker)
        ):
            cursor.insertText(selected[len(marker) : -len(marker)])
            return
        text = selected or placeholder
        cursor.beginEditBlock()
        cursor.insertText(f"{marker}{text}{marker}")
        cursor.endEditBlock()
        if not selected:
            end = cursor.position() - len(marker)
            cursor.setPosition(end - len(text))
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(cursor)

    def bold(self) -> None:
        self.wrap_selection("**")

    def italic(self) -> None:
        self.wrap_selection("_")

    def insert_link(self) -> None:
        url, ok = QInputDialog.getText(self, "Insert link", "Address (https://…):")
        if ok:
            self.link_to(url)

    def link_to(self, url: str) -> None:
        """Make the selection (or placeholder words) a link to ``url``."""
        cursor = self.textCursor()
        text = cursor.selectedText() or "link text"
        cursor.insertText(f"[{text}]({url.strip()})")

    def _for_each_selected_line(self, change: object) -> None:
        cursor = self.textCursor()
        start, end = sorted((cursor.position(), cursor.anchor()))
        block = self.document().findBlock(start)
        last = self.document().findBlock(end)
        cursor.beginEditBlock()
        number = 1
        while block.isValid():
            line = QTextCursor(block)
            line.select(QTextCursor.SelectionType.LineUnderCursor)
            line.insertText(change(block.text(), number))  # type: ignore[operator]
            number += 1
            if block == last:
                break
            block = block.next()
        cursor.endEditBlock()

    def heading(self, level: int = 2) -> None:
        def change(line: str, _n: int) -> str:
            bare = _HEADING_PREFIX.sub("", line)
            current = len(line) - len(line.lstrip("#")) if _HEADING_PREFIX.match(line) else 0
            return bare if current == level else "#" * level + " " + bare

        self._for_each_selected_line(change)

    def quote(self) -> None:
        def change(line: str, _n: int) -> str:
            return line[2:] if line.startswith("> ") else "> " + line

        self._for_each_selected_line(change)

    def bullet_list(self) -> None:
        self._for_each_selected_line(lambda line, _n: _toggle_list(line, lambda _: "- "))

    def numbered_list(self) -> None:
        self._for_each_selected_line(lambda line, n: _toggle_list(line, lambda i: f"{i}. ", n))

    def _make_actions(self) -> list[QAction]:
        """The formatting actions with their icons and usual shortcuts."""
        specs = [
            ("bold", "Bold", QKeySequence.StandardKey.Bold, self.bold),
            ("italic", "Italic", QKeySequence.StandardKey.Italic, self.italic),
            ("link", "Link", QKeySequence("Ctrl+K"), self.insert_link),
            ("heading", "Heading", QKeySequence("Ctrl+Alt+2"), lambda: self.heading(2)),
            ("quote", "Block quote", QKeySequence("Ctrl+Shift+Q"), self.quote),
            ("bullets", "Bulleted list", QKeySequence("Ctrl+Shift+8"), self.bullet_list),
            ("numbers", "Numbered list", QKeySequence("Ctrl+Shift+7"), self.numbered_list),
        ]
        result = []
        for name, text, shortcut, slot in specs:
            action = QAction(icon(name), text, self)
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(f"{text} ({QKeySequence(shortcut).toString()})")
            action.triggered.connect(slot)
            self.addAction(action)
            result.append(action)
        return result


def _toggle_list(line: str, marker: object, number: int = 1) -> str:
    match = _LIST_PREFIX.match(line)
    if match:
        return line[match.end() :]
    return marker(number) + line  # type: ignore[operator]


class FindBar(QWidget):
    """Find and replace in the body, shown with Ctrl+F / Ctrl+H, hidden with Escape."""

    def __init__(self, editor: BodyEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.find_edit = QLineEdit(placeholderText="Find")
        self.replace_edit = QLineEdit(placeholderText="Replace with")
        self.case = QCheckBox("Match case")
        self.status = QLabel()
        next_button = QPushButton("Next")
        replace_button = QPushButton("Replace")
        all_button = QPushButton("Replace all")
        close = QPushButton("Close")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.find_edit, next_button, self.replace_edit, replace_button,
                       all_button, self.case, self.status, close):  # fmt: skip
            row.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addLayout(row)
        next_button.clicked.connect(self.find_next)
        self.find_edit.returnPressed.connect(self.find_next)
        replace_button.clicked.connect(self.replace_one)
        all_button.clicked.connect(self.replace_all)
        close.clicked.connect(self.close_bar)
        self.hide()

    def open(self, *, replace: bool) -> None:
        self.show()
        self.replace_edit.setVisible(replace)
        selected = self.editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_edit.setText(selected)
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.editor.setFocus()

    def keyPressEvent(self, event: object) -> None:
        if getattr(event, "key", lambda: None)() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]

    def _flags(self) -> QTextDocument.FindFlag:
        if self.case.isChecked():
            return QTextDocument.FindFlag.FindCaseSensitively
        return QTextDocument.FindFlag(0)

    def find_next(self) -> bool:
        needle = self.find_edit.text()
        if not needle:
            return False
        if self.editor.find(needle, self._flags()):
            self.status.setText("")
            return True
        cursor = self.editor.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        self.editor.setTextCursor(cursor)
        found = self.editor.find(needle, self._flags())
        self.status.setText("" if found else "Not found")
        return found

    def replace_one(self) -> None:
        cursor = self.editor.textCursor()
        needle = self.find_edit.text()
        selected = cursor.selectedText()
        same = selected == needle if self.case.isChecked() else selected.lower() == needle.lower()
        if needle and same:
            cursor.insertText(self.replace_edit.text())
        self.find_next()

    def replace_all(self) -> int:
        needle = self.find_edit.text()
        if not needle:
            return 0
        document = self.editor.document()
        cursor = QTextCursor(document)
        count = 0
        edit = QTextCursor(document)
        edit.beginEditBlock()
        while True:
            cursor = document.find(needle, cursor, self._flags())
            if cursor.isNull():
                break
            cursor.insertText(self.replace_edit.text())
            count += 1
        edit.endEditBlock()
        self.status.setText(f"Replaced {count}")
        return count


def formatting_toolbar(editor: BodyEditor, parent: QWidget | None = None) -> QToolBar:
    bar = QToolBar("Formatting", parent)
    bar.setIconSize(bar.iconSize() * 0.8)
    for action in editor.format_actions:
        bar.addAction(action)
    return bar
