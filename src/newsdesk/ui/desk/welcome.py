"""What a first run shows instead of an empty grey window."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from newsdesk.ui.icons import icon


class WelcomePanel(QWidget):
    """Offers the sample archive or a first blank article on an empty store."""

    sample_requested = Signal()
    """The user wants the sample newsroom archive."""
    blank_requested = Signal()
    """The user wants to start writing straight away."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("<h1>Welcome to Newsdesk</h1>")
        self.text = QLabel(
            "Your library is empty. Write your first story, or explore Newsdesk with a "
            "sample newsroom archive of 44 articles (you can delete them later)."
        )
        self.text.setWordWrap(True)
        self.sample = QPushButton(icon("sample"), "Load the sample archive")
        self.blank = QPushButton(icon("new"), "Start a blank article")
        self.blank.setDefault(True)
        # A wrapped label aligned inside a box layout is given the height of its unwrapped
        # width, and clipped at top and bottom: the column is a widget of its own, whose
        # layout gives the label its full width, so its height is asked for that width.
        column = QWidget()
        column.setFixedWidth(440)
        inner = QVBoxLayout(column)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.title)
        inner.addWidget(self.text)
        inner.addSpacing(8)
        inner.addWidget(self.blank)
        inner.addWidget(self.sample)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(column, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.sample.clicked.connect(self.sample_requested)
        self.blank.clicked.connect(self.blank_requested)
