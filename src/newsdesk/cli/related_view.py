"""What the ``newsdesk related`` commands share: loading and saving an article's list, and
what the page makes of it (which entries are shown, over the cap or left out, how healthy
each is), as text and as JSON."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsdesk.cli.common import when_text
from newsdesk.core.errors import NotFoundError
from newsdesk.core.models import Article, PublicationProfile, RelatedLink, RelationKind
from newsdesk.core.ports import ArticleStore
from newsdesk.core.related.health import HealthState, LinkCheck, LinkHealth, link_health
from newsdesk.publish.related import ResolvedRelated, resolve_related
from newsdesk.publish.sanitize import safe_url

if TYPE_CHECKING:
    from newsdesk.core.related.duplicates import Duplicate

SAVE_REASON = "related links"


def relation_label(relation: RelationKind) -> str:
    return relation.value.replace("_", "-")


def load(store: ArticleStore, slug: str) -> Article:
    try:
        return store.get_by_slug(slug)
    except NotFoundError:
        raise NotFoundError(
            f"no article has the slug {slug!r}: see 'newsdesk list' for the slugs"
        ) from None


def save_links(store: ArticleStore, article: Article, links: Sequence[RelatedLink]) -> Article:
    """One save of the new list, recorded as a revision ("related links")."""
    return store.save(article.edited(related=tuple(links)), reason=SAVE_REASON)


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of the list as the journalist and the page see it."""

    position: int  # 1-based, in the journalist's order
    link: RelatedLink
    health: LinkHealth
    target_slug: str = ""
    page_rank: int | None = None  # place on the page before the cap; None: left out
    cap: int = 0
    repeats: Duplicate | None = None

    @property
    def shown(self) -> bool:
        return self.page_rank is not None and self.page_rank <= self.cap

    @property
    def over_cap(self) -> bool:
        return self.page_rank is not None and self.page_rank > self.cap

    @property
    def target(self) -> str:
        return self.link.url or self.target_slug or self.link.target_uri or ""

    def left_out_reason(self) -> str:
        if self.page_rank is not None:
            return ""
        if self.repeats is not None:
            return f"repeats #{self.repeats.original + 1} ({self.repeats.kind.value})"
        if self.health.state != HealthState.OK and self.link.target_uri:
            return self.health.state.label
        return "not a usable page"


def linked_targets(store: ArticleStore, links: Sequence[RelatedLink]) -> dict[str, Article]:
    """The stored articles ``links`` point at, by uri (deleted ones are absent)."""
    uris = list(dict.fromkeys(link.target_uri for link in links if link.target_uri))
    return {a.uri: a for a in store.get_many(uris)} if uris else {}


def page_entries(
    article: Article,
    links: Sequence[RelatedLink],
    targets: Mapping[str, Article],
    profile: PublicationProfile,
    checks: Mapping[str, LinkCheck],
) -> list[Entry]:
    """Every entry with its health and its fate on the page, from the same resolution the
    export uses (pinned links first, duplicates and dead targets left out, then the cap)."""
    from newsdesk.core.related.duplicates import find_duplicates  # only the related commands use it

    uncapped = dataclasses.replace(profile, related_cap=max(len(links), 1))
    candidate = dataclasses.replace(article, related=tuple(links))
    published = resolve_related(candidate, targets, uncapped)
    ranks = _page_ranks(links, published)
    health = link_health(links, targets, checks, own_uri=article.uri)
    repeats = {d.index: d for d in find_duplicates(links, targets)}
    cap = max(profile.related_cap, 0)
    return [
        Entry(
            position=index + 1,
            link=link,
            health=health[index],
            target_slug=targets[link.target_uri].slug
            if link.target_uri and link.target_uri in targets
            else "",
            page_rank=ranks.get(index),
            cap=cap,
            repeats=repeats.get(index),
        )
        for index, link in enumerate(links)
    ]


def _page_ranks(
    links: Sequence[RelatedLink], published: Sequence[ResolvedRelated]
) -> dict[int, int]:
    """``index in links -> place on the page`` (1-based, before the cap). The page is a
    subsequence of the links with pinned ones first, so matching in that order is exact."""
    order = sorted(range(len(links)), key=lambda i: not links[i].pinned)
    ranks: dict[int, int] = {}
    place = 0
    for index in order:
        if place >= len(published):
            break
        link, item = links[index], published[place]
        if link.target_uri:
            same = item.target_uri == link.target_uri
        else:
            same = not item.target_uri and item.url == safe_url(
                link.url or "", allow_relative=False
            )
        if same:
            place += 1
            ranks[index] = place
    return ranks


def health_text(health: LinkHealth) -> str:
    """``broken: HTTP 404 Not Found, checked 2026-11-26 10:00 UTC``."""
    text = label = health.state.label
    if health.message and health.state != HealthState.OK:
        text = health.message if health.message.startswith(label) else f"{label}: {health.message}"
    if health.checked_at is not None and health.state != HealthState.NOT_CHECKED:
        text += f", checked {when_text(health.checked_at)}"
    return text


def entry_line(entry: Entry) -> str:
    link = entry.link
    pin = "pinned" if link.pinned else ""
    flags = [health_text(entry.health)]
    if entry.over_cap:
        flags.append(f"over the cap of {entry.cap}: not shown")
    elif entry.page_rank is None:
        flags.append(f"not on the page: {entry.left_out_reason()}")
    if entry.repeats is not None and entry.page_rank is not None:
        repeat = entry.repeats
        flags.append(f"repeats #{repeat.original + 1} ({repeat.kind.value}): merge it")
    marks = "  ".join(f"[{f}]" for f in flags)
    return (
        f"#{entry.position:<3} {relation_label(link.relation):<10}  {pin:<6}  "
        f"“{link.title}”  → {entry.target}  {marks}"
    )


def entry_json(entry: Entry) -> dict[str, Any]:
    link, health = entry.link, entry.health
    return {
        "position": entry.position,
        "relation": relation_label(link.relation),
        "pinned": link.pinned,
        "title": link.title,
        "target_uri": link.target_uri,
        "target_slug": entry.target_slug or None,
        "url": link.url,
        "health": health.state.value,
        "health_message": health.message,
        "problem": health.is_problem,
        "checked_at": health.checked_at.isoformat() if health.checked_at else None,
        "status_code": health.status_code,
        "final_url": health.final_url or None,
        "on_page": entry.shown,
        "over_cap": entry.over_cap,
        "page_rank": entry.page_rank,
        "left_out": entry.left_out_reason() or None,
    }


def page_summary(entries: Sequence[Entry], cap: int) -> str:
    shown = sum(e.shown for e in entries)
    over = [f"#{e.position}" for e in entries if e.over_cap]
    text = f"The page shows {shown} of {len(entries)} (the publication's cap is {cap})."
    if over:
        text += f" Over the cap: {', '.join(over)}."
    return text
