"""The "Related articles" list as published: resolved, cleaned of duplicates, capped."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol
from urllib.parse import urlsplit

from newsdesk.core.errors import ValidationError
from newsdesk.core.models import (
    PUBLISHABLE,
    Article,
    PublicationProfile,
    RelatedLink,
    RelationKind,
    Status,
)
from newsdesk.core.related import links
from newsdesk.publish.paths import UnsafePathError, article_path
from newsdesk.publish.sanitize import safe_url


@dataclass(frozen=True, slots=True)
class ResolvedRelated:
    """One published related link.

    ``path`` is set for an article of the same publication (``world/some-slug/``, relative
    to the site root, so pages link relatively); ``url`` is always absolute.
    """

    title: str
    url: str
    path: str = ""
    target_uri: str | None = None
    relation: RelationKind = RelationKind.RELATED
    section: str = ""

    @property
    def internal(self) -> bool:
        return bool(self.path)


class ArticleLookup(Protocol):
    """The one store call resolving needs (``ArticleStore`` provides it)."""

    def get_many(self, uris: Sequence[str]) -> list[Article]: ...


def resolve_related(
    article: Article,
    targets: Mapping[str, Article],
    profile: PublicationProfile,
    *,
    statuses: Collection[Status] = PUBLISHABLE,
    memo: dict[str, tuple[ResolvedRelated | None, str, str]] | None = None,
) -> list[ResolvedRelated]:
    """The related list a reader gets.

    Pinned links come first, then the journalist's order. Links to stored articles use the
    target's page and current headline and are dropped when the target is missing, itself,
    or not among ``statuses`` (a withdrawn or archived story is not offered again). External
    links must be http(s). The same story twice (same target, same URL or same headline)
    appears once. At most ``profile.related_cap`` links remain. ``memo`` keeps each target's
    resolution between calls over the same ``targets`` (export resolves thousands).
    """
    cap = max(profile.related_cap, 0)
    ordered = sorted(article.related, key=lambda link: not link.pinned)
    result: list[ResolvedRelated] = []
    seen: set[str] = set()
    for link in ordered:
        if len(result) >= cap:
            break
        if link.target_uri and link.target_uri == article.uri:
            continue
        if link.target_uri and memo is not None and link.target_uri in memo:
            item, title_key, url_key = memo[link.target_uri]
        else:
            item = _resolve_one(article, link, targets, profile, statuses)
            title_key = links.title_key(item.title) if item is not None else ""
            url_key = links.url_key(item.url) if item is not None else ""
            if link.target_uri and memo is not None:
                memo[link.target_uri] = (item, title_key, url_key)
        if item is None:
            continue
        keys = {f"title:{title_key}", f"url:{url_key}"}
        if item.target_uri:
            keys.add(f"uri:{item.target_uri}")
        if keys & seen:
            continue
        seen |= keys
        result.append(item)
    return result


def _resolve_one(
    article: Article,
    link: RelatedLink,
    targets: Mapping[str, Article],
    profile: PublicationProfile,
    statuses: Collection[Status],
) -> ResolvedRelated | None:
    target_uri, url, title, relation = link.target_uri, link.url, link.title, link.relation
    if target_uri:
        target = targets.get(target_uri)
        if target is None or target.uri == article.uri or target.status not in statuses:
            return None
        try:
            path = article_path(target)
        except UnsafePathError:
            return None
        headline = target.headline.strip() or title.strip()
        if not headline:
            return None
        return ResolvedRelated(
            title=headline,
            url=site_url(profile, path),
            path=path,
            target_uri=target.uri,
            relation=relation,
            section=target.section,
        )
    checked = safe_url(url or "", allow_relative=False)
    if checked is None:
        return None
    return ResolvedRelated(
        title=title.strip() or urlsplit(checked).netloc, url=checked, relation=relation
    )


def related_uris(articles: Iterable[Article]) -> list[str]:
    """Every stored article the given articles link to, each once, in a stable order."""
    return sorted({link.target_uri for a in articles for link in a.related if link.target_uri})


def resolve_related_from(
    article: Article,
    store: ArticleLookup,
    profile: PublicationProfile,
    *,
    statuses: Collection[Status] = PUBLISHABLE,
) -> list[ResolvedRelated]:
    """:func:`resolve_related`, fetching the linked articles from ``store`` (for the preview)."""
    uris = related_uris([article])
    targets = {a.uri: a for a in store.get_many(uris)} if uris else {}
    return resolve_related(article, targets, profile, statuses=statuses)


def base_url(profile: PublicationProfile) -> str:
    """The publication's site root, ending in ``/``; refuses anything but http(s)."""
    return _checked_base(profile.base_url)


@lru_cache(maxsize=64)
def _checked_base(given: str) -> str:
    profile_base = given
    base = safe_url(profile_base.strip(), allow_relative=False)
    if base is None or "?" in base or "#" in base:
        raise ValidationError(
            f"the publication's base URL {profile_base!r} must be an http:// or https:// "
            "address such as 'https://example.com/'"
        )
    return base if base.endswith("/") else base + "/"


def site_url(profile: PublicationProfile, path: str = "") -> str:
    """The absolute URL of ``path`` (relative to the site root) on the publication's site."""
    return base_url(profile) + path
