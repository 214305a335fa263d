"""The one renderer: the live preview and every export build their HTML here."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from markupsafe import Markup

from newsdesk.core.media.media import MediaAsset, MediaKind, body_keys, key_of
from newsdesk.core.models import Article, PublicationProfile
from newsdesk.publish import dates
from newsdesk.publish.body_format import RENDERER_VERSION
from newsdesk.publish.counts import RenderedBody, rendered
from newsdesk.publish.media.figures import media_digest
from newsdesk.publish.media.renditions import RECIPE_ID, Rendition, renditions_for
from newsdesk.publish.related import ResolvedRelated, base_url, site_url
from newsdesk.publish.sanitize import clean_html, origin
from newsdesk.publish.theme import Theme
from newsdesk.publish.views import (
    ArticleView,
    PageMeta,
    Teaser,
    article_meta,
    article_view,
    display_moment,
    listing_meta,
)

if TYPE_CHECKING:
    from newsdesk.publish.markdown import MarkdownRenderer

# Region element id -> macro in regions.html. The page template wraps each macro's output
# in the element with that id, and :meth:`Renderer.parts` returns the same output.
REGIONS: dict[str, str] = {
    "nd-date": "date",
    "nd-section": "section",
    "nd-kicker": "kicker",
    "nd-headline": "headline",
    "nd-standfirst": "standfirst",
    "nd-byline": "byline",
    "nd-media": "media",
    "nd-audio": "audio",
    "nd-body": "body",
    "nd-corrections": "corrections",
    "nd-related": "related",
}
ARTICLE_ROOT = "../../"  # an article page sits at <section>/<slug>/index.html
STYLESHEET = "assets/theme.css"
ICONS = ("favicon.svg", "apple-touch-icon.png")  # at the site root, as browsers look
NOT_FOUND = "404.html"
NO_MEDIA: Mapping[str, MediaAsset] = {}


class RenderCache(Protocol):
    """Where rendered bodies are kept between runs (the store provides it)."""

    def cached_render(self, key: str) -> str | None: ...

    def store_render(self, key: str, html: str) -> None: ...


@dataclass(frozen=True, slots=True)
class SiteView:
    name: str
    tagline: str
    newsletter_text: str
    newsletter_action: str
    base_url: str


@dataclass(frozen=True, slots=True)
class Listing:
    title: str
    teasers: Sequence[Teaser]
    page_number: int = 1
    page_count: int = 1
    previous_href: str = ""
    next_href: str = ""
    sections: Sequence[tuple[str, str, int]] = ()


class Renderer:
    """Builds article bodies, article pages and their regions, and the site's listing pages.

    ``theme_dir`` overrides ``profile.theme_dir``; a folder's templates and ``theme.css``
    replace the packaged ones of the same name. ``cache`` (the store) keeps rendered bodies.
    """

    def __init__(
        self,
        profile: PublicationProfile,
        *,
        theme_dir: str | Path | None = None,
        cache: RenderCache | None = None,
    ) -> None:
        self.profile = profile
        self.base_url = base_url(profile)  # refuses a profile that would publish badly
        dates.zone(profile.time_zone)
        folder = theme_dir if theme_dir is not None else (profile.theme_dir or None)
        self.theme = Theme(folder)
        self.theme_dir = str(self.theme.folder) if self.theme.folder else None
        self.cache = cache
        self._markdown: dict[str, MarkdownRenderer] = {}
        self.site = SiteView(
            name=profile.name,
            tagline=profile.tagline,
            newsletter_text=profile.newsletter_text.strip(),
            newsletter_action=site_url(profile, "newsletter/"),
            base_url=self.base_url,
        )
        self._regions: Any = self.theme.template("regions.html").module
        self.version = f"{RENDERER_VERSION} theme/{self.theme.fingerprint}"

    # -- bodies ---------------------------------------------------------------------------

    def language(self, article: Article) -> str:
        return article.language or self.profile.language or "en"

    def body_key(self, article: Article, media: Mapping[str, MediaAsset] = NO_MEDIA) -> str:
        """The render cache key: the body, the renderer's version, the language, and
        everything about the pictures the body places (file, words, rendition recipe)."""
        digest = hashlib.sha256()
        used = media_digest(body_keys(article.body), media)
        for piece in (RENDERER_VERSION, self.language(article), article.body, used, RECIPE_ID):
            digest.update(piece.encode("utf-8", "surrogatepass"))
            digest.update(b"\x00")
        return "body:" + digest.hexdigest()

    def render_body(
        self, article: Article, media: Mapping[str, MediaAsset] = NO_MEDIA
    ) -> RenderedBody:
        """Render the body now (no cache): sanitized HTML with ``data-line`` on each block."""
        language = self.language(article)
        renderer = self._markdown.get(language)
        if renderer is None:
            # Loaded at the first body not found in the cache: an export of stories whose
            # text did not change needs no Python-Markdown.
            from newsdesk.publish.markdown import MarkdownRenderer

            renderer = self._markdown.setdefault(language, MarkdownRenderer(language))
        return rendered(article.body, renderer.render(article.body, media))

    def body(self, article: Article, media: Mapping[str, MediaAsset] = NO_MEDIA) -> RenderedBody:
        """The rendered body, from the cache when the same body was rendered before."""
        if self.cache is None:
            return self.render_body(article, media)
        key = self.body_key(article, media)
        cached = RenderedBody.from_cache(self.cache.cached_render(key))
        if cached is not None:
            # The cache is a file anyone may edit: what comes out of it is cleaned again.
            return RenderedBody(clean_html(cached.html), cached.words, cached.chars)
        fresh = self.render_body(article, media)
        self.cache.store_render(key, fresh.to_cache())
        return fresh

    def body_html(self, article: Article, media: Mapping[str, MediaAsset] = NO_MEDIA) -> str:
        """The sanitized body HTML (see :meth:`body`)."""
        return self.body(article, media).html

    # -- media ----------------------------------------------------------------------------

    def media_renditions(
        self, article: Article, media: Mapping[str, MediaAsset] = NO_MEDIA
    ) -> list[Rendition]:
        """Every file the article's page refers to (lead picture, audio, body pictures),
        once each, in page order; what :meth:`missing_media` names is left out."""
        lead = key_of(article.image.src) if article.image else None
        out: dict[str, Rendition] = {}
        for key, kind in self._uses(article):
            asset = media.get(key)
            if asset is None or asset.kind != kind:
                continue
            # The lead's widths include every width the same picture has in the body.
            for rendition in renditions_for(asset, lead=key == lead):
                out.setdefault(rendition.path, rendition)
        return list(out.values())

    def missing_media(
        self, article: Article, media: Mapping[str, MediaAsset] = NO_MEDIA
    ) -> list[str]:
        """Keys the article refers to that ``media`` does not hold, or holds as the other
        kind of file (audio placed as a picture): the page would show a note, not the file.
        First use first, once each."""
        found = [
            key
            for key, kind in self._uses(article)
            if getattr(media.get(key), "kind", None) != kind
        ]
        return list(dict.fromkeys(found))

    def _uses(self, article: Article) -> list[tuple[str, MediaKind]]:
        """(key, the kind of file its place needs) for each reference, in page order."""
        uses = []
        if article.image and (key := key_of(article.image.src)):
            uses.append((key, MediaKind.IMAGE))
        if article.audio and (key := key_of(article.audio.src)):
            uses.append((key, MediaKind.AUDIO))
        uses += [(key, MediaKind.IMAGE) for key in body_keys(article.body)]
        return uses

    # -- article pages --------------------------------------------------------------------

    def view(
        self,
        article: Article,
        related: Sequence[ResolvedRelated] = (),
        *,
        body: RenderedBody | None = None,
        root: str = ARTICLE_ROOT,
        media: Mapping[str, MediaAsset] = NO_MEDIA,
    ) -> ArticleView:
        rendered_body = self.body(article, media) if body is None else body
        return article_view(article, rendered_body, list(related), self.profile, root, media=media)

    def parts(
        self,
        article: Article,
        related: Sequence[ResolvedRelated] = (),
        *,
        body: RenderedBody | None = None,
        media: Mapping[str, MediaAsset] = NO_MEDIA,
    ) -> dict[str, str]:
        """Inner HTML of each region of the article page, keyed by the region's element id.

        The live preview replaces ``document.getElementById(key).innerHTML`` with each value
        that changed: the result is the page :meth:`page_html` would give.
        """
        view = self.view(article, related, body=body, media=media)
        return {key: str(value) for key, value in self._parts(view).items()}

    def _parts(self, view: ArticleView) -> dict[str, Markup]:
        return {
            element_id: Markup(getattr(self._regions, macro)(view))
            for element_id, macro in REGIONS.items()
        }

    def page_html(
        self,
        article: Article,
        related: Sequence[ResolvedRelated] = (),
        *,
        body: RenderedBody | None = None,
        standalone: bool = False,
        media: Mapping[str, MediaAsset] = NO_MEDIA,
    ) -> str:
        """The full article page, as exported to ``<section>/<slug>/index.html``.

        With ``standalone`` the stylesheet is inlined (allowed by its hash in the page's
        security policy) so the preview needs no files; everything else is identical.
        """
        view = self.view(article, related, body=body, media=media)
        meta = article_meta(article, view, self.profile)
        year = dates.format_date(display_moment(article), "%Y", self.profile.time_zone)
        return self._page(
            "article.html",
            meta,
            ARTICLE_ROOT,
            standalone,
            year,
            parts=self._parts(view),
            article=view,
        )

    # -- listing pages --------------------------------------------------------------------

    def section_html(self, listing: Listing, *, path: str, root: str, year: str) -> str:
        meta = listing_meta(listing.title, self.profile.tagline, path, self.profile)
        return self._page("section.html", meta, root, False, year, listing=listing)

    def home_html(self, listing: Listing, *, year: str) -> str:
        meta = listing_meta(self.profile.name, self.profile.tagline, "", self.profile)
        return self._page("home.html", meta, "", False, year, listing=listing)

    def not_found_html(self, *, year: str) -> str:
        """``404.html``, which a web server sends for any missing address, at any depth:
        its links start from the site's own path (``/`` or ``/news/``), not the page's."""
        meta = listing_meta("Page not found", self.profile.tagline, NOT_FOUND, self.profile)
        root = urlsplit(self.base_url).path or "/"
        return self._page("not-found.html", meta, root, False, year)

    # -- assets and policy ----------------------------------------------------------------

    def stylesheet(self) -> str:
        return self.theme.asset("theme.css").decode("utf-8")

    def assets(self) -> dict[str, bytes]:
        """Files every exported site needs, by path below the site root: the stylesheet and
        the icons (the theme folder's own, else Newsdesk's), so no page asks for a file
        that is not there."""
        files = {STYLESHEET: self.theme.asset("theme.css")}
        files |= {name: self.theme.source(name) for name in ICONS}
        return files

    def csp(self, media_origins: Sequence[str] = (), *, inline_css: str = "") -> str:
        """The page's Content-Security-Policy: no script at all, nothing from elsewhere.

        Images and audio may come from the publication's own site and from the origins of
        the article's own featured media; body images from any other host are blocked, so
        a pasted tracking pixel never loads, not even in the preview.
        """
        own = origin(self.base_url) or "'self'"
        media = " ".join(dict.fromkeys(["'self'", own, *media_origins]))
        if inline_css:
            digest = hashlib.sha256(inline_css.encode("utf-8")).digest()
            style = f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
        else:
            style = "'self'"
        return (
            f"default-src 'none'; script-src 'none'; style-src {style}; img-src {media}; "
            f"media-src {media}; font-src 'self'; form-action {own}; base-uri 'none'; "
            "object-src 'none'"
        )

    def _page(
        self,
        template: str,
        meta: PageMeta,
        root: str,
        standalone: bool,
        year: str,
        **context: Any,
    ) -> str:
        inline_css = self.stylesheet() if standalone else ""
        page = {
            "root": root,
            "csp": self.csp(meta.media_origins, inline_css=inline_css),
            "inline_css": Markup(inline_css),
            "standalone": standalone,
            "year": year,
        }
        html = self.theme.template(template).render(page=page, meta=meta, site=self.site, **context)
        return html if html.endswith("\n") else html + "\n"
