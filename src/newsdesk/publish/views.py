"""What the templates see: plain, already-checked values built from core objects.

Typography, one rule for every format (the same field agrees wherever it appears):

- Text a reader reads as written prose, the headline, kicker, standfirst, SEO title,
  description and correction notes, is typeset for the article's language (curly quotes,
  dashes, ellipsis; :func:`display_text`) in every format that is read as it is: the page
  and its fragment, the fragment's sidecar, ninjs ``headlines``/``descriptions`` and the
  Atom feed's ``title``/``summary``.
- Markdown is source and stays as typed, front matter and body alike (:func:`as_typed`),
  as does ninjs ``text/markdown``: a Markdown renderer typesets it itself (Newsdesk's
  does, Hugo's typographer too), code keeps its quotes, and Newsdesk imports the file
  back word for word.
- Names and identifiers stay as typed everywhere, the page included: byline, authors,
  dateline, tags, slug, captions and credits of media.

Dates, likewise: ``date`` (Markdown), ``contentCreated`` (ninjs), ``datePublished`` and
``article:published_time`` (page) and ``published`` (feed) are :func:`published_moment`,
which no edit moves; only ``lastmod``/``versionCreated``/``dateModified``/``updated``
follow the last save (:func:`modified_moment`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup

from newsdesk.core.bylines import people_of
from newsdesk.core.media.media import MediaAsset, MediaKind, key_of
from newsdesk.core.models import Article, Media, PublicationProfile, Status
from newsdesk.core.text import strip_markup
from newsdesk.core.urls import url_scheme
from newsdesk.publish import dates
from newsdesk.publish.counts import RenderedBody
from newsdesk.publish.media.figures import (
    AudioView,
    PictureView,
    audio_view,
    missing_text,
    picture_view,
)
from newsdesk.publish.paths import article_path, section_name, section_slug
from newsdesk.publish.related import ResolvedRelated, base_url, site_url
from newsdesk.publish.sanitize import absolute_url, origin, safe_url
from newsdesk.publish.typography import typeset

_LANGUAGE = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8}){0,4}$")
DESCRIPTION_LIMIT = 200


@dataclass(frozen=True, slots=True)
class MediaView:
    """An image or audio file, with a page-relative ``src`` and an absolute ``url``."""

    src: str
    url: str
    alt: str = ""
    caption: str = ""
    credit: str = ""
    mime_type: str = ""
    duration_text: str = ""
    duration_iso: str = ""


@dataclass(frozen=True, slots=True)
class RelatedView:
    title: str
    href: str
    external: bool
    host: str = ""
    section: str = ""


@dataclass(frozen=True, slots=True)
class CorrectionView:
    """A correction at the foot of the page: when it was made, and what it says."""

    date_text: str
    date_iso: str
    text: str


@dataclass(frozen=True, slots=True)
class ArticleView:
    """One article, ready for the regions of the page template."""

    uri: str
    headline: str
    kicker: str
    standfirst: str
    byline: str
    dateline: str
    section: str
    section_href: str
    date_text: str
    date_iso: str
    language: str
    reading_minutes: int
    word_count: int
    body: str
    image: MediaView | None = None  # a featured image given as a URL (older stories)
    audio: MediaView | None = None
    related: tuple[RelatedView, ...] = ()
    corrections: tuple[CorrectionView, ...] = ()
    picture: PictureView | None = None  # the featured image from the media store
    listen: AudioView | None = None  # the audio from the media store
    missing_picture: str = ""  # what the lead picture's place says when it is not stored
    missing_audio: str = ""


@dataclass(frozen=True, slots=True)
class Teaser:
    """An article as a list entry on the home and section pages (and in the feed)."""

    uri: str
    headline: str
    kicker: str
    standfirst: str
    byline: str
    section: str
    section_slug: str
    path: str
    date_text: str
    date_iso: str
    sort_key: tuple[float, str]


@dataclass(frozen=True, slots=True)
class PageMeta:
    """The head of a page: title, description, canonical URL, social tags, JSON-LD."""

    title: str
    description: str
    canonical: str
    language: str
    properties: tuple[tuple[str, str], ...] = ()
    names: tuple[tuple[str, str], ...] = ()
    jsonld: str = ""
    media_origins: tuple[str, ...] = field(default=())


def language_of(article: Article, profile: PublicationProfile) -> str:
    """A well-formed BCP 47 tag for the page's ``lang`` (the profile's, or ``en``, otherwise)."""
    for candidate in (article.language, profile.language, "en"):
        if candidate and _LANGUAGE.match(candidate):
            return candidate
    return "en"


def display_moment(article: Article) -> datetime:
    """The date the page shows: set by the desk, else first publication, embargo, last save."""
    return (
        article.display_date
        or article.first_published_at
        or article.embargo_until
        or article.updated_at
    )


def release_moment(article: Article) -> datetime | None:
    """When the article may be published: its embargo, or a scheduled article's date."""
    if article.embargo_until is not None:
        return article.embargo_until
    if article.status == Status.SCHEDULED:
        return article.display_date or article.first_published_at
    return None


def published_moment(article: Article) -> datetime:
    """First publication, else the desk's display date, embargo, creation: never the last
    save, so the web team's CMS sees the same date after every edit."""
    return (
        article.first_published_at
        or article.display_date
        or article.embargo_until
        or article.created_at
    )


def modified_moment(article: Article) -> datetime:
    return max(article.updated_at, published_moment(article))


@dataclass(frozen=True, slots=True)
class DisplayText:
    """The prose fields as every format writes them (typeset: see the module docstring)."""

    headline: str
    kicker: str
    standfirst: str
    seo_title: str
    description: str


def display_text(article: Article, profile: PublicationProfile) -> DisplayText:
    language = language_of(article, profile)
    return DisplayText(
        headline=typeset(article.headline.strip(), language),
        kicker=typeset(article.kicker.strip(), language),
        standfirst=typeset(article.standfirst.strip(), language),
        seo_title=typeset(article.seo_title.strip(), language),
        description=typeset(description_of(article), language),
    )


def as_typed(article: Article) -> DisplayText:
    """The same fields as typed, for Markdown (source: see the module docstring)."""
    return DisplayText(
        headline=article.headline,
        kicker=article.kicker,
        standfirst=article.standfirst,
        seo_title=article.seo_title,
        description=description_of(article),
    )


def byline_text(article: Article) -> str:
    names = article.byline.strip() or ", ".join(article.authors)
    if not names:
        return ""
    return names if names.lower().startswith("by ") else f"By {names}"


def author_names(article: Article) -> list[str]:
    """The authors' names alone: a role typed in the byline is never a person."""
    return [person.name for person in people_of(article.byline, article.authors)]


def author_objects(article: Article) -> list[dict[str, str]]:
    """The JSON-LD authors: one Person each, with the role as its ``jobTitle``."""
    return [
        {"@type": "Person", "name": p.name} | ({"jobTitle": p.role} if p.role else {})
        for p in people_of(article.byline, article.authors)
    ]


def stored_picture(
    media: Media | None, assets: Mapping[str, MediaAsset], root: str
) -> PictureView | None:
    """The featured picture when it is a ``media:KEY`` the store holds."""
    key = key_of(media.src) if media else None
    asset = assets.get(key) if key else None
    if media is None or asset is None or asset.kind != MediaKind.IMAGE:
        return None
    return picture_view(
        asset, alt=media.alt, caption=media.caption, credit=media.credit, lead=True, root=root
    )


def stored_audio(
    media: Media | None, assets: Mapping[str, MediaAsset], root: str
) -> AudioView | None:
    key = key_of(media.src) if media else None
    asset = assets.get(key) if key else None
    if media is None or asset is None or asset.kind != MediaKind.AUDIO:
        return None
    return audio_view(asset, credit=media.credit, root=root)


def missing_note(media: Media | None, assets: Mapping[str, MediaAsset], kind: MediaKind) -> str:
    """What the preview shows where the featured picture or audio should be, when its
    ``media:KEY`` is not in the store (or is the other kind of file); else ``""``."""
    key = key_of(media.src) if media else None
    if key is None or media is None:
        return ""
    asset = assets.get(key)
    noun = "picture" if kind == MediaKind.IMAGE else "audio"
    if asset is None:
        return missing_text(key, media.alt, lead=True).replace("picture", noun, 1)
    if asset.kind != kind:
        what = "a picture" if noun == "picture" else "audio"
        return (
            f"media:{key} ({asset.filename}) is not {what}: "
            f"choose another file as the story's {noun} on the Media tab."
        )
    return ""


def media_view(media: Media | None, profile: PublicationProfile, root: str) -> MediaView | None:
    """A media file the page may load: http(s) or a path on the site; anything else is dropped."""
    if media is None or not media.src:
        return None
    checked = safe_url(media.src)
    url = absolute_url(base_url(profile), media.src)
    if checked is None or url is None:
        return None
    src = checked
    if url_scheme(checked) is None and not checked.startswith("/"):
        src = root + checked  # a site-relative path, from wherever the page sits
    seconds = media.duration_seconds
    return MediaView(
        src=src,
        url=url,
        alt=media.alt.strip(),
        caption=media.caption.strip(),
        credit=media.credit.strip(),
        mime_type=media.mime_type.strip(),
        duration_text=dates.duration_text(seconds) if seconds else "",
        duration_iso=dates.duration_iso(seconds) if seconds else "",
    )


def related_views(related: list[ResolvedRelated], root: str) -> tuple[RelatedView, ...]:
    views = []
    for item in related:
        if item.path:
            views.append(RelatedView(item.title, root + item.path, False, "", item.section))
        else:
            host = re.sub(r"^www\.", "", item.url.split("/")[2]) if "//" in item.url else ""
            views.append(RelatedView(item.title, item.url, True, host))
    return tuple(views)


def article_view(
    article: Article,
    body: RenderedBody,
    related: list[ResolvedRelated],
    profile: PublicationProfile,
    root: str,
    *,
    media: Mapping[str, MediaAsset] | None = None,
) -> ArticleView:
    assets = media or {}
    moment = display_moment(article)
    language = language_of(article, profile)
    return ArticleView(
        uri=article.uri,
        headline=typeset(article.headline.strip(), language),
        kicker=typeset(article.kicker.strip(), language),
        standfirst=typeset(article.standfirst.strip(), language),
        byline=byline_text(article),
        dateline=article.dateline.strip(),
        section=section_name(article.section),
        section_href=f"{root}{section_slug(article.section)}/",
        date_text=dates.format_date(moment, profile.date_format, profile.time_zone),
        date_iso=dates.local_iso(moment, profile.time_zone),
        language=language,
        reading_minutes=body.reading_minutes,
        word_count=body.words,
        body=Markup(body.html),  # sanitized by the caller: the only HTML content brings
        image=media_view(article.image, profile, root),
        audio=media_view(article.audio, profile, root),
        related=related_views(related, root),
        corrections=tuple(
            CorrectionView(
                date_text=dates.format_date(c.when, profile.date_format, profile.time_zone),
                date_iso=dates.local_iso(c.when, profile.time_zone),
                text=typeset(c.text.strip(), language),
            )
            for c in sorted(article.corrections, key=lambda c: c.when)
            if c.text.strip()
        ),
        picture=stored_picture(article.image, assets, root),
        listen=stored_audio(article.audio, assets, root),
        missing_picture=missing_note(article.image, assets, MediaKind.IMAGE),
        missing_audio=missing_note(article.audio, assets, MediaKind.AUDIO),
    )


def teaser(article: Article, profile: PublicationProfile) -> Teaser:
    moment = display_moment(article)
    language = language_of(article, profile)
    return Teaser(
        uri=article.uri,
        headline=typeset(article.headline.strip(), language),
        kicker=typeset(article.kicker.strip(), language),
        standfirst=typeset(article.standfirst.strip(), language),
        byline=byline_text(article),
        section=section_name(article.section),
        section_slug=section_slug(article.section),
        path=article_path(article),
        date_text=dates.format_date(moment, profile.date_format, profile.time_zone),
        date_iso=dates.local_iso(moment, profile.time_zone),
        sort_key=(-moment.timestamp(), article.uri),
    )


def shorten(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",.;:-–—")
    return cut + "…"


def description_of(article: Article) -> str:
    source = article.seo_description or article.standfirst
    if not source.strip():
        source = strip_markup(article.body)
    return shorten(source)


def canonical_of(article: Article, profile: PublicationProfile) -> str:
    given = safe_url(article.canonical_url, allow_relative=False) if article.canonical_url else None
    return given or site_url(profile, article_path(article))


def og_locale(language: str) -> str:
    return language.replace("-", "_")


def jsonld_text(data: object) -> str:
    """JSON for a ``<script type="application/ld+json">`` block that no text can break out of."""
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        raw.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def article_meta(article: Article, view: ArticleView, profile: PublicationProfile) -> PageMeta:
    """Everything the web team's crawlers and sharing cards read from an article page."""
    canonical = canonical_of(article, profile)
    title = typeset((article.seo_title or article.headline).strip(), view.language)
    description = typeset(description_of(article), view.language)
    published = dates.iso(published_moment(article))
    modified = dates.iso(modified_moment(article))
    authors = author_names(article)
    image = view.image
    picture = view.picture
    props: list[tuple[str, str]] = [
        ("og:type", "article"),
        ("og:title", title),
        ("og:description", description),
        ("og:url", canonical),
        ("og:site_name", profile.name),
        ("og:locale", og_locale(view.language)),
    ]
    if picture:
        props += _picture_properties(picture, profile)
    elif image:
        props.append(("og:image", image.url))
        if image.alt:
            props.append(("og:image:alt", image.alt))
    props += [
        ("article:published_time", published),
        ("article:modified_time", modified),
        ("article:section", view.section),
    ]
    props += [("article:author", name) for name in authors]
    props += [("article:tag", tag) for tag in article.tags]
    names: list[tuple[str, str]] = [
        ("twitter:card", "summary_large_image" if image or picture else "summary"),
        ("twitter:title", title),
        ("twitter:description", description),
    ]
    if picture:
        names.append(("twitter:image", site_url(profile, picture.rendition.path)))
        if picture.alt:
            names.append(("twitter:image:alt", picture.alt))
    elif image:
        names.append(("twitter:image", image.url))
        if image.alt:
            names.append(("twitter:image:alt", image.alt))
    if authors:
        names.append(("author", ", ".join(authors)))
    if article.tags:
        names.append(("keywords", ", ".join(article.tags)))
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": view.headline,
        "description": description,
        "datePublished": published,
        "dateModified": modified,
        "author": author_objects(article),
        "publisher": {"@type": "Organization", "name": profile.name, "url": base_url(profile)},
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "url": canonical,
        "identifier": article.uri,
        "articleSection": view.section,
        "keywords": list(article.tags),
        "wordCount": view.word_count,
        "inLanguage": view.language,
    }
    if picture:
        data["image"] = [image_object(picture, profile)]
    elif image:
        data["image"] = [image.url]
    if view.listen:
        data["audio"] = audio_object(view.listen, profile)
    if view.kicker:
        data["alternativeHeadline"] = view.kicker
    if view.dateline:
        data["dateline"] = view.dateline
    origins = tuple(
        sorted({o for o in (origin(m.url) for m in (view.image, view.audio) if m) if o})
    )
    return PageMeta(
        title=f"{title} | {profile.name}" if profile.name else title,
        description=description,
        canonical=canonical,
        language=view.language,
        properties=tuple(props),
        names=tuple(names),
        jsonld=Markup(jsonld_text(data)),  # escaped so that no text can end the block
        media_origins=origins,
    )


def _picture_properties(picture: PictureView, profile: PublicationProfile) -> list[tuple[str, str]]:
    """Open Graph for the lead picture: its fallback rendition (1200 px JPEG at most),
    the size a sharing card needs, with its true width, height and type."""
    props = [("og:image", site_url(profile, picture.rendition.path))]
    if picture.width and picture.height:
        props += [("og:image:width", str(picture.width)), ("og:image:height", str(picture.height))]
    props.append(("og:image:type", picture.mime_type))
    if picture.alt:
        props.append(("og:image:alt", picture.alt))
    return props


def image_object(picture: PictureView, profile: PublicationProfile) -> dict[str, object]:
    """schema.org ImageObject for the lead picture (never ``exifData``)."""
    url = site_url(profile, picture.rendition.path)
    data: dict[str, object] = {"@type": "ImageObject", "contentUrl": url, "url": url}
    if picture.width and picture.height:
        data["width"] = picture.width
        data["height"] = picture.height
    data["encodingFormat"] = picture.mime_type
    if picture.caption:
        data["caption"] = picture.caption
    if picture.credit:
        data["creditText"] = picture.credit
    if picture.copyright:
        data["copyrightNotice"] = picture.copyright
    return data


def audio_object(audio: AudioView, profile: PublicationProfile) -> dict[str, object]:
    """schema.org AudioObject for the "Listen" player."""
    data: dict[str, object] = {
        "@type": "AudioObject",
        "contentUrl": site_url(profile, audio.rendition.path),
        "encodingFormat": audio.mime_type,
    }
    if audio.duration_iso:
        data["duration"] = audio.duration_iso
    if audio.size:
        data["contentSize"] = f"{audio.size} B"
    if audio.credit:
        data["creditText"] = audio.credit
    return data


def listing_meta(title: str, description: str, path: str, profile: PublicationProfile) -> PageMeta:
    """The head of a home or section page."""
    canonical = site_url(profile, path)
    language = profile.language if _LANGUAGE.match(profile.language or "") else "en"
    props = (
        ("og:type", "website"),
        ("og:title", title),
        ("og:description", description),
        ("og:url", canonical),
        ("og:site_name", profile.name),
        ("og:locale", og_locale(language)),
    )
    names = (
        ("twitter:card", "summary"),
        ("twitter:title", title),
        ("twitter:description", description),
    )
    return PageMeta(
        title=title if title == profile.name else f"{title} | {profile.name}",
        description=description,
        canonical=canonical,
        language=language,
        properties=props,
        names=names,
    )
