"""When a save lost a race: show what changed, and let the journalist choose."""

from __future__ import annotations

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

from newsdesk.core.history import article_text, change_summary
from newsdesk.core.models import Article
from newsdesk.ui.diff_html import article_diff_html, text_diff_html

__all__ = ["ConflictDialog", "article_text", "text_diff_html"]


class ConflictDialog(QDialog):
    """Keep mine, take theirs, or compare first: nothing typed is lost either way.

    ``base`` is the version both started from, when known: the dialog then says what
    each side changed.
    """

    KEEP_MINE, TAKE_THEIRS, LATER = 1, 2, 0

    def __init__(
        self,
        mine: Article,
        theirs: Article,
        parent: QWidget | None = None,
        *,
        base: Article | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("This article was changed elsewhere")
        self.setMinimumWidth(560)
        when = theirs.updated_at.astimezone().strftime("%H:%M:%S")
        headline = html.escape(theirs.headline or mine.headline or "This article")
        if base is not None:
            changes = (
                f"<p><b>Their version</b> {html.escape(change_summary(base, theirs))}.<br>"
                f"<b>Your version</b> {html.escape(change_summary(base, mine))}.</p>"
            )
        else:
            changes = f"<p>Between the two: {html.escape(change_summary(theirs, mine))}.</p>"
        self.intro = QLabel(
            f"<p><b>{headline}</b> was saved from another window or machine at {when}, "
            "after you started editing, so your text was not written over it.</p>"
            f"{changes}<p>Choose the version to carry on with. Whichever you choose, the "
            "other stays in the article's history (Article ▸ History), where you can "
            "compare or restore it later.</p>"
        )
        self.intro.setWordWrap(True)
        self.diff = QTextBrowser()
        self.diff.setHtml(
            article_diff_html(theirs, mine, "Their version", "Your version", side_by_side=True)
        )
        self.diff.hide()
        buttons = QDialogButtonBox()
        self.keep = QPushButton("Keep mine")
        self.keep.setToolTip("Your text becomes the newest version; theirs stays in the history")
        self.take = QPushButton("Take theirs")
        self.take.setToolTip("Their text replaces yours on screen; yours stays in the history")
        self.compare = QPushButton("Compare…")
        self.compare.setToolTip("Show the two versions side by side, then choose")
        self.compare.setCheckable(True)
        self.keep.setDefault(True)
        buttons.addButton(self.keep, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.take, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.compare, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.diff, 1)
        layout.addWidget(buttons)
        self.choice = self.LATER
        self.keep.clicked.connect(lambda: self._choose(self.KEEP_MINE))
        self.take.clicked.connect(lambda: self._choose(self.TAKE_THEIRS))
        self.compare.toggled.connect(self._compare)

    def _compare(self, shown: bool) -> None:
        self.diff.setVisible(shown)
        self.compare.setText("Hide comparison" if shown else "Compare…")
        if shown:
            self.resize(max(self.width(), 980), max(self.height(), 640))

    def _choose(self, choice: int) -> None:
        self.choice = choice
        self.accept()

    def exec_choice(self) -> int:
        self.exec()
        return self.choice
