"""Ranked full-text search, identical in behaviour on SQLite FTS5 and PostgreSQL tsvector."""

from __future__ import annotations

from newsdesk.core.models import Article, Status
from newsdesk.core.ports import ArticleQuery
from newsdesk.store import SqlStore


def seed(store: SqlStore) -> dict[str, Article]:
    articles = {
        "headline": Article(headline="Flooding closes the Severn crossing", body="Traffic news."),
        "tags": Article(headline="Council meeting", tags=("flooding",), body="Budgets."),
        "body": Article(
            headline="Budget day", body="A long piece on budgets that mentions flooding once."
        ),
        "other": Article(headline="Football results", body="Goals and more goals."),
        "stem": Article(headline="Rivers flooded overnight", status=Status.PUBLISHED),
    }
    return {key: store.create(article) for key, article in articles.items()}


def test_headline_match_outranks_body_match(store: SqlStore) -> None:
    seeded = seed(store)
    hits = store.search("flooding")
    uris = [h.summary.uri for h in hits]
    assert seeded["other"].uri not in uris
    assert uris.index(seeded["headline"].uri) < uris.index(seeded["body"].uri)
    assert uris.index(seeded["tags"].uri) < uris.index(seeded["body"].uri)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_stemming_matches_word_forms(store: SqlStore) -> None:
    seeded = seed(store)
    assert seeded["stem"].uri in [h.summary.uri for h in store.search("flood")]


def test_prefix_phrase_exclusion_and_filters(store: SqlStore) -> None:
    seeded = seed(store)
    assert [h.summary.uri for h in store.search("footb")] == [seeded["other"].uri]
    assert [h.summary.uri for h in store.search('"severn crossing"')] == [seeded["headline"].uri]
    excluded = [h.summary.uri for h in store.search("flooding -budgets")]
    assert seeded["body"].uri not in excluded and seeded["tags"].uri not in excluded
    published = store.search("flood", query=ArticleQuery(statuses=frozenset({Status.PUBLISHED})))
    assert [h.summary.uri for h in published] == [seeded["stem"].uri]


def test_search_follows_edits_and_deletes(store: SqlStore) -> None:
    seeded = seed(store)
    store.save(seeded["other"].edited(body="Now about flooding in the stands."))
    assert seeded["other"].uri in [h.summary.uri for h in store.search("flooding")]
    store.delete(seeded["headline"].uri)
    assert seeded["headline"].uri not in [h.summary.uri for h in store.search("flooding")]


def test_hostile_queries_are_just_words(store: SqlStore) -> None:
    seed(store)
    for query in ['"', "'", "AND OR NOT", "a:b", "*", "(", "x & !y | z", "\x00", "رود", "🌊"]:
        store.search(query)  # never a syntax error from the engine
    assert store.search("") == []


def test_unicode_and_accents(store: SqlStore) -> None:
    article = store.create(Article(headline="Hélène Brûlé wins in Paris", body="Résumé"))
    assert [h.summary.uri for h in store.search("helene")] == [article.uri]
    assert [h.summary.uri for h in store.search("resume")] == [article.uri]
    assert [h.summary.uri for h in store.search("Brûlé")] == [article.uri]


def test_stop_words_mean_nothing_on_either_engine(store: SqlStore) -> None:
    seeded = seed(store)
    assert store.search("the") == []
    assert [h.summary.uri for h in store.search("the flooding")] == [
        h.summary.uri for h in store.search("flooding")
    ]
    assert seeded["headline"].uri in [h.summary.uri for h in store.search('"the severn"')]


def test_one_or_two_letters_are_not_yet_a_prefix(store: SqlStore) -> None:
    seed(store)
    assert store.search("fl") == []
    assert store.search("flo")


def test_sqlite_ranks_the_newest_matches_of_a_very_common_word(
    sqlite_store: SqlStore, monkeypatch: object
) -> None:
    from newsdesk.store import search as fts

    monkeypatch.setattr(fts, "RECENT_MATCHES", 10)  # type: ignore[attr-defined]
    stored = [
        sqlite_store.create(Article(headline=f"Council story {i}", body="council " * (30 - i)))
        for i in range(30)
    ]
    hits = sqlite_store.search("council", limit=50)
    assert {h.summary.uri for h in hits} == {a.uri for a in stored[-10:]}
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
