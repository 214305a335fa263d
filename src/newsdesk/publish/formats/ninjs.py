"""IPTC ninjs 3.2: each article as a News in JSON object."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from newsdesk.core.models import Article, Media, PublicationProfile, Status
from newsdesk.core.text import strip_markup
from newsdesk.publish.counts import RenderedBody
from newsdesk.publish.dates import iso
from newsdesk.publish.paths import article_path, section_name, section_slug
from newsdesk.publish.related import ResolvedRelated, base_url, site_url
from newsdesk.publish.sanitize import absolute_url
from newsdesk.publish.views import (
    author_names,
    canonical_of,
    display_moment,
    release_moment,
    shorten,
)

NINJS_VERSION = "3.2"
NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_3.2.json#"


def pub_status(article: Article) -> str:
    """ninjs ``pubStatus`` from the workflow status (an embargo travels as ``embargoedUntil``).

    Withdrawn work is ``canceled``; drafts, work in review and a scheduled article with no
    release time are ``withheld``; everything else is ``usable`` (after any embargo).
    """
    if article.status == Status.WITHDRAWN:
        return "canceled"
    if article.status in {Status.DRAFT, Status.IN_REVIEW}:
        return "withheld"
    if article.status == Status.SCHEDULED and release_moment(article) is None:
        return "withheld"
    return "usable"


def _media(
    name: str, kind: str, media: Media, profile: PublicationProfile
) -> dict[str, Any] | None:
    url = absolute_url(base_url(profile), media.src)
    if url is None:
        return None
    rendition: dict[str, Any] = {"name": "original", "href": url}
    if media.mime_type:
        rendition["contentType"] = media.mime_type
    if media.duration_seconds:
        rendition["duration"] = media.duration_seconds
    item: dict[str, Any] = {"name": name, "uri": url, "type": kind, "renditions": [rendition]}
    descriptions = []
    if media.caption:
        descriptions.append(_text("caption", media.caption))
    if media.alt:
        descriptions.append(_text("alternative-text", media.alt))
    if descriptions:
        item["descriptions"] = descriptions
    if media.credit:
        item["by"] = media.credit
        item["copyrightHolder"] = media.credit
    return item


def _related(index: int, item: ResolvedRelated) -> dict[str, Any]:
    association: dict[str, Any] = {
        "name": f"related-{index}",
        "rel": item.relation.value,
        "uri": item.target_uri or item.url,
        "type": "text",
        "headlines": [{"role": "main", "contentType": "text/plain", "value": item.title}],
        "renditions": [{"name": "web", "href": item.url, "contentType": "text/html"}],
    }
    if not item.target_uri:
        association["representationType"] = "partial"
    return association


def _text(role: str, value: str) -> dict[str, str]:
    return {"role": role, "contentType": "text/plain", "value": value}


def _headlines(article: Article) -> list[dict[str, str]]:
    headlines = [_text("main", article.headline)]
    if article.kicker:
        headlines.append(_text("kicker", article.kicker))
    if article.seo_title:
        headlines.append(_text("seo", article.seo_title))
    return headlines


def _descriptions(article: Article, body_markdown: str) -> list[dict[str, str]]:
    descriptions = []
    if article.standfirst:
        descriptions.append(_text("standfirst", article.standfirst))
    if article.seo_description:
        descriptions.append(_text("seo", article.seo_description))
    elif body_markdown.strip() and not article.standfirst:
        descriptions.append(_text("summary", shorten(strip_markup(body_markdown))))
    return descriptions


def _subjects(article: Article, profile: PublicationProfile) -> list[dict[str, Any]]:
    slug = section_slug(article.section)
    subjects: list[dict[str, Any]] = [
        {
            "name": section_name(article.section),
            "rel": "section",
            "literal": slug,
            "uri": site_url(profile, f"{slug}/"),
        }
    ]
    subjects += [{"name": tag, "rel": "tag", "literal": tag} for tag in article.tags]
    return subjects


def _associations(
    article: Article, related: Sequence[ResolvedRelated], profile: PublicationProfile
) -> list[dict[str, Any]]:
    associations: list[dict[str, Any]] = []
    for name, kind, media in (("featureimage", "picture", article.image),
                              ("audio", "audio", article.audio)):  # fmt: skip
        item = _media(name, kind, media, profile) if media is not None else None
        if item:
            associations.append(item)
    associations += [_related(i, item) for i, item in enumerate(related, start=1)]
    return associations


def ninjs_document(
    article: Article,
    *,
    body: RenderedBody,
    body_html: str,
    body_markdown: str,
    related: Sequence[ResolvedRelated],
    profile: PublicationProfile,
) -> dict[str, Any]:
    """The ninjs object of ``article``; ``body_html`` is the sanitized hand-off HTML
    (``body`` without the preview's line markers) and ``body`` gives the counts."""
    words, chars = body.words, body.chars
    doc: dict[str, Any] = {
        "uri": article.uri,
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA},
        "type": "text",
        "representationType": "full",
        "profile": "newsdesk-article",
        "version": str(article.version),
        "firstCreated": iso(article.created_at),
        "versionCreated": iso(max(article.updated_at, article.created_at)),
        "contentCreated": iso(display_moment(article)),
        "pubStatus": pub_status(article),
        "language": article.language or profile.language,
        "slugline": article.slug,
        "copyrightHolder": profile.name,
        "headlines": _headlines(article),
    }
    release = release_moment(article)
    if release is not None:
        doc["embargoedUntil"] = iso(release)
    descriptions = _descriptions(article, body_markdown)
    if descriptions:
        doc["descriptions"] = descriptions
    doc["bodies"] = [
        {"role": "main", "contentType": "text/html", "charCount": chars, "wordCount": words,
         "value": body_html},
        {"role": "main", "contentType": "text/markdown", "charCount": chars,
         "wordCount": words, "value": body_markdown},
    ]  # fmt: skip
    byline = article.byline.strip() or ", ".join(article.authors)
    if byline:
        doc["by"] = byline
    people = [{"name": name, "rel": "author"} for name in author_names(article)]
    if people:
        doc["people"] = people
    if article.dateline:
        doc["located"] = article.dateline
    doc["subjects"] = _subjects(article, profile)
    associations = _associations(article, related, profile)
    if associations:
        doc["associations"] = associations
    doc["altIds"] = [
        {"role": "url", "value": canonical_of(article, profile)},
        {"role": "path", "value": "/" + article_path(article)},
    ]
    if article.id is not None:
        doc["altIds"].append({"role": "newsdesk-id", "value": str(article.id)})
    return doc


def ninjs_bytes(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode()
