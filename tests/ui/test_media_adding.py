"""Adding pictures and audio from the window: the Media tab, the body editor, refusals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage
from tests.media_samples import jpeg_bytes, png_bytes, wav_bytes, write

from newsdesk.core.media.media import body_keys, key_of
from newsdesk.core.models import Article

DATA = Path(__file__).parents[1] / "data" / "media"


def _blank(qtbot: Any, make_window: Any, store: Any) -> Any:
    window = make_window(store)
    window.welcome.blank.click()
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
    return window


def _wait(qtbot: Any, task: Any) -> None:
    qtbot.waitUntil(lambda: task.done, timeout=15_000)


def test_choosing_a_photo_stores_it_and_fills_the_words(
    qtbot: Any, make_window: Any, empty_store: Any, tmp_path: Path
) -> None:
    window = _blank(qtbot, make_window, empty_store)
    fields = window.editor.form.image
    photo = write(tmp_path, "troops at dawn.jpg", jpeg_bytes(1200, 800, alt=""))
    _wait(qtbot, fields.set_source(str(photo)))
    assert fields.asset is not None
    stored = empty_store.get_media(fields.asset.key)
    assert empty_store.media_data(stored.key) == photo.read_bytes()
    value = fields.value()
    assert value is not None and key_of(value.src) == stored.key
    assert value.caption == "Troops cross the river at dawn"  # from the file's XMP
    assert value.credit == "Agency Photo/J. Smith"
    assert "1200 × 800 px" in fields.file_label.text()
    # No alt text in the file: the picture is flagged as not ready to publish.
    assert fields.warning.isVisibleTo(fields) and "alt text" in fields.warning.text()
    qtbot.keyClicks(fields.alt, "Soldiers wading across a river")
    assert not fields.warning.isVisibleTo(fields)
    qtbot.waitUntil(lambda: fields.thumb.pixmap() is not None and
                    fields.thumb.pixmap().width() > 60, timeout=10_000)  # fmt: skip
    window.save_now()
    window.session.flush()  # Ctrl+S waits only a moment: its answer
    saved = empty_store.get(window.session.stored.uri)
    assert saved.image is not None and saved.image.src == stored.ref
    assert saved.image.alt == "Soldiers wading across a river"
    fields.remove()
    assert fields.value() is None


def test_a_file_that_is_not_a_picture_changes_nothing(
    qtbot: Any, make_window: Any, empty_store: Any, tmp_path: Path
) -> None:
    window = _blank(qtbot, make_window, empty_store)
    fields = window.editor.form.image
    fake = tmp_path / "photo.jpg"
    fake.write_text("this is not a JPEG")
    _wait(qtbot, fields.set_source(str(fake)))
    assert "photo.jpg" in fields.problem.text()
    assert fields.src.text() == "" and fields.value() is None
    assert empty_store.list_media() == []
    # Audio offered as the featured image is refused in words, and not stored.
    audio = write(tmp_path, "interview.wav", wav_bytes())
    _wait(qtbot, fields.set_source(str(audio)))
    assert "not a picture" in fields.problem.text()
    assert empty_store.list_media() == []


def test_audio_shows_its_length(
    qtbot: Any, make_window: Any, empty_store: Any, tmp_path: Path
) -> None:
    window = _blank(qtbot, make_window, empty_store)
    fields = window.editor.form.audio
    clip = write(tmp_path, "interview.wav", wav_bytes(seconds=3.0))
    _wait(qtbot, fields.set_source(str(clip)))
    assert fields.asset is not None
    assert "0:03" in fields.file_label.text()
    assert not fields.note.isVisibleTo(fields)  # WAV plays in the preview


def test_dropping_a_file_on_the_media_fields(
    qtbot: Any, make_window: Any, empty_store: Any, tmp_path: Path
) -> None:
    window = _blank(qtbot, make_window, empty_store)
    fields = window.editor.form.image
    photo = write(tmp_path, "dropped.png", png_bytes(320, 200))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    fields.dropEvent(event)
    qtbot.waitUntil(lambda: fields.asset is not None, timeout=10_000)
    assert fields.asset.filename == "dropped.png"


def test_insert_image_places_markdown_on_its_own_paragraph(
    qtbot: Any, make_window: Any, empty_store: Any, tmp_path: Path
) -> None:
    window = _blank(qtbot, make_window, empty_store)
    body = window.editor.body
    body.setPlainText("First paragraph.\nSecond paragraph.")
    cursor = body.textCursor()
    cursor.setPosition(5)  # inside the first paragraph: it is not split
    body.setTextCursor(cursor)
    photo = write(tmp_path, "river.jpg", jpeg_bytes(800, 600, alt="A river"))
    body.insert_images([photo])
    qtbot.waitUntil(lambda: "media:" in body.toPlainText(), timeout=10_000)
    key = body_keys(body.toPlainText())[0]
    assert body.toPlainText() == (
        f'First paragraph.\n\n![A river](media:{key} "Troops cross the river at dawn")'
        "\n\nSecond paragraph."
    )
    assert body.insert_image_action.shortcut().toString() == "Ctrl+Shift+I"


def test_dropped_and_pasted_pictures_go_into_the_body(
    qtbot: Any, make_window: Any, empty_store: Any, tmp_path: Path
) -> None:
    window = _blank(qtbot, make_window, empty_store)
    body = window.editor.body
    body.setPlainText("Top.\n\nBottom.")
    one = write(tmp_path, "one.png", png_bytes(300, 200))
    two = write(tmp_path, "two.jpg", jpeg_bytes(400, 300, seed=3))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(one)), QUrl.fromLocalFile(str(two))])
    at_end = body.textCursor()
    at_end.setPosition(len("Top.\n\nBot"))  # dropped on the second paragraph
    where = body.cursorRect(at_end).center()  # viewport coordinates, as a drop has them
    drop = QDropEvent(QPointF(where), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    body.dropEvent(drop)
    qtbot.waitUntil(lambda: len(body_keys(body.toPlainText())) == 2, timeout=15_000)
    text = body.toPlainText()
    first, second = body_keys(text)
    assert text.index("Bottom.") < text.index(first) < text.index(second)
    assert empty_store.get_media(first).filename == "one.png"  # in the order dropped
    # Neither has alt text in the body; the PNG has no credit either: flagged under the toolbar.
    window.editor.check_pictures(body.toPlainText())  # the details come off the GUI thread
    qtbot.waitUntil(lambda: "two.jpg has no alt" in window.editor.pictures_note.text())
    note = window.editor.pictures_note.text()
    assert "one.png has no alt text" in note and "one.png has no credit" in note
    assert "two.jpg has no alt text" in note and "two.jpg has no credit" not in note
    # A picture on the clipboard (no text with it) is stored as a PNG and placed.
    clip = QMimeData()
    clip.setImageData(QImage.fromData(png_bytes(64, 48)))
    body.insertFromMimeData(clip)
    qtbot.waitUntil(lambda: len(body_keys(body.toPlainText())) == 3, timeout=15_000)
    pasted = empty_store.get_media(body_keys(body.toPlainText())[-1])
    assert pasted.mime_type == "image/png" and (pasted.width, pasted.height) == (64, 48)
    # Text pastes stay text, even when a picture of it comes along (a word processor).
    words = QMimeData()
    words.setText("Plain words.")
    words.setImageData(QImage.fromData(png_bytes(10, 10)))
    body.insertFromMimeData(words)
    assert "Plain words." in body.toPlainText()
    assert len(empty_store.list_media()) == 3


def test_stored_pictures_survive_reopening(
    qtbot: Any, make_window: Any, empty_store: Any, tmp_path: Path
) -> None:
    from newsdesk.core.media.media_intake import probe

    data = jpeg_bytes(640, 480)
    asset, _ = empty_store.add_media(data, probe(data, "lead.jpg"), "lead.jpg")
    from newsdesk.core.models import Media

    stored = empty_store.create(
        Article(headline="With a lead", image=Media(src=asset.ref, alt="x"))
    )
    window = make_window(empty_store)
    window.open_article(stored.uri)
    fields = window.editor.form.image
    assert fields.asset is not None and fields.asset.key == asset.key
    assert "lead.jpg" in fields.file_label.text()


def test_m4a_says_it_will_not_play_in_the_preview(
    qtbot: Any, make_window: Any, empty_store: Any
) -> None:
    window = _blank(qtbot, make_window, empty_store)
    fields = window.editor.form.audio
    _wait(qtbot, fields.set_source(str(DATA / "tone.m4a")))
    assert fields.asset is not None and fields.asset.mime_type == "audio/mp4"
    assert fields.note.isVisibleTo(fields)
    assert "M4A" in fields.note.text() and "will play on the site" in fields.note.text()


def test_the_size_limit_from_settings_refuses_larger_files(
    qtbot: Any, make_window: Any, empty_store: Any, tmp_path: Path, settings_store: Any
) -> None:
    from newsdesk.ui.settings import AppSettings

    settings_store.save(AppSettings(media_image_limit_mb=1))
    window = _blank(qtbot, make_window, empty_store)
    big = write(tmp_path, "noise.png", _noise_png(2 * 1024 * 1024))
    fields = window.editor.form.image
    _wait(qtbot, fields.set_source(str(big)))
    assert "noise.png" in fields.problem.text() and "1 MB" in fields.problem.text()
    assert empty_store.list_media() == []


def _noise_png(size: int) -> bytes:
    import io
    import os

    from PIL import Image

    side = int((size / 3) ** 0.5) + 1
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=0)
    return out.getvalue()


def test_a_file_still_being_added_never_lands_in_another_story(
    qtbot: Any, make_window: Any, empty_store: Any, tmp_path: Path
) -> None:
    other = empty_store.create(Article(headline="The other story", body="Other text."))
    window = _blank(qtbot, make_window, empty_store)
    photo = write(tmp_path, "late.jpg", jpeg_bytes(1600, 1200))
    field_task = window.editor.form.image.set_source(str(photo))
    window.editor.body.insert_images([photo])
    body_task = window.editor.body.task
    window.open_article(other.uri)  # before either add has finished
    _wait(qtbot, field_task)
    _wait(qtbot, body_task)
    qtbot.wait(50)
    assert window.editor.form.image.asset is None
    assert window.editor.body.toPlainText() == "Other text."
    assert [a.filename for a in empty_store.list_media()] == ["late.jpg"]  # kept, unplaced
