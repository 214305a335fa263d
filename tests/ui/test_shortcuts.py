"""Every command's keys: no two commands share one, none takes a key the platform reserves
for something else, and Help ▸ Keyboard shortcuts lists them all."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from PySide6.QtGui import QAction, QKeySequence, QShortcut

from newsdesk.ui.dialogs.shortcuts_dialog import ShortcutsDialog, shortcut_rows

NATIVE = QKeySequence.SequenceFormat.PortableText


def standard_keys() -> dict[str, set[str]]:
    """Each key the platform binds to a standard command: the commands' names."""
    bound: dict[str, set[str]] = defaultdict(set)
    for member in QKeySequence.StandardKey:
        for seq in QKeySequence.keyBindings(member):
            bound[seq.toString(NATIVE)].add(member.name)
    return bound


def bindings(window: Any) -> dict[str, list[str]]:
    """Key -> the commands (actions and shortcuts) of the window that answer to it."""
    found: dict[str, list[str]] = defaultdict(list)
    for action in window.findChildren(QAction):
        for seq in action.shortcuts():
            if not seq.isEmpty():
                found[seq.toString(NATIVE)].append(action.text() or action.objectName())
    for shortcut in window.findChildren(QShortcut):
        for seq in shortcut.keys():  # noqa: SIM118 (a QShortcut's keys, not a dict's)
            found[seq.toString(NATIVE)].append(f"shortcut {seq.toString(NATIVE)}")
    return found


def test_no_two_commands_share_a_key(make_window: Any, sample_store: Any) -> None:
    window = make_window(sample_store)
    shared = {key: names for key, names in bindings(window).items() if len(names) > 1}
    assert shared == {}


def test_no_command_takes_a_key_the_platform_reserves_for_another(
    make_window: Any, sample_store: Any
) -> None:
    window = make_window(sample_store)
    reserved = standard_keys()
    wrong = []
    for action in window.findChildren(QAction):
        claims = action.property("standard")
        for seq in action.shortcuts():
            key = seq.toString(NATIVE)
            if key in reserved and claims not in reserved[key]:
                wrong.append((action.text(), key, sorted(reserved[key])))
    assert wrong == []


def test_the_keys_people_expect(make_window: Any, sample_store: Any) -> None:
    window = make_window(sample_store)
    c = window.commands

    def keys(action: QAction) -> list[str]:
        return [s.toString(NATIVE) for s in action.shortcuts()]

    assert "Ctrl+Z" in keys(c.undo)
    assert {"Ctrl+Shift+Z", "Ctrl+Y"} <= set(keys(c.redo))
    assert keys(c.paste_plain) == ["Ctrl+Shift+V"]
    assert "Ctrl+F" in keys(c.find) and "Ctrl+H" in keys(c.replace)
    edit_menu = next(m for m in c.menus if m.title() == "&Edit")
    assert {c.undo, c.redo, c.find, c.replace, c.paste_plain} <= set(edit_menu.actions())


def test_the_shortcuts_list_names_every_menu_command(
    qtbot: Any, make_window: Any, sample_store: Any
) -> None:
    window = make_window(sample_store)
    rows = shortcut_rows(window.commands.menus)
    listed = {(command, keys) for _group, command, keys in rows}
    assert ("Undo", "Ctrl+Z, Alt+Backspace") in listed or any(
        command == "Undo" and keys.startswith("Ctrl+Z") for command, keys in listed
    )
    for menu in window.commands.menus:
        for action in menu.actions():
            if action.text():
                assert any(command == action.text().replace("&", "").rstrip("…")
                           for command, _ in listed), action.text()  # fmt: skip
    dialog = ShortcutsDialog(window.commands.menus, window)
    qtbot.addWidget(dialog)
    dialog.filter.setText("plain")
    visible = [
        dialog.tree.topLevelItem(i).child(j).text(0)
        for i in range(dialog.tree.topLevelItemCount())
        for j in range(dialog.tree.topLevelItem(i).childCount())
        if not dialog.tree.topLevelItem(i).child(j).isHidden()
    ]
    assert visible == ["Paste as plain text"]
