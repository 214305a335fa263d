"""Store calls off the GUI thread: one worker thread per lane, calls in order, answers as signals.

A store that does not answer (a hung server, another program holding SQLite's write lock)
then holds up a thread of its own, never the window: typing, scrolling and the preview go
on. Each lane is one thread, so the calls it carries keep their order (the session's
writes: version after version). Every store call is one short transaction on a session of
its own (``store/`` opens one per call), so the store object may be used from any thread.
"""

from __future__ import annotations

import functools
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import QStatusBar

Done = Callable[[object, BaseException | None], None]
"""Called on the GUI thread with the call's value, or the exception it raised."""


GRACE_S = 0.3
"""How long the window waits for a healthy store's answer before it goes on without it (and
says what it is waiting for): the one figure for opening, listing, actions and Ctrl+S."""


@dataclass(eq=False)
class _Call:
    fn: Callable[[], object]
    done: Done
    key: str = ""
    value: object = None
    error: BaseException | None = field(default=None, repr=False)


class StoreLane(QObject):
    """Runs store calls one after another on a thread of its own.

    :meth:`submit` returns at once; the answer comes back on the GUI thread, in order,
    when the event loop runs (or at once through :meth:`drain` / :meth:`wait`). The thread
    ends after :attr:`IDLE_EXIT_S` without work and starts again with the next call; it is
    a daemon, so a call the store never answers does not keep the application alive.

    Give a lane a parent, or delete it on the GUI thread (``shiboken6.delete``): a lane
    owned by Python is otherwise freed by whoever lets go of it last, which may be its own
    thread as it ends, and a QObject must not be destroyed off the GUI thread.
    """

    slow_changed = Signal(bool)
    """A call has been waiting on the store for :attr:`SLOW_MS` (True), or none waits now."""
    _answered = Signal()  # from the worker thread: answers wait in ``_done``

    SLOW_MS = 1000
    IDLE_EXIT_S = 10.0

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.slow = False
        self._cond = threading.Condition()
        self._todo: deque[_Call] = deque()
        self._done: deque[_Call] = deque()
        self._active: _Call | None = None
        self._thread: threading.Thread | None = None
        self._waiting = 0  # submitted, not answered on the GUI thread yet
        self._slow_timer = QTimer(self, singleShot=True, interval=self.SLOW_MS)
        self._slow_timer.timeout.connect(self._check_slow)
        self._answered.connect(self.drain, Qt.ConnectionType.QueuedConnection)
        # The lane may go with its window while its thread finishes a call: from then on
        # the thread must not signal it. Set under the lock the thread signals under, so a
        # signal is never sent to a lane being destroyed.
        self._gone = [False]
        cond, gone = self._cond, self._gone

        def mark_gone() -> None:
            with cond:
                gone[0] = True

        self.destroyed.connect(mark_gone)

    @property
    def busy(self) -> bool:
        """A call is queued, running, or answered but not handed over yet."""
        return self._waiting > 0

    def outstanding(self) -> str:
        """What the lane still has to do, in words ("" when idle): the calls running, queued
        and answered but not handed over yet. For messages about a lane that will not settle."""
        with self._cond:
            running = self._active is not None
            queued, answered = len(self._todo), len(self._done)
        counts = {"running": int(running), "queued": queued, "answered": answered}
        return ", ".join(f"{count} {what}" for what, count in counts.items() if count)

    def submit(self, fn: Callable[[], object], done: Done, *, key: str = "") -> None:
        """Run ``fn()`` on the lane's thread; ``done(value, error)`` on the GUI thread.

        A call with a ``key`` replaces a call with the same key still waiting its turn
        (the library's newest listing makes an older one not worth asking for).
        """
        call = _Call(fn, done, key)
        with self._cond:
            if key:
                stale = [c for c in self._todo if c.key == key]
                for old in stale:
                    self._todo.remove(old)
                self._waiting -= len(stale)
            self._todo.append(call)
            self._waiting += 1
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name=f"store-{self.name}", daemon=True
                )
                self._thread.start()
            self._cond.notify_all()
        if not self._slow_timer.isActive():
            self._slow_timer.start()

    def wait(self, seconds: float) -> bool:
        """Block up to ``seconds`` for every call submitted so far, hand their answers over
        (here, now), and say whether the lane is idle. For the moments that must wait:
        Ctrl+S, another article, closing; never for typing."""
        deadline = time.monotonic() + seconds
        with self._cond:
            while self._todo or self._active is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
        self.drain()
        return not self.busy

    def drain(self) -> None:
        """Hand the answers that have arrived to their callers, in order (GUI thread)."""
        answered = False
        while True:
            with self._cond:
                if not self._done:
                    break
                call = self._done.popleft()
                self._waiting -= 1
            answered = True
            call.done(call.value, call.error)
        if not self.busy:
            self._slow_timer.stop()
            self._set_slow(False)
        elif answered:
            self._slow_timer.start()  # the next call's own time starts now

    def _check_slow(self) -> None:
        if self.busy:
            self._set_slow(True)

    def _set_slow(self, slow: bool) -> None:
        if slow != self.slow:
            self.slow = slow
            self.slow_changed.emit(slow)

    def _run(self) -> None:
        while True:
            with self._cond:
                if not self._todo:
                    self._cond.wait(self.IDLE_EXIT_S)
                if not self._todo:
                    self._thread = None
                    return
                call = self._active = self._todo.popleft()
            try:
                call.value = call.fn()
            except Exception as exc:
                call.error = exc
                if not _is_expected(exc):
                    traceback.print_exc()
            with self._cond:
                self._done.append(call)
                self._active = None
                # Let go of the call while the queue still holds it: the last reference is
                # then the GUI thread's, and what the call holds (a session, a model, their
                # timers) is freed there. A QObject freed on this thread leaves its timers
                # registered with the GUI thread's loop, which then fires them at freed
                # memory (a test's session ended this way crashed the next test).
                del call
                self._cond.notify_all()
            with self._cond:
                if self._gone[0]:
                    return  # the window is gone: nobody is left to hear the answer
                self._answered.emit()


def _is_expected(exc: Exception) -> bool:
    from newsdesk.core.errors import NewsdeskError

    return isinstance(exc, NewsdeskError | OSError)


@functools.cache
def shared_lane(name: str) -> StoreLane:
    """The process's one lane called ``name``, living as long as the process:
    ``"writes"`` carries every editing session's writes in the order they were asked for
    (one writer, as SQLite has; two sessions on one article meet in the order they typed);
    ``"reads"`` the reads a journalist waits to see (an article, its history)."""
    return StoreLane(name)


def writes_lane() -> StoreLane:
    return shared_lane("writes")


def reads_lane() -> StoreLane:
    return shared_lane("reads")


def alive(receiver: QObject) -> bool:
    """Whether an answer's receiver still exists: Qt may have deleted it (its window
    closed) while a store call or a background task was running."""
    return shiboken6.isValid(receiver)


def show_waiting(waiting: SignalInstance, status_bar: QStatusBar) -> None:
    """Show in ``status_bar`` each message ``waiting`` carries while the store is slow (an
    empty one: it has answered), and take it away then, unless another message replaced
    it meanwhile."""
    shown = [""]

    def say(message: str) -> None:
        if message:
            shown[0] = message
            status_bar.showMessage(message)
            status_bar.repaint()  # at once: Ctrl+S or closing may wait on this thread
        elif shown[0] and status_bar.currentMessage() == shown[0]:
            status_bar.clearMessage()
            shown[0] = ""

    waiting.connect(say)


def not_answering(store: object) -> str:
    """Who keeps the window waiting, in the words of the status bar. The store's engine is
    known without asking it (asking is what hangs)."""
    if getattr(store, "dialect", "") == "sqlite":
        return "the store is busy (another program is writing to it)"
    return "the newsroom server is not answering"
