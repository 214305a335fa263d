"""Whether a story is ready for the web: lengths, required fields, pictures, links, site."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import regex

from newsdesk.core.checks.checks import CheckKind, LineIndex, Problem, about_field
from newsdesk.core.media.media import KEY_PATTERN, MediaAsset, MediaKind, key_of
from newsdesk.core.models import Article, PublicationProfile
from newsdesk.core.related.health import HealthState, LinkCheck
from newsdesk.core.text import word_count

PLACEHOLDER_SITE = "https://example.com/"
"""The site address a new publication starts with; nothing may be published under it."""
REQUIRED = ("headline", "byline", "section", "standfirst")
_GRAPHEME = regex.compile(r"\X")
_BODY_PICTURE = regex.compile(rf"!\[([^\]\n]*)\]\(\s*<?media:({KEY_PATTERN})\b[^)\n]*\)")


@dataclass(frozen=True)
class Limits:
    """Length guidance (``reference/CHECKS.md`` §5): search results cut page titles near
    600 px, about 60 characters, and descriptions near 160; headlines and standfirsts
    follow the house. Lengths count what a reader sees as one character (graphemes)."""

    headline_chars: int = 70
    seo_title_chars: int = 60
    seo_description_chars: int = 160
    standfirst_words: tuple[int, int] = (10, 45)
    word_target: int | None = None
    word_target_slack: float = 0.1
    """How far (a fraction of the target) the body may be under or over the target."""


def characters(text: str) -> int:
    """How many characters a reader sees in ``text`` (an emoji with a skin tone is one)."""
    return len(_GRAPHEME.findall(text))


def _over(field: str, text: str, limit: int, rule: str, what: str) -> Problem | None:
    """A problem spanning what is past ``limit`` characters, if ``text`` is longer."""
    pieces = _GRAPHEME.findall(text)
    if len(pieces) <= limit:
        return None
    start = len("".join(pieces[:limit]))
    line, column = LineIndex(text)(start)
    return Problem(
        CheckKind.LENGTH,
        field,
        start,
        len(text),
        line,
        column,
        rule,
        f"{what} is {len(pieces)} characters; the limit is {limit}: cut {len(pieces) - limit}",
    )


def length_problems(article: Article, limits: Limits) -> list[Problem]:
    """Headline, SEO title and description over their limits, a standfirst outside its
    range of words, a body far from the word target."""
    found = [
        _over(
            "headline", article.headline, limits.headline_chars, "length.headline", "The headline"
        ),
        _over(
            "seo_title",
            article.seo_title,
            limits.seo_title_chars,
            "length.seo_title",
            "The SEO title",
        ),
        _over(
            "seo_description",
            article.seo_description,
            limits.seo_description_chars,
            "length.seo_description",
            "The search description",
        ),
    ]
    problems = [p for p in found if p is not None]
    if not article.seo_title.strip() and characters(article.headline) > limits.seo_title_chars:
        problems.append(
            about_field(
                CheckKind.LENGTH,
                "seo_title",
                "length.seo_title",
                f"The headline ({characters(article.headline)} characters) is the page title "
                f"and search results cut it near {limits.seo_title_chars}: write a shorter "
                "SEO title",
                severity="suggestion",
            )
        )
    problems.extend(_standfirst(article.standfirst, limits.standfirst_words))
    if limits.word_target:
        problems.extend(_target(article.word_count, limits.word_target, limits.word_target_slack))
    return problems


def _standfirst(standfirst: str, bounds: tuple[int, int]) -> list[Problem]:
    words = word_count(standfirst)
    least, most = bounds
    if not standfirst.strip() or least <= words <= most:
        return []
    change = f"add {least - words}" if words < least else f"cut {words - most}"
    return [
        about_field(
            CheckKind.LENGTH,
            "standfirst",
            "length.standfirst",
            f"The standfirst has {words} words; it should have {least} to {most}: {change}",
        )
    ]


def _target(words: int, target: int, slack: float) -> list[Problem]:
    if abs(words - target) <= target * slack:
        return []
    change = f"{target - words} short" if words < target else f"{words - target} over"
    return [
        about_field(
            CheckKind.LENGTH,
            "body",
            "length.words",
            f"The story has {words:,} words and the target is {target:,} ({change})",
            severity="suggestion",
        )
    ]


def readiness_problems(
    article: Article,
    profile: PublicationProfile,
    *,
    media: Mapping[str, MediaAsset],
    spelling_and_style: Sequence[Problem],
    limits: Limits,
    link_checks: Mapping[str, LinkCheck] | None = None,
) -> list[Problem]:
    """The checklist a story passes before Ready, Scheduled or Published: required fields,
    problems left, lengths, every picture with alt text and credit, related links within
    the cap (and not broken, when ``link_checks`` are given), a real site address."""
    problems = [
        about_field(
            CheckKind.READINESS,
            name,
            "ready.required",
            f"The story has no {name}: add one before it goes to the web",
            severity="error",
        )
        for name in REQUIRED
        if not str(getattr(article, name)).strip()
    ]
    problems.extend(_left(spelling_and_style))
    problems.extend(length_problems(article, limits))
    problems.extend(_featured_picture(article, media))
    problems.extend(_body_pictures(article.body, media))
    problems.extend(_related(article, profile, link_checks or {}))
    problems.extend(site_problems(profile))
    return problems


def _left(found: Sequence[Problem]) -> list[Problem]:
    spelling = sum(1 for p in found if p.kind == CheckKind.SPELLING)
    style = sum(1 for p in found if p.kind == CheckKind.STYLE and p.severity != "suggestion")
    if not spelling and not style:
        return []
    parts = [
        f"{n} {what}{'s' if n != 1 else ''}"
        for n, what in ((spelling, "spelling mistake"), (style, "house-style problem"))
        if n
    ]
    return [
        about_field(
            CheckKind.READINESS,
            "article",
            "ready.problems-left",
            f"{' and '.join(parts)} left: correct them, or add the words to a dictionary",
        )
    ]


def _featured_picture(article: Article, media: Mapping[str, MediaAsset]) -> list[Problem]:
    image = article.image
    if image is None:
        return []
    key = key_of(image.src)
    asset = media.get(key) if key else None
    if asset is not None and asset.kind != MediaKind.IMAGE:
        return []
    name = asset.filename if asset else image.src
    problems = []
    if not (image.alt or (asset.alt if asset else "")).strip():
        problems.append(
            _picture(
                "image.alt",
                "ready.alt-text",
                f"The picture {name} has no alt text: describe it for readers who cannot see it",
            )
        )
    if not (image.credit or (asset.credit if asset else "")).strip():
        problems.append(
            _picture(
                "image.credit",
                "ready.credit",
                f"The picture {name} has no credit: name the photographer or agency",
            )
        )
    return problems


def _picture(field: str, rule: str, message: str) -> Problem:
    return about_field(CheckKind.READINESS, field, rule, message, severity="error")


def _body_pictures(body: str, media: Mapping[str, MediaAsset]) -> list[Problem]:
    problems = []
    where = LineIndex(body)
    for match in _BODY_PICTURE.finditer(body):
        asset = media.get(match.group(2))
        if asset is None or asset.kind != MediaKind.IMAGE:
            continue
        line, column = where(match.start())
        alt = match.group(1).strip() or asset.alt.strip()
        for missing, rule, advice in (
            (
                not alt,
                "ready.alt-text",
                "has no alt text: describe it for readers who cannot see it",
            ),
            (
                not asset.credit.strip(),
                "ready.credit",
                "has no credit: set it in the media library",
            ),
        ):
            if missing:
                problems.append(
                    Problem(
                        CheckKind.READINESS,
                        "body",
                        match.start(),
                        match.end(),
                        line,
                        column,
                        rule,
                        f"The picture {asset.filename} {advice}",
                        (),
                        "error",
                    )
                )
    return problems


def _related(
    article: Article, profile: PublicationProfile, checks: Mapping[str, LinkCheck]
) -> list[Problem]:
    problems = []
    if len(article.related) > profile.related_cap:
        problems.append(
            about_field(
                CheckKind.READINESS,
                "related",
                "ready.related-cap",
                f"The story has {len(article.related)} related links and pages show "
                f"{profile.related_cap}: remove {len(article.related) - profile.related_cap} "
                "or raise the cap in the publication's settings",
            )
        )
    for link in article.related:
        check = checks.get(link.url or "")
        if check is not None and check.state in (HealthState.BROKEN, HealthState.UNREACHABLE):
            problems.append(
                about_field(
                    CheckKind.READINESS,
                    "related",
                    "ready.related-broken",
                    f"The related link '{link.title}' ({link.url}) is {check.state.value}: "
                    "fix or remove it",
                )
            )
    return problems


def site_problems(profile: PublicationProfile) -> list[Problem]:
    """A problem while the publication's site address is still the placeholder."""
    if not is_placeholder_site(profile.base_url):
        return []
    return [
        about_field(
            CheckKind.READINESS,
            "site",
            "ready.site-address",
            f"The publication's site address is still the placeholder {PLACEHOLDER_SITE}: "
            "canonical links, the sitemap and feeds would point there. Set the real address "
            "in the publication's settings",
            severity="error",
        )
    ]


def is_placeholder_site(base_url: str) -> bool:
    """Whether ``base_url`` is empty or the placeholder (any spelling of example.com)."""
    host = regex.sub(r"^[a-z]+://", "", base_url.strip().lower()).split("/")[0]
    return not host or host in {"example.com", "www.example.com"}
