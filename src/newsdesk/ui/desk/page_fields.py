"""The fields at the top of the page: a headline and a standfirst that wrap and grow."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QTextCursor
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QSizePolicy, QWidget


class GrowingText(QPlainTextEdit):
    """A few lines of plain text that grow with what is typed, up to ``max_lines``."""

    def __init__(
        self, *, min_lines: int = 2, max_lines: int = 4, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.min_lines = min_lines
        self.max_lines = max_lines
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setTabChangesFocus(True)
        self._fitting = False
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    def setFont(self, font: QFont | str | Sequence[str]) -> None:
        super().setFont(font)
        self._fit()

    def _fit(self, *_args: object) -> None:
        if self._fitting:  # a scroll bar shown or hidden re-wraps the text: once is enough
            return
        self._fitting = True
        try:
            self._fit_now()
        finally:
            self._fitting = False

    def _fit_now(self) -> None:
        # A plain-text document's height is counted in lines, wrapped lines included.
        lines = int(self.document().size().height())
        shown = max(self.min_lines, min(self.max_lines, lines))
        policy = (
            Qt.ScrollBarPolicy.ScrollBarAsNeeded
            if lines > self.max_lines
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        if policy != self.verticalScrollBarPolicy():
            self.setVerticalScrollBarPolicy(policy)
        margins = self.contentsMargins()
        height = (
            self.fontMetrics().lineSpacing() * shown
            + 2 * round(self.document().documentMargin())
            + margins.top()
            + margins.bottom()
            + 2
        )
        if height != self.height():
            self.setFixedHeight(height)


class HeadlineEdit(GrowingText):
    """One line of text that wraps instead of scrolling sideways: a long headline shows
    whole. Enter moves on to the standfirst; pasted line breaks become spaces.

    Speaks enough of QLineEdit's language (``text``, ``setText``, ``textEdited``) for the
    form to treat it as one.
    """

    textEdited = Signal(str)  # noqa: N815 (QLineEdit's name)
    """The user changed the text (not emitted by :meth:`setText`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(min_lines=1, max_lines=3, parent=parent)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self._setting = False
        self.textChanged.connect(self._changed)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self._setting = True
        try:
            self.setPlainText(" ".join(text.splitlines()))
        finally:
            self._setting = False

    def setCursorPosition(self, position: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(max(0, min(position, len(self.text()))))
        self.setTextCursor(cursor)

    def end(self, mark: bool = False) -> None:
        mode = QTextCursor.MoveMode.KeepAnchor if mark else QTextCursor.MoveMode.MoveAnchor
        cursor = self.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End, mode)
        self.setTextCursor(cursor)

    def _changed(self) -> None:
        if not self._setting:
            self.textEdited.emit(self.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.focusNextChild()
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:
        text = source.text()
        if text:
            self.insertPlainText(" ".join(text.split()))
