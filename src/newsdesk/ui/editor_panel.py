"""The centre of the window: the metadata form above the Markdown body."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from newsdesk.core import text
from newsdesk.core.models import Article
from newsdesk.ui.body_editor import BodyEditor, FindBar, formatting_toolbar
from newsdesk.ui.metadata_form import MetadataForm


class EditorPanel(QWidget):
    """Edits one article; says when anything changed and what the article now is."""

    edited = Signal()
    """The user changed the article (any field or the body)."""
    counts_changed = Signal(int, int, int)
    """Words, characters and minutes of reading of the body as it stands."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = MetadataForm()
        self.body = BodyEditor()
        self.toolbar = formatting_toolbar(self.body, self)
        self.find_bar = FindBar(self.body)
        body_box = QWidget()
        body_layout = QVBoxLayout(body_box)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(2)
        body_layout.addWidget(self.toolbar)
        body_layout.addWidget(self.body, 1)
        body_layout.addWidget(self.find_bar)
        self.splitter = QSplitter()
        self.splitter.setOrientation(self.splitter.orientation().Vertical)
        self.splitter.addWidget(self.form)
        self.splitter.addWidget(body_box)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self._loading = False
        # Counting a long body takes milliseconds: do it when typing pauses, not per key.
        self._count_timer = QTimer(self, singleShot=True, interval=250)
        self._count_timer.timeout.connect(self._emit_counts)
        self.form.changed.connect(self._changed)
        self.body.textChanged.connect(self._body_changed)
        QShortcut(QKeySequence.StandardKey.Find, self, lambda: self.find_bar.open(replace=False))
        QShortcut(QKeySequence.StandardKey.Replace, self, lambda: self.find_bar.open(replace=True))
        QShortcut(QKeySequence("Ctrl+H"), self, lambda: self.find_bar.open(replace=True))
        self.setEnabled(False)

    def load(self, article: Article) -> None:
        """Show ``article`` for editing (nothing is reported as edited)."""
        self._loading = True
        try:
            self.form.load(article)
            if self.body.toPlainText() != article.body:
                self.body.setPlainText(article.body)
            self.setEnabled(True)
        finally:
            self._loading = False
        self._emit_counts()

    def clear(self) -> None:
        self._loading = True
        self.body.clear()
        self._loading = False
        self.setEnabled(False)

    def article(self, base: Article) -> Article:
        """``base`` with everything on screen applied."""
        return dataclasses.replace(self.form.apply_to(base), body=self.body.toPlainText())

    def _changed(self) -> None:
        if not self._loading:
            self.edited.emit()

    def _body_changed(self) -> None:
        if self._loading:
            return
        # A very long body is counted less often: counting it takes a while.
        long_body = self.body.document().characterCount() > 400_000
        self._count_timer.start(1500 if long_body else 250)
        self.edited.emit()

    def _emit_counts(self) -> None:
        body = self.body.toPlainText()
        words = text.word_count(body)
        self.counts_changed.emit(words, text.char_count(body), text.reading_minutes(words))
