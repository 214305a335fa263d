"""The store calls of the window's actions (new, copy, archive, import…), off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from newsdesk.ui.background.store_worker import (
    GRACE_S,
    StoreLane,
    alive,
    not_answering,
    reads_lane,
    writes_lane,
)


class StoreCalls(QObject):
    """Runs each action's store call on a lane: writes on :func:`writes_lane` (after the
    editing session's saves, in the order asked), reads on :func:`reads_lane`.

    A healthy store answers within :attr:`GRACE_S` and the action completes at once, as if
    run on the GUI thread (callers may read its effect right after). A slow one leaves the
    window to the journalist: :attr:`waiting` says what is being done, then, after
    :attr:`StoreLane.SLOW_MS`, who is not answering; the answer lands when it comes (the
    store's own time limits, connect and statement timeouts or SQLite's busy wait, end a
    call that would never answer, with an error). The same action asked for again while
    its call is out is refused with a message, never queued twice.
    """

    waiting = Signal(str)
    """What to say while a call is out; an empty message once none is."""
    refused = Signal(str)
    """A call failed, or was asked for again while out: what to tell the journalist."""

    GRACE_S = GRACE_S

    def __init__(
        self,
        store: object,
        parent: QObject | None = None,
        *,
        writes: StoreLane | None = None,
        reads: StoreLane | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self.writes = writes or writes_lane()
        self.reads = reads or reads_lane()
        self._out: dict[str, tuple[str, StoreLane]] = {}  # action -> (what it does, its lane)
        self._asked = 0
        for lane in (self.writes, self.reads):
            lane.slow_changed.connect(self._say)

    def busy(self, action: str) -> bool:
        """A call for ``action`` is out, its answer not in yet."""
        return action in self._out

    def idle(self) -> bool:
        """No call is out: every answer asked for is in."""
        return not self._out

    def run(
        self,
        action: str,
        doing: str,
        fn: Callable[[], Any],
        done: Callable[[Any], None],
        *,
        write: bool = True,
        failed: Callable[[str], object] | None = None,
        once: bool = True,
    ) -> bool:
        """Call ``fn()`` on a lane; ``done(value)`` on the GUI thread once it answers, or
        ``failed(why)`` if it raised (default: :attr:`refused`). ``doing`` names the work
        for the status bar ("Creating the article"). False: ``action`` is still out, and
        nothing was asked (``once=False``: it is asked again, after the first)."""
        if once and action in self._out:
            self.refused.emit(f"{self._out[action][0]}: still waiting for the store's answer.")
            return False
        lane = self.writes if write else self.reads
        # Asked again while the first is out: that one waited its grace already.
        again = any(out.partition("#")[0] == action for out in self._out)
        self._asked += 1
        key = action if once else f"{action}#{self._asked}"
        self._out[key] = (doing, lane)

        def answered(value: object, error: BaseException | None) -> None:
            if not alive(self):
                return  # the window is gone
            self._out.pop(key, None)
            self._say()
            if error is None:
                done(value)
                return
            why = str(error) or type(error).__name__
            if failed is not None:
                failed(why)
            else:
                self.refused.emit(f"{doing} did not work: {why}")

        lane.submit(fn, answered)
        if not lane.slow and not again:  # a store already slow is not waited for at all
            lane.wait(self.GRACE_S)
        self._say()
        return True

    def _say(self, *_slow: object) -> None:
        if not alive(self):
            return
        if not self._out:
            self.waiting.emit("")
            return
        doing, lane = next(reversed(self._out.values()))
        if not lane.slow:
            self.waiting.emit(f"{doing}…")
            return
        who = not_answering(self._store)
        self.waiting.emit(
            f"{doing}: {who}. Keep writing meanwhile; it is done as soon as the store answers."
        )
