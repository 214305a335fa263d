"""The related-links panel: adding, refusing, ordering, merging, the cap, suggestions, saving."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, Qt

from newsdesk.core.models import Article, RelatedLink, Status
from newsdesk.ui.related.related_model import Role, Severity

from .conftest import wait_for_dom

FLOOD = "River Ouse bursts its banks as York braces for more rain"


def _archive() -> list[Article]:
    def art(headline: str, tags: tuple[str, ...], section: str, body: str, **kw: Any) -> Article:
        kw.setdefault("status", Status.PUBLISHED)
        return Article(headline=headline, tags=tags, section=section, body=body, **kw)

    flood = "The river flooding reached homes as the council opened rest centres. " * 5
    return [
        art(FLOOD, ("flooding", "york"), "uk", flood),
        art("Flood defences in York fail as river keeps rising", ("flooding",), "uk", flood),
        art("Council approves £4m flood defence scheme for York", ("flooding",), "uk", flood),
        art("Cup final tickets sell out in an hour", ("football",), "sport", "Fans queued. " * 20),
        art("Exam results: more top grades in maths", ("schools",), "uk", "Pupils did well. " * 20),
        art(
            "Withdrawn: flood warning issued in error", ("flooding",), "uk", flood,
            status=Status.WITHDRAWN,
        ),
    ]  # fmt: skip


@pytest.fixture
def archive_store(tmp_path: Path) -> Iterator[Any]:
    from newsdesk.store import open_store

    store = open_store(str(tmp_path / "related.db"))
    store.create_many(_archive())
    yield store
    store.close()


@pytest.fixture
def panel(qtbot: Any, archive_store: Any) -> Any:
    from newsdesk.ui.background.tasks import TaskRunner
    from newsdesk.ui.related.related_panel import RelatedPanel

    tasks = TaskRunner()
    widget = RelatedPanel(archive_store, tasks)
    qtbot.addWidget(widget)
    widget.resize(420, 640)
    widget.show()
    editing = archive_store.create(
        Article(headline="Rain to return to flooded York", tags=("flooding",), section="uk",
                body="More rain is forecast for the river and the flooding in York.")
    )  # fmt: skip
    widget.load(editing)
    qtbot.waitUntil(widget.calls.idle, timeout=10_000)  # its links read off the GUI thread
    yield widget
    tasks.wait()


def by_headline(store: Any, headline: str) -> Article:
    hit = next(h for h in store.search(headline, limit=5) if h.summary.headline == headline)
    return store.get(hit.summary.uri)


def paste(qtbot: Any, panel: Any, block: str, at: int | None = None) -> Any:
    """Add a pasted block as the panel does: what was added once the archive has answered
    (its look-up runs off the GUI thread)."""
    with qtbot.waitSignal(panel.looked_up, timeout=10_000) as answered:
        panel.add_block(block, at)
    return answered.args[0]


def titles(panel: Any) -> list[str]:
    model = panel.model
    return [model.data(model.index(row)) for row in range(model.rowCount())]


def test_models_pass_qtmodeltester(
    qtbot: Any, qtmodeltester: Any, panel: Any, archive_store: Any
) -> None:
    paste(qtbot, panel, "https://example.com/a\nhttps://example.org/b?utm_source=x")
    panel.add([RelatedLink(title=FLOOD, target_uri=by_headline(archive_store, FLOOD).uri)])
    qtmodeltester.check(panel.model)
    panel.refresh_suggestions()
    qtmodeltester.check(panel.suggestions)


def test_web_links_are_normalised_and_unsafe_ones_refused_in_place(panel: Any) -> None:
    panel.add_field.setText("HTTPS://WWW.Example.com:443/story/?utm_source=tw&id=7#comments")
    panel.title_field.setText("An outside story")
    panel.add_from_field()
    assert [link.url for link in panel.links()] == ["https://www.example.com/story?id=7"]
    assert panel.links()[0].title == "An outside story"

    for unsafe in ("javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.com/f"):
        panel.add_field.setText(unsafe)
        panel.add_from_field()
        assert "not allowed" in panel.message.text()
        assert panel.add_field.text() == unsafe  # kept, so it can be corrected
    assert len(panel.links()) == 1


def test_a_headline_adds_the_best_match_and_a_block_adds_every_line(
    qtbot: Any, panel: Any, archive_store: Any
) -> None:
    panel.add_field.setText("cup final tickets")
    with qtbot.waitSignal(panel.looked_up, timeout=10_000):  # searched off the GUI thread
        panel.add_from_field()
    assert titles(panel) == ["Cup final tickets sell out in an hour"]
    assert panel.links()[0].target_uri

    result = paste(
        qtbot,
        panel,
        "- [Met Office warnings](https://www.metoffice.gov.uk/warnings?utm_medium=x)\n"
        "Exam results: more top grades in maths\n"  # an archive headline: a link to it
        "javascript:alert(1)\n"
        "https://example.com/one https://example.com/two/\n"
        "Exam results maths\n",  # no archive headline: refused, not guessed
    )
    assert titles(panel) == [
        "Cup final tickets sell out in an hour",
        "Met Office warnings",
        "Exam results: more top grades in maths",
        "One (example.com)",
        "Two (example.com)",
    ]
    assert panel.links()[2].target_uri  # the headline became a link to the archive article
    assert [r.text for r in result.refused] == ["javascript:alert(1)", "Exam results maths"]
    assert "javascript" in result.refused[0].message
    assert "2 not added (1 not a usable web address, 1 not found in the archive)" in (
        panel.message.text()
    )


def test_duplicates_are_refused_with_the_entry_named(
    qtbot: Any, panel: Any, archive_store: Any
) -> None:
    flood = by_headline(archive_store, FLOOD)
    panel.add([RelatedLink(title=FLOOD, target_uri=flood.uri)])
    paste(qtbot, panel, "https://example.com/story\n")
    result = paste(
        qtbot,
        panel,
        "http://example.com/story/#top\n"  # the same page
        "York braces for more rain as River Ouse bursts banks https://other.example/x\n",
    )
    assert result.added == []
    assert "#2" in result.refused[0].message and "same address" in result.refused[0].message
    assert "#1" in result.refused[1].message and "same story" in result.refused[1].message
    assert len(panel.links()) == 2


def test_near_duplicates_already_in_the_list_are_flagged_and_merged_in_one_click(
    qtbot: Any, panel: Any, archive_store: Any
) -> None:
    flood = by_headline(archive_store, FLOOD)
    story = [
        RelatedLink(title=FLOOD, target_uri=flood.uri),
        RelatedLink(title="Cup final", url="https://example.com/cup"),
        RelatedLink(title="York braces for more rain as the Ouse bursts its banks",
                    url="https://news.example/york-rain", pinned=True),
    ]  # fmt: skip
    panel.load(panel.article.edited(related=tuple(story)))
    qtbot.waitUntil(panel.calls.idle, timeout=10_000)  # its links read off the GUI thread
    assert "same story as #1" in panel.model.data(panel.model.index(2), Role.PROBLEM)
    panel.view.setCurrentIndex(panel.model.index(2))
    assert panel.merge_action.isEnabled()
    panel.merge_action.trigger()
    assert [link.target_uri or link.url for link in panel.links()] == [
        flood.uri,
        "https://example.com/cup",
    ]
    assert panel.links()[0].pinned  # the merged entry keeps the pin
    panel.undo_action.trigger()
    assert len(panel.links()) == 3


def test_a_long_list_is_checked_off_the_gui_thread_and_takes_changes_once_known(
    qtbot: Any, panel: Any, archive_store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Thousands of links take seconds to check: the entries show at once, "checking…",
    and the window goes on; the states arrive, and only then does the list take changes.
    A check that comes back after another article was opened is dropped."""
    from newsdesk.ui.related import related_panel

    monkeypatch.setattr(related_panel, "LONG_LIST", 2)  # "long" without thousands of rows
    flood = by_headline(archive_store, FLOOD)
    story = (
        RelatedLink(title=FLOOD, target_uri=flood.uri),
        RelatedLink(title="Cup final", url="https://example.com/cup"),
        RelatedLink(title="York braces for more rain as the Ouse bursts its banks",
                    url="https://news.example/york-rain"),
    )  # fmt: skip
    checked: list[str] = []
    describe = related_panel.describe_rows

    def slow_describe(*args: Any, **kwargs: Any) -> Any:
        checked.append(args[0].headline)
        return describe(*args, **kwargs)

    monkeypatch.setattr(related_panel, "describe_rows", slow_describe)
    article = panel.article.edited(related=story)
    panel.load(article)
    assert titles(panel)[0] == FLOOD and not panel.isEnabled()
    assert panel.model.data(panel.model.index(2), Role.PROBLEM) == "checking…"
    qtbot.waitUntil(panel.isEnabled, timeout=10_000)
    assert checked == [article.headline]
    assert "same story as #1" in panel.model.data(panel.model.index(2), Role.PROBLEM)
    assert panel.model.targets[flood.uri].headline == FLOOD
    # Another article opened while the first one's check is still running: its late answer
    # is not shown over the second one's list.
    release = threading.Event()

    def held_describe(*args: Any, **kwargs: Any) -> Any:
        release.wait(10)
        return slow_describe(*args, **kwargs)

    monkeypatch.setattr(related_panel, "describe_rows", held_describe)
    panel.load(article)
    qtbot.wait(300)  # the first check is running now, held by ``release``
    monkeypatch.setattr(related_panel, "describe_rows", slow_describe)
    other = panel.article.edited(headline="Another story", related=(story[1], story[0], story[2]))
    panel.load(other)
    qtbot.waitUntil(lambda: checked[-1] == "Another story" and panel.isEnabled(), timeout=10_000)
    release.set()  # now the first check ends, after the second
    qtbot.waitUntil(lambda: len(checked) == 3, timeout=10_000)
    qtbot.wait(300)  # its answer has come back by now, and was dropped
    assert panel.article is other and panel.links() == [story[1], story[0], story[2]]
    assert panel.isEnabled() and panel.model.data(panel.model.index(1), Role.PROBLEM) != "checking…"


def test_reorder_by_keyboard_and_by_drag_and_drop_with_undo(qtbot: Any, panel: Any) -> None:
    paste(qtbot, panel, "https://a.example/1\nhttps://b.example/2\nhttps://c.example/3\n")
    urls = lambda: [link.url.split("//")[1][0] for link in panel.links()]  # noqa: E731
    assert urls() == ["a", "b", "c"]
    panel.view.setCurrentIndex(panel.model.index(0))
    panel.down_action.trigger()
    assert urls() == ["b", "a", "c"]
    assert panel.view.currentIndex().row() == 1
    panel.up_action.trigger()
    assert urls() == ["a", "b", "c"]

    data = panel.model.mimeData([panel.model.index(2)])
    panel.model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, panel.model.index(-1))
    assert urls() == ["c", "a", "b"]
    panel.undo_action.trigger()
    assert urls() == ["a", "b", "c"]

    dropped = QMimeData()
    dropped.setText("https://d.example/4?utm_campaign=x")
    with qtbot.waitSignal(panel.looked_up, timeout=10_000):
        panel.model.dropMimeData(dropped, Qt.DropAction.CopyAction, 1, 0, panel.model.index(-1))
    assert urls() == ["a", "d", "b", "c"]


def test_remove_can_be_undone_and_titles_relations_and_pins_edit(qtbot: Any, panel: Any) -> None:
    paste(qtbot, panel, "https://a.example/1\nhttps://b.example/2\n")
    panel.view.setCurrentIndex(panel.model.index(0))
    panel.remove_action.trigger()
    assert len(panel.links()) == 1 and "Undo" in panel.message.text()
    panel.undo_action.trigger()
    assert len(panel.links()) == 2

    assert panel.model.setData(panel.model.index(1), "  Second   page ")
    assert panel.links()[1].title == "Second page"
    panel.view.setCurrentIndex(panel.model.index(1))
    panel.relation.setCurrentIndex(panel.relation.findData("follow_up"))
    panel.relation.activated.emit(panel.relation.currentIndex())
    panel.pin_action.trigger()
    second = panel.links()[1]
    assert (second.relation.value, second.pinned) == ("follow_up", True)


def test_the_cap_warns_and_flags_what_will_not_be_shown(qtbot: Any, panel: Any) -> None:
    block = "\n".join(f"https://site{n}.example/story-{n}" for n in range(8))
    result = paste(qtbot, panel, block)
    assert len(result.added) == 8
    assert panel.message.text() == "Added 8 links. The page shows the first 6."
    states = panel.model.states
    assert [s.published for s in states] == [True] * 6 + [False] * 2
    assert all("over the cap" in s.problem for s in states[6:])
    assert "2 over the cap" in panel.cap_label.text()


def test_withdrawn_and_deleted_targets_are_flagged(
    qtbot: Any, panel: Any, archive_store: Any
) -> None:
    withdrawn = by_headline(archive_store, "Withdrawn: flood warning issued in error")
    gone = archive_store.create(Article(headline="Soon deleted"))
    panel.load(
        panel.article.edited(
            related=(
                RelatedLink(title=withdrawn.headline, target_uri=withdrawn.uri),
                RelatedLink(title="Soon deleted", target_uri=gone.uri),
            )
        )
    )
    archive_store.delete(gone.uri)
    panel.load(panel.article)
    qtbot.waitUntil(panel.calls.idle, timeout=10_000)  # its links read off the GUI thread
    problems = [s.problem for s in panel.model.states]
    assert problems[0].startswith("withdrawn")
    assert problems[1].startswith("deleted")
    assert not any(s.published for s in panel.model.states)


def test_suggestions_rank_on_topic_first_and_are_accepted_with_a_key(
    qtbot: Any, panel: Any, archive_store: Any
) -> None:
    panel.refresh_suggestions()
    qtbot.waitUntil(lambda: panel.suggestions.rowCount() > 0, timeout=10_000)
    found = [s.headline for s in panel.suggestions.suggestions]
    assert "Withdrawn: flood warning issued in error" not in found
    flood_rows = [found.index(h) for h in found if "lood" in h or "York" in h]
    other_rows = [found.index(h) for h in found if h.startswith(("Cup", "Exam"))]
    assert flood_rows and all(f < o for f in flood_rows for o in other_rows)
    assert panel.suggestions.suggestions[0].reason

    best = panel.suggestions.suggestions[0]
    panel.suggestion_view.setCurrentIndex(panel.suggestions.index(0))
    panel.accept_button.click()
    assert [link.target_uri for link in panel.links()] == [best.uri]
    second = panel.suggestions.suggestions[1]
    panel.suggestion_view.activated.emit(panel.suggestions.index(1))  # Enter or double click
    assert [link.target_uri for link in panel.links()] == [best.uri, second.uri]


def test_links_are_saved_in_order_and_the_preview_shows_them_capped(
    qtbot: Any, make_window: Any, archive_store: Any
) -> None:
    window = make_window(archive_store)
    target = by_headline(archive_store, FLOOD)
    editing = archive_store.create(Article(headline="Rain to return", section="uk"))
    with qtbot.waitSignal(window.preview.load_finished, timeout=15_000):
        window.open_article(editing.uri)
    window.commands.related.trigger()
    block = "\n".join(f"https://site{n}.example/story-{n}" for n in range(7))
    paste(qtbot, window.related, block)
    window.related.add([RelatedLink(title=FLOOD, target_uri=target.uri)], at=0)
    window.save_now()
    window.session.flush()  # Ctrl+S waits only a moment: its answer
    stored = archive_store.get(editing.uri)
    assert [link.target_uri or link.url for link in stored.related] == [
        target.uri,
        *[f"https://site{n}.example/story-{n}" for n in range(7)],
    ]
    shown = wait_for_dom(
        qtbot,
        window.preview,
        "[...document.querySelectorAll('.related-list a')].map(a => a.textContent.trim())",
        lambda v: bool(v) and v[0] == FLOOD,
    )
    assert shown == [FLOOD, *[f"Story {n} (site{n}.example)" for n in range(5)]]


def test_suggestions_follow_the_text_as_it_is_written(qtbot: Any, panel: Any) -> None:
    panel.refresh_suggestions()
    qtbot.waitUntil(lambda: panel.suggestions.rowCount() > 0, timeout=10_000)
    assert "flooding" in panel.suggestions.suggestions[0].why
    rewritten = panel.article.edited(
        headline="Cup final tickets gone in minutes",
        tags=("football",),
        section="sport",
        body="Fans queued overnight for cup final tickets.",
    )
    panel.article_edited(rewritten)
    qtbot.waitUntil(
        lambda: (
            bool(panel.suggestions.suggestions)
            and panel.suggestions.suggestions[0].headline.startswith("Cup final")
        ),
        timeout=10_000,
    )


def test_web_links_are_checked_on_demand_and_the_results_kept(
    qtbot: Any, panel: Any, archive_store: Any, link_site: Any
) -> None:
    paste(qtbot, panel, "\n".join(link_site.url(p) for p in ("/ok", "/gone", "/error")))
    archive_store.save(panel.article)
    panel.check_action.trigger()
    qtbot.waitUntil(lambda: panel.message.text().startswith("Checked"), timeout=20_000)
    assert "2 need attention" in panel.message.text()
    problems = [s.problem for s in panel.model.states]
    assert panel.model.states[0].severity == Severity.NOTE  # only its made-up title noted
    assert "404" in problems[1] and "500" in problems[2]
    assert "checked" in problems[1]  # with the time of the check

    kept = archive_store.link_checks([link_site.url("/gone")])
    assert kept[link_site.url("/gone")].status_code == 404
    panel.load(archive_store.get(panel.article.uri))  # reopened later: the results are shown
    qtbot.waitUntil(panel.calls.idle, timeout=10_000)  # its links read off the GUI thread
    assert "404" in panel.model.states[1].problem
