"""A damaged store at start, and the daily backup while the window stays open.

The window never meets the store: ``app.py`` describes the newest good backup as a
:class:`BackupOffer` and hands the backup job over as a plain callable.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from newsdesk.ui.background.tasks import Task, TaskRunner


@dataclass(frozen=True, slots=True)
class BackupOffer:
    """The newest good backup of a damaged store."""

    path: str
    taken_at: datetime
    article_count: int


class DamagedStoreDialog(QDialog):
    """Restore the newest good backup (the damaged file is kept aside), or quit."""

    RESTORE, QUIT = 1, 0

    def __init__(
        self, message: str, offer: BackupOffer | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.offer = offer
        self.setWindowTitle("Newsdesk: the store is damaged")
        text = "<p><b>Newsdesk cannot use the store: it is damaged.</b> It was not changed.</p>"
        if offer is not None:
            when = offer.taken_at.astimezone().strftime("%d %B %Y at %H:%M")
            text += (
                f"<p>The newest good backup was taken on {when} and holds "
                f"{offer.article_count:,} articles:<br><code>{html.escape(offer.path)}</code></p>"
                "<p>Restoring it keeps the damaged file beside it under a new name; "
                "nothing is deleted.</p>"
            )
        else:
            text += "<p>No good backup of it was found.</p>"
        self.intro = QLabel(text)
        self.intro.setWordWrap(True)
        self.details = QTextBrowser()
        self.details.setPlainText(message)
        self.details.setMaximumHeight(120)
        buttons = QDialogButtonBox()
        self.restore_button = QPushButton("Restore this backup")
        self.quit_button = QPushButton("Quit")
        if offer is not None:
            buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
            self.restore_button.setDefault(True)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.details)
        layout.addWidget(buttons)
        self.choice = self.QUIT
        self.restore_button.clicked.connect(self._restore)
        self.quit_button.clicked.connect(self.reject)

    def _restore(self) -> None:
        self.choice = self.RESTORE
        self.accept()

    def exec_choice(self) -> int:
        self.exec()
        return self.choice


class BackupTimer(QObject):
    """Runs a backup job off the GUI thread every hour; the job decides whether one is due
    (a day after the last) and returns a message for the status bar, or ``""``."""

    reported = Signal(str)
    """A backup was made, or failed: the message says which."""

    HOUR_MS = 3_600_000

    def __init__(
        self,
        job: Callable[[], str],
        tasks: TaskRunner,
        interval_ms: int = HOUR_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._job = job
        self._tasks = tasks
        self._running: Task | None = None
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.run_now)

    def start(self) -> None:
        self.timer.start()

    def run_now(self) -> Task | None:
        """Run the job now, unless it is still running."""
        if self._running is not None and not self._running.done:
            return None
        task = self._tasks.submit(lambda _context: self._job())
        task.finished.connect(self._finished)
        task.failed.connect(lambda message: self.reported.emit(f"Backup failed: {message}"))
        self._running = task
        return task

    def _finished(self, message: object) -> None:
        if message:
            self.reported.emit(str(message))
