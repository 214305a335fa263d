"""The "Related articles" list as published: resolved, cleaned of duplicates, capped."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

from newsdesk.core.models import PUBLISHABLE, Article, PublicationProfile, RelationKind, Status
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


_NOISE = re.compile(r"[\W_]+", re.UNICODE)


def _title_key(title: str) -> str:
    return _NOISE.sub(" ", title.casefold()).strip()


def _url_key(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def resolve_related(
    article: Article,
    targets: Mapping[str, Article],
    profile: PublicationProfile,
    *,
    statuses: Collection[Status] = PUBLISHABLE,
) -> list[ResolvedRelated]:
    """The related list a reader gets.

    Pinned links come first, then the journalist's order. Links to stored articles use the
    target's page and current headline and are dropped when the target is missing, itself,
    or not among ``statuses`` (a withdrawn or archived story is not offered again). External
    links must be http(s). The same story twice (same target, same URL or same headline)
    appears once. At most ``profile.related_cap`` links remain.
    """
    cap = max(profile.related_cap, 0)
    ordered = sorted(article.related, key=lambda link: not link.pinned)
    result: list[ResolvedRelated] = []
    seen: set[str] = set()
    for link in ordered:
        if len(result) >= cap:
            break
        item = _resolve_one(article, link.target_uri, link.url, link.title, targets, profile,
                            statuses, link.relation)  # fmt: skip
        if item is None:
            continue
        keys = {f"title:{_title_key(item.title)}", f"url:{_url_key(item.url)}"}
        if item.target_uri:
            keys.add(f"uri:{item.target_uri}")
        if keys & seen:
            continue
        seen |= keys
        result.append(item)
    return result


def _resolve_one(
    article: Article,
    target_uri: str | None,
    url: str | None,
    title: str,
    targets: Mapping[str, Article],
    profile: PublicationProfile,
    statuses: Collection[Status],
    relation: RelationKind,
) -> ResolvedRelated | None:
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


def site_url(profile: PublicationProfile, path: str = "") -> str:
    """The absolute URL of ``path`` (relative to the site root) on the publication's site."""
    base = profile.base_url.strip() or "https://example.com/"
    if not base.endswith("/"):
        base += "/"
    return base + path
