"""A store that may only be read: said above the text before anyone types, nothing offered
that would write to it, while reading, searching, previewing and exporting go on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from newsdesk.ui.icons import icon

if TYPE_CHECKING:
    from newsdesk.ui.main_window import MainWindow


class ReadOnlyBar(QFrame):
    """The line above the text: why nothing here can be saved, and what to do about it."""

    def __init__(self, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readOnlyBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        lock = QLabel()
        lock.setPixmap(icon("lock").pixmap(20, 20))
        self.message = QLabel(f"<b>Read-only.</b> {reason}")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Read-only store")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(lock)
        row.addWidget(self.message, 1)


def apply_read_only(window: MainWindow, reason: str) -> ReadOnlyBar:
    """Put ``window`` in read-only mode for a store that cannot be written (``reason`` says
    why). Nothing typed could be kept, so nothing can be typed: fields are read-only, and
    the commands that write are off. Find, the preview, history and export stay."""
    bar = ReadOnlyBar(reason, window.editor)
    page = window.editor.layout()
    assert isinstance(page, QVBoxLayout)
    page.insertWidget(0, bar)
    keep = {window.editor.find_bar.find_edit, window.editor.find_bar.case}
    for root in (window.editor, window.editor.inspector):
        for widget in root.findChildren(QWidget):
            if widget not in keep and not isinstance(widget.parent(), QTabBar):
                _read_only(widget)
    for button in (window.library.new_button, window.library.duplicate_button,
                   window.library.archive_button):  # fmt: skip
        button.setEnabled(False)
    commands = window.commands
    writing = (commands.new, commands.duplicate, commands.save, commands.import_,
               commands.import_site, commands.sync, commands.paste, commands.paste_plain,
               commands.cut, commands.replace)  # fmt: skip
    for action in writing:
        action.setEnabled(False)
    window.setAcceptDrops(False)  # stories dropped on the window would be imported

    # Where "All changes stored" would say everything is fine: what is true here instead
    # (after the window's own answer to each change of the save state).
    def say_read_only() -> None:
        size = window.save_label.fontMetrics().height()
        window.save_icon.setPixmap(icon("lock").pixmap(size, size))
        window.save_label.setText("Read-only: nothing can be saved")
        window.save_label.setToolTip(reason)

    say_read_only()
    window.session.state_changed.connect(say_read_only)
    return bar


def _read_only(widget: QWidget) -> None:
    if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        widget.setReadOnly(True)
    elif isinstance(widget, QAbstractButton | QComboBox | QAbstractSpinBox):
        widget.setEnabled(False)
