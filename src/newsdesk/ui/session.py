"""Keeping the article on screen safely stored: autosave, Ctrl+S, conflicts, failures."""

from __future__ import annotations

import contextlib
import dataclasses
from enum import StrEnum

from PySide6.QtCore import QObject, QTimer, Signal

from newsdesk.core.errors import ConflictError, NewsdeskError, NotFoundError, ValidationError
from newsdesk.core.models import Article
from newsdesk.core.ports import ArticleStore


class SaveState(StrEnum):
    SAVED = "saved"
    UNSAVED = "unsaved"
    FAILED = "failed"


class EditingSession(QObject):
    """The one article being edited, and the rule that what is on screen reaches the store.

    Edits are written after ``delay_ms`` without typing (at most 2 s), and at once on
    :meth:`flush` (Ctrl+S, another article, focus leaving, the window closing). A save
    that fails keeps the text here and tries again; a save that lost a race raises
    :attr:`conflict_detected` and writes nothing.
    """

    state_changed = Signal(str, str)
    """The save state (a :class:`SaveState` value) and a message for the status bar."""
    saved = Signal(object)
    """An :class:`Article` was written; carries the stored version."""
    conflict_detected = Signal(object, object)
    """A newer version was saved elsewhere: (mine, theirs). Nothing was written."""

    RETRY_MS = 5000

    def __init__(self, store: ArticleStore, delay_ms: int = 800, parent: QObject | None = None):
        super().__init__(parent)
        self._store = store
        self.stored: Article | None = None
        self.pending: Article | None = None
        self.state = SaveState.SAVED
        self.message = ""
        self._timer = QTimer(self, singleShot=True, interval=min(max(delay_ms, 50), 2000))
        self._timer.timeout.connect(self.flush)

    @property
    def current(self) -> Article | None:
        """The article as on screen: unsaved edits included."""
        return self.pending or self.stored

    def set_delay(self, delay_ms: int) -> None:
        self._timer.setInterval(min(max(delay_ms, 50), 2000))

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
        self._timer.start()

    def flush(self, reason: str | None = None) -> bool:
        """Write pending edits now; with a ``reason`` also record a revision. True if safe."""
        self._timer.stop()
        if self.stored is None:
            return True
        if self.pending is None and reason is None:
            return self.state != SaveState.FAILED
        article = self.pending or self.stored
        status_changed = self.pending is not None and self.pending.status != self.stored.status
        try:
            saved = self._store.save(
                article, reason=reason or ("status" if status_changed else None)
            )
        except ConflictError:
            theirs = self._safe_get(article.uri)
            self._set_state(SaveState.FAILED, "Changed elsewhere: choose which version to keep")
            if theirs is not None:
                self.conflict_detected.emit(article, theirs)
            return False
        except NotFoundError:
            return self._recreate(article)
        except ValidationError as exc:
            self._set_state(SaveState.FAILED, f"Not saved: {exc}")
            return False
        except NewsdeskError as exc:
            self._set_state(SaveState.FAILED, f"Not saved, will retry: {exc}")
            self._timer.start(self.RETRY_MS)
            return False
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
        """Keep the text on screen as the newest version; theirs stays in the history."""
        with contextlib.suppress(NewsdeskError):
            self._store.add_revision(theirs.uri, "conflict: their version")
        self.stored = theirs
        self.pending = dataclasses.replace(mine, version=theirs.version, id=theirs.id)
        return self.flush(reason="conflict: kept mine")

    def resolve_take_theirs(self, mine: Article, theirs: Article) -> None:
        """Show their version; the text on screen is kept as a revision first."""
        with contextlib.suppress(NewsdeskError):
            self._store.add_revision(theirs.uri, "conflict: my version", snapshot=mine)
        self.stored, self.pending = theirs, None
        self._set_state(SaveState.SAVED, "Showing their version; yours is in the history")

    def _safe_get(self, uri: str) -> Article | None:
        try:
            return self._store.get(uri)
        except NewsdeskError:
            return None

    def _set_state(self, state: SaveState, message: str) -> None:
        self.state = state
        self.message = message
        self.state_changed.emit(state.value, message)
