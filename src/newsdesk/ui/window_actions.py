"""Every command of the main window: its action, shortcut, menu and toolbar place.

Shortcuts follow the platform (Qt's standard keys) wherever one exists; an action that
takes a standard key says which (``standard`` property), so a test can prove no action
takes another's key. Help ▸ Keyboard shortcuts lists them all from these menus.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from newsdesk.ui.desk.desk_layout import Pane
from newsdesk.ui.icons import icon

if TYPE_CHECKING:
    from newsdesk.ui.main_window import MainWindow

StandardKey = QKeySequence.StandardKey


class WindowActions:
    """The window's commands, built once; ``window.commands`` holds them."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        w = window
        edit = w.edit_commands
        find = w.editor.find_bar
        make = self._make
        # File
        self.new = make("&New article", w.new_article, StandardKey.New, "new")
        self.duplicate = make("&Duplicate", w.duplicate_current, None, "duplicate")
        self.save = make("&Save now", w.save_now, StandardKey.Save, "save")
        self.import_ = make("&Import…", w.imports.choose)
        self.export = make("&Export…", w.exports.archive, "Ctrl+E", "export")
        self.export.setToolTip("Hand off the archive, by status and section (Ctrl+E)")
        self.export_story = make("Export this &story…", w.exports.this_story, "Ctrl+Shift+E",
                                 "export")  # fmt: skip
        self.export_story.setToolTip("Hand off the story in the editor (Ctrl+Shift+E)")
        self.export_story.setEnabled(False)  # until a story is open
        self.export_selected = make("Export se&lected stories…", w.exports.selected, None, "export")
        self.export_selected.setToolTip("Hand off the stories selected in the library")
        self.settings = make("Se&ttings…", w.open_settings, "Ctrl+,", "settings")
        self.quit = make("&Quit", w.close, "Ctrl+Q")
        # Edit
        self.undo = make("&Undo", edit.undo, StandardKey.Undo, "undo")
        self.redo = make("&Redo", edit.redo, StandardKey.Redo, "redo")
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.cut = make("Cu&t", edit.cut, StandardKey.Cut)
        self.copy = make("&Copy", edit.copy, StandardKey.Copy)
        self.paste = make("&Paste", edit.paste, StandardKey.Paste)
        self.paste_plain = make("Paste as plain te&xt", edit.paste_plain, "Ctrl+Shift+V")
        self.select_all = make("Select &all", edit.select_all, StandardKey.SelectAll)
        self.find = make("&Find…", lambda: find.open(replace=False), StandardKey.Find, "search")
        self.find_next = make("Find &next", w.find_next, StandardKey.FindNext)
        self.replace = make("R&eplace…", lambda: find.open(replace=True), StandardKey.Replace)
        # Article
        self.history = make("&History…", w.open_history, "Ctrl+Alt+H", "history")
        self.history.setToolTip("Every revision of this article: compare and restore")
        self.related = make("&Related articles", w.show_related, "Ctrl+Shift+L", "article")
        # View
        self.library = make("&Library", lambda: w.desk.toggle(Pane.LIBRARY), "Ctrl+1", "library")
        self.inspector = make("&Details", lambda: w.desk.toggle(Pane.INSPECTOR), "Ctrl+2",
                              "details")  # fmt: skip
        self.inspector.setToolTip("Byline, section, tags, status, media, links (Ctrl+2)")
        self.preview = make("&Preview", lambda: w.desk.toggle(Pane.PREVIEW), "Ctrl+3", "preview")
        for act in (self.library, self.inspector, self.preview):
            act.setCheckable(True)
        self.phone = make("P&hone width", w.toggle_phone, "Ctrl+Shift+P", "phone")
        self.phone.setCheckable(True)
        self.focus = make("&Focus mode", w.toggle_focus, StandardKey.FullScreen, "focus")
        self.focus.setCheckable(True)
        self.focus.setToolTip("Full screen, just the headline, standfirst and text (F11)")
        self.typewriter = make("&Typewriter scrolling", w.toggle_typewriter)
        self.typewriter.setCheckable(True)
        self.search = make("&Search the library", w.focus_search, "Ctrl+Shift+F", "search")
        self.media = make("&Media library", w.media_view.open_library, "Ctrl+Shift+M", "media")
        self.media.setToolTip("Every picture and audio file in the store (Ctrl+Shift+M)")
        # Help
        self.shortcuts = make("&Keyboard shortcuts", w.show_shortcuts,
                              StandardKey.HelpContents)  # fmt: skip
        self._menus()
        self._toolbar()

    def _make(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: str | StandardKey | None = None,
        icon_name: str = "",
    ) -> QAction:
        act = QAction(text, self.window)
        if icon_name:
            act.setIcon(icon(icon_name))
        if isinstance(shortcut, StandardKey):
            act.setShortcuts(shortcut)
            act.setProperty("standard", shortcut.name)
        elif shortcut:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(act)  # its shortcut works while the menu bar is hidden too
        return act

    def _menus(self) -> None:
        w = self.window
        body = w.editor.body
        menus = w.menuBar()
        self.menus: list[QMenu] = []
        self.import_site = self._make("Import s&ite…", lambda: _open_site_import(w))
        # The window builds its sync after its actions: looked up when chosen.
        self.sync = self._make("S&ync now", lambda: w.syncing.sync_now())  # noqa: PLW0108
        self.sync.setToolTip("Send your changes to the newsroom server and bring its back")
        layout: list[tuple[str, list[QAction | None]]] = [
            ("&File", [self.new, self.duplicate, self.save, None, self.import_, self.import_site,
                       self.export, self.export_story, self.export_selected, None, self.sync, None,
                       self.settings, None, self.quit]),
            ("&Edit", [self.undo, self.redo, None, self.cut, self.copy, self.paste,
                       self.paste_plain, self.select_all, None, self.find, self.find_next,
                       self.replace, None, *body.format_actions, body.insert_image_action]),
            ("&Article", [self.history, self.related, self.export_story]),
            ("&View", [self.library, self.inspector, self.preview, self.phone, None,
                       self.focus, self.typewriter, None, self.search, self.media]),
            ("&Help", [self.shortcuts]),
        ]  # fmt: skip
        for title, actions in layout:
            menu = menus.addMenu(title)
            for act in actions:
                if act is None:
                    menu.addSeparator()
                else:
                    menu.addAction(act)
            self.menus.append(menu)

    def _toolbar(self) -> None:
        toolbar = self.window.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        for act in (self.new, self.save, self.history, self.media, self.export, None,
                    self.library, self.inspector, self.preview, self.phone, None,
                    self.settings):  # fmt: skip
            if act is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(act)
        self.toolbar: QToolBar = toolbar


def _open_site_import(window: MainWindow) -> None:
    """File ▸ Import site… (a Hugo or Jekyll archive), loaded only when chosen."""
    from newsdesk.ui.dialogs.import_site import open_site_import

    open_site_import(window)
