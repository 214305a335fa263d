"""Pasting a web page's related list into the panel: titles kept, archive headlines linked,
refusals summarised in one line with a details view, one Undo for the whole paste."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QGuiApplication
from tests.related_sets import read_short_archive

from newsdesk.core.models import Article
from newsdesk.ui.related.related_model import STAND_IN_TITLE, Role

from .test_related_panel import paste

SITE = "https://londondaily.example"
LONG_STORY = "foreign-fighters-ukraine-losses"
OUTSIDE = [  # stories on other sites: not in the archive, kept as web links
    ("Opera season opens with a new Carmen", "https://culture.example/carmen-opens"),
    ("Kyiv's metro becomes a shelter again", "https://kyivnews.example/metro-shelter"),
    ("What the ceasefire talks could mean", "https://explainers.example/ceasefire-talks"),
]  # fmt: skip


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Any]:
    from newsdesk.store import open_store

    store = open_store(str(tmp_path / "short.db"))
    store.create_many(read_short_archive())
    yield store
    store.close()


@pytest.fixture
def panel(qtbot: Any, archive: Any) -> Iterator[Any]:
    from newsdesk.ui.background.tasks import TaskRunner
    from newsdesk.ui.related.related_panel import RelatedPanel

    tasks = TaskRunner()
    widget = RelatedPanel(archive, tasks)
    qtbot.addWidget(widget)
    widget.resize(420, 640)
    widget.show()
    widget.load(archive.get_by_slug(LONG_STORY))
    qtbot.waitUntil(widget.calls.idle, timeout=10_000)  # its links read off the GUI thread
    qtbot.waitExposed(widget)
    yield widget
    tasks.wait()


def reference_page_list(archive: Any) -> tuple[str, list[Article]]:
    """The reference page's "Related Articles" as a reader copies it: a heading, then
    every story's headline with its address on the next line; this article itself and
    one story twice among them, and three stories from other sites."""
    stories = [a for a in archive.iter_articles() if a.slug != LONG_STORY]
    lines = ["Related Articles", ""]
    for article in stories[:20]:
        lines += [article.headline, f"{SITE}/{article.section.lower()}/{article.slug}"]
    own = archive.get_by_slug(LONG_STORY)
    lines += [own.headline, f"{SITE}/world/{LONG_STORY}"]
    lines += [stories[3].headline, f"{SITE}/{stories[3].section.lower()}/{stories[3].slug}"]
    for headline, url in OUTSIDE:
        lines += [headline, url]
    for article in stories[20:]:
        lines += ["", article.headline, f"{SITE}/{article.section.lower()}/{article.slug}"]
    return "\n".join(lines) + "\n", stories


def test_a_pasted_page_list_keeps_titles_links_the_archive_and_summarises_refusals(
    qtbot: Any, panel: Any, archive: Any
) -> None:
    block, stories = reference_page_list(archive)
    room_before = panel.view.height()
    # Fifty searches in the archive may take longer than the look-up's grace: the links
    # are added when the store has answered them all.
    with qtbot.waitSignal(panel.looked_up, timeout=30_000) as looked_up:
        panel.add_block(block)
    result = looked_up.args[0]

    # Every archive headline became a link to its article, titled by its headline.
    links = panel.links()
    archived = [link for link in links if link.target_uri]
    assert [link.title for link in archived] == [a.headline for a in stories]
    assert {link.target_uri for link in archived} == {a.uri for a in stories}
    # Stories from other sites keep the headline from the line before their address.
    outside = [(link.title, link.url) for link in links if link.url]
    assert outside == OUTSIDE
    assert not any(s.problem == STAND_IN_TITLE for s in panel.model.states)

    # What was refused is one short line (never a wall), with every reason behind Details.
    assert [r.why.value for r in result.refused] == [
        "not found in the archive",
        "this article itself",
        "already in the list",
    ]
    message = panel.message.text()
    assert message.startswith(f"Added {len(links)} links. 3 not added (")
    assert message.endswith("The page shows the first 6.")
    assert panel.message.property("problem") is False
    assert panel.message_bar.details_button.isVisible()
    assert panel.view.height() >= room_before - 30  # the list keeps its room
    dialog = panel.message_bar.open_details()
    qtbot.waitExposed(dialog)
    shown = panel.message_bar.details_text.toPlainText().splitlines()
    assert len(shown) == 3
    assert shown[0].startswith("• “Related Articles”: no article in the archive has this")
    assert "is this article" in shown[1]
    assert "already in the list as #4" in shown[2] and "(same article)" in shown[2]

    # One Undo takes the whole paste away, and its messages with it.
    panel.undo_action.trigger()
    assert panel.links() == []
    assert panel.message.text() == "" and not panel.message_bar.isVisible()
    assert not panel.message_bar.details_button.isVisible()
    assert not dialog.isVisible()
    panel.redo_action.trigger()
    assert len(panel.links()) == len(links) and panel.message.text() == message


def test_links_copied_from_a_web_page_are_titled_by_their_text(
    qtbot: Any, panel: Any, archive: Any
) -> None:
    kyiv = archive.get_by_slug("kyiv-missile-strike")
    html = (
        "<html><body><!--StartFragment--><h2>Related Articles</h2><ul>"
        f'<li><a href="{SITE}/world/kyiv-missile-strike"><img src="k.jpg"></a>'
        f'<a href="{SITE}/world/kyiv-missile-strike">{kyiv.headline}</a></li>'
        '<li><a href="https://kyivnews.example/metro?utm_source=x">Kyiv&#39;s metro '
        "<b>becomes a shelter</b> again</a></li>"
        '<li><a href="#top">Back to top</a></li>'
        '<li><a href="https://example.com/bare">https://example.com/bare</a></li>'
        "</ul><!--EndFragment--></body></html>"
    )
    data = QMimeData()
    data.setHtml(html)
    data.setText(f"{kyiv.headline}\nKyiv's metro becomes a shelter again\nBack to top")
    QGuiApplication.clipboard().setMimeData(data)
    panel.add_field.setFocus()
    with qtbot.waitSignal(panel.looked_up, timeout=10_000):  # its headline looked up
        qtbot.keyClick(panel.add_field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    links = panel.links()
    assert [(link.title, link.target_uri, link.url) for link in links] == [
        (kyiv.headline, kyiv.uri, None),
        ("Kyiv's metro becomes a shelter again", None, "https://kyivnews.example/metro"),
        ("Bare (example.com)", None, "https://example.com/bare"),
    ]
    assert panel.model.data(panel.model.index(2), Role.PROBLEM) == STAND_IN_TITLE
    assert panel.add_field.text() == ""  # the field did not take the HTML as text
    assert panel.message.text() == "Added 3 links."

    dropped = QMimeData()
    dropped.setHtml('<a href="https://other.example/story">A dropped story</a>')
    with qtbot.waitSignal(panel.looked_up, timeout=10_000):
        panel.model.dropMimeData(dropped, Qt.DropAction.CopyAction, 1, 0, panel.model.index(-1))
    assert [link.title for link in panel.links()][:3] == [
        kyiv.headline,
        "A dropped story",
        "Kyiv's metro becomes a shelter again",
    ]


def test_a_refused_paste_says_why_in_one_red_line_and_changes_nothing(
    qtbot: Any, panel: Any
) -> None:
    result = paste(qtbot, panel, "javascript:alert(1)\n")
    assert result.added == [] and panel.links() == []
    assert panel.message.property("problem") is True
    assert "'javascript:' links are not allowed" in panel.message.text()
    assert not panel.message_bar.details_button.isVisible()
    assert panel.undo_stack.count() == 0  # nothing to undo: nothing changed
