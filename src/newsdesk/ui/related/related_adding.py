"""Turning what the journalist typed, pasted or dropped into related links (no widgets here)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from newsdesk.core.errors import NewsdeskError, ValidationError
from newsdesk.core.models import Article, ArticleSummary, RelatedLink
from newsdesk.core.ports import ArticleStore
from newsdesk.core.related import links as linkrules
from newsdesk.core.related.duplicates import finder_for, link_title
from newsdesk.core.related.health import LinkCheck, external_health, problems_by_url
from newsdesk.core.related.linkcheck import check_urls
from newsdesk.core.related.links import title_key, url_key
from newsdesk.core.related.pasted import PastedEntry, parse_pasted, parse_pasted_html
from newsdesk.core.related.suggest import Suggestion
from newsdesk.web.http import http_opener

COMPLETIONS = 8
ARCHIVE_HITS = 3
"""Search results read for a pasted headline: its own article ranks among the first."""
_SITE_SUFFIX = (" | ", " - ", " – ", " — ")


class Why(StrEnum):
    """Why a pasted entry was not added: what the summary line counts."""

    REPEAT = "already in the list"
    ADDRESS = "not a usable web address"
    UNKNOWN = "not found in the archive"
    ITSELF = "this article itself"


@dataclass(frozen=True, slots=True)
class Refusal:
    """One entry not added: what was pasted, why, and what to do."""

    text: str
    why: Why
    message: str


@dataclass
class AddResult:
    """What an add did: the links added, and each refusal with its reason."""

    added: list[RelatedLink] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)

    @property
    def problem(self) -> bool:
        return bool(self.refused)

    def message(self, cap: int, total: int) -> str:
        """One short line: what was added, and how many were not and why (the details
        view lists each refusal)."""
        parts: list[str] = []
        if len(self.added) == 1:
            parts.append(f"Added “{_short(self.added[0].title)}”.")
        elif self.added:
            parts.append(f"Added {len(self.added)} links.")
        if len(self.refused) == 1 and not self.added:
            parts.append(self.refused[0].message)
        elif self.refused:
            counts = Counter(r.why for r in self.refused)
            reasons = ", ".join(f"{n} {why.value}" for why, n in counts.most_common())
            parts.append(f"{len(self.refused)} not added ({reasons}).")
        if self.added and total > cap:
            parts.append(f"The page shows the first {cap}.")
        return " ".join(parts)

    def details(self) -> str:
        """Every refusal on its own line, for the details view."""
        return "\n".join(f"• {r.message}" for r in self.refused)


class Adder:
    """Resolves typed text, pasted blocks and dropped addresses against the archive."""

    def __init__(self, store: ArticleStore) -> None:
        self.store = store

    def complete(self, text: str, exclude: Sequence[str]) -> list[Suggestion]:
        """Ranked archive articles whose text matches what is being typed."""
        hits = self.store.search(text, limit=COMPLETIONS + len(exclude))
        skip = set(exclude)
        found = [_as_suggestion(hit.summary, hit.score) for hit in hits]
        return [s for s in found if s.uri not in skip][:COMPLETIONS]

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

    def from_block(self, block: str, own_uri: str = "") -> tuple[list[RelatedLink], list[Refusal]]:
        """Links from a pasted block of text (see
        :func:`~newsdesk.core.related.pasted.parse_pasted`)."""
        return self.from_entries(parse_pasted(block), own_uri)

    def from_html(self, html: str, own_uri: str = "") -> tuple[list[RelatedLink], list[Refusal]]:
        """Links from pasted HTML, each titled by its link text."""
        return self.from_entries(parse_pasted_html(html), own_uri)

    def from_entries(
        self, entries: Iterable[PastedEntry], own_uri: str = ""
    ) -> tuple[list[RelatedLink], list[Refusal]]:
        """Each entry as a link: a headline found in the archive becomes a link to its
        article (so does an address whose title is an archive headline); an address
        stays an address; anything else is refused with its reason."""
        found: list[RelatedLink] = []
        refused: list[Refusal] = []
        for entry in entries:
            try:
                link = self._entry_link(entry)
            except ValidationError as exc:
                address = entry.is_url or linkrules.looks_like_url(entry.text)
                why = Why.ADDRESS if address else Why.UNKNOWN
                refused.append(Refusal(entry.text, why, f"“{_short(entry.text)}”: {exc}."))
                continue
            if link.target_uri and link.target_uri == own_uri:
                refused.append(
                    Refusal(entry.text, Why.ITSELF, f"“{_short(entry.text)}” is this article.")
                )
                continue
            found.append(link)
        return found, refused

    def _entry_link(self, entry: PastedEntry) -> RelatedLink:
        if not entry.is_url and linkrules.looks_like_url(entry.text):
            return linkrules.external_link(entry.text)  # or why it is refused
        headline = entry.title if entry.is_url else entry.text
        own = self.archive_match(headline) if headline else None
        if own is not None:
            return RelatedLink(title=own.headline, target_uri=own.uri)
        if entry.is_url:
            return linkrules.external_link(entry.url, entry.title)
        raise ValidationError(
            "no article in the archive has this headline; paste its web address on the "
            "line after it to add the page"
        )

    def archive_match(self, headline: str) -> ArticleSummary | None:
        """The archive article whose headline this is (case, accents, punctuation and a
        trailing " | Site name" aside), if any."""
        wanted = {title_key(headline), title_key(_without_site(headline))} - {""}
        if not wanted:
            return None
        try:
            hits = self.store.search(_without_site(headline), limit=ARCHIVE_HITS)
        except NewsdeskError:
            return None
        return next((h.summary for h in hits if title_key(h.summary.headline) in wanted), None)

    def accept(
        self,
        current: Sequence[RelatedLink],
        new: Sequence[RelatedLink],
        targets: Mapping[str, Article],
    ) -> AddResult:
        """``new`` minus what the list already has (each refusal names the entry it repeats).
        No store read: ``targets`` holds every target read for ``current`` and ``new`` (see
        :meth:`unknown`); one not there is gone from the archive."""
        result = AddResult()
        known: dict[str, Article | ArticleSummary] = dict(targets)
        finder = finder_for(current, known)[0]
        entries = list(current)
        for link in new:
            repeat = finder.check(link)
            if repeat is None:
                finder.add(link)
                entries.append(link)
                result.added.append(link)
                continue
            kind, position = repeat
            title = _short(link_title(link, known))
            result.refused.append(
                Refusal(
                    title,
                    Why.REPEAT,
                    f"“{title}” is already in the list as #{position + 1} "
                    f"“{_short(link_title(entries[position], known))}” ({kind.value}).",
                )
            )
        return result

    @staticmethod
    def unknown(links: Iterable[RelatedLink], targets: Mapping[str, Article]) -> list[str]:
        """The archive articles ``links`` point at that are not read yet."""
        return list(
            dict.fromkeys(
                link.target_uri
                for link in links
                if link.target_uri and link.target_uri not in targets
            )
        )

    def cap(self) -> int | None:
        """How many related links the publication shows; ``None``: the store is away."""
        try:
            return self.store.profile().related_cap
        except NewsdeskError:
            return None

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
        checks = check_urls(urls, opener=http_opener, progress=progress, cancelled=cancelled)
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


def _as_suggestion(summary: ArticleSummary, score: float) -> Suggestion:
    return Suggestion(
        uri=summary.uri,
        slug=summary.slug,
        headline=summary.headline,
        section=summary.section,
        status=summary.status,
        display_date=summary.display_date,
        updated_at=summary.updated_at,
        score=score,
        why=(),
    )


def _without_site(headline: str) -> str:
    """A copied page title without its site's name: "Floods close M5 | London Daily"."""
    for separator in _SITE_SUFFIX:
        head, found, _ = headline.rpartition(separator)
        if found and len(head.split()) >= 3:
            return head
    return headline


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
