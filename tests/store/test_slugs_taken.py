"""Which slugs the store holds, asked for many at once (an import of a whole folder)."""

from __future__ import annotations

from newsdesk.core.models import Article
from newsdesk.core.ports import ArticleStore


def test_slugs_taken_answers_for_more_candidates_than_one_query_holds(store: ArticleStore) -> None:
    held = [f"story-{n}" for n in range(0, 1_500, 7)]  # spread over every chunk of 500
    store.create_many([Article(headline=slug, slug=slug) for slug in held])
    candidates = [f"story-{n}" for n in range(1_500)] + ["story-3", "elsewhere"]

    assert store.slugs_taken(iter(candidates)) == set(held)
    assert store.slugs_taken([]) == set()
