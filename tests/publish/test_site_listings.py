"""Listing pages and sitemap: the very bytes and keys of the plain way of making them.

``listing_pages`` and ``sitemap_files`` run on every export over every story of the site
(ten thousand in a big archive), so they are written for speed. Here each is compared with
a plain reference (the code they replaced, kept as it was) on inputs that take every
way round the fast paths: texts that ``repr`` must quote otherwise or escape, addresses to
escape (with characters XML cannot carry, a newline, a non-ASCII letter), moments in other
time zones, sections whose stories disagree on its name, equal moments and equal paths, and
a sitemap split into parts. A different key would make every listing page render again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from operator import itemgetter

import pytest

from newsdesk.core.models import PublicationProfile
from newsdesk.publish.dates import iso
from newsdesk.publish.formats import site
from newsdesk.publish.formats.feed import xml_text
from newsdesk.publish.formats.site import SiteEntry, listing_pages, sitemap_files
from newsdesk.publish.related import base_url, site_url
from newsdesk.publish.renderer import Listing, Renderer

from .samples import PROFILE

SECTIONS = [("World", "world"), ("Business", "business"), ("Sport", "sport")]
# Texts each fast path must leave to the plain one: quotes, a backslash, a control
# character, a non-ASCII letter (which repr keeps), XML's specials; a lone surrogate too
# where nothing is rendered (a page could not be encoded).
ODD = ["o'brien", 'say "no"', "back\\slash", "bell\x07", "café", "a&b<c>"]
# Last changes as the record may hold them: UTC (with a fraction or none), other offsets.
ZONES = [UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5, minutes=-30))]


def entries(count: int, seed: int, *, odd: bool = True) -> list[SiteEntry]:
    rng = random.Random(seed)
    start = datetime(2025, 12, 31, 20, 0, tzinfo=UTC)
    made: list[SiteEntry] = []
    for number in range(count):
        name, slug = rng.choice(SECTIONS)
        if slug == "sport" and rng.random() < 0.3:
            name = rng.choice(["sport", "Sports"])  # the section's name, not agreed on
        quirk = rng.choice(ODD) if odd and rng.random() < 0.2 else ""
        uri = f"urn:newsdesk:article:{number}{quirk if rng.random() < 0.5 else ''}"
        made_from = hashlib.sha256(uri.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        if quirk and rng.random() < 0.5:
            made_from += rng.choice([quirk, "half\ud800"])
        path = f"{slug}/story-{number}{quirk}/"
        if odd and rng.random() < 0.02:
            path = f"{slug}/line\nbreak-{number}/"
        if number % 17 == 5:
            path = f"{slug}/story-{number - 1}/"  # two stories at one address
        moment = start + timedelta(hours=rng.choice([0, 1, 2, 30, 400]) * rng.random())
        if number % 11 == 3:
            moment = start  # equal moments: ties by uri
        zone = UTC if number == count - 1 else rng.choice(ZONES)  # the last one in UTC
        modified = (moment + timedelta(minutes=5)).astimezone(zone)
        if rng.random() < 0.5:
            modified = modified.replace(microsecond=0)
        date_iso = moment.isoformat(timespec="seconds")
        fields = [uri, f"Story {number}", "", "Standfirst", "By Someone", name, slug, path,
                  "A day", date_iso, -moment.timestamp(), uri]  # fmt: skip
        made.append(SiteEntry.of_fields(fields, modified.isoformat(), made_from))
    return made


def utc_only(count: int, seed: int) -> list[SiteEntry]:
    """Entries as a big archive's record holds them: plain texts, last changes in UTC."""
    return [
        e._replace(modified=datetime.fromisoformat(e.modified).astimezone(UTC).isoformat())
        for e in entries(count, seed, odd=False)
    ]


def disagreeing(count: int, seed: int) -> list[SiteEntry]:
    """Sections whose stories disagree on its name: the newest says another than most
    (World), or as many say one as the other (Sport: ties go by name, to "Sport")."""
    made = entries(count, seed, odd=False)
    seen: Counter[str] = Counter()
    for entry in sorted(made, key=operator.attrgetter("sort_key")):
        slug = entry.fields[6]
        if slug == "world":
            entry.fields[5] = "Globe" if seen[slug] == 0 else "World"
        elif slug == "sport":
            entry.fields[5] = ["sport", "Sport"][seen[slug] % 2]
            last = entry
        seen[slug] += 1
    if seen["sport"] % 2:
        last.fields[5] = "Sports"  # the oldest: as many "sport" as "Sport" again
    return made


# -- the reference: the code replaced, as it was ---------------------------------------------

_LISTING_FIELDS = operator.attrgetter(*(f for f in Listing.__dataclass_fields__ if f != "teasers"))


def reference_listing_pages(
    renderer: Renderer, entries: Sequence[SiteEntry], *, salt: str = "", current: site.PageCheck
) -> list[tuple[str, bytes | None, str]]:
    files: list[tuple[str, bytes | None, str]] = []
    for path, page, shown, page_args in _reference_listings(renderer, entries):
        teasers = [(entry.fields[0], entry.made_from) for entry in shown]
        inputs = (salt, path, teasers, _LISTING_FIELDS(page), page_args)
        digest = hashlib.sha256(repr(inputs).encode("utf-8", "surrogatepass")).hexdigest()[:32]
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


ReferencePage = tuple[str, Listing, Sequence[SiteEntry], tuple[str, str, str]]


def _reference_listings(renderer: Renderer, entries: Sequence[SiteEntry]) -> list[ReferencePage]:
    ordered = sorted(entries, key=operator.attrgetter("sort_key"))
    year = str(int(ordered[0].fields[9][:4])) if ordered else "1970"
    by_section: dict[str, list[SiteEntry]] = defaultdict(list)
    for entry in ordered:
        by_section[entry.fields[6]].append(entry)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for (slug, name), count in Counter((e.fields[6], e.fields[5]) for e in ordered).items():
        names[slug][name] += count
    files: list[ReferencePage] = []
    sections = []
    for slug in sorted(by_section):
        name = sorted(names[slug].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        shown = by_section[slug]
        sections.append((name, slug, len(shown)))
        files += _reference_section_pages(name, slug, shown, year)
    home = Listing(title=renderer.profile.name, teasers=(),
                   sections=sorted(sections, key=lambda s: s[0].casefold()))  # fmt: skip
    files.append(("index.html", home, ordered[: site.HOME_SIZE], ("", "", year)))
    return files


def _reference_section_pages(
    name: str, slug: str, shown: list[SiteEntry], year: str
) -> list[ReferencePage]:
    size = site.PAGE_SIZE
    pages = [shown[i : i + size] for i in range(0, len(shown), size)] or [[]]
    files: list[ReferencePage] = []
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


def reference_sitemap_files(
    entries: Sequence[SiteEntry], listing_paths: Sequence[str], profile: PublicationProfile
) -> list[tuple[str, bytes]]:
    moments = [datetime.fromisoformat(entry.modified) for entry in entries]
    newest_change = iso(max(moments)) if moments else ""
    base = base_url(profile)
    urls = [(base + p.removesuffix("index.html"), newest_change) for p in sorted(listing_paths)]
    urls += sorted(
        ((base + e.fields[7], iso(datetime.fromisoformat(e.modified))) for e in entries),
        key=itemgetter(0),
    )
    limit = site.SITEMAP_LIMIT
    chunks = [urls[i : i + limit] for i in range(0, len(urls), limit)] or [[]]
    if len(chunks) == 1:
        return [("sitemap.xml", _reference_urlset(chunks[0]))]
    files = [(f"sitemap-{n}.xml", _reference_urlset(c)) for n, c in enumerate(chunks, start=1)]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for name, _ in files:
        lines.append(f"<sitemap><loc>{xml_text(site_url(profile, name))}</loc></sitemap>")
    lines.append("</sitemapindex>")
    files.append(("sitemap.xml", ("\n".join(lines) + "\n").encode()))
    return files


def _reference_urlset(urls: Sequence[tuple[str, str]]) -> bytes:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for loc, lastmod in urls:
        shown = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{xml_text(loc)}</loc>{shown}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()


# -- the comparisons ------------------------------------------------------------------------


def _never(path: str, key: str) -> bool:
    return False


@pytest.mark.parametrize(
    ("count", "seed", "make"),
    [
        (0, 1, entries),
        (1, 2, entries),
        (9, 3, entries),
        (260, 4, entries),
        (240, 5, utc_only),
        (40, 11, disagreeing),
    ],
)
def test_listing_pages_and_keys_are_the_reference_ones(count, seed, make) -> None:
    """Every page's path, bytes and key, whether it is rendered or found current."""
    renderer = Renderer(PROFILE)
    shown = make(count, seed)
    expected = reference_listing_pages(renderer, shown, salt="s'alt", current=_never)
    assert listing_pages(renderer, shown, salt="s'alt") == expected
    assert len(expected) > 1 or count == 0
    # Half the pages current (found by their reference key): those are not rendered.
    keys = {path: key for path, _, key in expected[::2]}
    current = lambda path, key: keys.get(path) == key  # noqa: E731
    partly = reference_listing_pages(renderer, shown, salt="s'alt", current=current)
    assert listing_pages(renderer, shown, salt="s'alt", current=current) == partly
    assert sum(data is None for _, data, _ in partly) == len(keys)


def test_the_fast_key_text_is_repr_of_each_page() -> None:
    """A big archive's entries (plain texts) take the fast way, which writes repr's text
    for each page; a text repr would write otherwise takes the plain way, for its page."""
    shown = utc_only(60, 6)
    pages = [shown[:25], shown[25:50], shown[50:]]
    plain = [repr([(e.fields[0], e.made_from) for e in page]) for page in pages]
    assert site._teasers_reprs(shown, 25) == plain
    assert site._teasers_reprs([], 25) == ["[]"]
    odd = [*shown[:30], shown[30]._replace(made_from="back\\slash"), *shown[31:]]
    pages = [odd[:25], odd[25:50], odd[50:]]
    assert site._teasers_reprs(odd, 25) == [
        repr([(e.fields[0], e.made_from) for e in page]) for page in pages
    ]


@pytest.mark.parametrize(
    "case",
    [(0, 1, entries), (1, 7, entries), (40, 8, entries), (300, 9, entries), (300, 10, utc_only)],
)
@pytest.mark.parametrize("limit", [50_000, 7])
@pytest.mark.parametrize("base", ["https://example.com/", "https://example.com/news&views/"])
def test_sitemap_is_the_reference_one(case, limit, base, monkeypatch) -> None:
    """The sitemap (and its parts past the limit, with their index): the same bytes."""
    count, seed, make = case
    monkeypatch.setattr(site, "SITEMAP_LIMIT", limit)
    profile = dataclasses.replace(PROFILE, base_url=base)
    shown = make(count, seed)
    listing = [path for path, _, _ in listing_pages(Renderer(profile), shown)]
    expected = reference_sitemap_files(shown, listing, profile)
    assert sitemap_files(shown, listing, profile) == expected
    assert (len(expected) > 1) == (len(listing) + count > limit)
