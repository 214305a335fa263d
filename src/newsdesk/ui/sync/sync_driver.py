"""When the window syncs: on demand, every minute, soon after a save; never on the GUI thread,
never two at once, and a failed attempt waits longer before the next one."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel

from newsdesk.core.errors import NewsdeskError
from newsdesk.core.ports import SyncConflict, SyncResult, SyncService, SyncStatus
from newsdesk.core.sync_status import status_line
from newsdesk.ui.background.tasks import TaskContext, TaskRunner


@dataclass(frozen=True)
class SyncAttempt:
    """What one background sync came back with (made on the worker thread)."""

    manual: bool
    result: SyncResult | None  # None: it failed
    error: str
    status: SyncStatus | None
    conflicts: list[SyncConflict] = field(default_factory=list)


class SyncDriver(QObject):
    """Runs the service's sync in the background and keeps the status bar's line.

    ``now`` (tests) gives the time the line's "2 min ago" is counted from.
    """

    attempted = Signal(object)
    """A sync finished or failed: carries its :class:`SyncAttempt`."""
    line_changed = Signal(str)
    """The status bar's line changed (the text shown)."""

    INTERVAL_MS = 60_000
    AFTER_SAVE_MS = 5_000
    FIRST_MS = 3_000  # after the window opens: let it draw first
    MAX_WAIT_MS = 15 * 60_000
    TICK_MS = 30_000  # "synced 2 min ago" moves on

    def __init__(
        self, service: SyncService, tasks: TaskRunner, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.tasks = tasks
        self.label = QLabel()
        self.label.setObjectName("syncState")
        self.status: SyncStatus | None = None
        self.running = False
        self.failures = 0
        self.attempts = 0
        self._again = False  # asked for while one ran: once more when it ends
        self._manual = False
        self.now: datetime | None = None
        self.stopped = False  # the window is closing: no more work is started
        self.server = self._remembered()
        """The newsroom's address, read here and when Settings change it (not asked of the
        store after every save: that is a store call on the GUI thread)."""
        self._counting = False  # a count of what waits is running
        self._next = QTimer(self, singleShot=True)
        self._next.setTimerType(Qt.TimerType.VeryCoarseTimer)
        self._next.timeout.connect(lambda: self._launch(manual=False))
        self._tick = QTimer(self, interval=self.TICK_MS)
        self._tick.timeout.connect(self._show)

    # -- when -------------------------------------------------------------------------

    def start(self) -> None:
        """Show where sync stands and, when attached to a server, sync soon."""
        self._tick.start()
        self.refresh_status()
        if self.server is not None:
            self._schedule(self.FIRST_MS)

    def server_changed(self) -> None:
        """Settings gave another newsroom address: read it again."""
        self.server = self._remembered()
        self.refresh_status()

    def _remembered(self) -> str | None:
        try:
            return self.service.server()
        except NewsdeskError:
            return None

    def stop(self) -> None:
        """No more syncs or counts (a task finishing after its window is gone would
        signal objects Qt has deleted)."""
        self.stopped = True
        self._next.stop()
        self._tick.stop()

    def sync_now(self) -> bool:
        """Sync at once (File ▸ Sync now): a waiting back-off is cut short. False when one
        is running already (it is run once more when it ends)."""
        self.failures = 0
        if self.running:
            self._again = self._manual = True
            return False
        self._launch(manual=True)
        return True

    def saved(self) -> None:
        """A story was saved: send it soon, unless the server is failing (then it waits for
        the back-off) or a sync is due sooner anyway."""
        self.refresh_status()
        if self.stopped or self.failures or self.server is None:
            return
        if not self._next.isActive() or self._next.remainingTime() > self.AFTER_SAVE_MS:
            self._schedule(self.AFTER_SAVE_MS)

    def wait_ms(self) -> int:
        """Milliseconds until the next background sync (-1: none planned)."""
        return int(self._next.remainingTime()) if self._next.isActive() else -1

    def _schedule(self, ms: int) -> None:
        self._next.start(max(0, ms))

    def _backoff_ms(self) -> int:
        doubled: int = self.INTERVAL_MS << max(0, self.failures - 1)
        return min(self.MAX_WAIT_MS, doubled)

    # -- running ----------------------------------------------------------------------

    def _launch(self, *, manual: bool) -> None:
        if self.stopped:
            return
        if self.running:
            self._again = True
            return
        if self.server is None:
            if manual:
                self._show()
            return
        self.running = True
        self.attempts += 1
        self._next.stop()
        self._show("syncing…")
        service = self.service

        def work(context: TaskContext) -> SyncAttempt:
            try:
                result = service.sync(context.progress)
            except NewsdeskError as exc:
                return SyncAttempt(manual, None, str(exc), _local_status(service))
            return SyncAttempt(manual, result, "", _local_status(service), service.conflicts())

        task = self.tasks.submit(work)
        task.progressed.connect(self._progressed)
        task.finished.connect(self._finished)
        task.failed.connect(
            lambda message: self._finished(SyncAttempt(manual, None, message, None))
        )
        task.cancelled.connect(lambda: self._finished(SyncAttempt(manual, None, "cancelled", None)))

    def _progressed(self, done: int, total: int) -> None:
        if total and self.running:  # a first sync of thousands of stories takes a while
            self.label.setText(f"syncing… {done:,} of {total:,}")

    def _finished(self, attempt: SyncAttempt) -> None:
        self.running = False
        if attempt.status is not None:
            self.status = attempt.status
        if attempt.result is None:
            self.failures += 1
            self._schedule(self._backoff_ms())
        else:
            self.failures = 0
            self._schedule(self.INTERVAL_MS)
        self._show()
        if attempt.error:
            self.label.setToolTip(f"The last sync failed: {attempt.error}")
        self.attempted.emit(attempt)
        if self._again:
            manual, self._again, self._manual = self._manual, False, False
            if manual or attempt.result is not None:
                self._launch(manual=manual)

    def refresh_status(self) -> None:
        """Count what waits to be sent, off the GUI thread."""
        if self.stopped or self._counting:
            return  # the count running will say it (a save every few seconds while typing)
        self._counting = True
        service = self.service
        task = self.tasks.submit(lambda _context: _local_status(service))
        task.finished.connect(self._status_counted)
        task.failed.connect(lambda _message: self._status_counted(None))

    def _status_counted(self, status: SyncStatus | None) -> None:
        self._counting = False
        if status is None:
            return
        self.status = status
        if not self.running:
            self._show()

    def line(self) -> str:
        """The status bar's line: offline once an attempt failed, until one succeeds."""
        status = self.status
        if status is None:
            return ""
        if status.server is None:
            return ""  # a store of its own, never attached: nothing to say all day
        # Counted here, not asked of the server: nothing to receive as far as we know.
        shown = dataclasses.replace(status, to_receive=None if self.failures else 0)
        return status_line(shown, self.now)

    def _show(self, text: str = "") -> None:
        text = text or self.line()
        self.label.setText(text)
        if not self.failures:
            server = self.status.server if self.status else None
            self.label.setToolTip(f"Newsroom server: {server}" if server else "")
        self.line_changed.emit(text)


def _local_status(service: SyncService) -> SyncStatus | None:
    try:
        return service.status(reach=False)
    except NewsdeskError:
        return None
