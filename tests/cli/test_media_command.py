"""``newsdesk media ...``: files added to a real store, read back, edited, replaced, removed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from newsdesk.core.errors import NotFoundError
from newsdesk.core.media.media import MediaKind, image_markdown
from newsdesk.core.models import Article
from newsdesk.store import open_store

from ..media_samples import jpeg_bytes, png_bytes, wav_bytes, write
from .helpers import run


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "desk"
    write(folder, "troops at dawn.jpg", jpeg_bytes())
    write(folder, "same photo.jpg", jpeg_bytes())  # the same bytes under another name
    write(folder, "chart.png", png_bytes())
    write(folder, "interview.wav", wav_bytes(3.0))
    write(folder, "holiday.jpg", b"these are not the pixels you are looking for")
    return folder


def keys_and_bytes(url: str) -> dict[str, bytes]:
    store = open_store(url)
    try:
        return {a.key: store.media_data(a.key) for a in store.list_media()}
    finally:
        store.close()


def test_add_list_show_edit_get_remove(
    capsys: pytest.CaptureFixture[str], files: Path, tmp_path: Path, store_url: str
) -> None:
    photo, audio = files / "troops at dawn.jpg", files / "interview.wav"
    code, out, err = run(
        capsys, "--db", store_url, "media", "add", str(photo), str(audio),
        "--alt", "Soldiers wade across a river", "--json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    added = json.loads(out)
    assert [a["filename"] for a in added] == ["troops at dawn.jpg", "interview.wav"]
    picture, sound = added
    assert picture["created"] is True and picture["kind"] == "image"
    assert (picture["width"], picture["height"], picture["mime_type"]) == (1200, 800, "image/jpeg")
    assert picture["sha256"] == hashlib.sha256(photo.read_bytes()).hexdigest()
    assert picture["size"] == photo.stat().st_size
    assert picture["alt"] == "Soldiers wade across a river"  # given: overrides the file's
    assert picture["credit"] == "Agency Photo/J. Smith"  # pre-filled from the file's XMP
    assert picture["markdown"] == (
        f'![Soldiers wade across a river](media:{picture["key"]} "Troops cross the river at dawn")'
    )
    assert picture["ref"] == f"media:{picture['key']}"
    assert sound["kind"] == "audio" and sound["duration_seconds"] == pytest.approx(3.0, abs=0.05)
    assert sound["markdown"] is None
    stored = keys_and_bytes(store_url)
    assert stored == {picture["key"]: photo.read_bytes(), sound["key"]: audio.read_bytes()}

    # The same bytes again, under another name: one copy, and it says where it is.
    code, out, _ = run(capsys, "--db", store_url, "media", "add", str(files / "same photo.jpg"))
    assert code == 0
    assert f"same photo.jpg is already in the store as {picture['key']}" in out
    assert keys_and_bytes(store_url) == stored

    # A story uses the picture: the library says so; removing it is refused.
    store = open_store(store_url)
    story = store.create(
        Article(headline="River crossing", body=image_markdown(picture["key"], "x") + "\n")
    )
    store.close()
    code, out, _ = run(capsys, "--db", store_url, "media", "list", "--unused")
    assert (code, out.split()[0]) == (0, sound["key"])
    assert picture["key"] not in out
    code, out, _ = run(capsys, "--db", store_url, "media", "list", "TROOPS")
    assert out.startswith(picture["key"]) and "1 story" in out and sound["key"] not in out
    code, out, _ = run(capsys, "--db", store_url, "media", "list", "--kind", "audio", "--json")
    assert [a["key"] for a in json.loads(out)] == [sound["key"]]
    code, out, _ = run(capsys, "--db", store_url, "media", "show", picture["key"], "--json")
    shown = json.loads(out)
    assert shown["stories"] == [
        {"uri": story.uri, "slug": "river-crossing", "headline": "River crossing"}
    ]
    assert shown["revisions"] == 0
    code, out, _ = run(capsys, "--db", store_url, "media", "show", picture["key"])
    assert "Used by:   1 story\n  river-crossing  River crossing\n" in out
    assert "Pixels" not in out and "1200×800" in out
    code, _, err = run(capsys, "--db", store_url, "media", "remove", picture["key"])
    assert code == 1 and "River crossing" in err
    assert picture["key"] in keys_and_bytes(store_url)

    # Words change; the bytes stay.
    code, out, err = run(
        capsys, "--db", store_url, "media", "edit", picture["key"],
        "--caption", "Crossing the Wye", "--credit", "Staff", "--filename", "wye.jpg",
    )  # fmt: skip
    assert code == 0, err
    assert out == f"Updated {picture['key']} (wye.jpg): caption, credit, file name.\n"
    store = open_store(store_url)
    edited = store.get_media(picture["key"])
    store.close()
    assert (edited.caption, edited.credit, edited.filename) == (
        "Crossing the Wye",
        "Staff",
        "wye.jpg",
    )
    assert edited.alt == "Soldiers wade across a river"

    # The journalist's own copy: written whole, never over a file unless asked.
    target = tmp_path / "copy.jpg"
    code, out, _ = run(capsys, "--db", store_url, "media", "get", picture["key"], str(target))
    assert code == 0 and target.read_bytes() == photo.read_bytes()
    target.write_bytes(b"my notes")
    code, _, err = run(capsys, "--db", store_url, "media", "get", picture["key"], str(target))
    assert code == 1 and "already exists" in err and "--force" in err
    assert target.read_bytes() == b"my notes"
    code, _, _ = run(capsys, "--db", store_url, "media", "get", picture["key"], str(target),
                     "--force")  # fmt: skip
    assert code == 0 and target.read_bytes() == photo.read_bytes()
    code, _, _ = run(capsys, "--db", store_url, "media", "get", picture["key"], str(tmp_path))
    assert (tmp_path / "wye.jpg").read_bytes() == photo.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []

    # An unused file goes, bytes and all.
    code, out, _ = run(capsys, "--db", store_url, "media", "remove", sound["key"])
    assert (code, out) == (0, f"Removed {sound['key']} (interview.wav).\n")
    store = open_store(store_url)
    try:
        with pytest.raises(NotFoundError):
            store.media_data(sound["key"])
        assert [a.key for a in store.list_media()] == [picture["key"]]
    finally:
        store.close()


def test_one_bad_file_and_nothing_is_added(
    capsys: pytest.CaptureFixture[str], files: Path, tmp_path: Path
) -> None:
    db = str(tmp_path / "m.db")
    code, out, err = run(
        capsys, "--db", db, "media", "add",
        str(files / "chart.png"), str(files / "holiday.jpg"), str(files / "interview.wav"),
    )  # fmt: skip
    assert (code, out) == (1, "")
    assert "holiday.jpg" in err and "not a picture or audio file" in err
    assert "Nothing was added." in err
    assert keys_and_bytes(db) == {}
    code, _, err = run(capsys, "--db", db, "media", "add", str(files / "nowhere.jpg"))
    assert code == 1 and "nowhere.jpg" in err
    assert keys_and_bytes(db) == {}


def test_several_files_with_the_same_bytes_are_kept_once(
    capsys: pytest.CaptureFixture[str], files: Path, tmp_path: Path
) -> None:
    db = str(tmp_path / "m.db")
    code, out, _ = run(
        capsys, "--db", db, "media", "add",
        str(files / "troops at dawn.jpg"), str(files / "same photo.jpg"),
    )  # fmt: skip
    assert code == 0
    (key,) = keys_and_bytes(db)
    assert out.startswith(f"Added troops at dawn.jpg as {key}:\n")
    assert "same photo.jpg has the same bytes as troops at dawn.jpg: kept once." in out


def test_replace_keeps_the_key_and_the_stories_follow(
    capsys: pytest.CaptureFixture[str], files: Path, tmp_path: Path
) -> None:
    db = str(tmp_path / "m.db")
    run(capsys, "--db", db, "media", "add", str(files / "troops at dawn.jpg"))
    (key,) = keys_and_bytes(db)
    store = open_store(db)
    store.create(Article(headline="Crossing", body=image_markdown(key) + "\n"))
    store.close()
    code, out, err = run(capsys, "--db", db, "media", "replace", key, str(files / "chart.png"))
    assert code == 0, err
    assert out.startswith(
        f"Replaced troops at dawn.jpg under {key} with chart.png; 1 story follows."
    )
    assert keys_and_bytes(db) == {key: (files / "chart.png").read_bytes()}
    store = open_store(db)
    asset = store.get_media(key)
    store.close()
    assert (asset.kind, asset.mime_type, asset.width, asset.height) == (
        MediaKind.IMAGE, "image/png", 640, 480,
    )  # fmt: skip
    code, _, err = run(capsys, "--db", db, "media", "replace", key, str(files / "interview.wav"))
    assert code == 1 and "picture" in err
    code, _, err = run(capsys, "--db", db, "media", "replace", key, str(files / "holiday.jpg"))
    assert code == 1 and "holiday.jpg" in err
    assert keys_and_bytes(db) == {key: (files / "chart.png").read_bytes()}


def test_the_size_limit_can_be_set(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    long_talk = write(tmp_path, "long.wav", wav_bytes(70.0))  # 1.1 MB
    code, _, err = run(capsys, "--db", db, "media", "add", "--max-mb", "1", str(long_talk))
    assert code == 1 and "long.wav" in err and "1 MB limit" in err and "--max-mb" in err
    assert keys_and_bytes(db) == {}
    code, _, _ = run(capsys, "--db", db, "media", "add", "--max-mb", "2", str(long_talk))
    assert code == 0 and len(keys_and_bytes(db)) == 1
    code, _, err = run(capsys, "--db", db, "media", "add", "--max-mb", "0", str(long_talk))
    assert code == 2 and "must be 1 or more" in err


def test_usage_and_unknown_keys(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    assert run(capsys, "--db", db, "media")[0] == 2
    code, out, _ = run(capsys, "--db", db, "media", "list")
    assert (code, out) == (0, "No media files yet. Add one: newsdesk media add FILE\n")
    code, _, err = run(capsys, "--db", db, "media", "edit", "0123456789ab")
    assert code == 2 and "nothing to change" in err
    for action in ("show", "remove"):
        code, _, err = run(capsys, "--db", db, "media", action, "0123456789ab")
        assert code == 1 and "no media file 0123456789ab" in err
    code, _, err = run(capsys, "--db", db, "media", "get", "0123456789ab", str(tmp_path / "x"))
    assert code == 1 and not (tmp_path / "x").exists()
