"""Markdown syntax highlighting for the body editor: calm, readable, palette-aware."""

from __future__ import annotations

import re

from PySide6.QtGui import (
    QColor,
    QFont,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication

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


class MarkdownHighlighter(QSyntaxHighlighter):
    """Headings, emphasis, quotes, lists, links, code and fenced blocks."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.formats = _formats()

    def highlightBlock(self, text: str) -> None:
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
