"""When a save lost a race: say so above the text, show what changed, let the journalist choose.

Nothing here takes the keyboard or decides on its own: the bar is not modal, its buttons
take no focus when clicked and none is a default, so typing goes on into the text while
it is shown, and neither version replaces the other until a button is clicked.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from newsdesk.core.history import article_text, change_summary
from newsdesk.core.models import Article
from newsdesk.ui.dialogs.diff_html import article_diff_html, text_diff_html

__all__ = ["ConflictBar", "ConflictDialog", "article_text", "text_diff_html"]


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
        for button in (self.keep, self.take, self.compare):
            button.setAutoDefault(False)  # no button answers Enter or Space typed by accident
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


class ConflictBar(QFrame):
    """The conflict, in a bar above the text: typing goes on while it is shown.

    The buttons are reached with Tab or Alt+K / Alt+T, or the mouse; a click does not
    move the focus out of the text. :attr:`theirs` is the other version as last known.
    """

    keep_mine_chosen = Signal()
    """The journalist chose the text on screen."""
    take_theirs_chosen = Signal()
    """The journalist chose the other version (theirs)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("This article was changed elsewhere")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.keep = QPushButton("&Keep mine")
        self.keep.setToolTip("Your text becomes the newest version; theirs stays in the history")
        self.take = QPushButton("&Take theirs")
        self.take.setToolTip("Their text replaces yours on screen; yours stays in the history")
        self.compare = QPushButton("Co&mpare…")
        self.compare.setToolTip("Show the two versions side by side, then choose")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.message, 1)
        for button in (self.keep, self.take, self.compare):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click leaves the focus alone
            button.setAutoDefault(False)
            layout.addWidget(button)
        self.keep.clicked.connect(self._keep)
        self.take.clicked.connect(self._take)
        self.compare.clicked.connect(self._compare)
        self.mine: Article | None = None
        self.theirs: Article | None = None
        self.base: Article | None = None
        self.dialog: ConflictDialog | None = None
        self.sync_uri: str | None = None  # a sync conflict shown (the store marks the story)
        self.hide()

    def show_conflict(self, mine: Article, theirs: Article, base: Article | None) -> None:
        """Say that ``theirs`` was saved elsewhere; nothing changes until a choice."""
        self.mine, self.theirs, self.base = mine, theirs, base
        self.sync_uri = None  # a save's race, not sync's: the window resolves it
        when = theirs.updated_at.astimezone().strftime("%H:%M:%S")
        headline = html.escape(theirs.headline or mine.headline or "This article")
        self.message.setText(
            f"<b>{headline}</b> was saved elsewhere at {when}. Your text is not written over "
            "it, and you can go on typing: choose the version to carry on with when you "
            "are ready; the other stays in the history."
        )
        self.show()

    def show_sync_conflict(self, mine: Article, theirs: Article, base: Article | None) -> None:
        """Say that the story changed here and at the newsroom since the last sync."""
        self.mine, self.theirs, self.base = mine, theirs, base
        self.sync_uri = mine.uri
        headline = html.escape(mine.headline or theirs.headline or "This story")
        self.message.setText(
            f"<b>{headline}</b> was changed at the newsroom and on this computer since the "
            "last sync. Both versions are in its history; the text on screen is yours. "
            "Choose the version to carry on with: the other stays in the history."
        )
        self.show()

    def update_mine(self, mine: Article) -> None:
        """The text on screen now (for the comparison)."""
        self.mine = mine

    def finish(self) -> None:
        self.hide()
        self.sync_uri = None
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None

    def _keep(self) -> None:
        self.keep_mine_chosen.emit()

    def _take(self) -> None:
        self.take_theirs_chosen.emit()

    def _compare(self) -> None:
        """The two versions side by side, in a window of their own (on request only)."""
        if self.mine is None or self.theirs is None:
            return
        if self.dialog is not None:
            self.dialog.close()
        dialog = ConflictDialog(self.mine, self.theirs, self.window(), base=self.base)
        dialog.setModal(False)
        dialog.compare.setChecked(True)
        dialog.keep.clicked.connect(self._keep)
        dialog.take.clicked.connect(self._take)
        self.dialog = dialog
        dialog.show()
