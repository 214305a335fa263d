"""The static site: article pages, section and home pages, feed, sitemap and assets."""

from __future__ import annotations

import dataclasses
import hashlib
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any, NamedTuple

from newsdesk.core.models import Article, PublicationProfile
from newsdesk.publish.dates import iso
from newsdesk.publish.formats.feed import FEED_SIZE, FeedEntry, atom_feed, escape_xml, xml_text
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
    salt_repr = repr(salt)
    for path, page, shown, page_args, teasers in _listings(renderer, entries):
        digest = _listing_key(salt_repr, path, page, page_args, teasers)
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
# An entry's fields by place (one call for ten thousand entries, with map), and a teaser's.
_SORT_KEY, _FIELDS, _MODIFIED, _MADE_FROM = (
    itemgetter(SiteEntry._fields.index(name))
    for name in ("sort_key", "fields", "modified", "made_from")
)
_URI = itemgetter(0)  # of a teaser's fields (teaser_fields)
_NAME = itemgetter(5)
_SLUG = itemgetter(6)
_PATH = itemgetter(7)


def _listing_key(
    salt_repr: str, path: str, listing: Listing, page_args: tuple[str, ...], teasers: str
) -> str:
    """Everything a listing page is made from, hashed: the text of ``repr((salt, path,
    teasers, listing fields, page_args))``, each teaser standing as the tuple of its
    story's uri and what it is made from (``teasers`` is that list's text already)."""
    inputs = f"({salt_repr}, {path!r}, {teasers}, {_LISTING_FIELDS(listing)!r}, {page_args!r})"
    return hashlib.sha256(inputs.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _teasers_reprs(shown: list[SiteEntry], size: int) -> list[str]:
    """``repr([(uri, made_from), ...])`` of each ``size`` entries of ``shown`` in turn
    (``["[]"]`` for none). Written as one list of texts, joined a page at a time, where
    every text is plain (``repr`` only quotes it): no call, nothing made an entry, of ten
    thousand in a partial export."""
    count = len(shown)
    texts = ["", "', '", "", "'), ('"] * count  # uri, between, made_from, next tuple
    texts[0::4] = map(_URI, map(_FIELDS, shown))
    texts[2::4] = map(_MADE_FROM, shown)
    reprs = []
    for start in range(0, count, size) if count else [0]:
        end = min(start + size, count)
        try:
            body = "".join(texts[4 * start : 4 * end - 1])
        except TypeError:  # a uri or digest that is no text: repr writes it
            body = ""
        # No quote but those around each text (two a tuple, two between tuples: the
        # first and last are added below).
        if _plain(body, quotes=4 * (end - start) - 2):
            reprs.append(f"[('{body}')]")
        else:
            reprs.append(repr([(entry.fields[0], entry.made_from) for entry in shown[start:end]]))
    return reprs


# The ASCII characters repr writes as they are, but the quote and backslash.
_PLAIN_ASCII = bytes(c for c in range(0x20, 0x7F) if chr(c) not in "'\\")


def _plain(text: str, *, quotes: int) -> bool:
    """Does ``text`` hold ``quotes`` quotes, no backslash, nothing else ``repr`` escapes?
    Asked of its bytes at once when it is ASCII (a site's uris and digests are)."""
    if text.isascii():
        rest = text.encode("ascii").translate(None, _PLAIN_ASCII)
        return len(rest) == quotes and rest.count(b"'") == quotes
    return text.count("'") == quotes and "\\" not in text and text.isprintable()


def listing_files(renderer: Renderer, entries: Sequence[SiteEntry]) -> list[tuple[str, bytes]]:
    """Home page and paginated section pages, as ``(path below the site, bytes)``."""
    return [(path, data) for path, data, _ in listing_pages(renderer, entries) if data is not None]


# A listing page: its path, its listing (without teasers), the entries it shows, its
# ``(path, root, year)`` and the text of its teasers in its key (``_teasers_reprs``).
Page = tuple[str, Listing, Sequence[SiteEntry], tuple[str, str, str], str]


def _listings(renderer: Renderer, entries: Sequence[SiteEntry]) -> list[Page]:
    """Each listing page, newest stories first."""
    profile = renderer.profile
    ordered = sorted(entries, key=_SORT_KEY)  # newest first
    year = _year(ordered)
    slugs = list(map(_SLUG, map(_FIELDS, ordered)))
    by_section: dict[str, list[SiteEntry]] = {slug: [] for slug in set(slugs)}
    for slug, entry in zip(slugs, ordered, strict=True):  # ten thousand: nothing else
        by_section[slug].append(entry)
    files: list[Page] = []
    sections = []
    for slug in sorted(by_section):
        shown = by_section[slug]
        name = _most_used(list(map(_NAME, map(_FIELDS, shown))))
        sections.append((name, slug, len(shown)))
        files += _section_pages(name, slug, shown, year)
    home = Listing(title=profile.name, teasers=(),
                   sections=sorted(sections, key=lambda s: s[0].casefold()))  # fmt: skip
    shown = ordered[:HOME_SIZE]
    files.append(("index.html", home, shown, ("", "", year), _teasers_reprs(shown, HOME_SIZE)[0]))
    return files


def _most_used(names: list[str]) -> str:
    """The name most of a section's stories give it, ties by name (one, most often)."""
    if names.count(names[0]) == len(names):
        return names[0]
    return min(Counter(names).items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _section_pages(name: str, slug: str, shown: list[SiteEntry], year: str) -> list[Page]:
    pages = [shown[i : i + PAGE_SIZE] for i in range(0, len(shown), PAGE_SIZE)] or [[]]
    teasers = _teasers_reprs(shown, PAGE_SIZE)
    files: list[Page] = []
    for number, (chunk, texts) in enumerate(zip(pages, teasers, strict=True), start=1):
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
        files.append((f"{path}index.html", listing, chunk, (path, root, year), texts))
    return files


def sitemap_files(
    entries: Sequence[SiteEntry], listing_paths: Sequence[str], profile: PublicationProfile
) -> list[tuple[str, bytes]]:
    """``sitemap.xml`` (a sitemap index with numbered parts past 50,000 URLs): the listing
    pages, then every story's page, each group by address."""
    modified = list(map(_MODIFIED, entries))
    in_utc = _in_utc(modified)
    newest_change = _latest_change(modified, in_utc)
    # Every address is the base and a path: kept apart (escaped apart, the same as whole)
    # and ordered by path, as they order by address.
    paths = [path.removesuffix("index.html") for path in sorted(listing_paths)]
    seconds = [newest_change[:-1]] * len(paths)  # its Z written with the tag
    stories = list(map(_PATH, map(_FIELDS, entries)))
    order = sorted(range(len(stories)), key=stories.__getitem__)  # stable, as ever
    paths += map(stories.__getitem__, order)
    seconds += _seconds(list(map(modified.__getitem__, order)), in_utc)
    base = xml_text(base_url(profile))
    parts = [
        _urlset(base, paths[i : i + SITEMAP_LIMIT], seconds[i : i + SITEMAP_LIMIT])
        for i in range(0, len(paths), SITEMAP_LIMIT)
    ] or [_urlset(base, [], [])]
    if len(parts) == 1:
        return [("sitemap.xml", parts[0])]
    files = [(f"sitemap-{n}.xml", part) for n, part in enumerate(parts, start=1)]
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
_TO_SECONDS = itemgetter(slice(19))  # of a moment's text in UTC: what ``iso`` writes of it


def _in_utc(moments: list[str]) -> bool:
    """Are all ``moments`` (ISO 8601) in UTC, as ``isoformat`` writes them (to the second
    or the microsecond)? Then their first 19 characters are those ``iso`` writes. Asked of
    the text of them all at once: no call a story."""
    if not set(map(len, moments)) <= {25, 32}:
        return False
    joined = "\n".join(moments)
    ends = len(moments) - 1  # each "+00:00\n" ends a moment where no moment holds a newline
    return (
        joined.count("\n") == ends
        and joined.count(_UTC_SUFFIX + "\n") == ends
        and joined.endswith(_UTC_SUFFIX)
    )


def _lastmod(moment: str) -> str:
    """A moment as the sitemap writes it (``iso``): read from its text where that is UTC
    already (the first 19 characters are then those ``iso`` writes)."""
    if moment.endswith(_UTC_SUFFIX) and len(moment) in {25, 32}:
        return moment[:19] + "Z"
    return iso(datetime.fromisoformat(moment))


def _seconds(moments: list[str], in_utc: bool) -> list[str]:
    """Each moment as the sitemap writes it, but its final Z: read from its text when all
    are in UTC, as they are for ten thousand stories (no call a story)."""
    if in_utc:
        return list(map(_TO_SECONDS, moments))
    return [_lastmod(moment)[:-1] for moment in moments]


def _latest_change(moments: list[str], in_utc: bool) -> str:
    """The latest of ``moments`` (ISO 8601) as the sitemap writes it, ``""`` for none. In
    UTC with the same layout, the text sorts as the moments do (a fraction of a second
    sorts after none, as it is later)."""
    if not moments:
        return ""
    if in_utc:
        return _lastmod(max(moments))
    return iso(max(datetime.fromisoformat(m) for m in moments))


def _urlset(base: str, paths: list[str], seconds: list[str]) -> bytes:
    """A sitemap of the addresses ``base`` (escaped) + each of ``paths``, each changed last
    at its ``seconds`` (``iso`` but the Z; no ``<lastmod>`` where empty)."""
    # Escaped at once (escaping goes character by character): split again where no path
    # holds a newline.
    joined = "\n".join(paths)
    if not paths:
        escaped = []
    elif joined.count("\n") == len(paths) - 1:
        escaped = _quick_xml_text(joined).split("\n")
    else:
        escaped = [xml_text(path) for path in paths]
    if escaped and all(seconds):  # as for every story: one join, nothing made a story
        texts = ["", "</loc><lastmod>", "", f"Z</lastmod></url>\n<url><loc>{base}"] * len(paths)
        texts[0::4] = escaped
        texts[2::4] = seconds
        texts[-1] = "Z</lastmod></url>\n"
        urls = [f"<url><loc>{base}", *texts]
    else:
        urls = [
            f"<url><loc>{base}{path}</loc><lastmod>{moment}Z</lastmod></url>\n"
            if moment
            else f"<url><loc>{base}{path}</loc></url>\n"
            for path, moment in zip(escaped, seconds, strict=True)
        ]
    return "".join([_URLSET_HEAD, *urls, "</urlset>\n"]).encode()


_URLSET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)
# The ASCII characters XML 1.0 carries (feed's ``_NOT_XML`` takes out the others).
_XML_ASCII = bytes([0x09, 0x0A, 0x0D, *range(0x20, 0x80)])


def _quick_xml_text(value: str) -> str:
    """``xml_text(value)``, its search for characters XML cannot carry made at the speed
    of bytes where the text is ASCII (as the addresses of a site are)."""
    if value.isascii() and not value.encode("ascii").translate(None, _XML_ASCII):
        return escape_xml(value)
    return xml_text(value)


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
