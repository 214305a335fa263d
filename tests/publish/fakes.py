"""Small hand-written stand-ins for the store, for tests that need articles a real store
would refuse (hostile slugs) or need to count cache calls."""

from __future__ import annotations

import errno
import os
import types
from collections.abc import Collection, Iterator, Mapping, Sequence
from datetime import datetime

import pytest

from newsdesk.core.errors import NotFoundError
from newsdesk.core.media.media import MediaAsset
from newsdesk.core.models import Article, PublicationProfile, Status
from newsdesk.core.ports import ArticleQuery


class DictCache:
    """A render cache in a dict that counts hits and misses."""

    def __init__(self) -> None:
        self.entries: dict[str, str] = {}
        self.hits = 0
        self.misses = 0
        self.stores = 0
        self.bulk_reads = 0
        self.bulk_writes = 0

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

    def cached_renders(self, keys: Sequence[str]) -> dict[str, str]:
        self.bulk_reads += 1
        return {k: self.entries[k] for k in keys if k in self.entries}

    def store_renders(self, items: Mapping[str, str]) -> None:
        self.bulk_writes += 1
        self.entries.update(items)


class ListStore(DictCache):
    """Just what export needs of a store, over a list of articles taken as they are."""

    def __init__(
        self,
        articles: Sequence[Article],
        profile: PublicationProfile | None = None,
        media: Sequence[tuple[MediaAsset, bytes]] = (),
    ) -> None:
        super().__init__()
        self.articles = list(articles)
        self._profile = profile or PublicationProfile()
        self.media = {asset.key: (asset, data) for asset, data in media}
        self.data_reads: list[str] = []  # keys whose bytes export read, in order

    def media_many(self, keys: Collection[str]) -> dict[str, MediaAsset]:
        return {key: self.media[key][0] for key in keys if key in self.media}

    def media_data(self, key: str) -> bytes:
        if key not in self.media:
            raise NotFoundError(f"no media file media:{key}")
        self.data_reads.append(key)
        return self.media[key][1]

    def iter_articles(
        self, query: ArticleQuery | None = None, *, batch: int = 200
    ) -> Iterator[Article]:
        statuses = query.statuses if query else frozenset()
        for article in self.articles:
            if not statuses or article.status in statuses:
                yield article

    def article_versions(
        self, query: ArticleQuery | None = None
    ) -> list[tuple[str, int, datetime]]:
        return [(a.uri, a.version, a.updated_at) for a in self.iter_articles(query)]

    def listed_versions(
        self, statuses: Collection[Status]
    ) -> list[tuple[str, int, datetime, Status]]:
        # As the store lists them: by status, then in the order they were added.
        return [
            (a.uri, a.version, a.updated_at, a.status)
            for status in sorted(set(statuses))
            for a in self.articles
            if a.status is status
        ]

    def get_many(self, uris: Sequence[str]) -> list[Article]:
        by_uri = {a.uri: a for a in self.articles}
        return [by_uri[u] for u in uris if u in by_uri]

    def read_many(self, uris: Sequence[str]) -> list[Article]:
        return self.get_many(uris)

    def profile(self) -> PublicationProfile:
        return self._profile


def fail_rename(monkeypatch: pytest.MonkeyPatch, module: types.ModuleType, at: int) -> None:
    """Make the ``at``-th ``os.replace`` seen through ``module`` fail with an I/O error
    (a disk failing while an export moves its files in)."""
    real = os.replace
    calls = {"n": 0}

    def flaky(source: object, target: object) -> None:
        calls["n"] += 1
        if calls["n"] == at:
            raise OSError(errno.EIO, "Input/output error")
        real(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(module.os, "replace", flaky)
