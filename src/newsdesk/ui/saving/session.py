"""Keeping the article on screen safely stored: autosave, Ctrl+S, conflicts, failures."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer, Signal

from newsdesk.core.errors import ConflictError, NewsdeskError, NotFoundError, ValidationError
from newsdesk.core.history import AUTOSAVE, STATUS
from newsdesk.core.journal import Journal, JournalError
from newsdesk.core.models import Article
from newsdesk.core.ports import ArticleStore
from newsdesk.ui.background.store_worker import GRACE_S, StoreLane, not_answering, writes_lane


class SaveState(StrEnum):
    SAVED = "saved"
    UNSAVED = "unsaved"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Written:
    """What the store made of one write (worked out on the store's thread)."""

    saved: Article | None = None
    recreated: bool = False  # deleted elsewhere: stored again, as new
    conflict: bool = False  # a newer version was saved elsewhere
    theirs: Article | None = None  # that version (None: it could not be read)
    kept: bool = False  # the text that lost the race is in the history
    problem: str = ""
    retry: bool = False  # the store failed (down, hung, full, locked): try again later


def write_article(store: ArticleStore, article: Article, reason: str, kept: bool) -> Written:
    """Every store call one write needs, made off the GUI thread, and what came of them.

    ``kept``: the text was already recorded in the history by an earlier lost race.
    """
    try:
        return Written(saved=store.save(article, reason=reason))
    except ConflictError:
        # Keep my text in the history at once: whatever is chosen, or if we crash meanwhile.
        if not kept:
            try:
                store.add_revision(article.uri, "conflict: my version", snapshot=article)
                kept = True
            except NewsdeskError:
                pass
        try:
            theirs: Article | None = store.get(article.uri)
        except NewsdeskError:
            theirs = None
        return Written(conflict=True, theirs=theirs, kept=kept)
    except NotFoundError:
        try:
            saved = store.create(dataclasses.replace(article, id=None, version=0))
        except NewsdeskError as exc:
            return Written(problem=f"Not saved: {exc}")
        return Written(saved=saved, recreated=True)
    except ValidationError as exc:
        return Written(problem=f"Not saved: {exc}")
    except NewsdeskError as exc:
        return Written(problem=str(exc), retry=True)


class EditingSession(QObject):
    """The one article being edited, and the rule that what is on screen reaches the store.

    Edits are written after ``delay_ms`` without typing, and never later than
    :attr:`MAX_WAIT_MS` (1.5 s) after the first edit not written yet, even while typing
    goes on without a pause: a crash loses at most the last 2 s of typing (the other
    0.5 s is for the write itself and a busy moment of the window). They are written at
    once on :meth:`flush` (Ctrl+S, another article, focus leaving, the window closing).
    Each write records an autosave revision (coalesced by the store), or a "status" one
    when the status changed. A save that fails keeps the text here and tries again; a
    save that lost a race raises :attr:`conflict_detected` and writes nothing until the
    journalist has chosen (:meth:`resolve_keep_mine`, :meth:`resolve_take_theirs`), while
    typing goes on.

    The window never waits on the store for typing: each write goes to the process's
    writer lane (:func:`writes_lane`: a thread of its own, writes in order) and its answer
    comes back as a signal. Edits made while a write is in flight are written after it,
    on the version it stored. Ctrl+S (:meth:`save_soon`) waits :attr:`GRACE_S` at most;
    only :meth:`flush` (another article, closing) waits longer, at most :attr:`WAIT_S`; past
    that the write goes on in the background and the state says the store is not
    answering. A store call slower than :attr:`StoreLane.SLOW_MS` is told through
    :attr:`store_waiting`.

    With a :class:`Journal`, the same bound holds whatever the store's state: when an edit
    is due, it is appended to the journal on this computer (and flushed to the disk)
    before the store is asked, and marked stored once the store has it. A conflict
    waiting for a choice, a store that is down, hung, full or read-only: the text typed is
    on the disk all the same.
    """

    state_changed = Signal(str, str)
    """The save state (a :class:`SaveState` value) and a message for the status bar."""
    saved = Signal(object)
    """An :class:`Article` was written; carries the stored version."""
    conflict_detected = Signal(object, object)
    """A newer version was saved elsewhere: (mine, theirs). Nothing was written."""
    store_waiting = Signal(str)
    """A store call is slow: what to tell the journalist; an empty message when it is over."""

    RETRY_MS = 5000
    MAX_WAIT_MS = 1500
    """The longest an edit waits to be written, typing or not: the crash-safety promise."""
    MAX_DELAY_MS = 2000
    """The longest pause setting accepted (AppSettings holds the same bound)."""
    JOURNAL_EVERY_MS = 200
    """While the store is failing, slow or a conflict waits: the journal's pace during
    typing, so the journal is never more than that behind the screen."""
    WAIT_S = 12.0
    """The longest another article or closing waits for the store's answer: longer than
    the window's PostgreSQL answer limit (10 s) and SQLite's busy wait (1 s), so the
    store's own error comes first, and a big write on a working store is not cut short."""
    GRACE_S = GRACE_S
    """Ctrl+S waits this for a healthy store's answer, no longer."""

    def __init__(
        self,
        store: ArticleStore,
        delay_ms: int = 800,
        parent: QObject | None = None,
        *,
        journal: Journal | None = None,
        lane: StoreLane | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self.journal = journal
        self.journal_problem = ""  # why the last text could not be kept in the journal
        self.stored: Article | None = None
        self.pending: Article | None = None
        self.state = SaveState.SAVED
        self.message = ""
        self._delay = self._bounded(delay_ms)
        # Precise: a coarse timer may fire up to 5 % late, past the 2 s promise.
        self._timer = QTimer(self, singleShot=True, interval=self._delay)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._due)
        self._unsaved_since = QElapsedTimer()  # the first edit not written yet
        self._resolving = False  # a conflict waits for the journalist's choice
        self._journaled: Article | None = None  # the pending text last in the journal
        self._journal_clock = QElapsedTimer()  # since the last text went to the journal
        self._failing = False  # the last write failed: the store is not taking the text
        self._kept: Article | None = None  # the last losing text recorded in the history
        self.lane = lane or writes_lane()
        self.lane.slow_changed.connect(self._slow_changed)
        self._in_flight = False  # a write was handed to the lane, its answer not in yet
        self._sent: Article | None = None  # the pending text that write carries
        self._again: tuple[str | None] | None = None  # a write asked meanwhile (its reason)
        self._epoch = 0  # counts open(): an answer about the previous article is late

    def _bounded(self, delay_ms: int) -> int:
        return min(max(int(delay_ms), 50), self.MAX_DELAY_MS)

    @property
    def current(self) -> Article | None:
        """The article as on screen: unsaved edits included."""
        return self.pending or self.stored

    @property
    def resolving(self) -> bool:
        """A conflict waits for the journalist's choice: nothing is written to the store."""
        return self._resolving

    @property
    def writing(self) -> bool:
        """A write is with the store, its answer not in yet."""
        return self._in_flight

    @property
    def kept_locally(self) -> bool:
        """The text not stored is in the journal on this computer (or nothing is pending)."""
        if self.pending is None:
            return True
        if self.journal is None or self._journaled is not self.pending:
            return False
        try:
            self.journal.settle(timeout=2.0)
        except TimeoutError:
            return False  # the disk does not answer either
        return not self.journal.problem

    @property
    def write_due_ms(self) -> int:
        """Milliseconds until pending edits are written (-1: nothing is waiting)."""
        return self._timer.remainingTime() if self._timer.isActive() else -1

    def set_delay(self, delay_ms: int) -> None:
        self._delay = self._bounded(delay_ms)

    def open(self, article: Article) -> None:
        """Start editing ``article`` (the previous one is written first)."""
        self.flush()
        self._epoch += 1
        self._again = None
        self.stored = article
        self.pending = None
        self._resolving = False
        self._journaled = None
        self._set_state(SaveState.SAVED, "")

    def close(self) -> bool:
        ok = self.flush()
        if ok:
            self.stored = None
        return ok

    def edit(self, article: Article) -> None:
        """Record an edit; it is written after the autosave pause."""
        if self.stored is None:
            return
        if self._in_flight:
            self.lane.drain()  # a window too busy for its event loop still hears answers
        self.pending = dataclasses.replace(article, version=self.stored.version, id=self.stored.id)
        if self._resolving or self._failing or self.lane.slow:
            self._keep_as_typed()
        if not self._resolving:  # else the conflict's message stays until the choice
            self._set_state(SaveState.UNSAVED, "Editing")
        if not self._unsaved_since.isValid():
            self._unsaved_since.start()
        # A pause of the autosave delay writes; typing without a pause writes anyway when
        # the oldest unwritten edit is MAX_WAIT_MS old.
        left = self.MAX_WAIT_MS - self._unsaved_since.elapsed()
        if left <= 0:
            # Past the bound: a window kept busy (by fast typing, a long story) can hold a
            # timer back for as long as it is busy, so the edit that finds the bound passed
            # writes itself.
            self._due()
        elif left >= self._delay:
            self._timer.start(self._delay)  # the pause rule: each edit pushes it back
        elif not self._timer.isActive() or self._timer.remainingTime() > left:
            self._timer.start(left)  # the bound: set once, never pushed back by typing

    def discard(self) -> None:
        """Forget the text not stored (the journalist chose to): not restored at next start."""
        self._timer.stop()
        if self.journal is not None and self.pending is not None:
            self.journal.confirm(self.pending.uri)
        self.pending = self._journaled = None

    def flush(self, reason: str | None = None) -> bool:
        """Write pending edits now; with a ``reason`` also record a revision. True if safe.

        Waits for the store's answer, at most :attr:`WAIT_S` (the status bar says
        "Saving…" meanwhile); a store that does not answer in time leaves the text in the
        journal, the write going on, and the state saying so.
        """
        answered = self._write_and_wait(reason, self.WAIT_S, say_saving=True)
        if answered is None:
            self._keep_locally()
            self._set_state(SaveState.FAILED, f"Not saved yet: {self._not_answering()}")
            return False
        return answered

    def save_soon(self, reason: str) -> bool | None:
        """Ctrl+S: write now, with a revision, waiting only :attr:`GRACE_S` for the answer
        (a healthy store's). True or False once answered; None while the store has not
        answered: the text is in the journal and the write goes on, its answer lands later."""
        return self._write_and_wait(reason, self.GRACE_S)

    def _write_and_wait(
        self, reason: str | None, seconds: float, *, say_saving: bool = False
    ) -> bool | None:
        """Write the text on screen and wait up to ``seconds`` for the store: whether it is
        safe once answered, None when the store has not answered in time."""
        if self._resolving:
            self._timer.stop()
            self._keep_locally()
            return False  # a conflict waits for a choice: nothing is written behind it
        self.lane.drain()
        self._write(reason)
        deadline = time.monotonic() + seconds
        shown = False
        while self._in_flight and time.monotonic() < deadline:
            left = max(0.0, deadline - time.monotonic())
            if not self.lane.wait(min(0.1, left)) and say_saving and not shown:
                shown = True
                self.store_waiting.emit("Saving…")
        if shown:
            self.store_waiting.emit("")
        if self._in_flight:
            return None
        return not self._resolving and self.pending is None and self.state != SaveState.FAILED

    def _due(self) -> None:
        """The autosave bound: into the journal first, whatever the store; then the store."""
        self._unsaved_since.invalidate()
        if self._resolving:
            self._keep_locally()
        else:
            self._write(None)

    def _keep_as_typed(self) -> None:
        """The store is not taking the text: keep it here as it is typed, not only when the
        autosave is due (the store may not answer for a while)."""
        clock = self._journal_clock
        if not clock.isValid() or clock.elapsed() >= self.JOURNAL_EVERY_MS:
            self._keep_locally()

    def _keep_locally(self) -> None:
        """Append the text not stored yet to the journal (once per version of it)."""
        if self.journal is None or self.pending is None or self.stored is None:
            return
        if self._journaled is self.pending:
            return
        try:
            self.journal.record(self.pending, self.stored.version)
        except JournalError as exc:
            self.journal_problem = str(exc)
            return
        self.journal_problem = ""
        self._journaled = self.pending
        self._journal_clock.start()

    def _write(self, reason: str | None) -> None:
        """Hand the text on screen to the store's lane (after the write in flight, if any)."""
        self._timer.stop()
        if self.stored is None or (self.pending is None and reason is None):
            return
        self._keep_locally()
        if self._in_flight:
            # One write at a time, each on the version the previous one stored.
            earlier = self._again[0] if self._again else None
            self._again = (reason or earlier,)
            return
        base = self.stored
        article = dataclasses.replace(self.pending or base, version=base.version, id=base.id)
        status_changed = self.pending is not None and self.pending.status != base.status
        kind = reason or (STATUS if status_changed else AUTOSAVE)
        store, kept, epoch = self._store, self._kept == article, self._epoch
        self._in_flight, self._sent = True, self.pending
        self.lane.submit(
            lambda: write_article(store, article, kind, kept),
            lambda value, error: self._written(epoch, article, value, error),
        )

    def _written(
        self, epoch: int, article: Article, value: object, error: BaseException | None
    ) -> None:
        """The store's answer to a write (GUI thread)."""
        sent, again = self._sent, self._again
        self._in_flight, self._sent, self._again = False, None, None
        if epoch != self._epoch or self.stored is None:
            # About an article no longer on screen: the journal keeps what the store lacks.
            if again is not None:
                self._write(again[0])
            return
        if not isinstance(value, Written):
            value = Written(problem=str(error) or type(error).__name__, retry=True)
        if value.saved is not None:
            self._stored(value, typed_since=self.pending is not sent)
            if again is not None:
                self._write(again[0])
        elif value.conflict:
            self._lost_race(article, value)
        elif value.retry:
            self._failed(value.problem)
        else:
            self._set_state(SaveState.FAILED, value.problem)

    def _stored(self, written: Written, *, typed_since: bool) -> None:
        saved = written.saved
        assert saved is not None
        self._failing = False
        if typed_since and self.pending is not None:
            # Written while more was typed: the rest goes on the version just stored.
            self.stored = saved
            self.pending = dataclasses.replace(self.pending, version=saved.version, id=saved.id)
            self._set_state(SaveState.UNSAVED, "Editing")
        else:
            self._unsaved_since.invalidate()
            self._stored_now(saved)
            message = (
                "Deleted elsewhere: your text was saved again"
                if written.recreated
                else f"Saved {saved.updated_at.astimezone():%H:%M:%S}"
            )
            self._set_state(SaveState.SAVED, message)
        self.saved.emit(saved)

    def _lost_race(self, article: Article, written: Written) -> None:
        self._unsaved_since.invalidate()
        if written.kept:
            self._kept = article
        self._set_state(SaveState.FAILED, "Changed elsewhere: choose which version to keep")
        if written.theirs is not None:
            # Until a resolve_*() call: typing goes on, into the journal only.
            self._resolving = True
            self._keep_locally()
            self.conflict_detected.emit(self.pending or article, written.theirs)

    def _failed(self, problem: str) -> None:
        self._failing = True
        self._set_state(SaveState.FAILED, f"Not saved, will retry: {problem}{self._kept_note()}")
        self._unsaved_since.invalidate()
        self._timer.start(self.RETRY_MS)

    def _stored_now(self, saved: Article) -> None:
        """The store has the text on screen: nothing of it is left to restore."""
        if self.journal is not None and self.pending is not None:
            self.journal.confirm(self.pending.uri)
        self._failing = False
        self.stored = saved
        self.pending = self._journaled = None

    def _kept_note(self) -> str:
        if self.journal is None:
            return ""
        problem = self.journal_problem or self.journal.problem
        return f" {problem}" if problem else " Your text is kept on this computer meanwhile."

    def _not_answering(self) -> str:
        """What to say while the store does not answer, and where the text is meanwhile."""
        who = not_answering(self._store)
        if self.journal is not None and not (self.journal_problem or self.journal.problem):
            return f"{who}: your text is kept on this computer."
        return f"{who}: your text stays in this window until it is stored; keep it open."

    def _slow_changed(self, slow: bool) -> None:
        if slow:
            self._keep_locally()
            message = self._not_answering()
            self.store_waiting.emit(message[0].upper() + message[1:])
        else:
            self.store_waiting.emit("")

    def resolve_keep_mine(self, mine: Article, theirs: Article) -> bool:
        """Keep the text on screen as the newest version; theirs stays in the history.

        ``mine`` is the text on screen now (edits made since the conflict included).
        """
        store = self._store
        problem = self._ask(
            lambda: store.add_revision(theirs.uri, "conflict: their version", snapshot=theirs)
        )
        if problem is not None:
            self._set_state(SaveState.FAILED, f"Not saved: {problem}")
            return False  # their text is not in the history yet: do not write over it
        self._resolving = False
        self.stored = theirs
        self.pending = dataclasses.replace(mine, version=theirs.version, id=theirs.id)
        return self.flush("conflict: kept mine")

    def resolve_take_theirs(self, mine: Article, theirs: Article) -> bool:
        """Show their version; the text on screen is kept as a revision first.

        Returns False, and changes nothing, when the text on screen could not be kept.
        """
        if not self._keep_in_history(mine):
            self._set_state(SaveState.FAILED, "Your text could not be kept in the history")
            return False
        self._resolving = False
        if self.journal is not None:
            self.journal.confirm(mine.uri)  # the store's history has it now
        self.stored, self.pending, self._journaled = theirs, None, None
        self._set_state(SaveState.SAVED, "Showing their version; yours is in the history")
        return True

    def _keep_in_history(self, mine: Article) -> bool:
        """Record the text that lost a race as a revision (once); True once it is kept."""
        if self._kept == mine:
            return True
        store = self._store
        problem = self._ask(
            lambda: store.add_revision(mine.uri, "conflict: my version", snapshot=mine)
        )
        if problem is not None:
            return False
        self._kept = mine
        return True

    def _ask(self, call: Callable[[], object]) -> str | None:
        """Make one store call on the lane and wait (at most :attr:`WAIT_S`) for it: the
        journalist's own choice waits, typing never does. None, or what went wrong."""
        answers: list[BaseException | None] = []
        self.lane.submit(call, lambda _value, error: answers.append(error))
        deadline = time.monotonic() + self.WAIT_S
        while not answers and time.monotonic() < deadline:
            self.lane.wait(max(0.0, deadline - time.monotonic()))
        if not answers:
            return self._not_answering()
        error = answers[0]
        return None if error is None else (str(error) or type(error).__name__)

    def _set_state(self, state: SaveState, message: str) -> None:
        self.state = state
        self.message = message
        self.state_changed.emit(state.value, message)
