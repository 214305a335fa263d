"""Duplicates in a related list: the same article, the same page, or the same story twice.

Entries are compared in list order, each with the entries before it that stay (never with
another repeat). An entry's story is its headline, with the standfirst and the opening of
the text when it links to a stored article (:mod:`newsdesk.core.related.same_story` decides).
Finding them costs about the same per entry however long the list is: addresses and
articles are looked up by key, and a story is compared only with the entries sharing
headline words with it (:class:`~newsdesk.core.related.same_story.StoryIndex`). The last few
lists checked are kept, so checking a list again after one entry was added (or the
addition undone) costs that entry alone.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache

from newsdesk.core.models import Article, ArticleSummary, RelatedLink
from newsdesk.core.related.links import default_title, url_key
from newsdesk.core.related.same_story import TEXT_CHARS, Signature, StoryIndex, StoryText, signature
from newsdesk.core.text import strip_markup

Targets = Mapping[str, Article | ArticleSummary]
"""The stored articles a list links to, by uri (what is known of them)."""


class DuplicateKind(StrEnum):
    SAME_ARTICLE = "same article"
    SAME_URL = "same address"
    SAME_STORY = "same story"


@dataclass(frozen=True, slots=True)
class Duplicate:
    """Entry ``index`` repeats entry ``original`` (which comes first in the list)."""

    index: int
    original: int
    kind: DuplicateKind

    def describe(self, links: Sequence[RelatedLink]) -> str:
        first = links[self.original]
        return f"{self.kind.value} as #{self.original + 1} “{first.title}”"


def link_title(link: RelatedLink, targets: Targets | None = None) -> str:
    """The title to show and compare: a linked article's current headline when known."""
    target = targets.get(link.target_uri) if link.target_uri and targets else None
    return target.headline if target is not None and target.headline else link.title


def link_story(link: RelatedLink, targets: Targets | None = None) -> StoryText:
    """What is known of the entry's story: a stored article's headline, standfirst and
    opening; a web page's title."""
    target = targets.get(link.target_uri) if link.target_uri and targets else None
    if isinstance(target, Article):
        body = target.body[: TEXT_CHARS * 2]
        return _article_story(target.headline or link.title, target.standfirst, body)
    return StoryText(link_title(link, targets))


@lru_cache(maxsize=1 << 14)
def _article_story(headline: str, standfirst: str, body: str) -> StoryText:
    return StoryText(headline, standfirst, strip_markup(body)[:TEXT_CHARS])


def _headline_given(link: RelatedLink) -> bool:
    """A title that is a headline, not the stand-in made from the address (two pages of
    one site are not one story because their stand-ins share the site's name)."""
    return not (link.url and link.title == default_title(link.url))


class DuplicateFinder:
    """The entries of a list so far, and which earlier one each new entry repeats."""

    def __init__(self, targets: Targets | None = None) -> None:
        self.targets = targets
        self._by_uri: dict[str, int] = {}
        self._by_url: dict[str, int] = {}
        self._stories = StoryIndex()
        self._story_entry: list[int] = []  # the list position of each indexed story
        self._count = 0

    def __len__(self) -> int:
        """How many entries it has taken."""
        return self._count

    def copy(self) -> DuplicateFinder:
        """A finder holding the same entries, that can take more without changing this."""
        twin = DuplicateFinder(self.targets)
        twin._by_uri, twin._by_url = dict(self._by_uri), dict(self._by_url)
        twin._stories = self._stories.copy()
        twin._story_entry = list(self._story_entry)
        twin._count = self._count
        return twin

    def check(self, link: RelatedLink) -> tuple[DuplicateKind, int] | None:
        """What ``link`` would repeat, and where, without keeping it."""
        return self._check(link, self._signature(link))

    def _check(
        self, link: RelatedLink, story: Signature | None
    ) -> tuple[DuplicateKind, int] | None:
        if link.target_uri and link.target_uri in self._by_uri:
            return DuplicateKind.SAME_ARTICLE, self._by_uri[link.target_uri]
        key = url_key(link.url) if link.url else ""
        if key and key in self._by_url:
            return DuplicateKind.SAME_URL, self._by_url[key]
        if story is not None:
            found = self._stories.repeats(story)
            if found is not None:
                return DuplicateKind.SAME_STORY, self._story_entry[found]
        return None

    def add(self, link: RelatedLink) -> Duplicate | None:
        """Take the next entry: its duplicate when it repeats one (it is not kept then, so
        later entries are compared with the entry that stays)."""
        index = self._count
        self._count += 1
        story = self._signature(link)
        found = self._check(link, story)
        if found is not None:
            return Duplicate(index, found[1], found[0])
        if link.target_uri:
            self._by_uri[link.target_uri] = index
        if link.url:
            self._by_url.setdefault(url_key(link.url), index)
        if story is not None:
            self._stories.add(story)
            self._story_entry.append(index)
        return None

    def _signature(self, link: RelatedLink) -> Signature | None:
        if not _headline_given(link):
            return None
        story = link_story(link, self.targets)
        return signature(story) if story.headline.strip() else None


def find_duplicates(
    links: Sequence[RelatedLink], targets: Targets | None = None
) -> list[Duplicate]:
    """Every entry that repeats an earlier one, in list order, each named once."""
    return list(_checked(links, targets).duplicates)


RECENT_LISTS = 4
"""Lists whose check is kept: the one on screen, and the one before the last change."""


@dataclass(frozen=True, slots=True)
class _Checked:
    finder: DuplicateFinder
    duplicates: tuple[Duplicate, ...]


_ListKey = tuple[tuple[RelatedLink, ...], tuple[object, ...]]
_recent: OrderedDict[_ListKey, _Checked] = OrderedDict()
_recent_lock = threading.Lock()


def finder_for(
    links: Sequence[RelatedLink], targets: Targets | None = None
) -> tuple[DuplicateFinder, list[Duplicate]]:
    """A finder that has taken ``links`` (free to take more) and their duplicates. A list
    checked lately, or one it begins with, is not checked again from the start."""
    checked = _checked(links, targets)
    return checked.finder.copy(), list(checked.duplicates)


def _checked(links: Sequence[RelatedLink], targets: Targets | None) -> _Checked:
    """The kept check of ``links``, made (from the longest kept list it begins with) when
    there is none. A kept finder is never handed out: callers get copies."""
    entries = tuple(links)
    known = _targets_key(targets)
    with _recent_lock:
        done = _recent.get((entries, known)) or _longest_start(entries, known)
    if done is not None and len(done.finder) == len(entries):
        return done
    finder = done.finder.copy() if done is not None else DuplicateFinder(targets)
    finder.targets = targets
    found = list(done.duplicates) if done is not None else []
    found += [d for d in (finder.add(link) for link in entries[len(finder) :]) if d]
    checked = _Checked(finder, tuple(found))
    with _recent_lock:
        _recent[(entries, known)] = checked
        while len(_recent) > RECENT_LISTS:
            _recent.popitem(last=False)
    return checked


def _longest_start(entries: tuple[RelatedLink, ...], known: tuple[object, ...]) -> _Checked | None:
    """The kept check of the longest list ``entries`` begins with, if any."""
    best: _Checked | None = None
    for (before, their_known), done in _recent.items():
        if their_known != known or len(before) > len(entries):
            continue
        if best is not None and len(before) <= len(best.finder):
            continue
        if entries[: len(before)] == before:
            best = done
    return best


def _targets_key(targets: Targets | None) -> tuple[object, ...]:
    """What of ``targets`` the check reads: each linked article's story."""
    if not targets:
        return ()
    return tuple(
        sorted((uri, link_story(RelatedLink(uri, target_uri=uri), targets)) for uri in targets)
    )


def duplicate_kind(
    a: RelatedLink, b: RelatedLink, targets: Targets | None = None
) -> DuplicateKind | None:
    """Why ``b`` repeats ``a``, or ``None`` when they are different stories."""
    found = duplicate_of([a], b, targets)
    return found.kind if found is not None else None


def duplicate_of(
    links: Sequence[RelatedLink], candidate: RelatedLink, targets: Targets | None = None
) -> Duplicate | None:
    """The entry of ``links`` that ``candidate`` would repeat, if any."""
    found = _checked(links, targets).finder.check(candidate)  # check() keeps nothing
    return Duplicate(len(links), found[1], found[0]) if found is not None else None


def merge(links: Sequence[RelatedLink], duplicate: Duplicate) -> list[RelatedLink]:
    """The list with ``duplicate.index`` folded into its original.

    The original keeps its place; it becomes pinned if either was, and takes the other's
    title if it had none. A link to a stored article wins over a URL for the same story.
    """
    original, repeat = links[duplicate.original], links[duplicate.index]
    kept = original
    if original.url and repeat.target_uri:
        kept = replace(repeat, relation=original.relation)
    kept = replace(
        kept,
        pinned=original.pinned or repeat.pinned,
        title=kept.title or original.title or repeat.title,
    )
    merged = list(links)
    merged[duplicate.original] = kept
    del merged[duplicate.index]
    return merged


def merge_all(
    links: Sequence[RelatedLink], targets: Targets | None = None
) -> tuple[list[RelatedLink], list[Duplicate]]:
    """The list with every duplicate merged into the entry it repeats; and what was merged,
    numbered as in ``links``.

    All the repeats found in one pass are folded in together (the last first, so the
    positions hold): merging one at a time could turn an address into an article link
    before the address's own repeat was seen.
    """
    merged = list(links)
    positions = list(range(len(links)))  # where each entry of ``merged`` was in ``links``
    done: list[Duplicate] = []
    while found := find_duplicates(merged, targets):
        for duplicate in sorted(found, key=lambda d: d.index, reverse=True):
            merged = merge(merged, duplicate)
        done.extend(Duplicate(positions[d.index], positions[d.original], d.kind) for d in found)
        gone = {d.index for d in found}
        positions = [p for i, p in enumerate(positions) if i not in gone]
    done.sort(key=lambda d: d.index)
    return merged, done
