"""Markdown syntax highlighting for the body editor: calm, readable, palette-aware."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QPalette,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication

from newsdesk.ui.checks.check_marks import redraw, underline

if TYPE_CHECKING:
    from newsdesk.ui.checks.copy_checks import CopyChecks

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("heading", re.compile(r"^#{1,6}\s.*$")),
    ("quote", re.compile(r"^\s*>.*$")),
    ("list", re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")),
    ("rule", re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")),
    ("bold", re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")),
    ("italic", re.compile(r"(?<![*_])([*_])(?=\S)(.+?)(?<=\S)\1(?![*_])")),
    ("code", re.compile(r"`[^`\n]+`")),
    ("link", re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)")),
    ("footnote", re.compile(r"\[\^[^\]\n]+\]:?")),
]
IN_FENCE = 1


LARGE_DOCUMENT = 300_000
"""Characters above which paragraphs not yet checked are checked a slice at a time."""
SLICE_SECONDS = 0.008


class MarkdownHighlighter(QSyntaxHighlighter):
    """Headings, emphasis, quotes, lists, links, code and fenced blocks; and, once given
    :meth:`set_checks`, the underlines of spelling and house style."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.formats = _formats()
        self.checks: CopyChecks | None = None
        self.typing_at: Callable[[QTextBlock], int] = lambda _block: -1
        self._waiting: set[int] = set()  # blocks (by number) to check when there is time
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._check_some)

    def set_checks(
        self, checks: CopyChecks, typing_at: Callable[[QTextBlock], int] | None = None
    ) -> None:
        """Underline the body's problems; ``typing_at(block)`` is where the cursor is in
        that block (the word being typed there is not flagged until it is finished)."""
        self.checks = checks
        if typing_at is not None:
            self.typing_at = typing_at
        checks.changed.connect(lambda: redraw(self))
        redraw(self)

    def highlightBlock(self, text: str) -> None:
        self._markdown(text)
        if self.checks is None or self.currentBlockState() == IN_FENCE:
            return
        problems = self.checks.cached("body", text)
        if problems is None:
            large = self.document().characterCount() > LARGE_DOCUMENT
            if large and self.currentBlock().blockNumber() not in self._waiting:
                # A very long story is checked a slice at a time, never all at once.
                self._waiting.add(self.currentBlock().blockNumber())
                self._timer.start()
                return
            problems = self.checks.problems("body", text)
        underline(self, problems, self.typing_at(self.currentBlock()))

    def _check_some(self) -> None:
        if self.checks is None:
            return
        started = time.perf_counter()
        document = self.document()
        while self._waiting and time.perf_counter() - started < SLICE_SECONDS:
            block = document.findBlockByNumber(self._waiting.pop())
            if block.isValid():
                self.checks.problems("body", block.text())
                redraw(self, block)
        if self._waiting:
            self._timer.start()

    def _markdown(self, text: str) -> None:
        in_fence = self.previousBlockState() == IN_FENCE
        if _FENCE.match(text):
            self.setFormat(0, len(text), self.formats["code"])
            self.setCurrentBlockState(0 if in_fence else IN_FENCE)
            return
        if in_fence:
            self.setFormat(0, len(text), self.formats["code"])
            self.setCurrentBlockState(IN_FENCE)
            return
        self.setCurrentBlockState(0)
        for name, pattern in _RULES:
            for match in pattern.finditer(text):
                self.setFormat(match.start(), match.end() - match.start(), self.formats[name])


def _formats() -> dict[str, QTextCharFormat]:
    palette = QApplication.palette()
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    accent = QColor("#7fb2ff" if dark else "#1d4f91")
    muted = QColor("#9aa4ad" if dark else "#5f6b76")
    link = QColor("#8fd3c1" if dark else "#0b6e5b")
    formats: dict[str, QTextCharFormat] = {}

    def make(
        name: str,
        color: QColor | None = None,
        *,
        bold: bool = False,
        italic: bool = False,
        mono: bool = False,
    ) -> None:
        fmt = QTextCharFormat()
        if color is not None:
            fmt.setForeground(color)
        if bold:
            fmt.setFontWeight(QFont.Weight.Bold)
        if italic:
            fmt.setFontItalic(True)
        if mono:
            fmt.setFontFixedPitch(True)
        formats[name] = fmt

    make("heading", accent, bold=True)
    make("quote", muted, italic=True)
    make("list", accent, bold=True)
    make("rule", muted)
    make("bold", bold=True)
    make("italic", italic=True)
    make("code", muted, mono=True)
    make("link", link)
    make("footnote", muted)
    return formats
