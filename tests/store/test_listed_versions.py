"""The one call listing what export plans: the stories of some statuses, each with its
version, time of last save and status, as one ``article_versions`` call per status did."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import event, text

from newsdesk.core.models import PUBLISHABLE, Article, Status
from newsdesk.core.ports import ArticleQuery
from newsdesk.store import SqlStore

WHEN = datetime(2026, 3, 4, 9, 15, tzinfo=UTC)


def per_status(
    store: SqlStore, statuses: Collection[Status]
) -> list[tuple[str, int, datetime, Status]]:
    """What export read before: one ``article_versions`` call per status, in turn."""
    listed = []
    for status in sorted(set(statuses)):
        query = ArticleQuery(statuses=frozenset({status}), limit=1_000_000_000)
        listed += [(*v, status) for v in store.article_versions(query)]
    return listed


def assert_same_listing(store: SqlStore, statuses: Collection[Status]) -> None:
    listed = store.listed_versions(statuses)
    assert listed == per_status(store, statuses)
    for uri, version, moment, status in listed:
        assert moment.tzinfo is UTC  # as article_versions gives it, whatever the engine
        stored = store.get(uri)
        assert (version, moment, status) == (stored.version, stored.updated_at, stored.status)
        assert type(status) is Status and type(version) is int


def newsroom(store: SqlStore) -> list[Article]:
    """Stories in every status, saved on whole seconds and in between, in other zones, some
    saved again and some deleted."""
    stories = []
    for i, status in enumerate([*Status, *Status, Status.PUBLISHED, Status.READY]):
        moment = WHEN + timedelta(minutes=i, microseconds=0 if i % 2 else 250_001 * i % 999_999)
        if i % 3 == 0:
            moment = moment.astimezone(timezone(timedelta(hours=-5)))
        stories.append(
            store.create(Article(headline=f"Story {i}", status=status, updated_at=moment))
        )
    store.clock = lambda: WHEN + timedelta(days=1)  # a save on the second, no microseconds
    store.save(store.get(stories[2].uri).edited(body="Later"))
    store.clock = lambda: WHEN + timedelta(days=2, microseconds=7)
    store.save(store.get(stories[4].uri).edited(body="Later still"))
    store.delete(stories[3].uri)
    store.delete(stories[-1].uri)
    return stories


def test_listed_versions_list_what_one_call_per_status_did(store: SqlStore) -> None:
    stories = newsroom(store)
    assert_same_listing(store, PUBLISHABLE)
    assert_same_listing(store, set(Status))
    assert_same_listing(store, [Status.DRAFT, Status.ARCHIVED, Status.DRAFT])
    listed = store.listed_versions(PUBLISHABLE)
    uris = {uri for uri, *_ in listed}
    assert stories[3].uri not in uris and stories[-1].uri not in uris  # deleted: not listed
    live = [s for s in stories if s.uri not in {stories[3].uri, stories[-1].uri}]
    assert sorted(uris) == sorted(s.uri for s in live if s.status in PUBLISHABLE)
    assert {status for *_, status in listed} == PUBLISHABLE
    everything = store.listed_versions(set(Status))
    saved_again = {uri: (version, moment) for uri, version, moment, _ in everything}
    assert saved_again[stories[2].uri] == (2, WHEN + timedelta(days=1))
    assert saved_again[stories[4].uri] == (2, WHEN + timedelta(days=2, microseconds=7))


def test_listed_versions_of_nothing(store: SqlStore) -> None:
    assert store.listed_versions(PUBLISHABLE) == []
    store.create(Article(headline="A draft", status=Status.DRAFT, updated_at=WHEN))
    assert store.listed_versions(PUBLISHABLE) == []
    assert store.listed_versions(()) == []


@pytest.mark.parametrize(
    "written",
    [
        "2026-03-04 09:15:00",  # no microseconds
        "2026-03-04 09:15:00.5",
        "2026-03-04T09:15:00.123456",
        "2026-03-04 09:15:00+00:00",  # an offset already
        "2026-03-04 11:15:00.000001+02:00",
    ],
)
def test_listed_versions_read_times_written_by_other_programs(
    store: SqlStore, written: str
) -> None:
    """A time the store did not write itself (an older Newsdesk, a hand-made import) reads
    as ``article_versions`` reads it."""
    first = store.create(Article(headline="One", status=Status.PUBLISHED, updated_at=WHEN))
    store.create(Article(headline="Two", status=Status.READY, updated_at=WHEN))
    value = "CAST(:at AS TIMESTAMP WITH TIME ZONE)" if store.dialect == "postgresql" else ":at"
    with store.transaction(write=True) as session:
        session.execute(
            text(f"UPDATE article SET updated_at = {value} WHERE uri = :uri"),
            {"at": written, "uri": first.uri},
        )
    assert_same_listing(store, PUBLISHABLE)
    moment = {uri: at for uri, _, at, _ in store.listed_versions(PUBLISHABLE)}[first.uri]
    expected = datetime.fromisoformat(written)
    assert moment == (expected if expected.tzinfo else expected.replace(tzinfo=UTC))


def test_listed_versions_are_read_from_an_index_alone(store: SqlStore) -> None:
    """The listing an export compares with its folder reads no story's row (bodies and
    all: 40 MB for 10,000 stories), on either engine: migration 0011's index holds it."""
    newsroom(store)
    statements: list[tuple[str, Any]] = []

    def seen(conn: object, cursor: object, statement: str, parameters: Any, *_: object) -> None:
        statements.append((statement, parameters))

    engine = store._engine  # the store's own engine, to see what it asks
    event.listen(engine, "before_cursor_execute", seen)
    try:
        store.listed_versions(PUBLISHABLE)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    [(statement, parameters)] = [s for s in statements if "FROM article" in s[0]]
    with engine.connect() as conn:
        if store.dialect == "sqlite":
            plan = " ".join(
                str(row[-1])
                for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            )
            assert "COVERING INDEX ix_article_status_listing" in plan
        else:  # a few rows: a sequential scan is cheaper until told it is not
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "VACUUM ANALYZE article"
            )
            conn.exec_driver_sql("SET enable_seqscan = off")
            conn.exec_driver_sql("SET enable_bitmapscan = off")
            plan = " ".join(
                str(row[0]) for row in conn.exec_driver_sql(f"EXPLAIN {statement}", parameters)
            )
            assert "Index Only Scan using ix_article_status_listing" in plan
