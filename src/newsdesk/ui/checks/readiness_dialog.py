"""Before a story is marked Ready, Scheduled or Published: what is still missing or wrong.

Each problem is a link to its field; the editor may go ahead anyway, with a reason that
is kept in the story's history.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from newsdesk.core.checks.checks import Problem
from newsdesk.core.history import MAX_REASON_LENGTH
from newsdesk.ui.icons import icon

FIELD_NAMES = {
    "headline": "Headline",
    "kicker": "Kicker",
    "standfirst": "Standfirst",
    "byline": "Byline",
    "section": "Section",
    "body": "Text",
    "image": "Featured picture",
    "image.caption": "Picture caption",
    "image.alt": "Picture alt text",
    "image.credit": "Picture credit",
    "audio.caption": "Audio caption",
    "seo_title": "SEO title",
    "seo_description": "SEO description",
    "related": "Related links",
    "site": "Settings ▸ Publication",
}


def field_name(field: str) -> str:
    return FIELD_NAMES.get(field, field.replace("_", " ").replace(".", " ").capitalize())


class ReadinessDialog(QDialog):
    """The checklist; ``go_to(problem)`` when the journalist picks one to fix."""

    go_to = Signal(object)
    """Show this :class:`Problem` where it is (the dialog closes first)."""

    def __init__(
        self, problems: Sequence[Problem], status_label: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.problems = list(problems)
        self.setWindowTitle(f"Not ready to be {status_label.lower()}")
        errors = sum(1 for p in problems if p.severity == "error")
        intro = QLabel(
            f"<b>{len(problems)} thing(s) to look at before this story is "
            f"{status_label.lower()}</b>"
            + (f" ({errors} must be fixed to publish)." if errors else ".")
            + "<br>Double-click one to go to it."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Problems")
        self.list.setWordWrap(True)
        for problem in problems:
            item = QListWidgetItem(f"{field_name(problem.field)}: {problem.message}")
            item.setIcon(icon("error" if problem.severity == "error" else "warning"))
            item.setData(Qt.ItemDataRole.UserRole, problem)
            self.list.addItem(item)
        self.list.itemActivated.connect(self._go)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Why it goes ahead anyway (kept in the history)")
        self.reason.setAccessibleName("Reason")
        # Recorded after "Marked published with open problems: " in the history.
        self.reason.setMaxLength(MAX_REASON_LENGTH - 60)
        buttons = QDialogButtonBox()
        self.fix_button = buttons.addButton("Fix first", QDialogButtonBox.ButtonRole.RejectRole)
        self.anyway_button: QPushButton = buttons.addButton(
            f"Mark {status_label.lower()} anyway", QDialogButtonBox.ButtonRole.AcceptRole
        )
        # No default button: a key pressed by habit must not decide for the journalist.
        for button in (self.fix_button, self.anyway_button):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.anyway_button.setEnabled(False)
        self.reason.textChanged.connect(
            lambda text: self.anyway_button.setEnabled(bool(text.strip()))
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.reason)
        layout.addWidget(buttons)
        self.resize(560, 420)

    def reason_text(self) -> str:
        return self.reason.text().strip()

    def _go(self, item: QListWidgetItem) -> None:
        problem = item.data(Qt.ItemDataRole.UserRole)
        self.reject()
        self.go_to.emit(problem)
