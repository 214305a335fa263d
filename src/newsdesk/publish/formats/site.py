"""The static site: article pages, section and home pages, feed, sitemap and assets."""

from __future__ import annotations

import dataclasses
import hashlib
import operator
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any, NamedTuple

from newsdesk.core.models import Article, PublicationProfile
from newsdesk.publish.dates import iso
from newsdesk.publish.formats.feed import FEED_SIZE, FeedEntry, atom_feed, xml_text
from newsdesk.publish.formats.redirects import redirect_files
from newsdesk.publish.paths import article_path, section_name, section_slug
from newsdesk.publish.related import base_url, site_url
from newsdesk.publish.renderer import Listing, Renderer
from newsdesk.publish.views import (
    Teaser,
    author_names,
    display_moment,
    display_text,
    modified_moment,
    published_moment,
    teaser,
)

PAGE_SIZE = 50
HOME_SIZE = 30
SITEMAP_LIMIT = 50_000


def article_page_path(article: Article) -> str:
    return f"{article_path(article)}index.html"


def story_site_files(article: Article, profile: PublicationProfile) -> list[tuple[str, bytes]]:
    """The story's site files besides its page, as ``(path below the export folder,
    bytes)``: a redirect page for each former address (issue 20). The export owns them
    with the page (planned from ``ArticleRecord.redirects``)."""
    return redirect_files(article, profile)


class SiteEntry(NamedTuple):
    """What the listing pages, the feed and the sitemap need of one published article.

    Made for every story the site lists (ten thousand in a big archive), so kept lean: the
    teaser as the list of fields the export record keeps (:func:`teaser_fields`), made
    into a :class:`Teaser` only for the pages rendered; ``modified`` as the record keeps
    it (ISO 8601). ``made_from`` hashes everything the teaser is made from but the
    renderer and profile (the story's own digest): with those as the salt, it stands for
    the teaser in the listing pages' keys, which are then made without reading every
    teaser's words.
    """

    sort_key: tuple[float, str]  # newest first, ties by uri (the teaser's)
    fields: list[Any]  # the teaser's fields, as teaser_fields lists them
    modified: str  # the story's last change, ISO 8601
    made_from: str

    @classmethod
    def of_fields(cls, fields: list[Any], modified: str, made_from: str) -> SiteEntry:
        return cls((fields[10], fields[11]), fields, modified, made_from)

    @property
    def teaser(self) -> Teaser:
        return teaser_of(self.fields)


def teaser_fields(t: Teaser) -> list[Any]:
    """The fields of a teaser as the export record keeps them (JSON: no tuple)."""
    return [t.uri, t.headline, t.kicker, t.standfirst, t.byline, t.section, t.section_slug,
            t.path, t.date_text, t.date_iso, *t.sort_key]  # fmt: skip


def teaser_of(fields: list[Any]) -> Teaser:
    """A teaser from the fields the export record keeps of it."""
    (uri, headline, kicker, standfirst, byline, section, section_slug, path, date_text,
     date_iso, moment, tie) = fields  # fmt: skip
    return Teaser(uri, headline, kicker, standfirst, byline, section, section_slug, path,
                  date_text, date_iso, (moment, tie))  # fmt: skip


def site_entry(article: Article, profile: PublicationProfile, made_from: str) -> SiteEntry:
    fields = teaser_fields(teaser(article, profile))
    return SiteEntry.of_fields(fields, modified_moment(article).isoformat(), made_from)


def feed_entry(article: Article, content_html: str, profile: PublicationProfile) -> FeedEntry:
    shown = display_text(article, profile)  # typeset as the page shows it
    return FeedEntry(
        uri=article.uri,
        title=shown.headline,
        url=site_url(profile, article_path(article)),
        published=published_moment(article),
        updated=modified_moment(article),
        authors=author_names(article),
        summary=shown.standfirst,
        content_html=content_html,
        categories=[section_name(article.section), *article.tags],
    )


def newest(articles: Iterable[Article], count: int = FEED_SIZE) -> list[Article]:
    """The ``count`` articles a reader sees first: latest display date, ties by uri."""
    return sorted(articles, key=lambda a: (-display_moment(a).timestamp(), a.uri))[:count]


def _year(ordered: Sequence[SiteEntry]) -> str:
    """The footer's year on the listing pages: that of the newest story's display date in
    the publication's time zone, as an article page shows its own. An edit of an older
    story leaves every page it is not on as it was; the year's first story changes all."""
    if not ordered:
        return "1970"
    return str(int(ordered[0].fields[9][:4]))  # the date as the page writes it (date_iso)


# Is the page at ``path`` already exported from inputs hashed to ``key``?
PageCheck = Callable[[str, str], bool]


def _never(path: str, key: str) -> bool:
    return False


def listing_pages(
    renderer: Renderer, entries: Sequence[SiteEntry], *, salt: str = "", current: PageCheck = _never
) -> list[tuple[str, bytes | None, str]]:
    """Home page and paginated section pages, as ``(path below the site, bytes, key)``.

    ``key`` hashes everything the page is made from (with ``salt``: the renderer and
    profile); a page for which ``current(path, key)`` holds is not rendered (bytes
    ``None``), and its teasers are not made.
    """
    files: list[tuple[str, bytes | None, str]] = []
    for path, page, shown, page_args in _listings(renderer, entries):
        digest = _listing_key(salt, path, page, page_args, shown)
        if current(path, digest):
            files.append((path, None, digest))
            continue
        listing = dataclasses.replace(page, teasers=[entry.teaser for entry in shown])
        if path == "index.html":
            html = renderer.home_html(listing, year=page_args[2])
        else:
            html = renderer.section_html(
                listing, path=page_args[0], root=page_args[1], year=page_args[2]
            )
        files.append((path, html.encode(), digest))
    return files


_LISTING_FIELDS = operator.attrgetter(*(f for f in Listing.__dataclass_fields__ if f != "teasers"))


def _listing_key(
    salt: str,
    path: str,
    listing: Listing,
    page_args: tuple[str, ...],
    shown: Sequence[SiteEntry],
) -> str:
    """Everything a listing page is made from, hashed (as plain tuples: a fast repr):
    each teaser stands as its story's uri and what it is made from."""
    teasers = [(entry.fields[0], entry.made_from) for entry in shown]
    inputs = (salt, path, teasers, _LISTING_FIELDS(listing), page_args)
    return hashlib.sha256(repr(inputs).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def listing_files(renderer: Renderer, entries: Sequence[SiteEntry]) -> list[tuple[str, bytes]]:
    """Home page and paginated section pages, as ``(path below the site, bytes)``."""
    return [(path, data) for path, data, _ in listing_pages(renderer, entries) if data is not None]


# A listing page: its path, its listing (without teasers), the entries it shows and its
# ``(path, root, year)``.
Page = tuple[str, Listing, Sequence[SiteEntry], tuple[str, str, str]]
_SORT_KEY = operator.attrgetter("sort_key")
_SLUG_AND_NAME = operator.itemgetter(6, 5)  # of a teaser's fields


def _listings(renderer: Renderer, entries: Sequence[SiteEntry]) -> list[Page]:
    """Each listing page, newest stories first."""
    profile = renderer.profile
    ordered = sorted(entries, key=_SORT_KEY)  # newest first
    year = _year(ordered)
    by_section: dict[str, list[SiteEntry]] = defaultdict(list)
    for entry in ordered:
        by_section[entry.fields[6]].append(entry)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    counted = Counter(map(_SLUG_AND_NAME, (entry.fields for entry in ordered)))
    for (slug, name), count in counted.items():
        names[slug][name] += count
    files: list[Page] = []
    sections = []
    for slug in sorted(by_section):
        name = sorted(names[slug].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        shown = by_section[slug]
        sections.append((name, slug, len(shown)))
        files += _section_pages(name, slug, shown, year)
    home = Listing(title=profile.name, teasers=(),
                   sections=sorted(sections, key=lambda s: s[0].casefold()))  # fmt: skip
    files.append(("index.html", home, ordered[:HOME_SIZE], ("", "", year)))
    return files


def _section_pages(name: str, slug: str, shown: list[SiteEntry], year: str) -> list[Page]:
    pages = [shown[i : i + PAGE_SIZE] for i in range(0, len(shown), PAGE_SIZE)] or [[]]
    files: list[Page] = []
    for number, chunk in enumerate(pages, start=1):
        path = f"{slug}/" if number == 1 else f"{slug}/page/{number}/"
        root = "../" * path.count("/")
        previous = ""
        if number == 2:
            previous = f"{root}{slug}/"
        elif number > 2:
            previous = f"{root}{slug}/page/{number - 1}/"
        following = f"{root}{slug}/page/{number + 1}/" if number < len(pages) else ""
        listing = Listing(
            title=name,
            teasers=(),
            page_number=number,
            page_count=len(pages),
            previous_href=previous,
            next_href=following,
        )
        files.append((f"{path}index.html", listing, chunk, (path, root, year)))
    return files


def sitemap_files(
    entries: Sequence[SiteEntry], listing_paths: Sequence[str], profile: PublicationProfile
) -> list[tuple[str, bytes]]:
    """``sitemap.xml`` (a sitemap index with numbered parts past 50,000 URLs)."""
    newest_change = _latest_change([entry.modified for entry in entries])
    base = base_url(profile)
    urls: list[tuple[str, str]] = [
        (base + path.removesuffix("index.html"), newest_change) for path in sorted(listing_paths)
    ]
    urls += sorted(((base + e.fields[7], _lastmod(e.modified)) for e in entries), key=itemgetter(0))
    chunks = [urls[i : i + SITEMAP_LIMIT] for i in range(0, len(urls), SITEMAP_LIMIT)] or [[]]
    if len(chunks) == 1:
        return [("sitemap.xml", _urlset(chunks[0]))]
    files = [(f"sitemap-{n}.xml", _urlset(chunk)) for n, chunk in enumerate(chunks, start=1)]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for name, _ in files:
        lines.append(f"<sitemap><loc>{xml_text(site_url(profile, name))}</loc></sitemap>")
    lines.append("</sitemapindex>")
    files.append(("sitemap.xml", ("\n".join(lines) + "\n").encode()))
    return files


_UTC_SUFFIX = "+00:00"
_IN_UTC = operator.methodcaller("endswith", _UTC_SUFFIX)


def _lastmod(moment: str) -> str:
    """A moment as the sitemap writes it (``iso``): read from its text where that is UTC
    already (the first 19 characters are then those ``iso`` writes), as it is for ten
    thousand stories."""
    if moment.endswith(_UTC_SUFFIX) and len(moment) in {25, 32}:
        return moment[:19] + "Z"
    return iso(datetime.fromisoformat(moment))


def _latest_change(moments: list[str]) -> str:
    """The latest of ``moments`` (ISO 8601) as the sitemap writes it, ``""`` for none. In
    UTC with the same layout, the text sorts as the moments do (a fraction of a second
    sorts after none, as it is later)."""
    if not moments:
        return ""
    if set(map(len, moments)) <= {25, 32} and all(map(_IN_UTC, moments)):  # no call a story
        return _lastmod(max(moments))
    return iso(max(datetime.fromisoformat(m) for m in moments))


def _urlset(urls: Sequence[tuple[str, str]]) -> bytes:
    # Escaped at once (escaping goes character by character): split again where no
    # address holds a newline.
    joined = "\n".join(loc for loc, _ in urls)
    if joined.count("\n") == len(urls) - 1:
        locs = xml_text(joined).split("\n") if urls else []
    else:
        locs = [xml_text(loc) for loc, _ in urls]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for loc, (_, lastmod) in zip(locs, urls, strict=True):
        shown = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{loc}</loc>{shown}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()


def robots_txt(profile: PublicationProfile) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {base_url(profile)}sitemap.xml\n".encode()


def feed_file(
    articles: Sequence[Article], bodies: dict[str, str], profile: PublicationProfile
) -> bytes:
    """``feed.xml`` for ``articles`` (already the newest few), with their hand-off HTML."""
    entries = [feed_entry(a, bodies[a.uri], profile) for a in articles]
    updated = max((modified_moment(a) for a in articles), default=None)
    return atom_feed(entries, profile, updated=updated)


__all__ = [
    "SiteEntry",
    "article_page_path",
    "feed_file",
    "listing_files",
    "listing_pages",
    "newest",
    "robots_txt",
    "section_slug",
    "site_entry",
    "sitemap_files",
    "story_site_files",
    "teaser_fields",
    "teaser_of",
]
