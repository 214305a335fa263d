"""When a save lost a race: show what changed, and let the journalist choose."""

from __future__ import annotations

import difflib
import html

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from newsdesk.core.models import Article


def text_diff_html(old: str, new: str, old_label: str, new_label: str) -> str:
    """A readable line diff: removed lines struck through in red, added in green."""
    rows = []
    for line in difflib.unified_diff(
        old.splitlines(), new.splitlines(), old_label, new_label, lineterm="", n=2
    ):
        escaped = html.escape(line)
        if line.startswith("+") and not line.startswith("+++"):
            rows.append(f'<div style="background:#e6ffec;color:#05400f">{escaped}</div>')
        elif line.startswith("-") and not line.startswith("---"):
            rows.append(f'<div style="background:#ffebe9;color:#67060c">{escaped}</div>')
        else:
            rows.append(f"<div style='color:#57606a'>{escaped}</div>")
    return (
        "<pre style='white-space:pre-wrap'>" + "".join(rows) + "</pre>"
        if rows
        else ("<p>The texts are the same; only other fields differ.</p>")
    )


def article_text(article: Article) -> str:
    fields = [
        ("Headline", article.headline),
        ("Kicker", article.kicker),
        ("Standfirst", article.standfirst),
        ("Byline", article.byline),
        ("Status", article.status.label),
        ("Tags", ", ".join(article.tags)),
    ]
    head = "\n".join(f"{name}: {value}" for name, value in fields)
    return f"{head}\n\n{article.body}"


class ConflictDialog(QDialog):
    """Keep mine, take theirs, or compare: nothing typed is lost either way."""

    KEEP_MINE, TAKE_THEIRS, LATER = 1, 2, 0

    def __init__(self, mine: Article, theirs: Article, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("This article was changed elsewhere")
        when = theirs.updated_at.astimezone().strftime("%H:%M:%S")
        intro = QLabel(
            f"<b>{html.escape(theirs.headline or 'This article')}</b> was saved from another "
            f"window or machine at {when}, after you started editing. Your text has not been "
            "written. Whatever you choose, the other version is kept in the history."
        )
        intro.setWordWrap(True)
        self.diff = QTextBrowser()
        self.diff.setHtml(
            text_diff_html(article_text(theirs), article_text(mine), "theirs", "mine")
        )
        self.diff.hide()
        buttons = QDialogButtonBox()
        keep = QPushButton("Keep mine")
        take = QPushButton("Take theirs")
        compare = QPushButton("Compare")
        keep.setDefault(True)
        buttons.addButton(keep, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(take, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(compare, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.diff, 1)
        layout.addWidget(buttons)
        self.choice = self.LATER
        keep.clicked.connect(lambda: self._choose(self.KEEP_MINE))
        take.clicked.connect(lambda: self._choose(self.TAKE_THEIRS))
        compare.clicked.connect(self._compare)

    def _compare(self) -> None:
        self.diff.setVisible(not self.diff.isVisible())
        self.resize(max(self.width(), 760), max(self.height(), 520))

    def _choose(self, choice: int) -> None:
        self.choice = choice
        self.accept()

    def exec_choice(self) -> int:
        self.exec()
        return self.choice
