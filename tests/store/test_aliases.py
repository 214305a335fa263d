"""Former addresses (aliases) in a real store, on SQLite and PostgreSQL: saved, read back,
carried by the archive and by a store migrated from before them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from newsdesk.core import archive
from newsdesk.core.errors import ValidationError
from newsdesk.core.models import Article, Status
from newsdesk.store import open_store

ALIASES = ("/2019/05/old-title/", "/blog/old-title.html", "/ünï/café/")


def test_aliases_round_trip_on_save_and_get(store: Any) -> None:
    stored = store.create(Article(headline="Moved story", aliases=("2019/05/old-title",)))
    assert store.get(stored.uri).aliases == ("/2019/05/old-title/",)
    saved = store.save(store.get(stored.uri).edited(aliases=ALIASES))
    again = store.get(saved.uri)
    assert again.aliases == ALIASES
    assert store.get_many([saved.uri])[0].aliases == ALIASES
    assert store.read_many([saved.uri])[0].aliases == ALIASES  # the export's bulk read
    cleared = store.save(again.edited(aliases=()))
    assert store.get(cleared.uri).aliases == ()


def test_an_unsafe_alias_never_reaches_the_store(store: Any) -> None:
    article = store.create(Article(headline="Guarded"))
    for bad in ("https://evil.example/x/", "/a/../../etc/", "//host/x", "/con/"):
        with pytest.raises(ValidationError):
            store.save(article.edited(aliases=(bad,)))
    assert store.get(article.uri).aliases == ()


def test_the_archive_carries_aliases(store: Any, tmp_path: Path) -> None:
    source = open_store(str(tmp_path / "source.db"))
    try:
        source.create(Article(headline="Old one", status=Status.PUBLISHED, aliases=ALIASES))
        target = tmp_path / "archive.json"
        archive.dump(source, target)
    finally:
        source.close()
    written = json.loads(target.read_text("utf-8"))
    assert written["articles"][0]["aliases"] == list(ALIASES)
    archive.load(store, target)
    (loaded,) = store.iter_articles()
    assert loaded.aliases == ALIASES


def test_a_0007_store_upgrades_with_no_aliases(store_url: str) -> None:
    engine = create_engine(store_url)
    with engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", "newsdesk.store:migrations")
        config.set_main_option("path_separator", "os")
        config.attributes["connection"] = conn
        command.upgrade(config, "0007")
        conn.execute(
            text(
                "INSERT INTO article (uri, version, status, headline, kicker, standfirst, "
                "slug, slug_locked, byline, authors, dateline, section, tags_text, body, "
                "word_count, char_count, language, created_at, updated_at, seo_title, "
                "seo_description, canonical_url, editor_note, corrections) VALUES "
                "('urn:kept', 1, 'draft', 'Kept', '', '', 'kept', true, '', '[]', '', '', "
                "'', 'Body', 1, 4, 'en-GB', '2026-01-01 00:00:00', '2026-01-01 00:00:00', "
                "'', '', '', '', '[]')"
            )
        )
    engine.dispose()
    store = open_store(store_url)
    try:
        kept = store.get("urn:kept")
        assert kept.aliases == ()
        store.save(kept.edited(aliases=("/old/kept/",)))
        assert store.get("urn:kept").aliases == ("/old/kept/",)
    finally:
        store.close()
