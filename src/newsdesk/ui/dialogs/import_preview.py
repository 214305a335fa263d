"""What an import will store, shown before anything is stored: each article as it will
read, its pictures, and what was left out or changed on the way in, and why."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from newsdesk.core.intake.importing import ImportPlan
from newsdesk.core.models import Article


def summary(plan: ImportPlan) -> str:
    """ "2 articles with 3 pictures and audio files (1 already in the store)"."""
    count = len(plan.articles)
    words = f"{count} article{'s' if count != 1 else ''}"
    files = len(plan.media) + len(plan.reused)
    if files:
        words += f" with {files} picture{'s' if files != 1 else ''} and audio files"
        if plan.reused:
            words += f" ({len(plan.reused)} already in the store)"
    return words


def article_text(article: Article) -> str:
    """The article as the preview shows it: its fields, then the Markdown body."""
    lines = [f"Headline: {article.headline}"]
    for label, value in (
        ("Standfirst", article.standfirst),
        ("Byline", article.byline),
        ("Note", article.editor_note),
    ):
        if value:
            lines.append(f"{label}: {value}")
    return "\n".join(lines) + "\n\n" + article.body


class ImportPreview(QDialog):
    """The plan of an import, to store or to cancel."""

    def __init__(self, plan: ImportPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle("Import")
        self.resize(900, 640)
        self.heading = QLabel(f"<b>Import {summary(plan)}?</b> Nothing is stored until you say so.")
        self.articles = QListWidget()
        self.articles.setAccessibleName("Articles to import")
        for article in plan.articles:
            words = len(article.body.split())
            self.articles.addItem(f"{article.headline} · {words:,} words")
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("The article as it will be stored")
        self.notes = QPlainTextEdit()
        self.notes.setReadOnly(True)
        self.notes.setAccessibleName("Left out or changed")
        self.notes.setPlainText(
            "\n".join(plan.notes) if plan.notes else "Nothing was left out or changed."
        )
        self.notes.setMaximumHeight(120)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.articles)
        split.addWidget(self.text)
        split.setSizes([280, 620])
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(split, 1)
        layout.addWidget(QLabel("Left out or changed on the way in:"))
        layout.addWidget(self.notes)
        layout.addWidget(buttons)
        self.articles.currentRowChanged.connect(self._show)
        if plan.articles:
            self.articles.setCurrentRow(0)

    def _show(self, row: int) -> None:
        if 0 <= row < len(self.plan.articles):
            self.text.setPlainText(article_text(self.plan.articles[row]))
