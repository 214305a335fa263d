"""The newsroom's rules on articles: slugs, statuses, cleaning, round trips."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdesk.core.errors import ValidationError
from newsdesk.core.models import Article, Media, RelatedLink, RelationKind, Status


def test_slug_follows_headline_while_draft() -> None:
    article = Article(headline="First take").normalized()
    assert article.slug == "first-take"
    edited = article.edited(headline="Second take: better")
    assert edited.slug == "second-take-better"


def test_slug_set_by_hand_stops_following() -> None:
    article = Article(headline="First take").normalized().edited(slug="my-slug")
    assert article.slug_locked
    assert article.edited(headline="Other").slug == "my-slug"


def test_published_slug_is_frozen() -> None:
    article = Article(headline="Story", status=Status.PUBLISHED).normalized()
    assert article.first_published_at is not None
    assert article.edited(headline="Renamed story").slug == "story"
    with pytest.raises(ValidationError, match="cannot change"):
        article.edited(slug="renamed")


def test_unsafe_slug_by_hand_is_refused() -> None:
    with pytest.raises(ValidationError, match="not usable"):
        Article(headline="x").normalized().edited(slug="../../etc")


def test_ready_needs_a_headline() -> None:
    with pytest.raises(ValidationError, match="headline"):
        Article(headline="  ", status=Status.READY).normalized()
    assert Article(headline="", status=Status.DRAFT).normalized().slug == "article"


def test_fields_are_cleaned_and_tags_deduplicated() -> None:
    article = Article(
        headline=" Line\nbreak\x00 ",
        tags=("flooding", " flooding ", "", "river"),
        body="a\r\nb\x07",
    ).normalized()
    assert article.headline == "Line break"
    assert article.tags == ("flooding", "river")
    assert article.body == "a\nb"


def test_naive_dates_are_refused() -> None:
    with pytest.raises(ValidationError, match="time zone"):
        Article(headline="x", display_date=datetime(2026, 1, 1)).normalized()


def test_status_parse_accepts_spellings_and_names_choices() -> None:
    assert Status.parse("In review") is Status.IN_REVIEW
    assert Status.parse("in-review") is Status.IN_REVIEW
    with pytest.raises(ValidationError, match="draft, in_review"):
        Status.parse("live")


def test_related_link_points_at_one_thing() -> None:
    with pytest.raises(ValidationError):
        RelatedLink(title="x")
    with pytest.raises(ValidationError):
        RelatedLink(title="x", target_uri="urn:a", url="https://example.com/")


def test_dict_round_trip_keeps_everything() -> None:
    article = Article(
        headline="Ünïcode 🌊 عربي",
        kicker="K",
        standfirst="S",
        byline="A and B",
        authors=("A", "B"),
        tags=("t1", "t2"),
        body="Body\n\nwith *markup*",
        status=Status.SCHEDULED,
        display_date=datetime(2026, 11, 1, 9, 30, tzinfo=UTC),
        image=Media(src="img.jpg", caption="C", credit="Cr", alt="Alt"),
        related=(
            RelatedLink(title="T", url="https://example.com/a", relation=RelationKind.BACKGROUND),
            RelatedLink(title="U", target_uri="urn:x", pinned=True),
        ),
    ).normalized()
    data = article.to_dict()
    assert data["word_count"] == 3
    assert Article.from_dict(data) == article
