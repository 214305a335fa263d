"""Small hand-written stand-ins for the store, for tests that need articles a real store
would refuse (hostile slugs) or need to count cache calls."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from newsdesk.core.models import Article, PublicationProfile
from newsdesk.core.ports import ArticleQuery


class DictCache:
    """A render cache in a dict that counts hits and misses."""

    def __init__(self) -> None:
        self.entries: dict[str, str] = {}
        self.hits = 0
        self.misses = 0
        self.stores = 0

    def cached_render(self, key: str) -> str | None:
        value = self.entries.get(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def store_render(self, key: str, html: str) -> None:
        self.stores += 1
        self.entries[key] = html


class ListStore(DictCache):
    """Just what export needs of a store, over a list of articles taken as they are."""

    def __init__(
        self, articles: Sequence[Article], profile: PublicationProfile | None = None
    ) -> None:
        super().__init__()
        self.articles = list(articles)
        self._profile = profile or PublicationProfile()

    def iter_articles(
        self, query: ArticleQuery | None = None, *, batch: int = 200
    ) -> Iterator[Article]:
        statuses = query.statuses if query else frozenset()
        for article in self.articles:
            if not statuses or article.status in statuses:
                yield article

    def get_many(self, uris: Sequence[str]) -> list[Article]:
        by_uri = {a.uri: a for a in self.articles}
        return [by_uri[u] for u in uris if u in by_uri]

    def profile(self) -> PublicationProfile:
        return self._profile
