"""A short message in place, under the field it is about."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


class Problem(QLabel):
    """Says what is wrong (red) or not ready (amber) where it is; hidden when all is well."""

    def __init__(self, color: str = "#b3261e") -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {color};")
        self.setAccessibleName("Problem")
        self.hide()

    def say(self, message: str) -> None:
        self.setText(message)
        self.setVisible(bool(message))
