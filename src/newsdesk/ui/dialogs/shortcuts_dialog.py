"""Help ▸ Keyboard shortcuts: every command of the window and its keys, searchable."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

EXTRA = (
    ("Focus mode", "Leave focus mode", "Esc"),
    ("Find", "Close the find bar", "Esc"),
)
"""Keys that belong to no menu command."""


def keys_text(action: QAction) -> str:
    """The action's shortcuts as the platform writes them, ``Ctrl+Shift+Z, Ctrl+Y``."""
    native = QKeySequence.SequenceFormat.NativeText
    return ", ".join(seq.toString(native) for seq in action.shortcuts() if not seq.isEmpty())


def shortcut_rows(
    menus: Sequence[QMenu], panels: Sequence[tuple[str, Sequence[QAction]]] = ()
) -> list[tuple[str, str, str]]:
    """(group, command, keys) for every menu command and panel action, menu order."""
    rows: list[tuple[str, str, str]] = []
    groups = [(menu.title().replace("&", ""), menu.actions()) for menu in menus]
    for group, actions in [*groups, *panels]:
        for action in actions:
            if action.isSeparator() or not action.text():
                continue
            rows.append((group, action.text().replace("&", "").rstrip("…"), keys_text(action)))
    rows.extend(EXTRA)
    return rows


class ShortcutsDialog(QDialog):
    """A searchable list of every command and its keys."""

    def __init__(
        self,
        menus: Sequence[QMenu],
        parent: QWidget | None = None,
        panels: Sequence[tuple[str, Sequence[QAction]]] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.filter = QLineEdit(placeholderText="Find a command or a key")
        self.filter.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Command", "Keys"])
        self.tree.setRootIsDecorated(False)
        groups: dict[str, QTreeWidgetItem] = {}
        for group, command, keys in shortcut_rows(menus, panels):
            parent_item = groups.get(group)
            if parent_item is None:
                parent_item = QTreeWidgetItem(self.tree, [group])
                font = parent_item.font(0)
                font.setBold(True)
                parent_item.setFont(0, font)
                groups[group] = parent_item
            QTreeWidgetItem(parent_item, [command, keys])
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self._filter)
        self.resize(520, 640)

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            if group is None:
                continue
            shown = 0
            for j in range(group.childCount()):
                item = group.child(j)
                if item is None:
                    continue
                match = not needle or needle in f"{item.text(0)} {item.text(1)}".lower()
                item.setHidden(not match)
                shown += match
            group.setHidden(shown == 0)
