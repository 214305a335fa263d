"""The preview shows stored pictures and audio offline, through its own scheme."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tests.media_samples import jpeg_bytes, png_bytes, wav_bytes, write

from newsdesk.core.media.media import body_keys
from newsdesk.core.models import Article, Media

from .conftest import run_js, wait_for_dom

LOADED_IMAGES = "[...document.images].filter(i => i.complete && i.naturalWidth > 0).length"


def _open(qtbot: Any, make_window: Any, store: Any, article: Article) -> Any:
    stored = store.create(article)
    window = make_window(store)
    with qtbot.waitSignal(window.preview.load_finished, timeout=15_000):
        window.open_article(stored.uri)
    return window


def test_a_picture_placed_in_the_body_loads_in_the_preview_offline(
    qtbot: Any, make_window: Any, empty_store: Any, tmp_path: Path
) -> None:
    window = _open(qtbot, make_window, empty_store, Article(headline="Pictures", body="Text."))
    preview = window.preview
    body = window.editor.body
    one = write(tmp_path, "one.jpg", jpeg_bytes(1600, 1000, alt="The river"))
    two = write(tmp_path, "two.png", png_bytes(640, 480))
    cursor = body.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    body.setTextCursor(cursor)
    body.insert_images([one, two])
    qtbot.waitUntil(lambda: len(body_keys(body.toPlainText())) == 2, timeout=15_000)
    wait_for_dom(qtbot, preview, LOADED_IMAGES, lambda n: n == 2, timeout=20_000)
    dom = run_js(
        qtbot,
        preview,
        """[...document.querySelectorAll('#nd-body figure img')].map(i => ({
             src: i.currentSrc, w: i.naturalWidth, alt: i.alt}))""",
    )
    assert [d["alt"] for d in dom] == ["The river", ""]
    assert all(d["src"].startswith("newsdesk-preview://article/media/") for d in dom)
    assert all(d["w"] > 0 for d in dom)
    assert preview.server.served  # answered by the preview's own server
    assert preview.guard.blocked == []  # and nothing asked for the network


def test_audio_in_the_preview_knows_its_length(
    qtbot: Any, make_window: Any, empty_store: Any, tmp_path: Path
) -> None:
    from newsdesk.core.media.media_intake import probe

    data = wav_bytes(seconds=3.0)
    asset, _ = empty_store.add_media(data, probe(data, "interview.wav"), "interview.wav")
    window = _open(
        qtbot,
        make_window,
        empty_store,
        Article(headline="Listen", body="Text.", audio=Media(src=asset.ref, caption="Talk")),
    )
    duration = wait_for_dom(
        qtbot,
        window.preview,
        "(() => { const a = document.querySelector('audio'); return a ? a.duration : -1; })()",
        lambda d: d is not None and d > 0,
        timeout=20_000,
    )
    assert abs(duration - 3.0) < 0.1


def test_a_24_megapixel_photo_is_shown_within_a_second(
    qtbot: Any, make_window: Any, empty_store: Any, tmp_path: Path
) -> None:
    from newsdesk.ui.media.media_cache import RenditionCache

    window = _open(qtbot, make_window, empty_store, Article(headline="Big", body="Text."))
    window.preview_media.cache = RenditionCache(tmp_path / "cache")  # nothing made before
    photo = write(tmp_path, "camera.jpg", jpeg_bytes(6000, 4000, alt="A big photo"))
    body = window.editor.body
    placed: list[float] = []
    body.picture_inserted.connect(lambda _asset: placed.append(time.perf_counter()))
    started = time.perf_counter()
    body.insert_images([photo])
    wait_for_dom(qtbot, window.preview, LOADED_IMAGES, lambda n: n == 1, timeout=30_000)
    elapsed = time.perf_counter() - started
    print(
        f"\n24 MP JPEG: read, checked and stored in {placed[0] - started:.2f} s; "
        f"shown in the preview {elapsed:.2f} s after it was chosen"
    )
    assert elapsed < 3.0  # the target is 1 s; this machine is shared and noisy
