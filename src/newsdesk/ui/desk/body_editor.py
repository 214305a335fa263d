"""The Markdown body editor: highlighting, formatting commands, find and replace."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QGuiApplication,
    QImage,
    QKeySequence,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from newsdesk.core.errors import NewsdeskError
from newsdesk.core.intake.importing import IMPORT_SUFFIXES
from newsdesk.core.intake.rich_text import html_to_markdown, worth_converting
from newsdesk.core.media.media import MediaAsset, MediaKind, image_markdown
from newsdesk.ui.background.tasks import Task
from newsdesk.ui.desk.highlighter import MarkdownHighlighter
from newsdesk.ui.icons import icon
from newsdesk.ui.media.media_adding import Added, MediaTools
from newsdesk.ui.media.media_fields import IMAGE_FILTER

_LIST_PREFIX = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s+")
_HEADING_PREFIX = re.compile(r"^#{1,6}\s+")


class BodyEditor(QPlainTextEdit):
    """A plain-text Markdown editor that knows the newsroom's formatting commands."""

    first_visible_line_changed = Signal(int)
    """The 1-based source line at the top of the view (for the preview to follow)."""
    picture_inserted = Signal(object)
    """A stored picture (:class:`MediaAsset`) was placed in the body."""
    media_problem = Signal(str)
    """A picture could not be added: what is wrong and what to do."""
    paste_converted = Signal(str)
    """Rich text was pasted as Markdown; what it left out, one line each ("" for nothing)."""

    def __init__(self, parent: QWidget | None = None, media: MediaTools | None = None) -> None:
        super().__init__(parent)
        self.media_tools = media
        self._queue: list[tuple[Path | QImage, QTextCursor]] = []
        self.task: Task | None = None
        self._story = 0  # which text the pictures being added belong to
        self.setAccessibleName("Article body")
        self.setPlaceholderText("Write the story here. Markdown: **bold**, _italic_, ## heading")
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabChangesFocus(False)
        self.highlighter = MarkdownHighlighter(self.document())
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.format_actions = self._make_actions()
        self.insert_image_action = self._make_insert_image()
        self.typewriter = False
        self.cursorPositionChanged.connect(self._keep_cursor_centred)

    def set_editor_font(self, family: str, size: int) -> None:
        font = QFont(family, size)
        self.setFont(font)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)

    def set_typewriter(self, on: bool) -> None:
        """Typewriter scrolling: the line being typed stays in the middle of the view."""
        self.typewriter = on
        self.setCenterOnScroll(on)  # lets the last lines scroll up to the middle too
        self._keep_cursor_centred()

    def _keep_cursor_centred(self) -> None:
        if self.typewriter:
            self.centerCursor()

    def paste_plain(self) -> None:
        """Paste the clipboard's text as typed: no formatting, links or pictures."""
        text = QGuiApplication.clipboard().text()
        if text:
            self.insertPlainText(text)

    def first_visible_line(self) -> int:
        return self.firstVisibleBlock().blockNumber() + 1

    def _scrolled(self, _value: int) -> None:
        self.first_visible_line_changed.emit(self.first_visible_line())

    # -- formatting commands --------------------------------------------------------

    def wrap_selection(self, marker: str, placeholder: str = "text") -> None:
        """Surround the selection (or a placeholder, selected) with ``marker``."""
        cursor = self.textCursor()
        selected = cursor.selectedText()
        if (
            selected.startswith(marker)
            and selected.endswith(marker)
            and len(selected) > 2 * len(marker)
        ):
            cursor.insertText(selected[len(marker) : -len(marker)])
            return
        text = selected or placeholder
        cursor.beginEditBlock()
        cursor.insertText(f"{marker}{text}{marker}")
        cursor.endEditBlock()
        if not selected:
            end = cursor.position() - len(marker)
            cursor.setPosition(end - len(text))
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(cursor)

    def bold(self) -> None:
        self.wrap_selection("**")

    def italic(self) -> None:
        self.wrap_selection("_")

    def insert_link(self) -> None:
        url, ok = QInputDialog.getText(self, "Insert link", "Address (https://…):")
        if ok:
            self.link_to(url)

    def link_to(self, url: str) -> None:
        """Make the selection (or placeholder words) a link to ``url``."""
        cursor = self.textCursor()
        text = cursor.selectedText() or "link text"
        cursor.insertText(f"[{text}]({url.strip()})")

    def _for_each_selected_line(self, change: object) -> None:
        cursor = self.textCursor()
        start, end = sorted((cursor.position(), cursor.anchor()))
        block = self.document().findBlock(start)
        last = self.document().findBlock(end)
        cursor.beginEditBlock()
        number = 1
        while block.isValid():
            line = QTextCursor(block)
            line.select(QTextCursor.SelectionType.LineUnderCursor)
            line.insertText(change(block.text(), number))  # type: ignore[operator]
            number += 1
            if block == last:
                break
            block = block.next()
        cursor.endEditBlock()

    def heading(self, level: int = 2) -> None:
        def change(line: str, _n: int) -> str:
            bare = _HEADING_PREFIX.sub("", line)
            current = len(line) - len(line.lstrip("#")) if _HEADING_PREFIX.match(line) else 0
            return bare if current == level else "#" * level + " " + bare

        self._for_each_selected_line(change)

    def quote(self) -> None:
        def change(line: str, _n: int) -> str:
            return line[2:] if line.startswith("> ") else "> " + line

        self._for_each_selected_line(change)

    def bullet_list(self) -> None:
        self._for_each_selected_line(lambda line, _n: _toggle_list(line, lambda _: "- "))

    def numbered_list(self) -> None:
        self._for_each_selected_line(lambda line, n: _toggle_list(line, lambda i: f"{i}. ", n))

    def _make_actions(self) -> list[QAction]:
        """The formatting actions with their icons and usual shortcuts."""
        specs: list[tuple[str, str, QKeySequence | QKeySequence.StandardKey, Callable[[], object]]]
        specs = [
            ("bold", "Bold", QKeySequence.StandardKey.Bold, self.bold),
            ("italic", "Italic", QKeySequence.StandardKey.Italic, self.italic),
            ("link", "Link", QKeySequence("Ctrl+K"), self.insert_link),
            ("heading", "Heading", QKeySequence("Ctrl+Alt+2"), lambda: self.heading(2)),
            ("quote", "Block quote", QKeySequence("Ctrl+Shift+Q"), self.quote),
            ("bullets", "Bulleted list", QKeySequence("Ctrl+Shift+8"), self.bullet_list),
            ("numbers", "Numbered list", QKeySequence("Ctrl+Shift+7"), self.numbered_list),
        ]
        result = []
        for name, text, shortcut, slot in specs:
            action = QAction(icon(name), text, self)
            action.setShortcut(shortcut)
            if isinstance(shortcut, QKeySequence.StandardKey):
                action.setProperty("standard", shortcut.name)  # Bold and Italic are Qt's
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(f"{text} ({QKeySequence(shortcut).toString()})")
            action.triggered.connect(slot)
            self.addAction(action)
            result.append(action)
        return result

    # -- pictures -------------------------------------------------------------------

    def _make_insert_image(self) -> QAction:
        action = QAction(icon("insert-image"), "Insert image…", self)
        action.setShortcut(QKeySequence("Ctrl+Shift+I"))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip("Insert a picture at the cursor (Ctrl+Shift+I); or drop or paste one")
        action.triggered.connect(self.choose_image)
        action.setEnabled(self.media_tools is not None)
        self.addAction(action)
        return action

    def set_media_tools(self, tools: MediaTools) -> None:
        self.media_tools = tools
        self.insert_image_action.setEnabled(True)

    def choose_image(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Insert image", "", IMAGE_FILTER)
        self.insert_images([Path(p) for p in paths])

    def insert_images(self, items: list[Path | QImage], at: QTextCursor | None = None) -> None:
        """Store each file (or clipboard picture) off the GUI thread and place it in the
        body at ``at`` (the cursor by default), in order, each on its own paragraph."""
        if self.media_tools is None:
            self.media_problem.emit("Pictures cannot be added: there is no store to keep them.")
            return
        anchor = QTextCursor(at if at is not None else self.textCursor())
        anchor.clearSelection()
        for item in items:
            self._queue.append((item, anchor))
        if self.task is None:
            self._next()

    def _next(self) -> None:
        assert self.media_tools is not None
        if not self._queue:
            self.task = None
            return
        item, anchor = self._queue.pop(0)
        adder = self.media_tools.adder
        try:
            if isinstance(item, QImage):
                task = adder.add_image(item)
            else:
                task = adder.add_file(item, MediaKind.IMAGE)
        except NewsdeskError as exc:
            self.media_problem.emit(str(exc))
            self._next()
            return
        self.task = task
        story = self._story
        task.finished.connect(lambda added: self._place(added, anchor, story))
        task.failed.connect(self._refused)

    def forget_pending(self) -> None:
        """Another story is shown: pictures still being added are not placed in it (they
        stay in the media library)."""
        self._queue.clear()
        self._story += 1

    def _place(self, added: Added, anchor: QTextCursor, story: int) -> None:
        if story == self._story:
            self.insert_picture(added.asset, anchor)
        self._next()

    def _refused(self, message: str) -> None:
        self.media_problem.emit(message)
        self._next()

    def insert_picture(self, asset: MediaAsset, at: QTextCursor | None = None) -> None:
        """Place ``![alt](media:KEY "caption")`` on a paragraph of its own at ``at``: after
        the paragraph the cursor is in (a paragraph is never split), blank lines around."""
        cursor = QTextCursor(at if at is not None else self.textCursor())
        cursor.clearSelection()
        if not cursor.atBlockEnd() and not cursor.atBlockStart():
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        text = self.toPlainText()
        position = cursor.position()
        before, after = text[:position], text[position:]
        prefix, suffix = _blank_lines_around(before, after)
        cursor.beginEditBlock()
        cursor.insertText(prefix + image_markdown(asset.key, asset.alt, asset.caption) + suffix)
        cursor.endEditBlock()
        if at is not None:
            at.setPosition(cursor.position())  # the next picture of a drop goes after this one
        self.setTextCursor(cursor)
        self.picture_inserted.emit(asset)

    # -- drops and pastes -----------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        files = _local_files(event.mimeData())
        if files and all(p.suffix.lower() in IMPORT_SUFFIXES for p in files):
            event.ignore()  # stories, not pictures: the window imports them
            return
        if files and self.media_tools is not None:
            event.acceptProposedAction()
            return
        super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if _local_files(event.mimeData()) and self.media_tools is not None:
            event.acceptProposedAction()
            return
        super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        files = _local_files(event.mimeData())
        if files and self.media_tools is not None:
            event.acceptProposedAction()
            at = self.cursorForPosition(event.position().toPoint())
            self.insert_images(list(files), at)
            return
        super().dropEvent(event)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        if self.media_tools is not None and (_clipboard_image(source) or _local_files(source)):
            return True
        return super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        """A picture or picture files pasted become stored pictures; text stays text."""
        if self.media_tools is not None:
            files = _local_files(source)
            if files:
                self.insert_images(list(files))
                return
            if _clipboard_image(source):
                image = source.imageData()
                if isinstance(image, QImage) and not image.isNull():
                    self.insert_images([image])
                    return
        if source.hasHtml() and worth_converting(source.html()):
            self.paste_rich(source.html(), _source_url(source))
            return
        super().insertFromMimeData(source)

    def paste_rich(self, html: str, base_url: str = "") -> None:
        """Rich text (a web page, Google Docs, Word) pasted as clean Markdown: blocks stand
        apart between blank lines, a phrase goes in where the cursor is."""
        converted = html_to_markdown(html, base_url=base_url)
        text = converted.markdown.strip("\n")
        if text:
            self._insert_block_or_phrase(text)
        self.paste_converted.emit("\n".join(converted.dropped))

    def _insert_block_or_phrase(self, text: str) -> None:
        cursor = self.textCursor()
        if "\n" in text:
            whole = self.toPlainText()
            start, end = cursor.selectionStart(), cursor.selectionEnd()
            prefix, suffix = _blank_lines_around(whole[:start], whole[end:])
            text = prefix + text + suffix
        cursor.insertText(text)
        self.setTextCursor(cursor)


def _blank_lines_around(before: str, after: str) -> tuple[str, str]:
    """What to put before and after a block inserted between ``before`` and ``after`` so
    that it stands alone, between blank lines (and the cursor lands on a fresh line)."""
    ends = len(before) - len(before.rstrip("\n"))
    starts = len(after) - len(after.lstrip("\n"))
    prefix = "\n" * max(0, 2 - ends) if before else ""
    suffix = "\n" * max(0, 2 - starts)
    return prefix, suffix


def _source_url(mime: QMimeData) -> str:
    """The page the rich text was copied from, where the browser says (Firefox does)."""
    for kind in ("text/x-moz-url-priv", "text/x-moz-url"):
        raw = bytes(mime.data(kind).data())
        if raw:
            text = raw.decode("utf-16-le" if b"\x00" in raw else "utf-8", "replace")
            return text.split("\n", 1)[0].strip("\x00 \r")
    return ""


def _local_files(mime: QMimeData) -> list[Path]:
    """Files dragged or copied from a file manager (web addresses are not files)."""
    if not mime.hasUrls():
        return []
    urls = mime.urls()
    if not urls or not all(url.isLocalFile() for url in urls):
        return []
    return [Path(url.toLocalFile()) for url in urls]


def _clipboard_image(mime: QMimeData) -> bool:
    """A picture with no text beside it (a word processor copies both: that is text)."""
    return mime.hasImage() and not mime.text().strip()


def _toggle_list(line: str, marker: object, number: int = 1) -> str:
    match = _LIST_PREFIX.match(line)
    if match:
        return line[match.end() :]
    return str(marker(number)) + line  # type: ignore[operator]


class FindBar(QWidget):
    """Find and replace in the body, shown with Ctrl+F / Ctrl+H, hidden with Escape."""

    def __init__(self, editor: BodyEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.find_edit = QLineEdit(placeholderText="Find")
        self.replace_edit = QLineEdit(placeholderText="Replace with")
        self.case = QCheckBox("Match case")
        self.status = QLabel()
        self.find_edit.setAccessibleName("Find")
        self.replace_edit.setAccessibleName("Replace with")
        next_button = QPushButton("Next")
        self.replace_button = QPushButton("Replace")
        self.all_button = QPushButton("All")
        self.all_button.setToolTip("Replace every match")
        close = QToolButton()
        close.setText("×")
        close.setToolTip("Close (Esc)")
        close.setAutoRaise(True)
        # Two short rows, each shrinking with the column: opening the bar never widens the
        # writing column (one long row pushed the panes apart and they stayed so).
        find_row = QHBoxLayout()
        for widget in (self.find_edit, next_button, self.case, self.status, close):
            find_row.addWidget(widget)
        self.replace_row = QWidget()
        replace_row = QHBoxLayout(self.replace_row)
        replace_row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.replace_edit, self.replace_button, self.all_button):
            replace_row.addWidget(widget)
        for edit in (self.find_edit, self.replace_edit):
            edit.setMinimumWidth(80)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        layout.addLayout(find_row)
        layout.addWidget(self.replace_row)
        next_button.clicked.connect(self.find_next)
        self.find_edit.returnPressed.connect(self.find_next)
        self.replace_button.clicked.connect(self.replace_one)
        self.all_button.clicked.connect(self.replace_all)
        close.clicked.connect(self.close_bar)
        self.hide()

    def open(self, *, replace: bool) -> None:
        self.show()
        self.replace_row.setVisible(replace)
        selected = self.editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_edit.setText(selected)
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.editor.setFocus()

    def keyPressEvent(self, event: object) -> None:
        if getattr(event, "key", lambda: None)() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]

    def _flags(self) -> QTextDocument.FindFlag:
        if self.case.isChecked():
            return QTextDocument.FindFlag.FindCaseSensitively
        return QTextDocument.FindFlag(0)

    def find_next(self) -> bool:
        needle = self.find_edit.text()
        if not needle:
            return False
        if self.editor.find(needle, self._flags()):
            self.status.setText("")
            return True
        cursor = self.editor.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        self.editor.setTextCursor(cursor)
        found = self.editor.find(needle, self._flags())
        self.status.setText("" if found else "Not found")
        return found

    def replace_one(self) -> None:
        cursor = self.editor.textCursor()
        needle = self.find_edit.text()
        selected = cursor.selectedText()
        same = selected == needle if self.case.isChecked() else selected.lower() == needle.lower()
        if needle and same:
            cursor.insertText(self.replace_edit.text())
        self.find_next()

    def replace_all(self) -> int:
        needle = self.find_edit.text()
        if not needle:
            return 0
        document = self.editor.document()
        cursor = QTextCursor(document)
        count = 0
        edit = QTextCursor(document)
        edit.beginEditBlock()
        while True:
            cursor = document.find(needle, cursor, self._flags())
            if cursor.isNull():
                break
            cursor.insertText(self.replace_edit.text())
            count += 1
        edit.endEditBlock()
        self.status.setText(f"Replaced {count}")
        return count


def formatting_toolbar(editor: BodyEditor, parent: QWidget | None = None) -> QToolBar:
    bar = QToolBar("Formatting", parent)
    bar.setIconSize(bar.iconSize() * 0.8)
    for action in editor.format_actions:
        bar.addAction(action)
    bar.addSeparator()
    bar.addAction(editor.insert_image_action)
    return bar
