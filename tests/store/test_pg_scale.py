"""The library and search at newsroom scale: the PostgreSQL fast paths (deep offsets, rare
tags, undated stories, search in slices) give the rows SQLite gives for the same query."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace as dataclass_replace
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from tests.conftest import StoreTemplates

from newsdesk.core.models import Article, Status
from newsdesk.core.ports import ArticleQuery, SortKey
from newsdesk.store import SqlStore, open_store

BASE = datetime(2026, 3, 1, tzinfo=UTC)


def library(count: int = 40) -> list[Article]:
    """Stories with ties everywhere: four update times, undated ones, shared headlines."""
    stories = []
    for i in range(count):
        published = i % 3 != 0
        stories.append(
            Article(
                headline=f"Story {i % 7}",
                slug=f"story-{i}",
                status=Status.PUBLISHED if published else Status.DRAFT,
                section="news" if i % 2 else "sport",
                tags=("flooding",) if i % 5 == 0 else ("energy", f"rare {i % 11}"),
                body=f"council flooding report {'river ' * (i % 4)}",
                updated_at=BASE + timedelta(hours=i % 4),
                display_date=BASE - timedelta(days=i % 6) if published else None,
            )
        )
    return stories


def fill(store: SqlStore) -> None:
    store.create_many(library())


@pytest.fixture
def both(tmp_path: Path, store_templates: StoreTemplates) -> Iterator[tuple[SqlStore, SqlStore]]:
    """The same stories, created in the same order, in SQLite and in PostgreSQL (each test
    its own copies of the two stores, filled once)."""
    store_templates.sqlite("pg-scale library", fill, tmp_path / "lite.db")
    url = store_templates.postgres("pg-scale library", fill)
    lite, server = open_store(f"sqlite:///{tmp_path}/lite.db"), open_store(url)
    yield lite, server
    lite.close()
    server.close()


def ids(rows: list[object]) -> list[int]:
    return [row.id for row in rows]  # type: ignore[attr-defined]


QUERIES = [
    ArticleQuery(limit=100),
    ArticleQuery(sort=SortKey.DISPLAY_DATE, limit=100),
    ArticleQuery(sort=SortKey.DISPLAY_DATE, descending=False, limit=100),
    ArticleQuery(sort=SortKey.HEADLINE, descending=False, limit=100),
    ArticleQuery(sort=SortKey.STATUS, limit=100),
    ArticleQuery(tag="flooding", limit=100),
    ArticleQuery(tag="rare 3", sort=SortKey.HEADLINE, limit=100),
    ArticleQuery(statuses=frozenset({Status.PUBLISHED}), section="news", tag="energy", limit=100),
]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: f"{q.sort}-{q.tag}-{q.descending}")
def test_every_page_is_the_same_on_both_engines(
    both: tuple[SqlStore, SqlStore], query: ArticleQuery
) -> None:
    lite, server = both
    assert ids(server.list_page(query)) == ids(lite.list_page(query))
    assert server.count(query) == lite.count(query)


@pytest.mark.parametrize("descending", [True, False])
def test_undated_stories_come_last_either_way(
    both: tuple[SqlStore, SqlStore], descending: bool
) -> None:
    for store in both:
        page = store.list_page(
            ArticleQuery(sort=SortKey.DISPLAY_DATE, descending=descending, limit=100)
        )
        dates = [row.display_date for row in page]
        undated = dates.index(None)
        assert all(d is None for d in dates[undated:]) and len(dates) - undated == 14
        dated = [d for d in dates if d is not None]
        assert dated == sorted(dated, reverse=descending)
        # Equal dates (and the undated) in id order, the same direction as the dates.
        keyed = [((row.display_date is None), row.display_date, row.id) for row in page]
        for before, after in pairwise(keyed):
            if before[:2] == after[:2]:
                assert (before[2] > after[2]) == descending


@pytest.mark.parametrize("sort", [SortKey.UPDATED, SortKey.DISPLAY_DATE, SortKey.SECTION])
def test_deep_pages_read_from_the_index_first_miss_and_repeat_nothing(
    both: tuple[SqlStore, SqlStore], sort: SortKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsdesk.store import repository

    lite, server = both
    whole = ids(lite.list_page(ArticleQuery(sort=sort, limit=100)))
    monkeypatch.setattr(repository, "DEEP_OFFSET", 0)  # every page past the first is "deep"
    for store in (server, lite):
        paged: list[int] = []
        for offset in range(0, 40, 7):  # pages of 7 cut through runs of equal keys
            paged += ids(store.list_page(ArticleQuery(sort=sort, offset=offset, limit=7)))
        assert paged == whole
    filtered = ArticleQuery(statuses=frozenset({Status.PUBLISHED}), tag="energy", offset=3)
    assert ids(server.list_page(filtered)) == ids(lite.list_page(filtered))


@pytest.mark.parametrize("rare_below", [0, 10_000])
def test_a_tag_filter_is_the_same_from_the_tag_index_or_the_sort_index(
    both: tuple[SqlStore, SqlStore], rare_below: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsdesk.store import repository

    lite, server = both
    monkeypatch.setattr(repository, "RARE_TAG", rare_below)
    for tag, expected in (("flooding", 8), ("rare 3", 3), ("nobody's tag", 0)):
        for query in (
            ArticleQuery(tag=tag, limit=100),
            ArticleQuery(tag=tag, sort=SortKey.DISPLAY_DATE, descending=False, limit=100),
        ):
            server_rows = server.list_page(query)
            assert ids(server_rows) == ids(lite.list_page(query))
            assert len(server_rows) == expected == server.count(query)
            assert all(tag in row.tags for row in server_rows)


def test_search_ranks_the_same_newest_matches_in_slices_as_sqlite(
    both: tuple[SqlStore, SqlStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsdesk.store import search as fts

    lite, server = both
    monkeypatch.setattr(fts, "RECENT_MATCHES", 12)
    monkeypatch.setattr(fts, "PG_RECENT_MATCHES", 12)
    monkeypatch.setattr(fts, "PG_BLOCK", 2)  # slices of 2 ids: some without a match
    monkeypatch.setattr(fts, "PG_FIRST_BLOCKS", 1)
    for text, query in (
        ("flooding", None),
        ("river", None),
        ("river", ArticleQuery(statuses=frozenset({Status.PUBLISHED}))),
        ("council", ArticleQuery(tag="energy", section="news")),
        ("story", None),  # headlines only
    ):
        found = {h.summary.id for h in server.search(text, limit=50, query=query)}
        assert found == {h.summary.id for h in lite.search(text, limit=50, query=query)}
        assert found
    newest = {a.id for a in server.list_page(ArticleQuery(limit=100)) if a.id > 28}
    assert {h.summary.id for h in server.search("flooding", limit=50)} == newest


def test_search_reranks_the_best_on_the_full_text(
    both: tuple[SqlStore, SqlStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsdesk.store import search as fts

    _lite, server = both
    monkeypatch.setattr(fts, "PG_RERANK", 5)
    # Only body words: the small vector ranks all alike, so the newest 5 are re-ranked.
    hits = server.search("river", limit=50)
    assert len(hits) == 5
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    with_river = [i + 1 for i, story in enumerate(library()) if "river" in story.body]
    assert {h.summary.id for h in hits} == set(with_river[-5:])
    # A headline word lifts an older story into the re-ranked few.
    old = server.get_by_id(1)
    server.save(old.edited(headline="River rises", body=old.body))
    assert server.search("river", limit=50)[0].summary.id == 1


def test_the_server_store_keeps_statistics_for_suggestions(both: tuple[SqlStore, SqlStore]) -> None:
    from sqlalchemy import text

    _lite, server = both
    with server.transaction(write=False) as session:
        target = session.scalar(
            text(
                "SELECT attstattarget FROM pg_attribute "
                "WHERE attrelid = 'article'::regclass AND attname = 'search_vector'"
            )
        )
    assert target == 1000


KEYSET_SORTS = [
    (SortKey.UPDATED, True),
    (SortKey.DISPLAY_DATE, True),
    (SortKey.DISPLAY_DATE, False),
    (SortKey.HEADLINE, False),
    (SortKey.STATUS, False),
    (SortKey.CREATED, True),
]


@pytest.mark.parametrize(("sort", "descending"), KEYSET_SORTS)
def test_keyset_pages_cross_runs_of_equal_keys_without_a_gap(
    both: tuple[SqlStore, SqlStore], sort: SortKey, descending: bool
) -> None:
    lite, server = both
    whole = ids(lite.list_page(ArticleQuery(sort=sort, descending=descending, limit=100)))
    for store in (lite, server):
        paged: list[int] = []
        after = None
        while True:  # pages of 6 end inside runs of equal keys (and of undated stories)
            page = store.list_page(
                ArticleQuery(sort=sort, descending=descending, limit=6, after=after)
            )
            if not page:
                break
            paged += ids(page)
            after = page[-1].id
        assert paged == whole


def test_keyset_paging_falls_back_to_the_offset_when_its_row_is_gone(
    both: tuple[SqlStore, SqlStore],
) -> None:
    for store in both:
        first = store.list_page(ArticleQuery(limit=10))
        filtered = ArticleQuery(section="news", limit=5)
        news = ids(store.list_page(dataclass_replace(filtered, limit=100)))
        after_news = store.list_page(dataclass_replace(filtered, after=news[4]))
        assert ids(after_news) == news[5:10]
        store.delete(first[9].uri)
        rest = store.list_page(ArticleQuery(limit=5, offset=9, after=first[9].id))
        assert ids(rest) == ids(store.list_page(ArticleQuery(limit=100)))[9:14]


def test_a_tag_page_follows_saves_and_other_writers_of_the_update_time(
    both: tuple[SqlStore, SqlStore],
) -> None:
    from sqlalchemy import update

    from newsdesk.store.schema import ArticleRow

    tagged = ArticleQuery(tag="flooding", limit=100)
    for store in both:
        oldest = store.list_page(tagged)[-1]
        store.save(store.get(oldest.uri).edited(body="The river again."))
        assert ids(store.list_page(tagged))[0] == oldest.id
        # A writer that moves the update time without writing the tags (as sync does).
        second = store.list_page(tagged)[1]
        with store.transaction(write=True) as session:
            session.execute(
                update(ArticleRow)
                .where(ArticleRow.id == second.id)
                .values(updated_at=BASE - timedelta(days=400))
            )
        page = store.list_page(tagged)
        assert ids(page)[-1] == second.id
        after = store.list_page(dataclass_replace(tagged, limit=3, after=page[2].id))
        assert ids(after) == ids(page)[3:6]
    lite, server = both
    assert ids(server.list_page(tagged)) == ids(lite.list_page(tagged))


def test_the_first_slice_is_sized_from_the_rarest_wanted_word() -> None:
    from newsdesk.store.search import query_share

    shares = {"flood": 0.05, "river": 0.2, "said": 0.86, "saint": 0.01}
    assert query_share("'flood' & 'river'", shares, 0.002) == 0.05
    assert query_share("'river' & !'flood'", shares, 0.002) == 0.2  # exclusions: no help
    assert query_share("'sai':*", shares, 0.002) == pytest.approx(0.87)  # every "sai..."
    assert query_share("'prime' <-> 'minist'", shares, 0.002) == 0.001  # unknown: rarer
    assert query_share("", shares, 0.002) == 1.0
