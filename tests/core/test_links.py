"""Related links kept clean: addresses normalised or refused, duplicates found and merged."""

from __future__ import annotations

import pytest

from newsdesk.core.errors import ValidationError
from newsdesk.core.models import Article, RelatedLink, RelationKind
from newsdesk.core.related.duplicates import (
    Duplicate,
    DuplicateKind,
    duplicate_of,
    find_duplicates,
    merge,
    merge_all,
)
from newsdesk.core.related.links import (
    article_link,
    external_link,
    normalize_url,
    resolve_entry,
    url_key,
)
from newsdesk.core.related.pasted import PastedEntry, parse_pasted
from newsdesk.core.related.same_story import StoryText, same_story


def near_duplicate_titles(a: str, b: str) -> bool:
    return same_story(StoryText(a), StoryText(b))


@pytest.mark.parametrize(
    ("given", "normal"),
    [
        (
            "https://example.com/a?utm_source=news&utm_medium=email&id=3",
            "https://example.com/a?id=3",
        ),
        ("https://example.com/a?UTM_Campaign=x", "https://example.com/a"),
        ("https://example.com/a?fbclid=IwAR0x&gclid=1&page=2", "https://example.com/a?page=2"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("HTTPS://WWW.Example.COM/Path", "https://www.example.com/Path"),
        ("https://example.com/news/story/", "https://example.com/news/story"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("www.example.com/page", "https://www.example.com/page"),
        ("example.org/report?id=7", "https://example.org/report?id=7"),
        ("  https://example.com/a  ", "https://example.com/a"),
        ("https://example.com./a", "https://example.com/a"),
        ("https://example.com/?amp", "https://example.com/?amp"),
        ("https://example.com/?q=a+b&x=%2B", "https://example.com/?q=a%20b&x=%2B"),
        ("https://example.com/?b=2&a=1", "https://example.com/?b=2&a=1"),
        ("http://127.0.0.1:8000/a", "http://127.0.0.1:8000/a"),
        ("https://example.com/a/../b", "https://example.com/b"),
        ("https://example.com/a/./b/../c/", "https://example.com/a/c"),
        ("https://example.com/a/%2E%2E/b?x=1", "https://example.com/b?x=1"),
        ("https://example.com/../../a", "https://example.com/a"),
        ("https://example.com/a/..", "https://example.com/"),
        ("https://example.com/v1.2/a..b/.c", "https://example.com/v1.2/a..b/.c"),
        ("https://[::1]:8443/a", "https://[::1]:8443/a"),
    ],
)
def test_addresses_get_one_spelling(given: str, normal: str) -> None:
    assert normalize_url(given) == normal
    assert normalize_url(normal) == normal  # normalising twice changes nothing


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("javascript:alert(1)", "'javascript:' links are not allowed"),
        ("JavaScript:alert(1)", "'javascript:' links are not allowed"),
        ("data:text/html,<b>x</b>", "not allowed|spaces, quotes"),
        ("data:text/html;base64,PHNjcmlwdD4=", "'data:' links are not allowed"),
        ("ftp://files.example.com/a", "'ftp:' links are not allowed"),
        ("mailto:desk@example.com", "'mailto:' links are not allowed"),
        ("file:///etc/passwd", "'file:' links are not allowed"),
        ("https://user:secret@example.com/", "user name or password"),
        ("https://user@example.com/", "user name or password"),
        ("https://example.com/a\x00b", "control characters"),
        ("https://example.com/a\nb", "control characters"),
        ("https://example.com/a b", "spaces"),
        ("https://example.com/\u200bpay", "control characters"),  # zero-width space
        ("https://example.com/\u202egpj.exe", "control characters"),  # right-to-left override
        ("https://example.com/a\u00a0b", "spaces"),
        ('https://example.com/"onmouseover', "quotes"),
        ("https://localhost/", "no host name"),
        ("https:///path", "no host name"),
        ("https://example.com:99999/", "invalid port"),
        ("https://example.com:0/", "invalid port"),
        ("https://example.com:http/", "invalid port"),
        ("//example.com/a", "not a web address"),
        ("river-ouse-floods-york", "not a web address"),
        ("River Ouse floods York", "spaces"),
        ("", "empty"),
        ("https://example.com/" + "a" * 2100, "longer than"),
    ],
)
def test_unsafe_or_broken_addresses_are_refused_with_the_reason(given: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        normalize_url(given)


def test_url_key_ignores_scheme_www_and_escape_spelling() -> None:
    same = [
        "http://www.example.com/a/?utm_source=x",
        "https://example.com/a#top",
        "example.com/a",
    ]
    assert len({url_key(u) for u in same}) == 1
    assert url_key("https://bücher.example/%7euser/é") == url_key(
        "https://xn--bcher-kva.example/~user/%C3%A9"
    )
    assert url_key("https://example.com/a") != url_key("https://example.com/b")
    assert url_key("https://example.com/a?id=1") != url_key("https://example.com/a?id=2")
    assert url_key("https://example.com:8080/a") != url_key("https://example.com/a")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("River Ouse floods York", "River Ouse floods York"),
        ("River Ouse floods York", "RIVER OUSE FLOODS YORK!"),
        ("River Ouse floods York", "York flooded as River Ouse bursts its banks"),
        (
            "Severn barrier delay leaves homes exposed",
            "Delay to Severn barrier leaves homes exposed",
        ),
        ("Election: what the result means", "Election results: what it means"),
        ("Café reopens", "Cafe reopens"),
        ("Flood defences", "Flood defence"),
        ("Council raises tax", "Council raising tax"),
        ("Rovers sack manager after seven defeats", "Rovers sack manager"),
    ],
)
def test_two_headlines_for_one_story_are_near_duplicates(a: str, b: str) -> None:
    assert near_duplicate_titles(a, b)
    assert near_duplicate_titles(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Council raises tax", "Council cuts tax"),
        ("Strike talks resume", "Strike talks collapse"),
        (
            "Tube drivers announce 48-hour walkout over rosters",
            "Tube drivers announce 24-hour walkout over pay",
        ),
        ("Council votes to raise council tax", "Council votes against raising council tax"),
        ("Prices up again", "Prices down again"),
        ("UK", "US"),
        ("Flooding", "Housing"),
        ("", ""),
        ("River Ouse floods York", "Harbourside Rovers appoint academy boss"),
    ],
)
def test_different_stories_are_not_near_duplicates(a: str, b: str) -> None:
    assert not near_duplicate_titles(a, b)
    assert not near_duplicate_titles(b, a)


def link(title: str, *, uri: str = "", url: str = "", pinned: bool = False) -> RelatedLink:
    return RelatedLink(title=title, target_uri=uri or None, url=url or None, pinned=pinned)


def test_duplicates_are_found_by_article_address_and_story() -> None:
    links = [
        link("River Ouse floods York", url="https://news.example.com/ouse"),
        link("Council budget", uri="urn:a"),
        link("York flooded as River Ouse bursts its banks", uri="urn:b"),
        link("Another take", url="http://www.news.example.com/ouse/?utm_source=x"),
        link("Budget (old title)", uri="urn:a"),
        link("Harbourside Rovers appoint academy boss", uri="urn:c"),
    ]
    found = find_duplicates(links)
    assert found == [
        Duplicate(2, 0, DuplicateKind.SAME_STORY),
        Duplicate(3, 0, DuplicateKind.SAME_URL),
        Duplicate(4, 1, DuplicateKind.SAME_ARTICLE),
    ]
    assert found[0].describe(links) == "same story as #1 “River Ouse floods York”"


def test_a_linked_articles_current_headline_is_what_is_compared() -> None:
    links = [link("Old working title", uri="urn:a")]
    candidate = link("York flooded as River Ouse bursts its banks", uri="urn:b")
    assert duplicate_of(links, candidate) is None
    targets = {"urn:a": Article(headline="River Ouse floods York", uri="urn:a")}
    assert duplicate_of(links, candidate, targets) == Duplicate(1, 0, DuplicateKind.SAME_STORY)


def test_merge_keeps_the_originals_place_and_pin_and_prefers_the_article() -> None:
    links = [
        link("Budget", uri="urn:a"),
        link("River Ouse floods York", url="https://news.example.com/ouse"),
        link("Rovers win", uri="urn:c"),
        link("York flooded as River Ouse bursts its banks", uri="urn:b", pinned=True),
    ]
    merged = merge(links, Duplicate(3, 1, DuplicateKind.SAME_STORY))
    assert [m.target_uri for m in merged] == ["urn:a", "urn:b", "urn:c"]
    assert merged[1].pinned and merged[1].url is None


def test_merge_all_keeps_order_pins_and_names_entries_as_given() -> None:
    links = [
        link("River Ouse floods York", url="https://a.example.com/x"),
        link("Council budget", uri="urn:u1", pinned=True),
        RelatedLink(
            "York flooded as River Ouse bursts its banks",
            target_uri="urn:u2",
            relation=RelationKind.BACKGROUND,
            pinned=True,
        ),
        link("Other spelling", url="https://www.a.example.com/x/?utm_source=1"),
        link("Council budget", uri="urn:u1"),
        link("Harbourside Rovers appoint academy boss", uri="urn:u3"),
    ]
    merged, done = merge_all(links)
    # The address and its repeat fold into the article link, in the first entry's place.
    assert [m.target_uri for m in merged] == ["urn:u2", "urn:u1", "urn:u3"]
    assert merged[0].pinned and merged[0].relation == RelationKind.RELATED
    assert merged[1].pinned and not merged[2].pinned
    assert done == [
        Duplicate(2, 0, DuplicateKind.SAME_STORY),
        Duplicate(3, 0, DuplicateKind.SAME_URL),
        Duplicate(4, 1, DuplicateKind.SAME_ARTICLE),
    ]
    assert find_duplicates(merged) == []
    assert merge_all(merged) == (merged, [])


def test_parse_pasted_reads_links_titles_and_headlines() -> None:
    block = """
    - [River floods](https://a.example.com/x)
    * River Ouse floods York https://b.example.com/y.
    Severn barrier delay leaves homes exposed
    https://c.example.com/1 https://d.example.com/2
    Flood map — www.e.example.com/page
    <https://f.example.com/x>
    "https://g.example.com/q"
    See https://en.wikipedia.org/wiki/Flood_(disambiguation).
    (background: https://h.example.com/a)
    """
    entries = parse_pasted(block)
    assert [(e.url, e.title) for e in entries] == [
        ("https://a.example.com/x", "River floods"),
        ("https://b.example.com/y", "River Ouse floods York"),
        ("", ""),
        ("https://c.example.com/1", ""),
        ("https://d.example.com/2", ""),
        ("www.e.example.com/page", "Flood map"),
        ("https://f.example.com/x", ""),
        ("https://g.example.com/q", ""),
        ("https://en.wikipedia.org/wiki/Flood_(disambiguation)", "See"),
        ("https://h.example.com/a", "background"),
    ]
    assert entries[2] == PastedEntry("Severn barrier delay leaves homes exposed")
    assert not entries[2].is_url and entries[0].is_url
    assert parse_pasted("\n  \n") == []


def test_entries_from_what_was_typed() -> None:
    target = Article(headline="River Ouse floods York").normalized()

    def find(slug: str) -> Article | None:
        return target if slug == target.slug else None

    made = resolve_entry("river-ouse-floods-york", find)
    assert made == article_link(target)
    by_path = resolve_entry("https://example.com/uk/river-ouse-floods-york/", find)
    assert by_path.url == "https://example.com/uk/river-ouse-floods-york"  # an address stays one
    titled = resolve_entry("river-ouse-floods-york", find, title="  Floods   in York ")
    assert titled.title == "Floods in York" and titled.target_uri == target.uri
    outside = resolve_entry("www.example.org/reports/flood-map.pdf?utm_source=x", find)
    assert outside == external_link("https://www.example.org/reports/flood-map.pdf")
    assert outside.title == "Flood map (example.org)"
    with pytest.raises(ValidationError, match="no article has the slug 'no-such-story'"):
        resolve_entry("no-such-story", find)
    with pytest.raises(ValidationError, match="'javascript:' links are not allowed"):
        resolve_entry("javascript:alert(1)", find)


def test_two_pages_of_one_site_titled_from_their_addresses_are_two_stories() -> None:

    pages = [external_link(f"http://127.0.0.1:8080/{name}") for name in ("ok", "gone", "error")]
    assert find_duplicates(pages) == []
    titled = [external_link("https://a.example/1", "Ok (127.0.0.1)"), pages[0]]
    assert find_duplicates(titled) == []  # a stand-in title is never compared as a headline


def test_checking_a_list_again_after_one_addition_checks_that_entry_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from newsdesk.core.related import duplicates

    links = [link(f"Story number {n} about {w}", url=f"https://e.example/{n}")
             for n, w in enumerate(["floods", "rail", "schools", "budget"] * 50)]  # fmt: skip
    links.append(link("Story number 3 about budget!", url="https://other.example/3"))
    expected = find_duplicates(links)
    assert expected == [Duplicate(200, 3, DuplicateKind.SAME_STORY)]
    taken = 0
    real_add = duplicates.DuplicateFinder.add

    def counting(self: duplicates.DuplicateFinder, entry: RelatedLink) -> Duplicate | None:
        nonlocal taken
        taken += 1
        return real_add(self, entry)

    monkeypatch.setattr(duplicates.DuplicateFinder, "add", counting)
    more = [*links, link("River Ouse floods York", url="https://f.example/x")]
    assert find_duplicates(more) == expected and taken == 1
    assert find_duplicates(links) == expected and taken == 1  # undone: known already
    twin = link("York flooded as River Ouse bursts its banks", url="https://g.example/y")
    assert duplicate_of(more, twin) == Duplicate(202, 201, DuplicateKind.SAME_STORY)
    assert taken == 1
