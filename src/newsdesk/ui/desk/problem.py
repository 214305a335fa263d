"""A short message in place, under the field it is about."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from newsdesk.ui.palette import tone


class Problem(QLabel):
    """Says what is wrong (red) or not ready (amber) where it is; hidden when all is well.
    The colours follow the light or dark palette."""

    def __init__(self, kind: str = "error") -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {tone(kind).name()};")
        self.setAccessibleName("Problem")
        self.hide()

    def say(self, message: str) -> None:
        self.setText(message)
        self.setVisible(bool(message))
