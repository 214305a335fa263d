"""Lengths and the readiness checklist a story passes before it goes to the web."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from newsdesk.core.checks.checks import CheckKind, Problem
from newsdesk.core.checks.readiness import (
    Limits,
    characters,
    is_placeholder_site,
    length_problems,
    readiness_problems,
)
from newsdesk.core.media.media import MediaAsset, MediaKind
from newsdesk.core.models import Article, Media, PublicationProfile, RelatedLink
from newsdesk.core.related.health import HealthState, LinkCheck

KEY = "0123456789ab"
PICTURE = MediaAsset(KEY, "0" * 64, MediaKind.IMAGE, "image/jpeg", 10, "bridge.jpg")
READY = Article(
    headline="Bridge opens",
    byline="Jane Doe",
    section="UK",
    standfirst="The new bridge over the river opened on Monday after three years of work.",
    body="Text.",
)
SITE = PublicationProfile(base_url="https://news.example.org/")


def rules(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.field, p.rule) for p in problems]


def check(article: Article, profile: PublicationProfile = SITE, **kw: object) -> list[Problem]:
    return readiness_problems(
        article,
        profile,
        media=kw.pop("media", {}),  # type: ignore[arg-type]
        spelling_and_style=kw.pop("left", []),  # type: ignore[arg-type]
        limits=Limits(),
        **kw,  # type: ignore[arg-type]
    )


def test_a_complete_story_is_ready() -> None:
    assert check(READY) == []


def test_required_fields_and_the_placeholder_site() -> None:
    problems = check(Article(headline="Bridge opens"), PublicationProfile())
    assert rules(problems) == [
        ("byline", "ready.required"),
        ("section", "ready.required"),
        ("standfirst", "ready.required"),
        ("site", "ready.site-address"),
    ]
    assert all(p.severity == "error" and p.kind == CheckKind.READINESS for p in problems)
    assert "https://example.com/" in problems[-1].message
    assert is_placeholder_site("http://www.example.com") and is_placeholder_site("")
    assert not is_placeholder_site("https://example.com.au/")


def test_headline_over_the_limit_spans_the_overflow() -> None:
    headline = "A" * 65 + " 👍🏽 end of it"
    (problem, seo) = length_problems(READY.edited(headline=headline), Limits())
    assert characters(headline) == 77
    assert (
        problem.rule == "length.headline"
        and "77 characters; the limit is 70: cut 7" in problem.message
    )
    assert headline[problem.start : problem.end] == "d of it"
    assert seo.rule == "length.seo_title" and seo.field == "seo_title"


def test_standfirst_range_and_word_target() -> None:
    short = READY.edited(standfirst="Too short.", body="word " * 300)
    problems = length_problems(short, Limits(word_target=600))
    assert [p.message for p in problems] == [
        "The standfirst has 2 words; it should have 10 to 45: add 8",
        "The story has 300 words and the target is 600 (300 short)",
    ]
    assert length_problems(READY.edited(body="word " * 580), Limits(word_target=600)) == []


def test_pictures_need_alt_text_and_credit() -> None:
    story = READY.edited(
        image=Media(src=f"media:{KEY}"), body=f'Text.\n\n![]({"media:" + KEY} "The bridge")\n'
    )
    problems = check(story, media={KEY: PICTURE})
    assert rules(problems) == [
        ("image.alt", "ready.alt-text"),
        ("image.credit", "ready.credit"),
        ("body", "ready.alt-text"),
        ("body", "ready.credit"),
    ]
    body_problem = problems[2]
    assert story.body[body_problem.start : body_problem.end].startswith("![](media:")
    credited = replace(PICTURE, alt="The bridge at dawn", credit="PA")
    assert check(story, media={KEY: credited}) == []


def test_related_links_over_the_cap_or_broken() -> None:
    links = tuple(RelatedLink(title=f"L{i}", url=f"https://a.example/{i}") for i in range(8))
    broken = LinkCheck("https://a.example/0", HealthState.BROKEN, datetime.now(UTC), 404)
    problems = check(READY.edited(related=links), link_checks={broken.url: broken})
    assert rules(problems) == [
        ("related", "ready.related-cap"),
        ("related", "ready.related-broken"),
    ]
    assert "8 related links and pages show 6: remove 2" in problems[0].message


def test_problems_left_are_counted() -> None:
    left = [
        Problem(CheckKind.SPELLING, "body", 0, 3, 1, 1, "spelling", "x"),
        Problem(CheckKind.STYLE, "body", 0, 3, 1, 1, "S.R", "x"),
        Problem(CheckKind.STYLE, "body", 0, 3, 1, 1, "S.R", "x", (), "suggestion"),
    ]
    (problem,) = check(READY, left=left)
    assert problem.rule == "ready.problems-left"
    assert problem.message.startswith("1 spelling mistake and 1 house-style problem left")
