"""Media travel with the whole store: the JSON archive (dump/load, JSON backups, restore
into PostgreSQL), and SQLite backups and restores keep every byte."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from newsdesk.core import archive
from newsdesk.core.archive import ArchiveError
from newsdesk.core.errors import StoreError
from newsdesk.core.media.media import MediaInfo, MediaKind, image_markdown
from newsdesk.core.models import Article, Media
from newsdesk.store import SqlStore, open_store
from newsdesk.store.backup import automatic_backup, create_backup
from newsdesk.store.restore import restore

from ..cli.helpers import run
from ..media_samples import jpeg_bytes, png_bytes, wav_bytes

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
JPEG = MediaInfo(MediaKind.IMAGE, "image/jpeg", 1200, 800, caption="Troops", credit="Agency")
PNG = MediaInfo(MediaKind.IMAGE, "image/png", 640, 480, alt="A chart")
WAV = MediaInfo(MediaKind.AUDIO, "audio/wav", duration_seconds=2.0)


def fill(path: Path) -> dict[str, bytes]:
    """A SQLite store with three files, two used by a story (one only in its history)."""
    store = open_store(str(path))
    try:
        photo, _ = store.add_media(jpeg_bytes(), JPEG, "troops.jpg")
        chart, _ = store.add_media(png_bytes(), PNG, "chart.png")
        sound, _ = store.add_media(wav_bytes(), WAV, "talk.wav")
        body = image_markdown(chart.key, "A chart", "Spending")
        story = store.create(
            Article(headline="Budget", body=body, image=Media(src=photo.ref, alt="Troops"))
        )
        story = store.save(story, reason="manual")  # a revision that shows the chart
        store.save(story.edited(body="No chart now."), reason="manual")
        return {a.key: store.media_data(a.key) for a in (photo, chart, sound)}
    finally:
        store.close()


def media_state(store: SqlStore) -> dict[str, Any]:
    """Every file's fields, bytes and use, as a user would compare two stores."""
    return {
        a.key: (
            a.to_dict(),
            hashlib.sha256(store.media_data(a.key)).hexdigest(),
            store.media_use([a.key])[a.key],
        )
        for a in store.list_media()
    }


def test_dump_and_load_carry_media_between_engines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, store_url: str
) -> None:
    files = fill(tmp_path / "source.db")
    source = open_store(str(tmp_path / "source.db"))
    before = media_state(source)
    source.close()
    dumped = tmp_path / "newsroom.json"
    assert run(capsys, "--db", str(tmp_path / "source.db"), "dump", str(dumped))[0] == 0
    data = json.loads(dumped.read_text("utf-8"))
    assert data["format_version"] >= 2
    assert {m["key"]: base64.b64decode(m["data"]) for m in data["media"]} == files
    code, _, err = run(capsys, "--db", store_url, "load", str(dumped))
    assert (code, err) == (0, ""), err
    loaded = open_store(store_url)
    try:
        assert media_state(loaded) == before
        assert {key: loaded.media_data(key) for key in files} == files
        chart = next(a for a in loaded.list_media() if a.filename == "chart.png")
        assert loaded.media_use([chart.key])[chart.key].revisions == 1
    finally:
        loaded.close()
    again = tmp_path / "again.json"
    assert run(capsys, "--db", store_url, "dump", str(again))[0] == 0
    assert dumped.read_text("utf-8").split("\n", 4)[4] == again.read_text("utf-8").split("\n", 4)[4]


def test_a_version_1_archive_still_loads(tmp_path: Path, store: SqlStore) -> None:
    old = tmp_path / "old.json"
    article = Article(headline="From before media", body="Text.").normalized().to_dict()
    article.pop("id")
    old.write_text(
        json.dumps(
            {
                "format": "newsdesk-archive",
                "format_version": 1,
                "newsdesk": "0.9",
                "profile": {},
                "articles": [article],
                "revisions": [],
            }
        ),
        encoding="utf-8",
    )
    assert archive.load(store, old) == 1
    assert [a.headline for a in store.iter_articles()] == ["From before media"]
    assert store.list_media() == []


def _forged(tmp_path: Path, change: Any) -> Path:
    fill(tmp_path / "source.db")
    source = open_store(str(tmp_path / "source.db"))
    dumped = tmp_path / "newsroom.json"
    archive.dump(source, dumped)
    source.close()
    data = json.loads(dumped.read_text("utf-8"))
    change(data["media"][1])
    dumped.write_text(json.dumps(data), encoding="utf-8")
    return dumped


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda m: m.update(data=m["data"][:-8] + "!!!!!!!!"), "its data is not valid base64"),
        (lambda m: m.update(data=m["data"][:-3]), "not valid base64"),
        (
            lambda m: m.update(data=base64.b64encode(b"other bytes").decode()),
            "its bytes do not match its SHA-256",
        ),
        (lambda m: m.update(sha256="0" * 64), "its bytes do not match its SHA-256"),
        (lambda m: m.update(key="../../etc"), "is not a media key"),
        (lambda m: m.update(kind="video"), "'video' is not a valid MediaKind"),
        (lambda m: m.update(width="wide"), "its width is 'wide'"),
        (lambda m: m.pop("data"), "'data'"),
    ],
)
def test_a_damaged_media_entry_loads_nothing(
    tmp_path: Path, store: SqlStore, change: Any, said: str
) -> None:
    forged = _forged(tmp_path, change)
    with pytest.raises(ArchiveError) as caught:
        archive.load(store, forged)
    message = str(caught.value)
    assert message.startswith(f"{forged} is damaged: ") and said in message
    assert message.endswith("; nothing was loaded")
    assert store.is_empty() and store.list_media() == []


def test_a_json_backup_restores_media_into_sqlite_and_postgresql(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, store_url: str
) -> None:
    db = tmp_path / "newsroom.db"
    files = fill(db)
    saved = tmp_path / "saved.json"
    code, _, err = run(capsys, "--db", str(db), "backup", str(saved))
    assert code == 0, err
    target = store_url if "postgresql" in store_url else str(tmp_path / "restored.db")
    code, _, err = run(capsys, "--db", target, "restore", str(saved))
    assert code == 0, err
    restored = open_store(target)
    try:
        assert {a.key: restored.media_data(a.key) for a in restored.list_media()} == files
    finally:
        restored.close()


# -- SQLite backups ---------------------------------------------------------------------


def test_a_sqlite_backup_and_restore_keep_every_media_byte(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "newsroom.db"
    files = fill(db)
    copy = tmp_path / "copy.db"
    code, _, err = run(capsys, "--db", str(db), "backup", str(copy))
    assert code == 0, err
    store = open_store(str(db))
    unused = next(a for a in store.list_media() if a.filename == "talk.wav")
    store.delete_media(unused.key)
    store.close()
    code, _, err = run(capsys, "--db", str(db), "restore", str(copy))
    assert code == 0, err
    store = open_store(str(db))
    try:
        assert {a.key: store.media_data(a.key) for a in store.list_media()} == files
    finally:
        store.close()


def test_media_added_after_a_backup_is_work_a_restore_would_lose(tmp_path: Path) -> None:
    db = tmp_path / "newsroom.db"
    fill(db)
    made = create_backup(db, "start", now=NOW)
    store = open_store(str(db))
    store.add_media(jpeg_bytes(seed=9), JPEG, "later.jpg")
    store.close()
    with pytest.raises(StoreError, match=r"1 media file added or changed.*--force"):
        restore(db, made.path)
    # An automatic backup is taken, not skipped as "nothing changed"; removing a file
    # is a change too.
    assert automatic_backup(db, "daily", now=NOW.replace(hour=13)) is not None
    store = open_store(str(db))
    store.delete_media(next(a.key for a in store.list_media() if a.filename == "talk.wav"))
    store.close()
    assert automatic_backup(db, "daily", now=NOW.replace(hour=14)) is not None
    assert automatic_backup(db, "daily", now=NOW.replace(hour=15)) is None
    done = restore(db, made.path, force=True)
    assert done.kept is not None
    store = open_store(str(db))
    try:
        assert "later.jpg" not in {a.filename for a in store.list_media()}
    finally:
        store.close()
