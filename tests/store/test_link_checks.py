"""Link checks kept with their time, on SQLite and PostgreSQL; older stores gain the table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect, text

from newsdesk.core.related.health import HealthState, LinkCheck
from newsdesk.store import open_store
from newsdesk.store.migrate import HEAD

WHEN = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def test_checks_are_kept_with_their_time_and_found_under_any_spelling(store: Any) -> None:
    assert store.link_checks(["https://example.org/a"]) == {}
    broken = LinkCheck(
        "https://example.org/a", HealthState.BROKEN, WHEN, 404, "", "HTTP 404 Not Found"
    )
    moved = LinkCheck(
        "https://example.org/b",
        HealthState.REDIRECTED,
        WHEN,
        200,
        "https://example.org/c",
        "moved to https://example.org/c",
    )
    assert store.record_link_checks([broken, moved]) == 2
    found = store.link_checks(
        ["https://example.org/a", "http://www.example.org/a/", "https://example.org/b", "x"]
    )
    assert found == {
        "https://example.org/a": broken,
        "http://www.example.org/a/": broken,
        "https://example.org/b": moved,
    }
    assert found["https://example.org/a"].checked_at == WHEN  # aware UTC on both engines


def test_a_new_check_replaces_the_old_and_not_checked_keeps_the_last_real_one(
    store: Any,
) -> None:
    url = "https://example.org/a"
    store.record_link_checks([LinkCheck(url, HealthState.BROKEN, WHEN, 500)])
    later = LinkCheck(url, HealthState.OK, WHEN + timedelta(days=1), 200)
    assert store.record_link_checks([later]) == 1
    offline = LinkCheck(url, HealthState.NOT_CHECKED, WHEN + timedelta(days=2), message="x")
    assert store.record_link_checks([offline]) == 0
    assert store.link_checks([url]) == {url: later}
    # Two spellings of one address in one call: the last wins, one row.
    a = LinkCheck("https://example.org/z", HealthState.BROKEN, WHEN, 404)
    b = LinkCheck("https://www.example.org/z/", HealthState.OK, WHEN, 200)
    assert store.record_link_checks([a, b]) == 1
    assert store.link_checks(["https://example.org/z"])["https://example.org/z"] == b


def test_thousands_of_checks_in_one_call(store: Any) -> None:
    checks = [LinkCheck(f"https://example.org/{n}", HealthState.OK, WHEN, 200) for n in range(1200)]
    assert store.record_link_checks(checks) == 1200
    found = store.link_checks([c.url for c in checks])
    assert len(found) == 1200 and found["https://example.org/1199"] == checks[-1]


def _upgrade_to(connection: Any, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", "newsdesk.store:migrations")
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def test_a_0003_store_upgrades_keeping_its_articles(store_url: str) -> None:
    """A store an earlier Newsdesk left at 0003 gains the table, on both engines."""
    engine = create_engine(store_url)
    with engine.begin() as conn:
        _upgrade_to(conn, "0003")
        conn.execute(
            text(
                "INSERT INTO article (uri, version, status, headline, kicker, standfirst, "
                "slug, slug_locked, byline, authors, dateline, section, tags_text, body, "
                "word_count, char_count, language, created_at, updated_at, seo_title, "
                "seo_description, canonical_url, editor_note, corrections) VALUES "
                "('urn:kept', 1, 'draft', 'Kept across upgrades', '', '', 'kept', true, '', "
                "'[]', '', '', '', 'Body', 1, 4, 'en-GB', '2026-01-01 00:00:00', "
                "'2026-01-01 00:00:00', '', '', '', '', '[]')"
            )
        )
    assert "link_checks" not in inspect(engine).get_table_names()
    engine.dispose()

    store = open_store(store_url)
    assert store.info().schema_revision == HEAD
    assert store.get_by_slug("kept").headline == "Kept across upgrades"
    check = LinkCheck("https://example.org/a", HealthState.OK, WHEN, 200)
    assert store.record_link_checks([check]) == 1
    assert store.link_checks([check.url]) == {check.url: check}
    store.close()
