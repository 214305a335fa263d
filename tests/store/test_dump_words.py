"""The newsroom dictionary travels in the archive: ``newsdesk dump`` writes it, ``newsdesk
load`` reads it back on SQLite and PostgreSQL, and an archive from before it still loads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.core.models import Article
from newsdesk.store import open_store

from ..cli.helpers import run

WORDS = {"Starmer", "Rayner's", "Ofsted", "Zelenskyy"}


def dumped(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    """An archive of a SQLite store with one story and the newsroom dictionary."""
    source = tmp_path / "source.db"
    store = open_store(str(source))
    try:
        store.create(Article(headline="Starmer visits Ofsted", body="Zelenskyy spoke."))
        for word in WORDS:
            store.add_newsroom_word(word)
    finally:
        store.close()
    archive = tmp_path / "newsroom.json"
    code, _, err = run(capsys, "--db", str(source), "dump", str(archive))
    assert (code, err) == (0, ""), err
    return archive


def loaded_words(capsys: pytest.CaptureFixture[str], store_url: str, archive: Path) -> set[str]:
    code, out, err = run(capsys, "--db", store_url, "load", str(archive))
    assert (code, err) == (0, ""), err
    assert "Loaded 1 articles" in out
    store = open_store(store_url)
    try:
        assert [a.headline for a in store.iter_articles()] == ["Starmer visits Ofsted"]
        return store.newsroom_words()
    finally:
        store.close()


def test_dump_writes_the_dictionary_and_load_reads_it_back(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, store_url: str
) -> None:
    archive = dumped(capsys, tmp_path)
    data = json.loads(archive.read_text("utf-8"))
    assert data["format_version"] == 3
    assert data["newsroom_words"] == sorted(WORDS)
    assert loaded_words(capsys, store_url, archive) == WORDS


def test_an_archive_from_before_the_dictionary_still_loads(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, store_url: str
) -> None:
    archive = dumped(capsys, tmp_path)
    data = json.loads(archive.read_text("utf-8"))
    del data["newsroom_words"]
    data["format_version"] = 2
    archive.write_text(json.dumps(data), encoding="utf-8")
    assert loaded_words(capsys, store_url, archive) == set()


def test_a_bad_word_in_the_archive_loads_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, store_url: str
) -> None:
    archive = dumped(capsys, tmp_path)
    data = json.loads(archive.read_text("utf-8"))
    data["newsroom_words"].append("Keir Starmer")
    archive.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run(capsys, "--db", store_url, "load", str(archive))
    assert code != 0
    assert "newsroom dictionary" in err and "more than one word" in err
    store = open_store(store_url)
    try:
        assert (list(store.iter_articles()), store.newsroom_words()) == ([], set())
    finally:
        store.close()


def test_a_dump_that_fails_halfway_leaves_the_previous_archive_as_it_was(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsdesk.store.repository import SqlStore

    archive = dumped(capsys, tmp_path)
    before = archive.read_bytes()
    assert archive.stat().st_mode & 0o777 == 0o600  # drafts and embargoes: its owner's only

    def lost(*_args: object, **_kwargs: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(SqlStore, "all_revisions", lost)
    code, _, err = run(capsys, "--db", str(tmp_path / "source.db"), "dump", str(archive))
    assert code != 0 and "Input/output error" in err, err
    assert archive.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
