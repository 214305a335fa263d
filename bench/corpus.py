"""Generated articles for benchmarks: news-like text with a Zipf-ish vocabulary."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from newsdesk.core.models import Article, Status

_COMMON = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "on",
    "said",
    "it",
    "was",
    "with",
    "as",
    "by",
    "at",
    "from",
    "be",
    "has",
    "have",
    "are",
    "this",
    "but",
    "not",
    "which",
    "an",
    "its",
    "their",
    "they",
    "were",
    "been",
    "more",
    "after",
    "would",
    "who",
    "over",
    "new",
    "also",
    "year",
    "about",
    "than",
    "two",
    "up",
    "into",
    "last",
    "other",
    "people",
    "some",
    "could",
    "first",
    "three",
    "when",
    "time",
]
_NEWS = [
    "council",
    "government",
    "minister",
    "police",
    "river",
    "flood",
    "homes",
    "residents",
    "officials",
    "report",
    "budget",
    "energy",
    "prices",
    "strike",
    "union",
    "transport",
    "rail",
    "ferry",
    "hospital",
    "school",
    "housing",
    "election",
    "vote",
    "campaign",
    "court",
    "judge",
    "inquiry",
    "company",
    "profits",
    "shares",
    "market",
    "bank",
    "rates",
    "climate",
    "rain",
    "storm",
    "warning",
    "scientists",
    "research",
    "museum",
    "theatre",
    "arts",
    "funding",
    "club",
    "match",
    "season",
    "coach",
    "players",
    "league",
    "stadium",
    "airport",
    "port",
    "harbour",
    "bridge",
    "road",
    "tunnel",
]
SECTIONS = ["UK", "World", "Politics", "Business", "Science", "Climate", "Culture", "Sport",
            "Health", "Education", "Technology", "Opinion"]  # fmt: skip
TAGS = [f"{a} {b}" for a in _NEWS[:20] for b in ("policy", "crisis", "plan", "row", "review")]
TAGS += [f"{w}" for w in _NEWS]


def _words(rng: random.Random, count: int, topic: list[str]) -> list[str]:
    out = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.55:
            out.append(_COMMON[min(int(rng.paretovariate(1.2)) - 1, len(_COMMON) - 1)])
        elif roll < 0.8:
            out.append(rng.choice(topic))
        elif roll < 0.97:
            out.append(rng.choice(_NEWS))
        else:
            out.append(f"{rng.randint(2, 9_999):,}")
    return out


def body(rng: random.Random, words: int, topic: list[str] | None = None) -> str:
    topic = topic or rng.sample(_NEWS, 6)
    paragraphs = []
    remaining = words
    while remaining > 0:
        size = min(remaining, rng.randint(25, 70))
        sentence = _words(rng, size, topic)
        sentence[0] = sentence[0].capitalize()
        paragraphs.append(" ".join(sentence) + ".")
        remaining -= size
    return "\n\n".join(paragraphs) + "\n"


def article(rng: random.Random, index: int, words: int = 1000) -> Article:
    topic = rng.sample(_NEWS, 6)
    headline = " ".join(_words(rng, rng.randint(7, 13), topic)).capitalize()
    updated = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 500_000))
    return Article(
        headline=f"{headline} {index}",
        standfirst=" ".join(_words(rng, 30, topic)).capitalize() + ".",
        byline=rng.choice(["Amira Hassan", "Tom Reid", "Ana Costa", "Ben Okafor", "Priya Nair"]),
        section=rng.choice(SECTIONS),
        tags=tuple(rng.sample(TAGS, rng.randint(2, 4))),
        status=rng.choice(list(Status)),
        body=body(rng, words, topic),
        created_at=updated,
        updated_at=updated,
        display_date=updated,
        slug=f"story-{index}",
        slug_locked=True,
    )
