"""Keeping the article on screen safely stored: autosave, Ctrl+S, conflicts, failures."""

from __future__ import annotations

import dataclasses
from enum import StrEnum

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer, Signal

from newsdesk.core.errors import ConflictError, NewsdeskError, NotFoundError, ValidationError
from newsdesk.core.history import AUTOSAVE, STATUS
from newsdesk.core.journal import Journal, JournalError
from newsdesk.core.models import Article
from newsdesk.core.ports import ArticleStore


class SaveState(StrEnum):
    SAVED = "saved"
    UNSAVED = "unsaved"
    FAILED = "failed"


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

    With a :class:`Journal`, the same bound holds whatever the store's state: when an edit
    is due, it is appended to the journal on this computer (and flushed to the disk)
    before the store is asked, and marked stored once the store has it. A conflict
    waiting for a choice, a store that is down, full or read-only: the text typed is on
    the disk all the same.
    """

    state_changed = Signal(str, str)
    """The save state (a :class:`SaveState` value) and a message for the status bar."""
    saved = Signal(object)
    """An :class:`Article` was written; carries the stored version."""
    conflict_detected = Signal(object, object)
    """A newer version was saved elsewhere: (mine, theirs). Nothing was written."""

    RETRY_MS = 5000
    MAX_WAIT_MS = 1500
    """The longest an edit waits to be written, typing or not: the crash-safety promise."""
    MAX_DELAY_MS = 2000
    """The longest pause setting accepted (AppSettings holds the same bound)."""
    JOURNAL_EVERY_MS = 200
    """While the store is failing or a conflict waits: the journal's pace during typing, so
    a window held up by a slow store call loses no more than that before it."""

    def __init__(
        self,
        store: ArticleStore,
        delay_ms: int = 800,
        parent: QObject | None = None,
        *,
        journal: Journal | None = None,
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
        self.pending = dataclasses.replace(article, version=self.stored.version, id=self.stored.id)
        if self._resolving or self._failing:
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
        """Write pending edits now; with a ``reason`` also record a revision. True if safe."""
        if self._resolving:
            self._timer.stop()
            self._keep_locally()
            return False  # a conflict waits for a choice: nothing is written behind it
        return self._write(reason)

    def _due(self) -> None:
        """The autosave bound: into the journal first, whatever the store; then the store."""
        self._unsaved_since.invalidate()
        if self._resolving:
            self._keep_locally()
        else:
            self._write(None)

    def _keep_as_typed(self) -> None:
        """The store is not taking the text: keep it here as it is typed, not only when the
        autosave is due (another call to the store may hold the window up until then)."""
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

    def _write(self, reason: str | None) -> bool:
        self._timer.stop()
        if self.stored is None:
            return True
        if self.pending is None and reason is None:
            return self.state != SaveState.FAILED
        self._keep_locally()
        article = self.pending or self.stored
        status_changed = self.pending is not None and self.pending.status != self.stored.status
        try:
            saved = self._store.save(
                article, reason=reason or (STATUS if status_changed else AUTOSAVE)
            )
        except ConflictError:
            self._unsaved_since.invalidate()
            self._keep_in_history(article)  # whatever is chosen, or if we crash meanwhile
            theirs = self._safe_get(article.uri)
            self._set_state(SaveState.FAILED, "Changed elsewhere: choose which version to keep")
            if theirs is not None:
                # Until a resolve_*() call: typing goes on, into the journal only.
                self._resolving = True
                self.conflict_detected.emit(article, theirs)
            return self.state == SaveState.SAVED  # resolved at once: kept mine, or took theirs
        except NotFoundError:
            return self._recreate(article)
        except ValidationError as exc:
            self._set_state(SaveState.FAILED, f"Not saved: {exc}")
            return False
        except NewsdeskError as exc:
            self._failing = True
            self._set_state(SaveState.FAILED, f"Not saved, will retry: {exc}{self._kept_note()}")
            self._unsaved_since.invalidate()
            self._timer.start(self.RETRY_MS)
            return False
        self._unsaved_since.invalidate()
        self._stored_now(saved)
        self._set_state(SaveState.SAVED, f"Saved {saved.updated_at.astimezone():%H:%M:%S}")
        self.saved.emit(saved)
        return True

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

    def _recreate(self, article: Article) -> bool:
        """The article was deleted elsewhere: store the text on screen again, as new."""
        try:
            saved = self._store.create(dataclasses.replace(article, id=None, version=0))
        except NewsdeskError as exc:
            self._set_state(SaveState.FAILED, f"Not saved: {exc}")
            return False
        self._stored_now(saved)
        self._set_state(SaveState.SAVED, "Deleted elsewhere: your text was saved again")
        self.saved.emit(saved)
        return True

    def resolve_keep_mine(self, mine: Article, theirs: Article) -> bool:
        """Keep the text on screen as the newest version; theirs stays in the history.

        ``mine`` is the text on screen now (edits made since the conflict included).
        """
        try:
            self._store.add_revision(theirs.uri, "conflict: their version", snapshot=theirs)
        except NewsdeskError as exc:
            self._set_state(SaveState.FAILED, f"Not saved: {exc}")
            return False  # their text is not in the history yet: do not write over it
        self._resolving = False
        self.stored = theirs
        self.pending = dataclasses.replace(mine, version=theirs.version, id=theirs.id)
        return self._write("conflict: kept mine")

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
        try:
            self._store.add_revision(mine.uri, "conflict: my version", snapshot=mine)
        except NewsdeskError:
            return False
        self._kept = mine
        return True

    def _safe_get(self, uri: str) -> Article | None:
        try:
            return self._store.get(uri)
        except NewsdeskError:
            return None

    def _set_state(self, state: SaveState, message: str) -> None:
        self.state = state
        self.message = message
        self.state_changed.emit(state.value, message)
