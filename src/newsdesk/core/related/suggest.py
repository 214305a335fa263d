"""Suggested related articles: which terms to ask the archive for, and the final ranking.

The store's search engine finds candidates (an OR query of the article's key terms,
ranked by the engine); this module chooses those terms and re-ranks the candidates with
what the engine does not weigh: how much of the article's key vocabulary each holds
(weighted by field and rarity), shared tags, the same section and closeness in time.
A country and its people or capital are one term ("Russia", "Russian", "Kremlin").
Suggestions say why they were made ("shared: flooding, river, council"), and only
relevant ones are made (see :attr:`Suggestion.relevant`).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newsdesk.core.models import Article, ArticleSummary, Status
from newsdesk.core.search import STOP_WORDS
from newsdesk.core.stemming import fold

_TOKEN = re.compile(r"[^\W_]+")
_LINK_TARGET = re.compile(r"\]\([^)]*\)|<[^>]{1,200}>|\bhttps?://\S+")

# Words that are not grammatical stop words but appear in most news stories and say
# nothing about what a story is about ("said" is in most of them).
NEWS_STOP_WORDS = frozenset(
    """also according added announced another around back could day days even every first
    get go going got half including last later like made make many may might month months
    much must new news next number one part people per really said say says see since
    still take three time told two us use want way week weeks well would year years
    yesterday""".split()
)

FIELD_WEIGHTS: Mapping[str, float] = {
    "headline": 6.0,
    "tags": 4.0,
    "standfirst": 3.0,
    "kicker": 2.0,
    "section": 1.5,
    "body": 1.0,
}
"""How much one field's use of a word says about the article. A word in the headline is
what the story is about; the body is long and mentions much in passing, so its counts
grow only logarithmically (``1 + ln tf``) and the first words of a body are enough."""

BODY_CHARS = 12_000
"""The part of the body read for key terms, about 2,000 words: a news story states its
subject early, and a book-length body must not slow every suggestion down."""
TERM_POOL = 18  # candidate terms whose document frequency the store looks up
KEY_TERMS = 12  # terms in the engine's OR query
MAX_SHARE = 0.5
"""A word found in more than this share of the archive is never a key term: it tells
nothing (bm25's rarity, ``ln((N - df + 0.5) / (df + 0.5))``, is zero at half the archive,
and FTS5 then gives the word no weight at all)."""
POSTINGS_BUDGET = 12_000
"""At most this many (term, article) matches in one OR query, the sum of the chosen
terms' document frequencies. Ranking costs about 2 µs a match (FTS5's bm25; PostgreSQL's
first step, see ``store/suggestions.py``), so the query stays within a few tens of
milliseconds at any archive size. Rare terms are preferred anyway; the budget only
drops common ones."""

W_TEXT = 0.50
"""The engine's text rank, divided by the best candidate's: how much of the article's
key vocabulary a candidate shares, weighted by field and rarity. The main signal. (The
share of the key terms' own weights a candidate holds was tried beside it, and a tag
named in a candidate's text as half a shared tag: neither helped on the judged
archives, see bench/README.md.)"""
W_TAGS = 0.35
"""Shared tags, ``1 - 0.5 ** shared``: one shared tag gives half, two three quarters.
Tags are an editor's own statement of the subject."""
W_SECTION = 0.07
"""The same section: a weak hint (a section holds many unrelated stories)."""
W_RECENCY = 0.08
"""Closeness in time to the article (its display date, or last save), halving every
:data:`HALF_LIFE_DAYS`: a tie-breaker among equally related pieces. Kept weak so that an
on-topic piece from years ago beats an off-topic one from this morning: the best text
match alone outweighs section and recency together."""
HALF_LIFE_DAYS = 120.0
REASON_ITEMS = 4
MIN_SHARED_TERMS = 2
"""Key terms a suggestion shares with the article, short of a tag or a strong term."""
HIDDEN = frozenset({Status.WITHDRAWN, Status.ARCHIVED})
"""Statuses never suggested: a link to them would be flagged as unhealthy at once."""


@dataclass(frozen=True, slots=True)
class KeyTerm:
    """A distinctive word of the article: ``word`` is the form sent to the engine (which
    stems it again), ``stem`` groups its forms, ``weight`` ranks it."""

    word: str
    stem: str
    weight: float
    doc_freq: int | None = None
    aliases: tuple[str, ...] = ()
    """Other words for the same thing, asked for too: a country's people and capital."""

    @property
    def words(self) -> tuple[str, ...]:
        """Every word the engine is asked for this term."""
        return (self.word, *self.aliases)


@dataclass(frozen=True, slots=True)
class Candidate:
    """An article the engine found for the key terms, as the store read it (no body)."""

    summary: ArticleSummary
    text_score: float
    standfirst: str = ""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One suggested related article, with its score (higher is better) and why."""

    uri: str
    slug: str
    headline: str
    section: str
    status: Status
    display_date: datetime | None
    updated_at: datetime
    score: float
    why: tuple[str, ...] = ()
    shared_tags: int = 0
    """How many of ``why``'s items are tags the article and the suggestion share."""
    strong: bool = False
    """It shares a word the article is plainly about: a word of one of its tags."""

    @property
    def relevant(self) -> bool:
        """Related by more than one word in passing: a shared tag, two shared terms, or one
        the article is plainly about (:attr:`strong`). A single word shared in passing
        ("hotel", "grant", a surname, in a story about something else) is how unrelated
        stories look when the archive has nothing better."""
        return self.shared_tags > 0 or len(self.why) >= MIN_SHARED_TERMS or self.strong

    @property
    def date(self) -> datetime:
        """The date a reader sees: the display date, else the last save."""
        return self.display_date or self.updated_at

    @property
    def reason(self) -> str:
        """A short explanation for the list: "shared: flooding, river, council"."""
        if self.why:
            return "shared: " + ", ".join(self.why[:REASON_ITEMS])
        return "similar wording"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (for ``newsdesk related suggest --json``)."""
        return {
            "uri": self.uri,
            "slug": self.slug,
            "headline": self.headline,
            "section": self.section,
            "status": self.status.value,
            "date": self.date.isoformat(),
            "score": round(self.score, 6),
            "why": list(self.why),
            "reason": self.reason,
        }


def words(text: str) -> list[str]:
    """The folded words of ``text`` that can say what it is about: no stop words, no
    numbers, nothing shorter than three letters, no link targets."""
    found = _TOKEN.findall(fold(_LINK_TARGET.sub(" ", text)))
    return [
        w
        for w in found
        if len(w) >= 3 and not w.isdigit() and w not in STOP_WORDS and w not in NEWS_STOP_WORDS
    ]


def _fields(article: Article) -> dict[str, list[str]]:
    return {
        "headline": words(article.headline),
        "tags": words(" ".join(article.tags)),
        "standfirst": words(article.standfirst),
        "kicker": words(article.kicker),
        "section": words(article.section),
        "body": words(article.body[:BODY_CHARS]),
    }


def term_candidates(article: Article, limit: int = TERM_POOL) -> tuple[KeyTerm, ...]:
    """The article's ``limit`` most prominent terms, weighted by field (no rarity yet)."""
    from newsdesk.core.related.story_words import (  # loaded at the first suggestion
        place_words,
        topic_stem,
    )

    weights: dict[str, float] = defaultdict(float)
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for name, found in _fields(article).items():
        counts = Counter(topic_stem(w) for w in found)
        for w in found:
            forms[topic_stem(w)][w] += 1
        for key, tf in counts.items():
            weights[key] += FIELD_WEIGHTS[name] * (1 + math.log(tf))
    terms = []
    for key, weight in weights.items():
        word = min(forms[key].items(), key=_commonest)[0]
        aliases = tuple(w for w in place_words(word) if w != word)
        terms.append(KeyTerm(word=word, stem=key, weight=weight, aliases=aliases))
    terms.sort(key=lambda t: (-t.weight, t.stem))
    return tuple(terms[:limit])


def _commonest(item: tuple[str, int]) -> tuple[int, int, str]:
    word, count = item
    return (-count, len(word), word)


def select_terms(
    pool: Sequence[KeyTerm],
    *,
    doc_freq: Mapping[str, int] | None = None,
    documents: int = 0,
    limit: int = KEY_TERMS,
    budget: int = POSTINGS_BUDGET,
    stored: bool = False,
) -> tuple[KeyTerm, ...]:
    """The ``limit`` most distinctive of ``pool``: field weight times rarity.

    ``doc_freq`` maps a word to the number of archive articles holding it (missing:
    unknown, taken as rare); a term's frequency is its words' (an alias's adds to its
    word's). ``documents`` is the archive's size; ``stored``: the article is in it, so
    counted once in every frequency. Terms found nowhere else, or in more than
    :data:`MAX_SHARE` of the archive, are left out, and the chosen terms' frequencies add
    up to at most ``budget``.
    """
    if doc_freq is None or documents <= 0:
        return tuple(pool[:limit])
    scored: list[KeyTerm] = []
    for term in pool:
        known = term.word in doc_freq
        df = doc_freq.get(term.word, 1) + sum(doc_freq.get(w, 0) for w in term.aliases)
        df = min(df, documents) - int(stored and known)  # an unknown frequency is rare
        if df <= 0 or df > MAX_SHARE * documents:
            continue
        rarity = math.log((documents - df + 0.5) / (df + 0.5))  # as bm25 weighs it
        if rarity > 0:
            scored.append(KeyTerm(term.word, term.stem, term.weight * rarity, df, term.aliases))
    scored.sort(key=lambda t: (-t.weight, t.stem))
    chosen: list[KeyTerm] = []
    spent = 0
    for term in scored:
        cost = term.doc_freq or 0
        if spent + cost <= budget:
            chosen.append(term)
            spent += cost
            if len(chosen) == limit:
                break
    if not chosen and scored:
        chosen.append(min(scored, key=lambda t: (t.doc_freq or 0, t.stem)))
    return tuple(chosen)


def key_terms(
    article: Article,
    limit: int = KEY_TERMS,
    *,
    doc_freq: Mapping[str, int] | None = None,
    documents: int = 0,
    budget: int = POSTINGS_BUDGET,
) -> tuple[KeyTerm, ...]:
    """The article's distinctive terms: prominent in it (headline most), rare in the
    archive when ``doc_freq`` says how rare (see :func:`select_terms`)."""
    pool = term_candidates(article, max(limit, TERM_POOL))
    return select_terms(pool, doc_freq=doc_freq, documents=documents, limit=limit, budget=budget)


def _reference_time(article: Article) -> datetime:
    return article.display_date or article.updated_at


def _tag_keys(tags: Iterable[str]) -> set[str]:
    return {fold(t) for t in tags}


def score(
    article: Article, candidate: Candidate, best_text: float, tags: set[str] | None = None
) -> float:
    """The final score of one candidate: the weighted sum described at :data:`W_TEXT`.
    ``tags``: the article's folded tags, when the caller has them already."""
    summary = candidate.summary
    text = candidate.text_score / best_text if best_text > 0 else 0.0
    shared = len((_tag_keys(article.tags) if tags is None else tags) & _tag_keys(summary.tags))
    same_section = bool(article.section) and fold(article.section) == fold(summary.section)
    apart = abs(_reference_time(article) - (summary.display_date or summary.updated_at))
    recency = math.pow(0.5, apart.total_seconds() / 86400 / HALF_LIFE_DAYS)
    return (
        W_TEXT * max(0.0, min(1.0, text))
        + W_TAGS * (1 - math.pow(0.5, shared))
        + W_SECTION * same_section
        + W_RECENCY * recency
    )


def rank(
    article: Article, candidates: Sequence[Candidate], *, exclude: Collection[str] = ()
) -> list[tuple[float, Candidate]]:
    """Candidates with their final scores, best first, in an order fixed for ties (date,
    newest first, then slug and uri). The article itself, ``exclude`` and withdrawn or
    archived articles are dropped."""
    hidden = {article.uri, *exclude}
    kept = [c for c in candidates if c.summary.uri not in hidden and c.summary.status not in HIDDEN]
    best = max((c.text_score for c in kept), default=0.0)
    tags = _tag_keys(article.tags)
    scored = [(score(article, c, best, tags), c) for c in kept]
    scored.sort(key=_order)
    return scored


def _found_stems(candidate: Candidate, matched: Collection[str]) -> set[str]:
    from newsdesk.core.related.story_words import topic_stem  # loaded at the first suggestion

    return {topic_stem(w) for w in matched} | _visible_stems(candidate)


def _order(item: tuple[float, Candidate]) -> tuple[float, float, str, str]:
    value, candidate = item
    summary = candidate.summary
    when = summary.display_date or summary.updated_at
    return (-value, -when.timestamp(), summary.slug, summary.uri)


def _visible_stems(candidate: Candidate) -> set[str]:
    from newsdesk.core.related.story_words import topic_stem  # loaded at the first suggestion

    summary = candidate.summary
    text = f"{summary.headline} {candidate.standfirst} {' '.join(summary.tags)}"
    return {topic_stem(w) for w in words(text)}


def _shared_tags(article: Article, candidate: Candidate) -> list[str]:
    theirs = _tag_keys(candidate.summary.tags)
    return [t for t in article.tags if fold(t) in theirs]


def unseen_terms(
    article: Article, terms: Sequence[KeyTerm], candidate: Candidate
) -> tuple[KeyTerm, ...]:
    """The key terms worth asking the engine about for ``candidate``'s reason: those not
    in its headline, standfirst or tags, when these do not give reason enough already."""
    visible = _visible_stems(candidate)
    shown = len(_shared_tags(article, candidate)) + sum(t.stem in visible for t in terms)
    if shown >= REASON_ITEMS:
        return ()
    return tuple(t for t in terms if t.stem not in visible)


def suggestion(
    article: Article,
    terms: Sequence[KeyTerm],
    value: float,
    candidate: Candidate,
    matched: Collection[str] = (),
) -> Suggestion:
    """The suggestion of one ranked candidate. ``why`` names the article's tags the
    candidate shares, then the key terms it shares: in its headline, standfirst or tags,
    or in ``matched`` (key terms' words the engine found anywhere in it)."""
    from newsdesk.core.related.story_words import topic_stem  # loaded at the first suggestion

    summary = candidate.summary
    shared_tags = _shared_tags(article, candidate)
    covered = {topic_stem(w) for t in shared_tags for w in words(t)}
    found = _found_stems(candidate, matched)
    shared = [t for t in terms if t.stem in found and t.stem not in covered]
    why = tuple(dict.fromkeys([*shared_tags, *(t.word for t in shared)]))[:REASON_ITEMS]
    return Suggestion(
        uri=summary.uri,
        slug=summary.slug,
        headline=summary.headline,
        section=summary.section,
        status=summary.status,
        display_date=summary.display_date,
        updated_at=summary.updated_at,
        score=value,
        why=why,
        shared_tags=len(shared_tags),
        strong=any(_plainly_about(article, t.stem) for t in shared),
    )


def _plainly_about(article: Article, key: str) -> bool:
    """Whether the article is plainly about ``key``: one of its tags holds it (an editor's
    own statement of the subject; a word two headlines share can still be incidental:
    "Bank of England holds rates", "England name fly-half")."""
    from newsdesk.core.related.story_words import topic_stem  # loaded at the first suggestion

    return key in {topic_stem(w) for w in words(" ".join(article.tags))}
