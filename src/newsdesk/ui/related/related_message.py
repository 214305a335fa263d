"""The related panel's message line: what the last change did, in one line, with details."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

PROBLEM_COLOUR = "#b3261e"
"""One thing refused: said in red, one line."""
NOTE_COLOUR = "#8a6d00"
"""Some of a paste refused: a count in amber, the list behind "Details"."""


class MessageBar(QWidget):
    """A short message under the add field and, when some entries were refused, a
    "Details" button listing each with its reason. It never grows past a line or two, so
    the list below keeps its room."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setObjectName("relatedMessage")
        self.label.setWordWrap(True)
        self.details_button = QToolButton()
        self.details_button.setText("Details…")
        self.details_button.setToolTip("Every entry that was not added, and why")
        self.details_button.clicked.connect(self.open_details)
        self.details = ""
        self.dialog: QDialog | None = None
        self.details_text = QPlainTextEdit()
        self.details_text.setReadOnly(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.details_button)
        self.show_text("")

    def show_text(self, text: str, *, problem: bool = False, details: str = "") -> None:
        """Show ``text`` (nothing hides the bar); ``details`` behind the button."""
        self.label.setText(text)
        self.label.setProperty("problem", problem)
        colour = PROBLEM_COLOUR if problem else NOTE_COLOUR if details else ""
        self.label.setStyleSheet(f"color: {colour};" if colour else "")
        self.details = details
        self.details_button.setVisible(bool(details))
        self.setVisible(bool(text))
        if self.dialog is not None and not details:
            self.dialog.close()

    def open_details(self) -> QDialog:
        """The refusals, one per line, in a window of their own (not modal)."""
        if self.dialog is None:
            self.dialog = QDialog(self)
            self.dialog.setWindowTitle("Not added")
            self.dialog.resize(560, 320)
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
            buttons.rejected.connect(self.dialog.close)
            layout = QVBoxLayout(self.dialog)
            layout.addWidget(self.details_text)
            layout.addWidget(buttons)
        self.details_text.setPlainText(self.details)
        self.dialog.show()
        return self.dialog
