"""Bylines read as people: "Min-ji Park, Seoul correspondent" is one author with a role.

A byline is typed for readers ("By Jane Doe and Tom Reid", "Min-ji Park, Seoul
correspondent"); the page's metadata and ninjs need it as people. The rules:

- "By " at the start is not part of a name;
- names are separated by commas, "and", "&" and semicolons;
- a comma-separated part that reads as a job ("Seoul correspondent", "Political Editor",
  "Staff") is the role of the name before it, never a person. A plural role ("Health
  reporters") belongs to every name of the "and" group before it;
- a part of one word after the first name ("Reuters", "Washington") is an affiliation or a
  place, so a role too: a one-word person between two-word ones is rarer than that.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Nouns that make a phrase a job, not a name (compared in lower case, plural "s" off).
ROLE_WORDS = frozenset(
    """analyst assistant bureau columnist commentator contributor correspondent critic
    director economist editor freelance illustrator intern journalist photographer presenter
    producer reporter researcher staff stringer writer""".split()
)
# Lower-case words inside names ("Ludwig van Beethoven", "Ana de Souza").
_NAME_PARTICLES = frozenset(
    "al bin da das de del della der di dos du el ibn la le st ten ter van von".split()
)
_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)
_PARTS = re.compile(r"\s*[,;]\s*")
_AND = re.compile(r"\s+(?:and|&)\s+|\s*&\s*", re.IGNORECASE)
_LEADING_AND = re.compile(r"^(?:and|&)\s+", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


@dataclass(frozen=True, slots=True)
class Person:
    """One author of a piece, and their job as the byline gives it ("" when none)."""

    name: str
    role: str = ""


def parse_byline(byline: str) -> tuple[Person, ...]:
    """The people a byline names, in order, each with the role typed after them."""
    text = _BY.sub("", byline.strip())
    people: list[Person] = []
    group: list[int] = []  # the names of the last "and" group still without a role
    parts = [_LEADING_AND.sub("", p.strip()) for p in _PARTS.split(text) if p.strip()]
    for index, part in enumerate(parts):
        if people and group and _is_role(part, first=index == 0):
            owners = group if _plural(part) else group[-1:]
            for owner in owners:
                people[owner] = Person(people[owner].name, part)
            group = []
            continue
        names = [n.strip() for n in _AND.split(part) if n.strip()]
        group = list(range(len(people), len(people) + len(names)))
        people.extend(Person(name) for name in names)
    return tuple(people)


def people_of(byline: str, authors: Sequence[str] = ()) -> tuple[Person, ...]:
    """An article's people: its author list when it has one (each entry may carry its role,
    "Name, Role"), else its byline."""
    if not authors:
        return parse_byline(byline)
    found: list[Person] = []
    for author in authors:
        found.extend(parse_byline(author))
    return tuple(found)


def _is_role(part: str, *, first: bool) -> bool:
    words = _WORD.findall(part)
    if not words or first:
        return False
    if any(_singular(w.lower()) in ROLE_WORDS for w in words):
        return True
    names = [_WORD.findall(piece) for piece in _AND.split(part)]  # "and" joins names too
    if any(w[0].islower() and w.lower() not in _NAME_PARTICLES for n in names for w in n):
        return True  # "Seoul correspondent", "in Kyiv": names are capitalised
    return len(words) == 1


def _plural(role: str) -> bool:
    words = _WORD.findall(role)
    return (
        bool(words)
        and words[-1].lower().endswith("s")
        and _singular(words[-1].lower()) in (ROLE_WORDS)
    )


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word
