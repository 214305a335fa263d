"""Bylines read as people: names with their roles, never a role as a person."""

from __future__ import annotations

import pytest

from newsdesk.core.bylines import Person, parse_byline, people_of


@pytest.mark.parametrize(
    ("byline", "people"),
    [
        ("Min-ji Park, Seoul correspondent", [("Min-ji Park", "Seoul correspondent")]),
        ("By Jane Doe and John Roe", [("Jane Doe", ""), ("John Roe", "")]),
        ("by Tom Reid & Chloe Adeyemi", [("Tom Reid", ""), ("Chloe Adeyemi", "")]),
        ("Marcus Whitfield", [("Marcus Whitfield", "")]),
        (
            "Jane Doe, Political Editor, and John Roe, Chief Reporter",
            [("Jane Doe", "Political Editor"), ("John Roe", "Chief Reporter")],
        ),
        (
            "Jane Doe and John Roe, Health reporters",
            [("Jane Doe", "Health reporters"), ("John Roe", "Health reporters")],
        ),
        (
            "Jane Doe and John Roe, Seoul correspondent",
            [("Jane Doe", ""), ("John Roe", "Seoul correspondent")],
        ),
        (
            "Alice Smith, Bob Jones and Carol White",
            [("Alice Smith", ""), ("Bob Jones", ""), ("Carol White", "")],
        ),
        (
            "Jane Doe, Science and Technology Editor",
            [("Jane Doe", "Science and Technology Editor")],
        ),
        ("Ana de Souza, in Lisbon", [("Ana de Souza", "in Lisbon")]),
        ("Jane Doe, Reuters", [("Jane Doe", "Reuters")]),
        ("Jane Doe; John Roe", [("Jane Doe", ""), ("John Roe", "")]),
        ("Ludwig van Hout, staff writer", [("Ludwig van Hout", "staff writer")]),
        ("", []),
    ],
)
def test_a_byline_names_people_with_their_roles(byline: str, people: list[tuple[str, str]]) -> None:
    assert parse_byline(byline) == tuple(Person(name, role) for name, role in people)


def test_an_author_list_wins_over_the_byline_and_may_carry_roles() -> None:
    assert people_of("Desk", ("Min-ji Park, Seoul correspondent", "Tom Reid")) == (
        Person("Min-ji Park", "Seoul correspondent"),
        Person("Tom Reid"),
    )
    assert people_of("Min-ji Park, Seoul correspondent") == (
        Person("Min-ji Park", "Seoul correspondent"),
    )
