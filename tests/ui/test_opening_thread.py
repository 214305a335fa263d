"""Opening an article never freezes the window: the store is read off the GUI thread.

While the store does not answer, the article on screen stays, typing goes on into it, and
the status bar says what is being opened; once the store answers, the article chosen last
opens (a second click wins), the one on screen written first.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication
from sqlalchemy.engine import make_url
from tests.tcp_proxy import TcpProxy

from newsdesk.core.errors import NewsdeskError
from newsdesk.core.models import Article
from newsdesk.store import open_store
from newsdesk.ui.saving.opening import ArticleOpener

from .stalls import PROMPT_S

CLICK_S = ArticleOpener.GRACE_S + PROMPT_S  # a click waits the grace for a healthy store


class GatedStore:
    """A real store whose ``get`` (and ``revisions`` once :attr:`history_hangs`) waits for
    :attr:`gate`, and whose ``save`` fails while :attr:`full` is set."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self.gate = threading.Event()
        self.gate.set()
        self.full = False
        self.history_hangs = False
        self.gets: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def get(self, uri: str) -> Article:
        self.gets.append(uri)
        self.gate.wait(60)
        return self._store.get(uri)  # type: ignore[no-any-return]

    def revisions(self, uri: str) -> Any:
        if self.history_hangs:
            self.gate.wait(60)
        return self._store.revisions(uri)

    def save(self, article: Article, **kwargs: Any) -> Article:
        if self.full:
            raise NewsdeskError("The disk is full: free some space.")
        return self._store.save(article, **kwargs)  # type: ignore[no-any-return]


@pytest.fixture
def three(empty_store: Any) -> Iterator[tuple[GatedStore, list[Article]]]:
    """Three articles behind a gated store; the gate opened at the end whatever happened."""
    made = [
        empty_store.create(Article(headline=headline, body=f"{headline}: first line."))
        for headline in ("Harbour fire", "Council vote", "Rail strike")
    ]
    gated = GatedStore(empty_store)
    yield gated, made
    gated.gate.set()


def click(window: Any, uri: str) -> float:
    """Choose ``uri`` in the library, as a click does; how long the window was busy."""
    started = time.perf_counter()
    window.library.select(uri)
    QApplication.processEvents()
    return time.perf_counter() - started


def type_keys(qtbot: Any, window: Any, text: str) -> list[float]:
    """Type ``text`` at the end of the body; each key's time."""
    body = window.editor.body
    body.setFocus()
    body.moveCursor(QTextCursor.MoveOperation.End)
    times = []
    for char in text:
        started = time.perf_counter()
        qtbot.keyClick(body, char)
        QApplication.processEvents()
        times.append(time.perf_counter() - started)
    return times


def other_than(window: Any, made: list[Article]) -> list[Article]:
    return [article for article in made if article.uri != window.session.stored.uri]


@pytest.fixture
def stalling_url(store_url: str) -> Iterator[tuple[str, TcpProxy]]:
    url = make_url(store_url)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    try:
        yield url.set(host="127.0.0.1", port=proxy.port).render_as_string(False), proxy
    finally:
        proxy.close()


@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_choosing_an_article_while_the_server_hangs_keeps_the_window_and_opens_it_later(
    qtbot: Any, open_window: Any, stalling_url: tuple[str, TcpProxy], store_url: str
) -> None:
    url, proxy = stalling_url
    # As the window opens its store (app.open_for_window), with room for the test's steps.
    store = open_store(url, busy_timeout=1.0, answer_timeout=30.0)
    made = [
        store.create(Article(headline=headline, body=f"{headline}: first line."))
        for headline in ("Harbour fire", "Council vote")
    ]
    window = open_window(store)
    first = window.session.stored
    chosen = other_than(window, made)[0]
    proxy.hang()
    busy = click(window, chosen.uri)
    assert busy < CLICK_S, f"the click held the window {busy:.3f} s"
    assert window.session.stored.uri == first.uri  # still on screen, as it was
    assert window.editor.body.toPlainText() == first.body
    qtbot.waitUntil(lambda: "not answering" in window.statusBar().currentMessage(), timeout=3000)
    assert window.statusBar().currentMessage() == (
        f"Opening “{chosen.headline}”: the newsroom server is not answering. The article on "
        "screen stays open meanwhile; choose another to open that one instead."
    )
    times = type_keys(qtbot, window, " More.")
    assert max(times) < PROMPT_S, f"a key took {max(times):.3f} s while the server hung"
    assert window.editor.body.toPlainText() == first.body + " More."
    assert window.session.stored.uri == first.uri
    proxy.resume()
    qtbot.waitUntil(lambda: window.session.stored.uri == chosen.uri, timeout=20_000)
    assert window.editor.body.toPlainText() == chosen.body
    assert "Opening" not in window.statusBar().currentMessage()
    check = open_store(store_url)
    assert check.get(first.uri).body == first.body + " More."  # written before it left
    check.close()


def test_two_clicks_while_the_store_hangs_the_last_one_opens(
    qtbot: Any, open_window: Any, three: tuple[GatedStore, list[Article]]
) -> None:
    store, made = three
    window = open_window(store)
    first = window.session.stored
    second, third = other_than(window, made)
    opened: list[str] = []
    window.article_opened.connect(opened.append)
    store.gate.clear()
    assert click(window, second.uri) < CLICK_S
    qtbot.waitUntil(lambda: f"Opening “{second.headline}”" in window.statusBar().currentMessage())
    assert click(window, third.uri) < CLICK_S
    assert window.statusBar().currentMessage().startswith(f"Opening “{third.headline}”")
    assert window.session.stored.uri == first.uri and opened == []
    store.gate.set()
    qtbot.waitUntil(lambda: window.session.stored.uri == third.uri, timeout=5000)
    qtbot.wait(300)  # the first click's answer, had it been asked, is in by now
    assert opened == [third.uri]
    assert window.session.stored.uri == third.uri
    assert window.editor.body.toPlainText() == third.body
    assert window.windowTitle().startswith(third.headline)
    assert window.statusBar().currentMessage() == ""


def test_going_back_to_the_article_on_screen_while_the_store_hangs_keeps_it(
    qtbot: Any, open_window: Any, three: tuple[GatedStore, list[Article]]
) -> None:
    store, made = three
    window = open_window(store)
    first = window.session.stored
    second = other_than(window, made)[0]
    store.gets.clear()
    store.gate.clear()
    assert click(window, second.uri) < CLICK_S
    assert click(window, first.uri) < CLICK_S
    type_keys(qtbot, window, " Back.")
    store.gate.set()
    qtbot.waitUntil(lambda: store.gets == [second.uri], timeout=5000)
    qtbot.wait(500)  # its answer is in, and dropped
    assert window.session.stored.uri == first.uri
    assert window.editor.body.toPlainText() == first.body + " Back."


def test_a_healthy_store_opens_the_article_before_the_click_returns(
    qtbot: Any, open_window: Any, three: tuple[GatedStore, list[Article]]
) -> None:
    store, made = three
    window = open_window(store)
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    for article in other_than(window, made):
        window.open_article(article.uri)
        assert window.session.stored.uri == article.uri  # no waiting, no flicker
        assert window.editor.body.toPlainText() == article.body
    assert not [message for message in said if "Opening" in message]


def test_the_article_on_screen_stays_when_its_text_cannot_be_written(
    qtbot: Any, open_window: Any, three: tuple[GatedStore, list[Article]]
) -> None:
    store, made = three
    window = open_window(store)
    window.session.RETRY_MS = 60_000
    first = window.session.stored
    second, third = other_than(window, made)
    store.gets.clear()
    store.gate.clear()
    click(window, second.uri)  # asked for; the store is slow
    store.full = True
    type_keys(qtbot, window, " Unsaved.")
    store.gate.set()
    qtbot.waitUntil(lambda: store.gets == [second.uri], timeout=5000)
    qtbot.waitUntil(lambda: "could not be saved" in window.statusBar().currentMessage())
    assert window.session.stored.uri == first.uri
    assert window.editor.body.toPlainText() == first.body + " Unsaved."
    window.open_article(third.uri)  # as before the store was read off the window
    assert window.session.stored.uri == first.uri
    assert store.gets == [second.uri]  # not even asked
    assert "could not be saved" in window.statusBar().currentMessage()
    store.full = False
    window.open_article(third.uri)
    assert window.session.stored.uri == third.uri
    assert store._store.get(first.uri).body == first.body + " Unsaved."


def test_an_article_that_cannot_be_read_says_why_and_the_one_on_screen_stays(
    qtbot: Any, open_window: Any, three: tuple[GatedStore, list[Article]]
) -> None:
    store, made = three
    window = open_window(store)
    first = window.session.stored
    gone = other_than(window, made)[0]
    store._store.delete(gone.uri)
    window.open_article(gone.uri)
    assert window.session.stored.uri == first.uri
    assert window.statusBar().currentMessage() != ""
    assert "Opening" not in window.statusBar().currentMessage()


def test_the_history_opens_at_once_on_a_hung_store_and_fills_in_when_it_answers(
    qtbot: Any, three: tuple[GatedStore, list[Article]]
) -> None:
    from newsdesk.ui.dialogs.history import HistoryDialog

    store, made = three
    story = store.save(made[0].edited(body="Second take."), reason="manual")
    store.history_hangs = True
    store.gate.clear()
    started = time.perf_counter()
    dialog = HistoryDialog(store, story)
    qtbot.addWidget(dialog)
    dialog.show()
    assert time.perf_counter() - started < 10  # not the gate's 60 s
    started = time.perf_counter()
    dialog.reload()
    assert time.perf_counter() - started < HistoryDialog.GRACE_S + PROMPT_S
    assert dialog.loading and dialog.model.rowCount() == 0
    assert dialog.summary.text() == "Reading the history…"
    assert not dialog.restore_button.isEnabled()
    qtbot.waitUntil(lambda: "not answering" in dialog.message.text(), timeout=3000)
    store.gate.set()
    qtbot.waitUntil(lambda: not dialog.loading, timeout=5000)
    assert [dialog.model.index(r, 2).data() for r in range(dialog.model.rowCount())] == [
        "Saved (Ctrl+S)"
    ]
    assert dialog.message.text() == ""
    assert dialog.restore_button.isEnabled()
    assert dialog.summary.text().startswith("<b>Revision 1</b>: Saved (Ctrl+S)")


def test_a_restore_that_lost_a_race_reads_the_newest_version_and_the_history_again(
    qtbot: Any, three: tuple[GatedStore, list[Article]]
) -> None:
    from newsdesk.core.errors import ConflictError
    from newsdesk.ui.dialogs.history import HistoryDialog

    store, made = three
    story = store.save(made[0].edited(body="Second take."), reason="manual")
    dialog = HistoryDialog(store, story)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 1
    newer = store._store.save(story.edited(body="Third take."), reason="manual")

    def lost(article: Article, **kwargs: Any) -> Article:
        store._store.save(newer.edited(body="Fourth take."), reason="manual")  # the race
        raise ConflictError("saved elsewhere")

    store.save = lost  # type: ignore[method-assign]
    assert dialog.restore_selected() is None
    qtbot.waitUntil(lambda: not dialog.loading, timeout=5000)
    assert dialog.current.body == "Fourth take."
    assert dialog.model.rowCount() == 3
    assert dialog.message.text().startswith("The article was saved elsewhere a moment ago")


def test_an_answer_that_comes_after_the_window_closed_opens_nothing(
    qtbot: Any, open_window: Any, three: tuple[GatedStore, list[Article]]
) -> None:
    store, made = three
    window = open_window(store)
    first = window.session.stored
    second = other_than(window, made)[0]
    opened: list[str] = []
    window.article_opened.connect(opened.append)
    store.gets.clear()
    store.gate.clear()
    click(window, second.uri)
    window.close()
    store.gate.set()
    qtbot.waitUntil(lambda: store.gets == [second.uri], timeout=5000)
    qtbot.wait(300)  # its answer is in
    assert opened == []
    assert window.session.stored is None or window.session.stored.uri == first.uri
