"""Edit ▸ Undo, Cut, Paste…: one set of commands that act on whatever has the focus.

A text field handles its own keys (Ctrl+Z in the headline undoes the headline); the menu's
commands reach the same field, and, outside text, the undo history of the panel in use.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QGuiApplication, QUndoStack
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

TextWidget = QLineEdit | QPlainTextEdit | QTextEdit


def text_target(widget: QWidget | None) -> TextWidget | None:
    """The editable text behind ``widget`` (an editable combo box's line, for one)."""
    if isinstance(widget, QComboBox) and widget.isEditable():
        widget = widget.lineEdit()
    if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        return widget
    return None


class EditCommands:
    """Undo, redo, cut, copy, paste, paste as plain text and select all for the focus.

    ``stack_for(widget)`` names the undo history used when the focus is not in text (the
    related-links list has its own; the window's holds archiving).
    """

    def __init__(self, stack_for: Callable[[QWidget | None], QUndoStack]) -> None:
        self.stack_for = stack_for

    @staticmethod
    def _focus() -> QWidget | None:
        return QApplication.focusWidget()

    def undo(self) -> None:
        widget = self._focus()
        target = text_target(widget)
        if target is not None and _can(target, "undo"):
            target.undo()
        else:
            self.stack_for(widget).undo()

    def redo(self) -> None:
        widget = self._focus()
        target = text_target(widget)
        if target is not None and _can(target, "redo"):
            target.redo()
        else:
            self.stack_for(widget).redo()

    def cut(self) -> None:
        target = text_target(self._focus())
        if target is not None and not target.isReadOnly():
            target.cut()

    def copy(self) -> None:
        target = text_target(self._focus())
        if target is not None:
            target.copy()

    def paste(self) -> None:
        target = text_target(self._focus())
        if target is not None and not target.isReadOnly():
            target.paste()

    def paste_plain(self) -> None:
        """The clipboard's text as typed, without formatting, links or pictures."""
        target = text_target(self._focus())
        if target is None or target.isReadOnly():
            return
        text = QGuiApplication.clipboard().text()
        if not text:
            return
        if isinstance(target, QLineEdit):
            target.insert(" ".join(text.split()))  # one line: newlines would be lost anyway
        else:
            target.insertPlainText(text)

    def select_all(self) -> None:
        target = text_target(self._focus())
        if target is not None:
            target.selectAll()


def _can(target: TextWidget, what: str) -> bool:
    if isinstance(target, QLineEdit):
        return target.isUndoAvailable() if what == "undo" else target.isRedoAvailable()
    document = target.document()
    return document.isUndoAvailable() if what == "undo" else document.isRedoAvailable()
