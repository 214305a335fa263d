"""Whether related links still lead somewhere: stored targets and checked addresses.

Links to stored articles are judged from the article as it is now (withdrawn, archived,
deleted, not yet published); external addresses from the last check of them
(:mod:`newsdesk.core.related.linkcheck` makes checks, the store keeps them with their time).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from newsdesk.core.models import PUBLISHABLE, Article, ArticleSummary, RelatedLink, Status
from newsdesk.core.related.links import url_key


class HealthState(StrEnum):
    """What became of a link's target."""

    OK = "ok"
    REDIRECTED = "redirected"
    """The page answered from another address (``final_url``)."""
    BROKEN = "broken"
    """The site answered with an error (4xx, 5xx) or an unusable answer."""
    UNREACHABLE = "unreachable"
    """No answer from that site (no such host, refused, timed out) while others answered."""
    NOT_CHECKED = "not checked"
    """Never checked, or checked while offline: nothing is known."""
    WITHDRAWN = "withdrawn"
    ARCHIVED = "archived"
    DELETED = "deleted"
    """The linked article is no longer in the store."""
    UNPUBLISHED = "unpublished"
    """The linked article is not published yet: the page leaves it out until it is."""
    SELF = "self"
    """The article links to itself."""

    @property
    def is_problem(self) -> bool:
        """Something to fix: the reader would meet a dead or missing page."""
        return self in PROBLEMS

    @property
    def label(self) -> str:
        return self.value


PROBLEMS = frozenset(
    {
        HealthState.BROKEN,
        HealthState.UNREACHABLE,
        HealthState.WITHDRAWN,
        HealthState.ARCHIVED,
        HealthState.DELETED,
        HealthState.SELF,
    }
)
EXTERNAL_STATES = frozenset(
    {
        HealthState.OK,
        HealthState.REDIRECTED,
        HealthState.BROKEN,
        HealthState.UNREACHABLE,
        HealthState.NOT_CHECKED,
    }
)


@dataclass(frozen=True, slots=True)
class LinkCheck:
    """The result of checking one external address at ``checked_at``."""

    url: str
    state: HealthState
    checked_at: datetime
    status_code: int | None = None
    final_url: str = ""
    message: str = ""

    def __post_init__(self) -> None:
        if self.state not in EXTERNAL_STATES:
            raise ValueError(f"{self.state!r} is not a state an address check can have")
        if self.checked_at.tzinfo is None:
            raise ValueError("checked_at must carry a time zone")

    @property
    def key(self) -> str:
        """What the store files the check under: :func:`~newsdesk.core.related.links.url_key`."""
        return url_key(self.url)


@dataclass(frozen=True, slots=True)
class LinkHealth:
    """How one entry of a related list stands; ``index`` is its place in the list."""

    index: int
    link: RelatedLink
    state: HealthState
    message: str = ""
    checked_at: datetime | None = None
    status_code: int | None = None
    final_url: str = ""

    @property
    def is_problem(self) -> bool:
        return self.state.is_problem


def target_health(
    link: RelatedLink,
    target: Article | ArticleSummary | None,
    own_uri: str | None = None,
) -> tuple[HealthState, str]:
    """The state of a link to a stored article, and what to tell the journalist."""
    if own_uri is not None and link.target_uri == own_uri:
        return HealthState.SELF, "links to this article itself: remove it"
    if target is None:
        return HealthState.DELETED, "deleted from the archive: remove it"
    if target.status == Status.WITHDRAWN:
        return HealthState.WITHDRAWN, "withdrawn: the page leaves it out; remove it"
    if target.status == Status.ARCHIVED:
        return HealthState.ARCHIVED, "archived: the page leaves it out; remove it"
    if target.status not in PUBLISHABLE:
        return (
            HealthState.UNPUBLISHED,
            f"{target.status.label.lower()}: shown once it is published",
        )
    return HealthState.OK, ""


def internal_health(
    links: Sequence[RelatedLink],
    targets: Mapping[str, Article | ArticleSummary],
    *,
    own_uri: str | None = None,
) -> list[LinkHealth]:
    """The health of each link to a stored article, in list order (external links are
    skipped: see :func:`link_health`). ``targets`` maps the uris found in the store."""
    found: list[LinkHealth] = []
    for index, link in enumerate(links):
        if link.target_uri:
            target = targets.get(link.target_uri)
            state, message = target_health(link, target, own_uri)
            found.append(LinkHealth(index, link, state, message))
    return found


def external_health(index: int, link: RelatedLink, check: LinkCheck | None) -> LinkHealth:
    """An external link's health from its last check (``None``: never checked)."""
    if check is None:
        return LinkHealth(index, link, HealthState.NOT_CHECKED)
    return LinkHealth(
        index,
        link,
        check.state,
        check.message,
        checked_at=check.checked_at,
        status_code=check.status_code,
        final_url=check.final_url,
    )


def link_health(
    links: Sequence[RelatedLink],
    targets: Mapping[str, Article | ArticleSummary],
    checks: Mapping[str, LinkCheck],
    *,
    own_uri: str | None = None,
) -> list[LinkHealth]:
    """Every entry's health, in list order: stored targets as they are now, addresses from
    ``checks`` (keyed by the link's URL or by its :func:`url_key`)."""
    internal = {h.index: h for h in internal_health(links, targets, own_uri=own_uri)}
    result: list[LinkHealth] = []
    for index, link in enumerate(links):
        if index in internal:
            result.append(internal[index])
        else:
            url = link.url or ""
            check = checks.get(url) or checks.get(url_key(url))
            result.append(external_health(index, link, check))
    return result


def problems_by_url(health: Sequence[LinkHealth]) -> dict[str, str]:
    """``url -> message`` for the external links that have a problem (for the panel)."""
    return {
        h.link.url: h.message or h.state.label for h in health if h.link.url and h.state.is_problem
    }
