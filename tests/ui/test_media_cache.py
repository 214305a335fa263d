"""The preview's renditions: made once, kept on disk by what they are, served again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.media_samples import jpeg_bytes, wav_bytes

from newsdesk.core.media.media_intake import probe
from newsdesk.publish.media.renditions import renditions_for
from newsdesk.ui.media.media_cache import RenditionCache
from newsdesk.ui.preview.preview_render import PreviewMedia


class _CountingStore:
    """The store, counting reads of original bytes."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.reads = 0

    def get_media(self, key: str) -> Any:
        return self.store.get_media(key)

    def media_data(self, key: str) -> bytes:
        self.reads += 1
        return self.store.media_data(key)


def test_a_rendition_is_encoded_once_and_then_read_from_disk(
    empty_store: Any, tmp_path: Path
) -> None:
    data = jpeg_bytes(1600, 1000)
    asset, _ = empty_store.add_media(data, probe(data, "river.jpg"), "river.jpg")
    rendition = renditions_for(asset)[0]
    counting = _CountingStore(empty_store)
    media = PreviewMedia(counting, RenditionCache(tmp_path / "cache"))  # type: ignore[arg-type]
    first = media.fetch("/" + rendition.path)
    assert first is not None and first[1] == "image/webp" and first[0][8:12] == b"WEBP"
    assert counting.reads == 1
    assert media.fetch("/" + rendition.path) == first
    assert media.cached("/" + rendition.path) == first  # in memory: no disk, no store
    # A new window (an empty memory) finds it on disk: no store read, no encoding.
    again = PreviewMedia(counting, RenditionCache(tmp_path / "cache"))  # type: ignore[arg-type]
    assert again.fetch("/" + rendition.path) == first
    assert counting.reads == 1
    assert list((tmp_path / "cache").iterdir())  # kept under the user's cache folder
    # A name the asset has no rendition under, or an unknown key, is not served.
    assert media.fetch("/media/river-" + asset.key + "-00000000-999.webp") is None
    assert media.fetch("/media/river-000000000000-00000000-480.webp") is None


def test_a_file_just_added_needs_no_store_read(empty_store: Any, tmp_path: Path) -> None:
    data = wav_bytes(1.0)
    asset, _ = empty_store.add_media(data, probe(data, "talk.wav"), "talk.wav")
    counting = _CountingStore(empty_store)
    media = PreviewMedia(counting, RenditionCache(tmp_path / "cache"))  # type: ignore[arg-type]
    media.prime(asset, data)
    found = media.fetch("/" + renditions_for(asset)[0].path)
    assert found is not None and found[1] == "audio/wav" and found[0][:4] == b"RIFF"
    assert counting.reads == 0
