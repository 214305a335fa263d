"""Light or dark, as the system says (or as asked): one calm Fusion palette for each."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

Role = QPalette.ColorRole


TONES = {
    "error": ("#b3261e", "#ff8a80"),
    "caution": ("#8a5300", "#ffb74d"),
    "note": ("#8a6d00", "#e6c65a"),
}
"""Colours that say something (wrong, not ready, worth a look): light and dark versions,
each readable on its palette's background."""


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether ``palette`` (the application's by default) is a dark one."""
    palette = palette or QGuiApplication.palette()
    return palette.color(Role.Window).lightness() < 128


def tone(kind: str, palette: QPalette | None = None) -> QColor:
    """The colour for ``kind`` ("error", "caution", "note") on ``palette``."""
    light, dark = TONES[kind]
    return QColor(dark if is_dark(palette) else light)


def wants_dark(app: QGuiApplication) -> bool:
    asked = os.environ.get("NEWSDESK_COLOR_SCHEME", "").lower()
    if asked in {"dark", "light"}:
        return asked == "dark"
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def apply_palette(app: QApplication, *, dark: bool | None = None) -> bool:
    """Use Fusion with a light or dark palette; return whether it is dark."""
    app.setStyle("Fusion")
    dark = wants_dark(app) if dark is None else dark
    palette = QPalette()
    if dark:
        colours = {
            Role.Window: "#1f2227",
            Role.WindowText: "#e6e6e6",
            Role.Base: "#16181c",
            Role.AlternateBase: "#23262c",
            Role.Text: "#e6e6e6",
            Role.Button: "#2a2d33",
            Role.ButtonText: "#e6e6e6",
            Role.Highlight: "#3d6fb6",
            Role.HighlightedText: "#ffffff",
            Role.ToolTipBase: "#2a2d33",
            Role.ToolTipText: "#e6e6e6",
            Role.PlaceholderText: "#8b929a",
            Role.Link: "#7fb2ff",
        }
    else:
        colours = {
            Role.Window: "#f3f2ef",
            Role.WindowText: "#1c1c1c",
            Role.Base: "#ffffff",
            Role.AlternateBase: "#f7f6f3",
            Role.Text: "#1c1c1c",
            Role.Button: "#ebe9e4",
            Role.ButtonText: "#1c1c1c",
            Role.Highlight: "#1d4f91",
            Role.HighlightedText: "#ffffff",
            Role.ToolTipBase: "#fffbe6",
            Role.ToolTipText: "#1c1c1c",
            Role.PlaceholderText: "#767676",
            Role.Link: "#1d4f91",
        }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, Role.Text, QColor("#8b929a"))
    palette.setColor(QPalette.ColorGroup.Disabled, Role.WindowText, QColor("#8b929a"))
    app.setPalette(palette)
    return dark
