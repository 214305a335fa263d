"""Same story, two headlines: the near-duplicate rule for related links.

Two entries of a related list are the same story when they report one event, however
worded: "UK confirms support for US seizure of Iranian oil tanker" and "UK support
bolsters U.S. seizure of tanker in Gulf of Oman". Two stories on one topic are not: a Fed
that holds rates and a Fed that cuts them, a missile strike on Kharkiv and one on Odesa.
A story is its headline, and its standfirst and text where known (an archive article has
them; a pasted web link has its title only). Words are compared as
:mod:`newsdesk.core.related.story_words` spells them.

The rule, measured on tests/data/related/same_story.txt (bench/same_story_bench.py):

1. *Different events*: each headline names someone, somewhere or a number the other
   story never mentions ("teenager in Leeds", "pensioner in Hull"; "48-hour walkout",
   "24-hour walkout"), or the two headlines say different things happened ("agree",
   "block"; "holds", "cuts"). Never the same story.
2. Otherwise each headline is looked for in the other story: a word found in the other's
   headline counts 1, in its standfirst 0.7, in its text 0.5 (a word in passing is weak
   evidence). Mostly the better-covered headline decides (a short headline says little
   of the longer story), with the standfirsts' and texts' shared words, less a little
   for a headline whose name, number or happening the other full story never tells.
3. A score of :data:`SAME_STORY_SCORE` or more is the same story.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from newsdesk.core.related.story_words import ACTIONS, PLACES, is_count, names, story_words
from newsdesk.core.stemming import fold

NEGATIONS = frozenset({"no", "not", "nor", "against", "without", "never"})
NEAR_SAME = 0.75
"""Headlines this much alike that differ by a negation say opposite things."""
_WORD = re.compile(r"\w+")
TEXT_CHARS = 300
"""The part of a story's text that is read: its first paragraph says what happened."""
IN_HEADLINE, IN_STANDFIRST, IN_TEXT = 1.0, 0.7, 0.5
"""How much a headline word found in the other story counts, by where it is found."""
BETTER_COVERED = 0.8
"""The better-covered headline's share of the score (the other has the rest)."""
W_BODY = 0.3
"""Shared words of standfirst and text (Dice's share), when both stories have them."""
UNTOLD = 0.1
"""Taken off for each headline whose name or number, and for each whose happening, the
other story (with a standfirst or text) never tells."""
SAME_STORY_SCORE = 0.52
"""From this score up, two entries are the same story (see bench/README.md)."""


@dataclass(frozen=True, slots=True)
class StoryText:
    """What is known of one entry's story: a headline, maybe a standfirst and a text."""

    headline: str
    standfirst: str = ""
    text: str = ""


@dataclass(frozen=True, slots=True)
class Signature:
    """A story as the rule compares it, read once."""

    head: frozenset[str]
    standfirst: frozenset[str]
    text: frozenset[str]
    names: frozenset[frozenset[str]]
    everything: frozenset[str]
    actions: frozenset[str]
    negations: frozenset[str]

    @property
    def has_body(self) -> bool:
        return bool(self.standfirst or self.text)


@lru_cache(maxsize=1 << 14)
def signature(story: StoryText) -> Signature:
    """``story`` read as the rule reads it (kept: lists are compared again and again)."""
    head = frozenset(story_words(story.headline))
    standfirst = frozenset(story_words(story.standfirst))
    text = frozenset(story_words(story.text[:TEXT_CHARS]))
    found = names(story.headline, headline=True) | names(story.standfirst)
    return Signature(
        head=head,
        standfirst=standfirst,
        text=text,
        names=frozenset(found | names(story.text[:TEXT_CHARS])),
        everything=head | standfirst | text,
        actions=frozenset(ACTIONS[w] for w in head if w in ACTIONS),
        negations=frozenset(_WORD.findall(fold(story.headline))) & NEGATIONS,
    )


def same_story(a: StoryText, b: StoryText) -> bool:
    """Whether ``a`` and ``b`` report one event (see the module's docstring)."""
    return similarity(signature(a), signature(b)) >= SAME_STORY_SCORE


def similarity(a: Signature, b: Signature) -> float:
    """The rule's score: 0 for different events, else about 0 (nothing shared) to 1.3."""
    forward, backward = coverage(a, b), coverage(b, a)
    score = BETTER_COVERED * max(forward, backward) + (1 - BETTER_COVERED) * min(forward, backward)
    score += W_BODY * (body_overlap(a, b) or 0.0)
    if score < SAME_STORY_SCORE:
        return score  # the costlier checks below only ever lower it
    if different_events(a, b):
        return 0.0
    return score - UNTOLD * (_untold(a, b) + _untold(b, a))


@lru_cache(maxsize=1 << 16)
def _similarity(a: Signature, b: Signature) -> float:
    """:func:`similarity`, kept: a list is checked again after every change."""
    return similarity(a, b)


def coverage(a: Signature, b: Signature) -> float:
    """How much of ``a``'s headline ``b`` tells, from 0 to 1."""
    if not a.head:
        return 0.0
    return sum(_found(w, b) for w in a.head) / len(a.head)


def _found(word: str, other: Signature) -> float:
    if word in other.head:
        return IN_HEADLINE
    if word in other.standfirst:
        return IN_STANDFIRST
    if word in other.text:
        return IN_TEXT
    return 0.0


def body_overlap(a: Signature, b: Signature) -> float | None:
    """The share of words the two standfirsts and texts have in common (Dice), or None when
    one has neither."""
    rest_a, rest_b = a.standfirst | a.text, b.standfirst | b.text
    if not rest_a or not rest_b:
        return None
    return 2 * len(rest_a & rest_b) / (len(rest_a) + len(rest_b))


def different_events(a: Signature, b: Signature) -> bool:
    """Step 1 of the rule: names, numbers or happenings that cannot both be true."""
    groups = a.names | b.names
    names_a, numbers_a = _unmatched(a, b, groups)
    names_b, numbers_b = _unmatched(b, a, groups)
    if names_a and names_b:
        return True
    # A number both give ("five wickets") makes another only one gives a detail ("88").
    shared = any(is_count(w) and w in b.everything for w in a.head)
    if numbers_a and numbers_b and not shared:
        return True
    if a.actions and b.actions and not a.actions & b.actions:
        return True
    # "Council votes to raise tax" and "Council votes against raising tax": one headline
    # turned round by a "not" or an "against".
    return a.negations != b.negations and min(coverage(a, b), coverage(b, a)) >= NEAR_SAME


def _unmatched(a: Signature, b: Signature, groups: Iterable[frozenset[str]]) -> tuple[bool, bool]:
    """Whether ``a``'s headline has a name, and a number, that ``b`` never mentions. A name
    counts as mentioned when any of its words is ("Stuart Hemmings", "Hemmings")."""
    if a.has_body and not b.has_body:
        return False, False  # a headline alone leaves the full story's details out
    other = b.everything
    numbers = any(is_count(w) and w not in other for w in a.head)
    named = any(group & a.head and not group & other for group in groups)
    return named or any(w in PLACES and w not in other for w in a.head), numbers


def _untold(a: Signature, b: Signature) -> int:
    """How many of: what ``a``'s headline says happened, and a name or number of it, that
    ``b`` never tells ("wins 5,000m" against a story of the 1500m). Names and numbers
    count only against a full story: a headline alone leaves details out."""
    told = {ACTIONS[w] for w in b.everything if w in ACTIONS}
    untold = int(bool(a.actions - told))
    named, numbered = _unmatched(a, b, a.names | b.names)
    return untold + int(named or numbered)


def features(a: Signature, b: Signature) -> dict[str, float]:
    """The rule's measures for one pair, by name (the bench prints them for its misses)."""
    body = body_overlap(a, b)
    return {
        "score": similarity(a, b),
        "different_events": float(different_events(a, b)),
        "coverage": coverage(a, b),
        "coverage_back": coverage(b, a),
        "body": -1.0 if body is None else body,
        "untold": float(_untold(a, b) + _untold(b, a)),
    }


# -- many stories ------------------------------------------------------------------------

COMMON_IN_LIST = 16
"""A word in more entries of one list than this ("UK", "council") does not make entries
candidates by itself: two same-story entries share a rarer word too (a name, a number).
It still counts for the candidates the rarer words bring."""
CANDIDATES = 12
"""Earlier stories compared with a new one: those sharing the most headline words, a rare
word counting twice; they must share a rare word and another (a rare word alone for a
headline of :data:`SHORT_HEADLINE` words or fewer). On the evaluation set one same-story
pair in 250 found by the rule shares a single word."""
SHORT_HEADLINE = 3


class StoryIndex:
    """Which earlier stories a new one could repeat, without comparing it with every one.

    Candidates share headline words with it (same-story headlines always do, once spelled
    one way), a rare one among them; the :data:`CANDIDATES` sharing most are compared. A
    rare word is held by :data:`COMMON_IN_LIST` entries at most, so a list of thousands
    costs about the same per entry as a list of fifty: adding to a 4,000-entry list is
    not quadratic.
    """

    def __init__(self) -> None:
        self._signatures: list[Signature] = []
        self._words: list[frozenset[str]] = []
        self._by_word: dict[str, list[int]] = defaultdict(list)

    def __len__(self) -> int:
        return len(self._signatures)

    def copy(self) -> StoryIndex:
        """An index holding the same stories, that can take more without changing this."""
        twin = StoryIndex()
        twin._signatures = list(self._signatures)
        twin._words = list(self._words)
        twin._by_word.update((word, list(at)) for word, at in self._by_word.items())
        return twin

    def add(self, story: Signature) -> int:
        """Keep ``story``; returns its position."""
        position = len(self._signatures)
        words = story.head | story.standfirst
        self._signatures.append(story)
        self._words.append(words)
        for word in words:
            self._by_word[word].append(position)
        return position

    def candidates(self, story: Signature) -> list[int]:
        """The positions of the kept stories worth comparing with ``story``: the
        :data:`CANDIDATES` sharing the most of its headline's words, in list order."""
        shared: dict[int, int] = defaultdict(int)
        common: set[str] = set()
        for word in story.head:
            holders = self._by_word.get(word, ())
            if len(holders) > COMMON_IN_LIST:
                common.add(word)
                continue
            for position in holders:
                shared[position] += 2  # a rare word says more
        for position in shared:
            shared[position] += len(common & self._words[position])
        least = 2 if len(story.head) <= SHORT_HEADLINE else 3
        best = sorted((p for p, n in shared.items() if n >= least), key=lambda p: -shared[p])
        return sorted(best[:CANDIDATES])

    def repeats(self, story: Signature) -> int | None:
        """The first kept story that ``story`` repeats."""
        for position in self.candidates(story):
            if _similarity(self._signatures[position], story) >= SAME_STORY_SCORE:
                return position
        return None
