"""Pictures and audio travel with sync: two SQLite laptops and a real PostgreSQL newsroom.

A file is known by its key in the story's text and by its bytes' SHA-256; the bytes that
arrive are the bytes that left.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.media_samples import plain_jpeg_bytes, png_bytes, wav_bytes
from tests.store.sync_helpers import everything, server_url, two_laptops

from newsdesk.core.media.media import MediaInfo, MediaKind
from newsdesk.core.models import Article, Media
from newsdesk.store import SqlStore, open_store
from newsdesk.store.media import sha256_of
from newsdesk.store.sync import sync_media as sync_media_module
from newsdesk.store.sync.sync import sync

JPEG = MediaInfo(MediaKind.IMAGE, "image/jpeg", 320, 240, caption="Water on the ring road")
PNG = MediaInfo(MediaKind.IMAGE, "image/png", 640, 480)
WAV = MediaInfo(MediaKind.AUDIO, "audio/wav", duration_seconds=2.0)
Pair = tuple[SqlStore, SqlStore]


@pytest.fixture
def laptops(tmp_path: Path) -> Iterator[Pair]:
    with two_laptops(tmp_path) as pair:
        yield pair


@pytest.fixture
def newsroom() -> Iterator[SqlStore]:
    store = open_store(server_url())
    yield store
    store.close()


def run(laptop: SqlStore, newsroom: SqlStore) -> Any:
    return sync(laptop, newsroom.url, server=newsroom)


def library(store: SqlStore) -> dict[str, tuple[str, str, bytes]]:
    """``key -> (sha256, caption, bytes)`` of every media file."""
    return {
        a.key: (a.sha256, a.caption, store.media_data(a.key)) for a in store.list_media(limit=9999)
    }


def filed_with_media(laptop: SqlStore) -> tuple[Article, str, str]:
    photo, _ = laptop.add_media(plain_jpeg_bytes(seed=3), JPEG, "flood.jpg")
    sound, _ = laptop.add_media(wav_bytes(), WAV, "interview.wav")
    article = laptop.create(
        Article(
            headline="Flood on the ring road",
            body=f'Water rose overnight.\n\n![A drowned car](media:{photo.key} "Dawn")\n',
            audio=Media(src=f"media:{sound.key}"),
        )
    )
    return article, photo.key, sound.key


def test_a_reporters_pictures_and_audio_reach_the_desk_and_another_laptop(
    laptops: Pair, newsroom: SqlStore
) -> None:
    a, b = laptops
    article, photo, sound = filed_with_media(a)
    first = run(a, newsroom)
    assert (first.media_sent, first.media_received) == (2, 0)
    assert library(newsroom) == library(a)
    assert newsroom.media_data(photo) == plain_jpeg_bytes(seed=3)
    assert newsroom.media_use([photo])[photo].articles == ((article.uri, article.headline),)
    second = run(b, newsroom)
    assert second.media_received == 2
    assert b.media_data(sound) == wav_bytes()
    assert library(b) == library(a)
    assert everything(b) == everything(a)
    assert run(a, newsroom).nothing_done and run(b, newsroom).nothing_done


def test_bytes_travel_once_however_many_keys_share_them(
    laptops: Pair, newsroom: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _ = laptops
    desk_copy, _ = newsroom.add_media(png_bytes(), PNG, "chart.png")
    mine, _ = a.add_media(png_bytes(), PNG, "chart.png")
    assert mine.key != desk_copy.key
    a.create(Article(headline="Chart", image=Media(src=f"media:{mine.key}")))
    read: list[str] = []
    real = sync_media_module._bytes
    monkeypatch.setattr(
        sync_media_module, "_bytes", lambda store, sha: read.append(sha) or real(store, sha)
    )
    assert run(a, newsroom).media_sent == 1
    assert read == []  # the newsroom had the bytes: only the file's row went
    assert newsroom.get_media(mine.key).sha256 == desk_copy.sha256 == sha256_of(png_bytes())
    assert newsroom.media_data(mine.key) == png_bytes()


def test_a_file_the_desk_replaced_or_recaptioned_comes_back(
    laptops: Pair, newsroom: SqlStore
) -> None:
    a, b = laptops
    _, photo, _ = filed_with_media(a)
    run(a, newsroom)
    run(b, newsroom)
    newsroom.replace_media(photo, png_bytes(), PNG, "flood-cropped.png")
    asset = newsroom.get_media(photo)
    newsroom.update_media(dataclass_replace(asset, caption="Cropped by the desk"))
    got = run(a, newsroom)
    assert got.media_received == 1
    assert a.media_data(photo) == png_bytes()
    assert a.get_media(photo).caption == "Cropped by the desk"
    run(b, newsroom)
    assert library(b) == library(a) == library(newsroom)


def test_a_file_replaced_on_both_sides_keeps_both(laptops: Pair, newsroom: SqlStore) -> None:
    a, _ = laptops
    _, photo, _ = filed_with_media(a)
    run(a, newsroom)
    newsroom.replace_media(photo, png_bytes(), PNG, "desk.png")
    a.replace_media(photo, plain_jpeg_bytes(seed=9), JPEG, "mine.jpg")
    report = run(a, newsroom)
    assert report.media_kept_both == 1
    assert a.media_data(photo) == png_bytes()  # the newsroom's keeps the key
    copies = [m for m in a.list_media(limit=99) if "laptop copy" in m.filename]
    assert [a.media_data(m.key) for m in copies] == [plain_jpeg_bytes(seed=9)]
    assert library(a) == library(newsroom)
    assert run(a, newsroom).nothing_done


def test_a_file_removed_on_a_laptop_and_used_nowhere_leaves_the_newsroom(
    laptops: Pair, newsroom: SqlStore
) -> None:
    a, _ = laptops
    spare, _ = a.add_media(png_bytes(), PNG, "spare.png")
    run(a, newsroom)
    assert newsroom.get_media(spare.key).filename == "spare.png"
    a.delete_media(spare.key)
    assert run(a, newsroom).media_removed == 1
    assert spare.key not in library(newsroom)
    assert run(a, newsroom).nothing_done


def test_a_sync_cut_between_two_files_is_finished_by_the_next(
    laptops: Pair, newsroom: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = laptops
    filed_with_media(a)
    real = sync_media_module._copy
    calls = 0

    def cut_after_one(source: SqlStore, target: SqlStore, asset: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise ConnectionError("network gone")
        real(source, target, asset)

    monkeypatch.setattr(sync_media_module, "_copy", cut_after_one)
    with pytest.raises(ConnectionError):
        run(a, newsroom)
    assert len(library(newsroom)) == 1  # the first file is there, whole
    monkeypatch.setattr(sync_media_module, "_copy", real)
    run(a, newsroom)
    run(b, newsroom)
    assert library(b) == library(a) == library(newsroom)


def dataclass_replace(obj: Any, **changes: Any) -> Any:
    import dataclasses

    return dataclasses.replace(obj, **changes)
