"""Icons from qtawesome, named once here so the whole window speaks one visual language."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QGuiApplication, QIcon, QPalette

NAMES = {
    "new": "mdi6.file-document-plus-outline",
    "duplicate": "mdi6.content-copy",
    "archive": "mdi6.archive-arrow-down-outline",
    "save": "mdi6.content-save-outline",
    "export": "mdi6.export-variant",
    "settings": "mdi6.cog-outline",
    "bold": "mdi6.format-bold",
    "italic": "mdi6.format-italic",
    "link": "mdi6.link-variant",
    "heading": "mdi6.format-header-pound",
    "quote": "mdi6.format-quote-open",
    "bullets": "mdi6.format-list-bulleted",
    "numbers": "mdi6.format-list-numbered",
    "find": "mdi6.magnify",
    "desktop": "mdi6.monitor",
    "phone": "mdi6.cellphone",
    "search": "mdi6.magnify",
    "saved": "mdi6.check-circle-outline",
    "unsaved": "mdi6.pencil-outline",
    "error": "mdi6.alert-circle-outline",
    "folder": "mdi6.folder-open-outline",
    "undo": "mdi6.undo",
    "sample": "mdi6.newspaper-variant-multiple-outline",
    "history": "mdi6.history",
    "article": "mdi6.newspaper-variant-outline",
    "external": "mdi6.web",
    "pin": "mdi6.pin",
    "lock": "mdi6.lock-outline",
    "warning": "mdi6.alert-outline",
    "up": "mdi6.arrow-up",
    "down": "mdi6.arrow-down",
    "remove": "mdi6.close",
    "merge": "mdi6.call-merge",
    "check-links": "mdi6.web-check",
    "suggest": "mdi6.lightbulb-on-outline",
    "add": "mdi6.plus",
    "image": "mdi6.image-outline",
    "insert-image": "mdi6.image-plus-outline",
    "audio": "mdi6.music-note-outline",
    "media": "mdi6.image-multiple-outline",
    "replace": "mdi6.file-replace-outline",
    "preview": "mdi6.eye-outline",
    "details": "mdi6.dock-right",
    "library": "mdi6.dock-left",
    "focus": "mdi6.fullscreen",
    "redo": "mdi6.redo",
}


def icon(name: str) -> QIcon:
    """The icon for ``name``, drawn in the current palette's text colour."""
    palette = QGuiApplication.palette()
    return _icon(
        name,
        palette.color(QPalette.ColorRole.ButtonText).name(),
        palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText).name(),
    )


@cache
def _icon(name: str, color: str, disabled: str) -> QIcon:
    import qtawesome

    made: QIcon = qtawesome.icon(NAMES[name], color=color, color_disabled=disabled)
    return made
