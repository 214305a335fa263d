"""Opening an article off the GUI thread: the store's answer counts only if still wanted."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from newsdesk.core.models import Article
from newsdesk.core.ports import ArticleStore
from newsdesk.ui.background.store_worker import GRACE_S, StoreLane, alive, not_answering, reads_lane


class ArticleOpener(QObject):
    """Reads the article the journalist chose off the GUI thread (:func:`reads_lane`).

    A healthy store answers within :attr:`GRACE_S`, and the article opens at once, as if
    read on the GUI thread (no flicker; callers may read the session right after). A slow
    store leaves the article on screen as it is, editable; the status bar says what is
    being opened, and after :attr:`StoreLane.SLOW_MS` that the store is not answering.
    Only the last article asked for opens: an answer about an earlier one is dropped.
    """

    opened = Signal(object, str)
    """The article asked for last, read: (the :class:`Article`, the uri on screen when asked)."""
    failed = Signal(str)
    """The article asked for last could not be read: why."""
    waiting = Signal(str)
    """What to say while the store is read; an empty message once it has answered."""

    GRACE_S = GRACE_S

    def __init__(
        self, store: ArticleStore, parent: QObject | None = None, *, lane: StoreLane | None = None
    ) -> None:
        super().__init__(parent)
        self._store = store
        self.lane = lane or reads_lane()
        self.lane.slow_changed.connect(self._slow)
        self.uri: str | None = None  # asked for, not answered yet
        self.headline = ""
        self._asked = 0  # counts the asks: an answer to an older one is late

    def open(self, uri: str, headline: str = "", leaving: str = "") -> None:
        """Read ``uri`` (``headline``: what to call it meanwhile; ``leaving``: the uri on
        screen now); any article asked for before no longer opens."""
        self._asked += 1
        asked, store = self._asked, self._store
        self.uri, self.headline = uri, headline
        self.lane.submit(
            lambda: store.get(uri),
            lambda value, error: self._answered(asked, leaving, value, error),
            key=f"open-{id(self)}",  # an earlier ask still waiting its turn is not worth making
        )
        if not self.lane.slow:  # a store already slow is not waited for at all
            self.lane.wait(self.GRACE_S)
        if self.uri == uri and self._asked == asked:
            self._say()

    def cancel(self) -> None:
        """Forget the article asked for (the journalist went back to the one on screen)."""
        if self.uri is not None:
            self._asked += 1
            self.uri = None
            self.waiting.emit("")

    def _answered(
        self, asked: int, leaving: str, value: object, error: BaseException | None
    ) -> None:
        if not alive(self) or asked != self._asked:
            return  # the window is gone, or a later click won
        self.uri = None
        self.waiting.emit("")
        if error is None and isinstance(value, Article):
            self.opened.emit(value, leaving)
        else:
            self.failed.emit(str(error) or type(error).__name__)

    def _slow(self, slow: bool) -> None:
        if slow and self.uri is not None:
            self._say()

    def _say(self) -> None:
        """What is being opened; once the store is slow, also why it takes so long."""
        if not self.lane.slow:
            self.waiting.emit(f"Opening {self._name()}…")
            return
        who = not_answering(self._store)
        self.waiting.emit(
            f"Opening {self._name()}: {who}. The article on screen stays open meanwhile; "
            "choose another to open that one instead."
        )

    def _name(self) -> str:
        return f"“{self.headline}”" if self.headline else "the article"
