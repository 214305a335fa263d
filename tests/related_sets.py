"""The related-links evaluation sets in tests/data/related, read for the tests and benches.

``same_story.txt``: stories grouped in families and events (see its header); the pairs are
every two stories of one event (the same story), every two stories of different events of
one family (different stories sharing a topic or words: the hard cases), and a fixed
sample of stories from different families (different, easy). ``short_archive.txt``: a
small archive of short stories shaped like the reference page's; ``relevance.txt``: the
judged related stories of articles in it and in the demo archive.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.core.models import Article, Status

DATA = Path(__file__).resolve().parent / "data" / "related"
EASY_STEPS = (7, 19)
"""Each event's first story is paired with the first story of the events this many places
further on (in the same split, another family): the easy negatives."""


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    family: str
    event: str
    section: str
    split: str
    kind: str
    headline: str
    standfirst: str = ""
    text: str = ""


@dataclass(frozen=True, slots=True)
class Pair:
    a: Story
    b: Story
    same: bool
    kind: str
    """How the two differ: a kind of rewording when ``same``, else "hard" or "easy"."""

    @property
    def split(self) -> str:
        return self.a.split


def read_stories(path: Path = DATA / "same_story.txt") -> list[Story]:
    stories: list[Story] = []
    family = section = split = event = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if line.startswith("# family:"):
            fields = dict(_field(part) for part in line[2:].split("|"))
            family, section, split = fields["family"], fields["section"], fields["split"]
        elif line.startswith("## "):
            event = line[3:].strip()
        elif line and not line.startswith("#"):
            head, *texts = (part.strip() for part in line.split("|"))
            if len(texts) != 3 or not texts[0]:
                raise ValueError(f"{path.name}:{number}: want 'X KIND | headline | | '")
            letter, kind = head.split()
            stories.append(Story(f"{event}/{letter}", family, event, section, split, kind, *texts))
    return stories


def _field(part: str) -> tuple[str, str]:
    name, _, value = part.partition(":")
    return name.strip(), value.strip()


def same_story_pairs(stories: list[Story] | None = None) -> list[Pair]:
    """Every labelled pair of the set, in a fixed order."""
    stories = read_stories() if stories is None else stories
    by_event: dict[str, list[Story]] = {}
    for story in stories:
        by_event.setdefault(story.event, []).append(story)
    pairs: list[Pair] = []
    for group in by_event.values():
        pairs += [Pair(a, b, True, b.kind) for a, b in itertools.combinations(group, 2)]
    events = list(by_event.values())
    for first, second in itertools.combinations(events, 2):
        if first[0].family == second[0].family:
            pairs += [Pair(a, b, False, "hard") for a in first for b in second]
    for split in sorted({s.split for s in stories}):
        leads = [group[0] for group in events if group[0].split == split]
        for index, lead in enumerate(leads):
            for step in EASY_STEPS:
                other = leads[(index + step) % len(leads)]
                if other.family != lead.family:
                    pairs.append(Pair(lead, other, False, "easy"))
    return pairs


def read_short_archive(path: Path = DATA / "short_archive.txt") -> list[Article]:
    """The small archive as articles, published, each dated as written."""
    articles: list[Article] = []
    for block in re.split(r"^## ", path.read_text(encoding="utf-8"), flags=re.MULTILINE)[1:]:
        head, *lines = [line.strip() for line in block.strip().splitlines()]
        slug, section, tags, date = (part.strip() for part in head.split("|"))
        when = datetime.fromisoformat(date).replace(hour=9, tzinfo=UTC)
        articles.append(
            Article(
                headline=lines[0],
                body="\n\n".join(line for line in lines[1:] if line),
                slug=slug,
                section=section,
                tags=tuple(t.strip() for t in tags.split(",") if t.strip()),
                status=Status.PUBLISHED,
                created_at=when,
                updated_at=when,
                display_date=when,
                first_published_at=when,
            )
        )
    return articles


@dataclass
class Judgment:
    """One query article and the stories judged related to it (and never to suggest)."""

    archive: str
    split: str
    query: str
    relevant: set[str] = field(default_factory=set)
    never: set[str] = field(default_factory=set)


_JUDGMENT = re.compile(r"^\[(\w+)/([\w-]+)\] ([\w-]+)\s*([:!])\s*(.*)$")


def read_relevance(path: Path = DATA / "relevance.txt") -> list[Judgment]:
    judged: dict[tuple[str, str], Judgment] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        match = _JUDGMENT.match(line.strip())
        if match is None:
            raise ValueError(f"{path.name}:{number}: want '[archive/split] slug: slug, ...'")
        archive, split, query, mark, rest = match.groups()
        item = judged.setdefault((archive, query), Judgment(archive, split, query))
        slugs = {s.strip() for s in rest.split(",") if s.strip()}
        (item.relevant if mark == ":" else item.never).update(slugs)
    return list(judged.values())
