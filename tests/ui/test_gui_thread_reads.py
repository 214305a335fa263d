"""The window's reads never wait on the store: a story's picture, related links, the preview.

As in test_gui_thread_calls: one store method is held while the journalist works; the
window answers at once, keys typed meanwhile appear, the panel says what it waits for,
and the store's answer is shown once it comes (and only for the story still on screen).
"""

from __future__ import annotations

import threading
from typing import Any

from tests.media_samples import plain_jpeg_bytes

from newsdesk.core.models import Article, Media, RelatedLink

from . import test_gui_thread_calls as calls
from .conftest import wait_for_dom
from .stalls import PROMPT_S
from .test_gui_thread_calls import ACTION_S, BUSY, HeldStore, act, type_keys

held, window = calls.held, calls.window  # the same fixtures: a store held on demand


def pictured(store: HeldStore, headline: str = "Harbour pictured") -> tuple[Article, Any]:
    from newsdesk.core.media.media_intake import probe

    data = plain_jpeg_bytes(320, 240)
    asset, _ = store.add_media(data, probe(data, "harbour.jpg"), "harbour.jpg")
    image = Media(src=asset.ref, alt="Boats in the harbour", credit="Photo desk")
    return store.create(Article(headline=headline, body="Boats.", image=image)), asset


def opened(qtbot: Any, window: Any, uri: str) -> float:
    """Open ``uri`` as a click in the library does; how long the window was busy."""
    busy = act(lambda: window.open_article(uri))
    qtbot.waitUntil(lambda: window.session.stored.uri == uri, timeout=10_000)
    return busy


def test_a_story_with_a_picture_opens_at_once_and_shows_the_file_when_read(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]]
) -> None:
    from newsdesk.ui.media.media_fields import describe

    store, _made = held
    story, asset = pictured(store)
    image = window.editor.form.image
    store.hold("get_media")
    busy = opened(qtbot, window, story.uri)
    assert busy < ACTION_S, f"opening held the window {busy:.3f} s"
    assert image.file_label.text() == "Reading the file's details…"
    assert image.asset is None and image.value() == story.image  # kept as stored meanwhile
    assert not image.src.isVisibleTo(image)  # a stored file: no web address to type
    slowest = type_keys(qtbot, window, " More.")
    assert slowest < PROMPT_S, f"a key took {slowest:.3f} s while the store was held"
    assert window.editor.body.toPlainText() == "Boats. More."
    qtbot.waitUntil(lambda: BUSY in image.file_label.text(), timeout=3000)
    assert store.calls and "get_media" in {name for name, _ in store.calls}  # the preview's too
    assert threading.current_thread().name not in {thread for _, thread in store.calls}
    store.release()
    qtbot.waitUntil(lambda: image.asset is not None, timeout=10_000)
    assert image.asset.key == asset.key
    assert image.file_label.text() == describe(asset).replace("-", "-\u200b").replace(
        "_", "_\u200b"
    )
    assert image.problem.text() == "" and image.warning.text() == ""


def test_the_picture_of_the_story_opened_last_is_the_one_shown(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]]
) -> None:
    store, made = held
    story, _asset = pictured(store)
    image = window.editor.form.image
    store.hold("get_media")
    opened(qtbot, window, story.uri)
    other = next(a for a in made if a.uri != story.uri)
    opened(qtbot, window, other.uri)  # no picture: nothing to read
    assert image.file_label.text().startswith("No picture yet")
    store.release()
    assert window.calls.reads.wait(10)  # the first story's answer has come, and gone
    assert image.asset is None and image.file_label.text().startswith("No picture yet")
    assert image.value() is None


def test_a_settings_change_does_not_wait_for_a_preview_render_held_by_the_store(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]]
) -> None:
    store, _made = held
    renderer = window.preview_renderer
    renderer.reset()
    store.hold("profile")
    type_keys(qtbot, window, " Rendered.")  # the render thread now waits for the profile
    qtbot.waitUntil(lambda: [n for n, _ in store.calls] == ["profile"], timeout=5000)
    busy = act(renderer.reset)  # as a new theme or profile does
    assert busy < ACTION_S, f"resetting the preview held the window {busy:.3f} s"
    store.release()
    type_keys(qtbot, window, " Again.")  # rendered with the profile read afresh
    wait_for_dom(qtbot, window.preview, "document.body.innerText", lambda v: "Again." in v)


def related_titles(panel: Any) -> list[str]:
    return [link.title for link in panel.links()]


def test_enter_before_the_completions_came_searches_off_the_gui_thread(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]]
) -> None:
    from PySide6.QtCore import Qt

    store, made = held
    panel = window.editor.related
    other = next(a for a in made if a.uri != window.session.stored.uri)
    store.hold("search")
    qtbot.keyClicks(panel.add_field, other.headline)
    busy = act(lambda: qtbot.keyClick(panel.add_field, Qt.Key.Key_Return))
    assert busy < ACTION_S, f"Enter held the window {busy:.3f} s"
    assert panel.message.text() == "Looking up…"
    slowest = type_keys(qtbot, window, " More.")
    assert slowest < PROMPT_S, f"a key took {slowest:.3f} s while the store was held"
    qtbot.waitUntil(lambda: BUSY in panel.message.text(), timeout=3000)
    assert panel.links() == []
    assert threading.current_thread().name not in {thread for _, thread in store.calls}
    store.release()
    qtbot.waitUntil(lambda: related_titles(panel) == [other.headline], timeout=10_000)
    assert panel.links()[0].target_uri == other.uri
    assert panel.message.text() == f"Added “{other.headline}”."
    assert panel.add_field.text() == ""
    qtbot.waitUntil(
        lambda: (
            [link.target_uri for link in store.get(window.session.stored.uri).related]
            == [other.uri]
        ),
        timeout=10_000,
    )


def test_a_pasted_block_is_looked_up_and_added_when_the_store_answers(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]]
) -> None:
    store, made = held
    panel = window.editor.related
    other = next(a for a in made if a.uri != window.session.stored.uri)
    store.hold("search", "get_many")
    busy = act(lambda: panel.add_block(f"{other.headline}\nhttps://example.com/harbour"))
    assert busy < ACTION_S, f"the paste held the window {busy:.3f} s"
    assert panel.message.text() == "Looking up…"
    slowest = type_keys(qtbot, window, " More.")
    assert slowest < PROMPT_S
    qtbot.waitUntil(lambda: BUSY in panel.message.text(), timeout=3000)
    store.release()
    qtbot.waitUntil(lambda: related_titles(panel) == [other.headline], timeout=10_000)
    assert panel.links()[0].target_uri == other.uri  # the headline found in the archive
    assert panel.message.text() == f"Added “{other.headline}”."
    assert panel.model.targets[other.uri].headline == other.headline  # read with them


def test_a_look_up_answered_after_another_article_opened_is_not_added_to_it(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]]
) -> None:
    store, made = held
    panel = window.editor.related
    first = window.session.stored
    other = next(a for a in made if a.uri != first.uri)
    store.hold("get")  # the next article is being read: the first stays, editable
    act(lambda: window.open_article(other.uri))
    assert panel.add_block(other.headline) is None  # searched after that read, in order
    assert panel.message.text() == "Looking up…"
    store.release()
    qtbot.waitUntil(lambda: window.session.stored.uri == other.uri, timeout=10_000)
    assert window.calls.reads.wait(10)  # the look-up has answered too, for the first one
    assert panel.article.uri == other.uri and panel.links() == []
    assert window.session.flush()
    assert store.get(first.uri).related == () and store.get(other.uri).related == ()


def test_an_article_s_related_links_are_read_off_the_gui_thread_when_it_opens(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]]
) -> None:
    from newsdesk.ui.related.related_model import Role

    store, made = held
    first = window.session.stored
    other = next(a for a in made if a.uri != first.uri)
    linked = store.save(
        store.get(other.uri).edited(related=(RelatedLink(title="Old", target_uri=first.uri),)),
        reason="test",
    )
    panel = window.editor.related
    store.hold("get_many", "link_checks")
    busy = opened(qtbot, window, linked.uri)
    assert busy < ACTION_S, f"opening held the window {busy:.3f} s"
    assert panel.model.data(panel.model.index(0), Role.PROBLEM) == "checking…"
    assert panel.message.text() == "Reading the related links…"
    slowest = type_keys(qtbot, window, " More.")
    assert slowest < PROMPT_S
    qtbot.waitUntil(lambda: BUSY in panel.message.text(), timeout=3000)
    store.release()
    qtbot.waitUntil(lambda: first.uri in panel.model.targets, timeout=10_000)
    assert panel.model.data(panel.model.index(0), Role.PROBLEM) != "checking…"
    assert panel.message.text() == ""


def test_the_export_dialog_opens_at_once_and_offers_the_sections_when_read(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]], tmp_path: Any
) -> None:
    from newsdesk.ui.dialogs.export_dialog import ExportDialog

    store, _made = held
    science = store.create(Article(headline="Comet seen", body="Bright.", section="Science"))
    store.hold("sections")
    box: list[ExportDialog] = []
    busy = act(lambda: box.append(ExportDialog(store, window.tasks, window)))
    dialog = box[0]
    qtbot.addWidget(dialog)
    assert busy < ACTION_S, f"the dialog held the window {busy:.3f} s"
    assert not dialog.section.isEnabled()
    assert dialog.section.toolTip() == "Reading the archive's sections…"
    slowest = type_keys(qtbot, window, " More.")
    assert slowest < PROMPT_S
    store.release()
    qtbot.waitUntil(dialog.section.isEnabled, timeout=10_000)
    assert dialog.section.findData("Science") > 0 and dialog.section.toolTip() == ""
    # The section's stories are read by the export, on its thread: the window goes on.
    dialog.section.setCurrentIndex(dialog.section.findData("Science"))
    dialog.folder.setText(str(tmp_path / "science"))
    dialog.which.setCurrentText("Every article, drafts included")
    for name, check in dialog.formats.items():
        check.setChecked(name == "markdown")
    store.hold("article_versions")
    with qtbot.waitSignal(dialog.export_finished, timeout=30_000) as finished:
        busy = act(dialog.start.click)
        assert busy < ACTION_S, f"starting the export held the window {busy:.3f} s"
        assert dialog.message.text() == "Exporting…"
        assert threading.current_thread().name not in {thread for _, thread in store.calls}
        store.release()
    assert finished.args[0].articles == 1  # the section's one story, and no other
    written = [p.name for p in (tmp_path / "science" / "markdown").rglob("*.md")]
    assert len(written) == 1 and science.slug in written[0]


def test_the_export_dialog_offers_the_last_choices_once_the_publication_is_read(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]], monkeypatch: Any
) -> None:
    from newsdesk.ui.dialogs.export_dialog import ExportDialog
    from newsdesk.ui.settings import ExportChoice

    store, _made = held
    name = store.profile().name
    last = ExportChoice(folder="/srv/handoff", formats=("markdown",), articles="Published only")
    window.settings = window.settings.with_export_choice(name, last)
    shown: list[ExportDialog] = []
    monkeypatch.setattr(ExportDialog, "exec", lambda self: shown.append(self) or 0)
    store.hold("profile")
    busy = act(window.exports.archive)
    assert busy < ACTION_S, f"opening the export held the window {busy:.3f} s"
    dialog = shown[-1]
    assert dialog.publication == "" and dialog.folder.text() != last.folder
    assert type_keys(qtbot, window, " More.") < PROMPT_S
    store.release()
    qtbot.waitUntil(lambda: dialog.folder.text() == last.folder, timeout=10_000)
    assert dialog.publication == name and dialog.chosen_formats() == ["markdown"]
    assert dialog.which.currentText() == "Published only"


def test_a_picture_not_ready_is_flagged_on_the_media_tab_once_its_details_are_read(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]]
) -> None:
    import dataclasses

    store, _made = held
    story, _asset = pictured(store, "Harbour uncredited")
    assert story.image is not None
    story = store.save(
        story.edited(image=dataclasses.replace(story.image, credit="")), reason="test"
    )
    form = window.editor.form
    tab = form.page_index(form._media_page)
    store.hold("get_media")
    opened(qtbot, window, story.uri)
    assert form.tabToolTip(tab) == ""  # not known yet
    store.release()
    qtbot.waitUntil(lambda: form.image.asset is not None, timeout=10_000)
    assert form.tabToolTip(tab).startswith("Not ready to publish: ")
    assert "credit" in form.image.warning.text()


def test_the_body_s_pictures_are_checked_without_asking_the_store_at_each_pause(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]]
) -> None:
    store, _made = held
    _story, asset = pictured(store)
    body = f"Boats.\n\n![](media:{asset.key})\n\nMore."  # no alt text in the body
    story = store.create(Article(headline="Harbour in the body", body=body))
    store.hold("media_many")
    opened(qtbot, window, story.uri)
    slowest = type_keys(qtbot, window, " Then")
    assert slowest < PROMPT_S, f"a key took {slowest:.3f} s while the store was held"
    note = window.editor.pictures_note
    assert note.text() == ""  # no verdict before the details come
    store.release()
    qtbot.waitUntil(lambda: "has no alt text" in note.text(), timeout=10_000)

    def lane_calls() -> int:  # the window's look-ups (the preview renders on its own thread)
        return len([thread for _, thread in store.calls if thread.startswith("store-")])

    store.hold("media_many")  # any further look-up would be counted (and held)
    before = lane_calls()
    type_keys(qtbot, window, " more pauses")
    window.editor.check_pictures(window.editor.body.toPlainText())
    qtbot.wait(400)  # past the pause after which the counts and the check run
    assert "has no alt text" in note.text()
    assert lane_calls() == before  # read once for the story, not at each pause


def test_opening_a_story_asks_nothing_of_the_store_for_its_spelling_language(
    qtbot: Any, window: Any, held: tuple[HeldStore, list[Article]]
) -> None:
    store, made = held
    store.hold("profile")
    busy = opened(qtbot, window, made[0].uri)
    assert busy < ACTION_S, f"opening held the window {busy:.3f} s"
    on_gui_thread = threading.current_thread().name
    assert ("profile", on_gui_thread) not in store.calls
