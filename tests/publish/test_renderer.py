"""The one renderer: the article page, its regions, its metadata and its theme."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
from pathlib import Path

import pytest

from newsdesk.core.models import Media, PublicationProfile, RelatedLink, Status
from newsdesk.publish.errors import ThemeError
from newsdesk.publish.related import resolve_related
from newsdesk.publish.renderer import REGIONS, Renderer

from .dom import (
    by_id,
    csp_sources,
    executable_findings,
    find_all,
    inner_html,
    meta_map,
    parse,
    parse_strict,
    tag,
    text_of,
)
from .fakes import DictCache
from .samples import PROFILE, linked, other, story


@pytest.fixture
def renderer() -> Renderer:
    return Renderer(PROFILE)


def _page(renderer: Renderer, **changes: object) -> str:
    article = story(**changes)
    targets = [other(n) for n in range(2, 5)]
    article = linked(article, *targets, external=("https://www.example.org/report",))
    related = resolve_related(article, {t.uri: t for t in targets}, PROFILE)
    return renderer.page_html(article, related)


def test_page_is_valid_html5_with_landmarks_one_h1_and_lang(renderer: Renderer) -> None:
    html = _page(renderer)
    root = parse_strict(html)  # raises on any HTML5 parse error
    assert html.startswith("<!DOCTYPE html>\n")
    assert find_all(root, "html")[0].get("lang") == "en-GB"
    assert [text_of(h) for h in find_all(root, "h1")] == [
        "The Borough\u2019s Quiet Fix: Over 1,000 Bicycles Back on the Road"
    ]
    for landmark in ("header", "main", "article", "aside", "footer"):
        assert find_all(root, landmark), landmark
    assert executable_findings(root) == []


def test_page_shows_the_anatomy_of_the_reference_page(renderer: Renderer) -> None:
    root = parse(_page(renderer))
    assert text_of(find_all(root, "header")[0]).split() == [
        "London",
        "Daily",
        "Focus",
        "on",
        "the",
        "big",
        "picture.",
    ]
    assert text_of(by_id(root, "nd-date")) == "Saturday, Jan 17, 2026"
    assert by_id(root, "nd-date")[0].get("datetime") == "2026-01-17T09:30:00+00:00"
    assert text_of(by_id(root, "nd-kicker")) == "Transport"
    assert text_of(by_id(root, "nd-standfirst")).startswith("A volunteer repair scheme")
    byline = text_of(by_id(root, "nd-byline"))
    assert "By Helen Park" in byline
    assert "Walthamstow" in byline
    assert "Priya Natarajan" in text_of(by_id(root, "nd-body"))
    newsletter = next(s for s in find_all(root, "section") if s.get("class") == "newsletter")
    assert PROFILE.newsletter_text in text_of(newsletter)
    form = find_all(newsletter, "form")[0]
    assert form.get("action") == "https://example.com/newsletter/"
    related = by_id(root, "nd-related")
    assert [a.get("href") for a in find_all(related, "a")] == [
        "../../world/harbour-review-2/",
        "../../world/harbour-review-3/",
        "../../world/harbour-review-4/",
        "https://www.example.org/report",
    ]
    audio = by_id(root, "nd-audio")
    assert "Listen to this article" in text_of(audio)
    assert "0:00 / 4:32" in text_of(audio)
    player = find_all(audio, "audio")[0]
    assert player.get("controls") is not None
    assert find_all(player, "source")[0].get("src") == "../../media/quiet-fix.mp3"
    assert text_of(find_all(root, "footer")[-1]).count("London Daily") == 2


def test_head_carries_every_metadata_a_web_team_expects(renderer: Renderer) -> None:
    html = _page(renderer, image=Media(src="media/lead.jpg", alt="Volunteers at work",
                                       caption="The workshop", credit="Ann Lee"))  # fmt: skip
    root = parse(html)
    title = find_all(root, "title")[0].text
    assert title == (
        "The Borough\u2019s Quiet Fix: Over 1,000 Bicycles Back on the Road | London Daily"
    )
    meta = meta_map(root)
    canonical = "https://example.com/uk-news/boroughs-quiet-fix-bicycles/"
    links = {ln.get("rel"): ln.get("href") for ln in find_all(root, "link")}
    assert links["canonical"] == canonical
    assert links["stylesheet"] == "../../assets/theme.css"
    assert meta["description"][0].startswith("A volunteer repair scheme")
    assert meta["og:type"] == ["article"]
    assert meta["og:url"] == [canonical]
    assert meta["og:image"] == ["https://example.com/media/lead.jpg"]
    assert meta["og:image:alt"] == ["Volunteers at work"]
    assert meta["article:published_time"] == ["2026-01-17T09:30:00Z"]
    assert meta["article:modified_time"] == ["2026-01-17T11:30:00Z"]
    assert meta["article:section"] == ["UK News"]
    assert meta["article:tag"] == ["cycling", "local government"]
    assert meta["twitter:card"] == ["summary_large_image"]
    assert meta["twitter:image"] == ["https://example.com/media/lead.jpg"]
    scripts = find_all(root, "script")
    assert len(scripts) == 1
    data = json.loads(scripts[0].text or "")
    assert data["@type"] == "NewsArticle"
    assert data["headline"].startswith("The Borough\u2019s Quiet Fix")
    assert data["datePublished"] == "2026-01-17T09:30:00Z"
    assert data["dateModified"] == "2026-01-17T11:30:00Z"
    assert data["author"] == [{"@type": "Person", "name": "Helen Park"}]
    assert data["publisher"]["name"] == "London Daily"
    assert data["image"] == ["https://example.com/media/lead.jpg"]
    assert data["articleSection"] == "UK News"
    assert data["keywords"] == ["cycling", "local government"]
    assert data["wordCount"] == story().word_count
    assert data["inLanguage"] == "en-GB"
    figure = find_all(by_id(root, "nd-media"), "img")[0]
    assert figure.get("alt") == "Volunteers at work"


def test_policy_forbids_script_and_loads_from_elsewhere(renderer: Renderer) -> None:
    html = _page(renderer, image=Media(src="https://cdn.example.com/lead.jpg", alt="x"),
                 body="Text ![pixel](https://tracker.example.net/p.gif)")  # fmt: skip
    policy = csp_sources(parse(html))
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'none'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "https://example.com", "https://cdn.example.com"]
    assert policy["base-uri"] == ["'none'"]
    assert "https://tracker.example.net" not in " ".join(policy["img-src"])


def test_parts_are_exactly_the_regions_of_the_page(renderer: Renderer) -> None:
    article = linked(story(), other(2), other(3))
    related = resolve_related(article, {o.uri: o for o in (other(2), other(3))}, PROFILE)
    parts = renderer.parts(article, related)
    assert set(parts) == set(REGIONS)
    page = parse(renderer.page_html(article, related))
    for element_id, html in parts.items():
        fragment = parse(f"<!DOCTYPE html><title>t</title><body><div>{html}</div>")
        expected = inner_html(find_all(fragment, "body")[0][0])
        assert inner_html(by_id(page, element_id)) == expected, element_id
    assert parts["nd-kicker"] == "Transport"
    assert parts["nd-corrections"] == ""


def test_empty_regions_render_nothing_so_css_hides_them(renderer: Renderer) -> None:
    parts = renderer.parts(story(kicker="", standfirst="", audio=None, byline="", authors=(),
                                 dateline="", body=""))  # fmt: skip
    for region in ("nd-kicker", "nd-standfirst", "nd-audio", "nd-media", "nd-related",
                   "nd-byline", "nd-body", "nd-corrections"):  # fmt: skip
        assert parts[region] == "", region


def test_related_list_is_capped_deduplicated_and_drops_withdrawn_targets() -> None:
    profile = PublicationProfile(related_cap=3)
    targets = [other(n) for n in range(2, 9)]
    withdrawn = other(20, status=Status.WITHDRAWN)
    archived = other(21, status=Status.ARCHIVED)
    draft = other(22, status=Status.DRAFT)
    links = (
        RelatedLink(title="gone", target_uri=withdrawn.uri),
        RelatedLink(title="old", target_uri=archived.uri),
        RelatedLink(title="not yet", target_uri=draft.uri),
        RelatedLink(title="missing", target_uri="urn:newsdesk:article:missing"),
        RelatedLink(title="x", target_uri=targets[0].uri),
        RelatedLink(title="x again", target_uri=targets[0].uri),
        RelatedLink(title="bad", url="javascript:alert(1)"),
        RelatedLink(title=targets[1].headline.upper(), url="https://example.org/dup"),
        RelatedLink(title="pinned", target_uri=targets[5].uri, pinned=True),
        *(RelatedLink(title="t", target_uri=t.uri) for t in targets[1:]),
    )
    article = story(related=links)
    pool = {t.uri: t for t in [*targets, withdrawn, archived, draft]}
    result = resolve_related(article, pool, profile)
    assert [r.title for r in result] == [
        targets[5].headline,
        targets[0].headline,
        targets[1].headline.upper(),
    ]
    assert result[0].path == "world/harbour-review-7/"
    assert result[0].url == "https://example.com/world/harbour-review-7/"


def test_body_cache_is_used_and_a_tampered_entry_is_cleaned_again() -> None:
    cache = DictCache()
    renderer = Renderer(PROFILE, cache=cache)
    article = story()
    first = renderer.body_html(article)
    assert (cache.misses, cache.stores) == (1, 1)
    assert renderer.body_html(article) == first
    assert cache.hits == 1
    key = renderer.body_key(article)
    assert key == renderer.body_key(story(headline="Another headline"))
    assert key != renderer.body_key(story(body="Changed."))
    assert key != renderer.body_key(story(language="de-DE"))
    assert cache.entries[key].startswith(f"newsdesk-body {article.word_count} ")
    cache.entries[key] = 'newsdesk-body 1 8\n<p onclick="x()">tampered</p><script>alert(1)</script>'
    assert renderer.body_html(article) == "<p>tampered</p>"
    cache.entries[key] = "an entry from another version"
    assert renderer.body_html(article) == first


def test_standalone_page_inlines_the_stylesheet_allowed_by_its_hash(renderer: Renderer) -> None:
    html = renderer.page_html(story(), standalone=True)
    root = parse(html)
    styles = find_all(root, "style")
    assert len(styles) == 1
    css = styles[0].text or ""
    assert css == renderer.stylesheet()
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert csp_sources(root)["style-src"] == [f"'sha256-{digest}'"]
    assert not [ln for ln in find_all(root, "link") if ln.get("rel") == "stylesheet"]


def test_hostile_text_fields_are_text_on_the_page(renderer: Renderer) -> None:
    evil = "</title><script>alert(1)</script><img src=x onerror=alert(2)>"
    html = renderer.page_html(story(headline=evil, kicker=evil, standfirst=evil, byline=evil,
                                    dateline=evil, section=evil, tags=(evil,), seo_title=evil,
                                    seo_description=evil))  # fmt: skip
    root = parse(html)
    assert executable_findings(root) == []
    assert text_of(by_id(root, "nd-headline")) == evil
    assert find_all(root, "title")[0].text == f"{evil} | London Daily"
    assert json.loads(find_all(root, "script")[0].text or "")["headline"] == evil


def test_a_newsroom_theme_folder_overrides_templates_by_name(tmp_path: Path) -> None:
    (tmp_path / "article.html").write_text(
        '{% extends "base.html" %}{% block main %}<article class="house">'
        '<h1 id="nd-headline">{{ parts["nd-headline"] }}</h1></article>{% endblock %}',
        encoding="utf-8",
    )
    (tmp_path / "theme.css").write_text("body { color: #123456; }\n", encoding="utf-8")
    renderer = Renderer(PROFILE, theme_dir=tmp_path)
    root = parse(renderer.page_html(story()))
    assert find_all(root, "article")[0].get("class") == "house"
    assert find_all(root, "footer")  # base.html still comes from the packaged theme
    assert renderer.assets()["assets/theme.css"] == b"body { color: #123456; }\n"
    assert renderer.version != Renderer(PROFILE).version


def test_theme_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(ThemeError, match="does not exist"):
        Renderer(PROFILE, theme_dir=tmp_path / "missing")
    (tmp_path / "article.html").write_text("{% if %}", encoding="utf-8")
    renderer = Renderer(PROFILE, theme_dir=tmp_path)
    with pytest.raises(ThemeError, match=r"article\.html, line 1"):
        renderer.page_html(story())


def test_profile_theme_dir_is_used_when_no_override(tmp_path: Path) -> None:
    (tmp_path / "theme.css").write_text("p {}\n", encoding="utf-8")
    renderer = Renderer(PublicationProfile(theme_dir=str(tmp_path)))
    assert renderer.stylesheet() == "p {}\n"


def test_packaged_theme_is_found_through_the_resource_accessor() -> None:
    from newsdesk import resources

    for name in ("base.html", "regions.html", "article.html", "section.html", "home.html",
                 "theme.css"):  # fmt: skip
        assert resources.resource("theme", name).is_file(), name
    css = resources.read_text("theme", "theme.css")
    assert "@media print" in css
    assert "url(" not in css and "@import" not in css  # nothing loaded from anywhere


def test_tags_in_page_are_elements_not_text(renderer: Renderer) -> None:
    root = parse(renderer.page_html(story()))
    assert {tag(e) for e in by_id(root, "nd-body")} >= {"p", "h2", "ul", "blockquote", "table"}


def test_the_preview_resolves_related_links_through_the_store() -> None:
    from newsdesk.publish import resolve_related_from

    from .fakes import ListStore

    targets = [other(2), other(3, status=Status.WITHDRAWN)]
    article = linked(story(), *targets)
    related = resolve_related_from(article, ListStore(targets), PROFILE)
    assert [r.target_uri for r in related] == [targets[0].uri]


def test_word_and_character_counts_match_core() -> None:
    samples = [story().body, "Café au lait, naïve façade — 1,100 words?", "\x07a\tb\u0301 c\u200b"]
    for sample in samples:
        article = dataclasses.replace(story(), body=sample)
        body = Renderer(PROFILE).render_body(article)
        assert (body.words, body.chars) == (article.word_count, article.char_count)


def test_corrections_are_at_the_foot_of_the_page_oldest_first(renderer: Renderer) -> None:
    from datetime import UTC, datetime

    from newsdesk.core.models import Correction

    later = Correction(datetime(2026, 11, 21, 9, 0, tzinfo=UTC), "The <b>date</b> was wrong.")
    first = Correction(datetime(2026, 11, 20, 18, 30, tzinfo=UTC), "A name was misspelt.")
    root = parse_strict(_page(renderer, corrections=(later, first)))
    section = by_id(root, "nd-corrections")
    items = find_all(section, "li")
    assert [find_all(li, "time")[0].get("datetime")[:10] for li in items] == [
        "2026-11-20",
        "2026-11-21",
    ]
    assert "A name was misspelt." in text_of(items[0])
    assert "The <b>date</b> was wrong." in text_of(items[1])  # text, not markup
    assert find_all(section, "b") == []
