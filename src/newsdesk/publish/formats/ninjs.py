"""IPTC ninjs 3.2: each article as a News in JSON object."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from newsdesk.core.media.media import MediaAsset, MediaKind, body_keys, key_of
from newsdesk.core.models import Article, Media, PublicationProfile, Status
from newsdesk.publish.counts import RenderedBody
from newsdesk.publish.dates import iso
from newsdesk.publish.formats.markdown_files import body_picture_words
from newsdesk.publish.media.renditions import Rendition, renditions_for
from newsdesk.publish.paths import article_path, section_name, section_slug
from newsdesk.publish.related import ResolvedRelated, base_url, site_url
from newsdesk.publish.sanitize import absolute_url
from newsdesk.publish.views import (
    DisplayText,
    author_names,
    canonical_of,
    display_text,
    published_moment,
    release_moment,
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


def _stored(
    name: str,
    asset: MediaAsset,
    words: tuple[str, str, str],
    renditions: Sequence[Rendition],
    *,
    sizes: Mapping[str, int],
    profile: PublicationProfile,
) -> dict[str, Any]:
    """A stored picture or audio as a ninjs 3.2 association: its words (alt text goes in
    ``descriptions``, role "alt": ninjs has no alt key) and every rendition a page loads,
    at its public address, with its size in pixels and bytes."""
    alt, caption, credit = words
    item: dict[str, Any] = {
        "name": name,
        "uri": asset.uri,
        "type": "audio" if asset.kind == MediaKind.AUDIO else "picture",
    }
    if credit:
        item["by"] = credit
    if asset.copyright:
        item["copyrightNotice"] = asset.copyright
    descriptions = [_text(role, value) for role, value in (("caption", caption), ("alt", alt))
                    if value]  # fmt: skip
    if descriptions:
        item["descriptions"] = descriptions
    base = base_url(profile)
    listed = []
    for rendition in renditions:
        extension = rendition.name.rsplit(".", 1)[-1]
        entry: dict[str, Any] = {
            "name": f"{extension}-{rendition.width}" if rendition.width else extension,
            "href": base + rendition.path,
            "contentType": rendition.mime_type,
        }
        if rendition.width and rendition.height:
            entry["width"], entry["height"] = rendition.width, rendition.height
        if rendition.path in sizes:
            entry["sizeInBytes"] = sizes[rendition.path]
        if asset.kind == MediaKind.AUDIO and asset.duration_seconds:
            entry["duration"] = round(float(asset.duration_seconds), 3)
        listed.append(entry)
    item["renditions"] = listed
    return item


def _stored_media(
    article: Article,
    media: Mapping[str, MediaAsset],
    sizes: Mapping[str, int],
    profile: PublicationProfile,
) -> list[dict[str, Any]]:
    """Associations of the stored files: "featureimage", "listen", then the body's
    pictures "image-1", "image-2"... (each file once)."""
    found: list[dict[str, Any]] = []
    done: set[str] = set()
    for name, story in (("featureimage", article.image), ("listen", article.audio)):
        key = key_of(story.src) if story else None
        asset = media.get(key) if key else None
        if story is None or key is None or asset is None or key in done:
            continue
        words = (story.alt or asset.alt, story.caption, story.credit or asset.credit)
        lead = name == "featureimage"
        renditions = renditions_for(asset, lead=lead)
        found.append(_stored(name, asset, words, renditions, sizes=sizes, profile=profile))
        done.add(key)
    body_words = body_picture_words(article.body)
    number = 0
    for key in body_keys(article.body):
        asset = media.get(key)
        if asset is None or key in done:
            continue
        done.add(key)
        number += 1
        alt, caption = body_words.get(key, ("", ""))
        words = (alt or asset.alt, caption, asset.credit)
        renditions = renditions_for(asset)
        found.append(
            _stored(f"image-{number}", asset, words, renditions, sizes=sizes, profile=profile)
        )
    return found


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


def _headlines(shown: DisplayText) -> list[dict[str, str]]:
    headlines = [_text("main", shown.headline)]
    if shown.kicker:
        headlines.append(_text("kicker", shown.kicker))
    if shown.seo_title:
        headlines.append(_text("seo", shown.seo_title))
    return headlines


def _descriptions(article: Article, shown: DisplayText, body_markdown: str) -> list[dict[str, str]]:
    """Standfirst, then the SEO description or, with neither, a summary of the body:
    typeset as the page shows them (the summary is the page's description)."""
    descriptions = []
    if shown.standfirst:
        descriptions.append(_text("standfirst", shown.standfirst))
    if article.seo_description.strip():
        descriptions.append(_text("seo", shown.description))
    elif body_markdown.strip() and not shown.standfirst:
        descriptions.append(_text("summary", shown.description))
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
    article: Article,
    related: Sequence[ResolvedRelated],
    profile: PublicationProfile,
    media: Mapping[str, MediaAsset],
    sizes: Mapping[str, int],
) -> list[dict[str, Any]]:
    associations = _stored_media(article, media, sizes, profile)
    for name, kind, story in (("featureimage", "picture", article.image),
                              ("audio", "audio", article.audio)):  # fmt: skip
        if story is None or key_of(story.src):
            continue  # a stored file: listed above
        item = _media(name, kind, story, profile)
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
    media: Mapping[str, MediaAsset] | None = None,
    sizes: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """The ninjs object of ``article``; ``body_html`` is the sanitized hand-off HTML
    (``body`` without the preview's line markers) and ``body`` gives the counts.
    ``media`` holds the stored files the article uses and ``sizes`` the byte size of each
    rendition (by its path below the site)."""
    words, chars = body.words, body.chars
    shown = display_text(article, profile)
    doc: dict[str, Any] = {
        "uri": article.uri,
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA},
        "type": "text",
        "representationType": "full",
        "profile": "newsdesk-article",
        "version": str(article.version),
        "firstCreated": iso(article.created_at),
        "versionCreated": iso(max(article.updated_at, article.created_at)),
        "contentCreated": iso(published_moment(article)),  # stable: no edit moves it
        "pubStatus": pub_status(article),
        "language": article.language or profile.language,
        "slugline": article.slug,
        "copyrightHolder": profile.name,
        "headlines": _headlines(shown),
    }
    release = release_moment(article)
    if release is not None:
        doc["embargoedUntil"] = iso(release)
    descriptions = _descriptions(article, shown, body_markdown)
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
    associations = _associations(article, related, profile, media or {}, sizes or {})
    if associations:
        doc["associations"] = associations
    doc["altIds"] = [
        {"role": "url", "value": canonical_of(article, profile)},
        {"role": "path", "value": "/" + article_path(article)},
    ]
    return doc


def ninjs_bytes(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode()
