"""Work off the GUI thread: results, errors and progress come back as signals."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class TaskCancelledError(Exception):
    """Raised inside a task when its user cancelled it."""


class TaskContext:
    """Handed to a task's function: report progress, and learn whether to stop."""

    def __init__(self, task: Task) -> None:
        self._task = task
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def progress(self, done: int, total: int) -> None:
        """A plain ``progress(done, total)`` callable for core code; stops when cancelled."""
        if self._cancel.is_set():
            raise TaskCancelledError
        self._task.progressed.emit(done, total)


class Task(QObject):
    """One piece of background work.

    ``finished(result)``, ``failed(message)``, ``cancelled()`` and ``progressed(done, total)``
    are emitted on the GUI thread (this object lives there).
    """

    finished = Signal(object)
    """The function returned; carries its result."""
    failed = Signal(str)
    """The function raised; carries a message for the user."""
    cancelled = Signal()
    """The user cancelled before the function finished."""
    progressed = Signal(int, int)
    """Progress reported by the function: done, total."""

    def __init__(self, fn: Callable[[TaskContext], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.fn = fn
        self.context = TaskContext(self)
        self.done = False

    def cancel(self) -> None:
        self.context.cancel()


class _Runnable(QRunnable):
    def __init__(self, task: Task, relay: _Relay) -> None:
        super().__init__()
        self.task = task
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.task.fn(self.task.context)
        except TaskCancelledError:
            self.relay.cancelled.emit(self.task)
        except Exception as exc:
            message = str(exc) or exc.__class__.__name__
            if not _is_expected(exc):
                traceback.print_exc()
            self.relay.failed.emit(self.task, message)
        else:
            if self.task.context.cancelled:
                self.relay.cancelled.emit(self.task)
            else:
                self.relay.finished.emit(self.task, result)


def _is_expected(exc: Exception) -> bool:
    from newsdesk.core.errors import NewsdeskError

    return isinstance(exc, NewsdeskError | OSError)


class _Relay(QObject):
    """Lives on the GUI thread; worker emissions cross to it as queued signals."""

    finished = Signal(object, object)
    failed = Signal(object, str)
    cancelled = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.finished.connect(self._on_finished)
        self.failed.connect(self._on_failed)
        self.cancelled.connect(self._on_cancelled)

    @Slot(object, object)
    def _on_finished(self, task: Task, result: object) -> None:
        task.done = True
        task.finished.emit(result)

    @Slot(object, str)
    def _on_failed(self, task: Task, message: str) -> None:
        task.done = True
        task.failed.emit(message)

    @Slot(object)
    def _on_cancelled(self, task: Task) -> None:
        task.done = True
        task.cancelled.emit()


class TaskRunner(QObject):
    """Runs tasks on a small thread pool of its own."""

    def __init__(self, parent: QObject | None = None, *, threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._relay = _Relay(self)
        self._running: set[Task] = set()

    def submit(self, fn: Callable[[TaskContext], Any]) -> Task:
        """Start ``fn(context)`` in the background and return its task (connect signals now;
        nothing is emitted before control returns to the event loop)."""
        task = Task(fn, self)
        self._running.add(task)
        for signal in (task.finished, task.failed, task.cancelled):
            signal.connect(lambda *_: self._running.discard(task))
        self.pool.start(_Runnable(task, self._relay))
        return task

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until every task has run (for shutdown and tests)."""
        return self.pool.waitForDone(msecs)
