"""Turning what the journalist typed, pasted or dropped into related links (no widgets here)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from newsdesk.core import links as linkrules
from newsdesk.core.errors import NewsdeskError, ValidationError
from newsdesk.core.health import LinkCheck, external_health, problems_by_url
from newsdesk.core.linkcheck import check_urls
from newsdesk.core.links import url_key
from newsdesk.core.models import Article, RelatedLink
from newsdesk.core.ports import ArticleStore
from newsdesk.core.suggest import Suggestion

COMPLETIONS = 8


@dataclass
class AddResult:
    """What an add did: the links added, and each refusal with its reason."""

    added: list[RelatedLink] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    @property
    def problem(self) -> bool:
        return bool(self.refused)

    def message(self, cap: int, total: int) -> str:
        parts = []
        if len(self.added) == 1 and not self.refused:
            parts.append(f"Added “{self.added[0].title}”.")
        elif self.added:
            parts.append(f"Added {len(self.added)} links.")
        parts.extend(self.refused)
        if self.added and total > cap:
            parts.append(
                f"The page shows {cap} related links: the ones past #{cap} are not shown "
                "unless you move them up or remove others."
            )
        return " ".join(parts)


class Adder:
    """Resolves typed text, pasted blocks and dropped addresses against the archive."""

    def __init__(self, store: ArticleStore) -> None:
        self.store = store

    def complete(self, text: str, exclude: Sequence[str]) -> list[Suggestion]:
        """Ranked archive articles whose text matches what is being typed."""
        hits = self.store.search(text, limit=COMPLETIONS + len(exclude))
        skip = set(exclude)
        found = [
            Suggestion(
                uri=hit.summary.uri,
                slug=hit.summary.slug,
                headline=hit.summary.headline,
                section=hit.summary.section,
                status=hit.summary.status,
                display_date=hit.summary.display_date,
                updated_at=hit.summary.updated_at,
                score=hit.score,
                why=(),
            )
            for hit in hits
            if hit.summary.uri not in skip
        ]
        return found[:COMPLETIONS]

    def from_text(
        self, text: str, title: str, exclude: Sequence[str], first: Suggestion | None
    ) -> RelatedLink:
        """A link from the add field: a web address, or the best archive match."""
        if linkrules.looks_like_url(text):
            return linkrules.external_link(text, title)
        best = first or next(iter(self.complete(text, exclude)), None)
        if best is None:
            raise ValidationError(
                f"no article in the archive matches “{text}”: check the spelling, or paste "
                "the story's web address"
            )
        return RelatedLink(title=best.headline, target_uri=best.uri)

    def from_block(self, block: str, exclude: Sequence[str]) -> tuple[list[RelatedLink], list[str]]:
        """Links from a pasted block: addresses as they are, headlines looked up."""
        found: list[RelatedLink] = []
        refused: list[str] = []
        for entry in linkrules.parse_pasted(block):
            try:
                if entry.is_url:
                    found.append(linkrules.external_link(entry.url, entry.title))
                else:
                    found.append(self.from_text(entry.text, "", exclude, None))
            except ValidationError as exc:
                refused.append(f"Refused “{_short(entry.url or entry.text)}”: {exc}.")
        return found, refused

    def accept(
        self,
        current: Sequence[RelatedLink],
        new: Sequence[RelatedLink],
        targets: Mapping[str, Article],
    ) -> AddResult:
        """``new`` minus what the list already has (each refusal names the entry it repeats)."""
        result = AddResult()
        known = dict(targets)
        wanted = [
            link.target_uri for link in new if link.target_uri and link.target_uri not in known
        ]
        if wanted:
            known.update(self.targets(wanted))
        titles = {uri: article.headline for uri, article in known.items()}
        for link in new:
            existing = [*current, *result.added]
            duplicate = linkrules.duplicate_of(existing, link, titles)
            if duplicate is None:
                result.added.append(link)
                continue
            original = existing[duplicate.original]
            name = linkrules.link_title(original, titles)
            result.refused.append(
                f"“{_short(linkrules.link_title(link, titles))}” is already in the list as "
                f"#{duplicate.original + 1} “{_short(name)}” ({duplicate.kind.value})."
            )
        return result

    def targets(self, uris: Sequence[str]) -> dict[str, Article]:
        try:
            return {article.uri: article for article in self.store.get_many(list(uris))}
        except NewsdeskError:
            return {}

    def stored_health(self, links: Sequence[RelatedLink]) -> dict[str, str]:
        """The problems found by the last check of each web link (``url -> message``)."""
        urls = [link.url for link in links if link.url]
        if not urls:
            return {}
        try:
            return web_problems(links, self.store.link_checks(urls))
        except NewsdeskError:
            return {}

    def check(
        self,
        links: Sequence[RelatedLink],
        progress: Callable[[int, int], None],
        cancelled: Callable[[], bool],
    ) -> dict[str, str]:
        """Check the web links now (off the GUI thread), keep the results with their time,
        and return every checked address's problem ("" when it answered)."""
        urls = [link.url for link in links if link.url]
        checks = check_urls(urls, progress=progress, cancelled=cancelled)
        self.store.record_link_checks(checks)
        problems = web_problems(links, {check.url: check for check in checks})
        return {url: problems.get(url, "") for url in urls}


def web_problems(links: Sequence[RelatedLink], checks: Mapping[str, LinkCheck]) -> dict[str, str]:
    """``url -> message`` for the web links whose last check found a problem, with when."""
    health = [
        external_health(index, link, checks.get(link.url) or checks.get(url_key(link.url)))
        for index, link in enumerate(links)
        if link.url
    ]
    when = {h.link.url: h.checked_at for h in health if h.checked_at is not None}
    return {
        url: f"{message} · checked {when[url].astimezone():%d %b %H:%M}" if url in when else message
        for url, message in problems_by_url(health).items()
    }


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
