"""Keeping the article on screen safely stored: autosave, Ctrl+S, conflicts, failures."""

from __future__ import annotations

import dataclasses
from enum import StrEnum

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer, Signal

from newsdesk.core.errors import ConflictError, NewsdeskError, NotFoundError, ValidationError
from newsdesk.core.history import AUTOSAVE, STATUS
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
    journalist has chosen.
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

    def __init__(self, store: ArticleStore, delay_ms: int = 800, parent: QObject | None = None):
        super().__init__(parent)
        self._store = store
        self.stored: Article | None = None
        self.pending: Article | None = None
        self.state = SaveState.SAVED
        self.message = ""
        self._delay = self._bounded(delay_ms)
        # Precise: a coarse timer may fire up to 5 % late, past the 2 s promise.
        self._timer = QTimer(self, singleShot=True, interval=self._delay)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.flush)
        self._unsaved_since = QElapsedTimer()  # the first edit not written yet
        self._resolving = False  # the conflict dialog is open: wait for the choice
        self._kept: Article | None = None  # the last losing text recorded in the history

    def _bounded(self, delay_ms: int) -> int:
        return min(max(int(delay_ms), 50), self.MAX_DELAY_MS)

    @property
    def current(self) -> Article | None:
        """The article as on screen: unsaved edits included."""
        return self.pending or self.stored

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
        self._set_state(SaveState.UNSAVED, "Editing")
        if self._resolving:
            return  # written once the journalist has chosen
        if not self._unsaved_since.isValid():
            self._unsaved_since.start()
        # A pause of the autosave delay writes; typing without a pause writes anyway when
        # the oldest unwritten edit is MAX_WAIT_MS old.
        left = self.MAX_WAIT_MS - self._unsaved_since.elapsed()
        self._timer.start(max(0, min(self._delay, left)))

    def flush(self, reason: str | None = None) -> bool:
        """Write pending edits now; with a ``reason`` also record a revision. True if safe."""
        if self._resolving:
            return False  # the conflict dialog is open: nothing is written behind it
        return self._write(reason)

    def _write(self, reason: str | None) -> bool:
        self._timer.stop()
        if self.stored is None:
            return True
        if self.pending is None and reason is None:
            return self.state != SaveState.FAILED
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
                self._resolving = True
                try:
                    self.conflict_detected.emit(article, theirs)
                finally:
                    self._resolving = False
            return self.state == SaveState.SAVED  # resolved: kept mine, or took theirs
        except NotFoundError:
            return self._recreate(article)
        except ValidationError as exc:
            self._set_state(SaveState.FAILED, f"Not saved: {exc}")
            return False
        except NewsdeskError as exc:
            self._set_state(SaveState.FAILED, f"Not saved, will retry: {exc}")
            self._unsaved_since.invalidate()
            self._timer.start(self.RETRY_MS)
            return False
        self._unsaved_since.invalidate()
        self.stored = saved
        self.pending = None
        self._set_state(SaveState.SAVED, f"Saved {saved.updated_at.astimezone():%H:%M:%S}")
        self.saved.emit(saved)
        return True

    def _recreate(self, article: Article) -> bool:
        """The article was deleted elsewhere: store the text on screen again, as new."""
        try:
            saved = self._store.create(dataclasses.replace(article, id=None, version=0))
        except NewsdeskError as exc:
            self._set_state(SaveState.FAILED, f"Not saved: {exc}")
            return False
        self.stored, self.pending = saved, None
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
        self.stored, self.pending = theirs, None
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
