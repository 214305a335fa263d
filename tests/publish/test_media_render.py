"""Stored pictures and audio on the page: body figures, the lead picture, the player, the
head's sharing and search metadata, and the sanitizer's view of all of it."""

from __future__ import annotations

import dataclasses
import json

import pytest

from newsdesk.core.media.media import MediaAsset, MediaKind
from newsdesk.core.models import Media
from newsdesk.publish.counts import RenderedBody
from newsdesk.publish.incremental import IncrementalBody
from newsdesk.publish.markdown import MarkdownRenderer
from newsdesk.publish.media.renditions import renditions_for
from newsdesk.publish.renderer import Renderer
from newsdesk.publish.sanitize import clean_html

from .dom import by_id, executable_findings, find_all, meta_map, parse, parse_strict, tag, text_of
from .fakes import DictCache
from .samples import PROFILE, story

PHOTO = MediaAsset(
    key="a1b2c3d4e5f6",
    sha256="1" * 64,
    kind=MediaKind.IMAGE,
    mime_type="image/jpeg",
    size=4_200_000,
    filename="Workshop bench.jpg",
    width=4000,
    height=3000,
    alt="Library alt: a workbench",
    caption="Library caption",
    credit="Agency Photo/J. Smith",
    copyright="© 2026 Agency Photo",
)
CHART = dataclasses.replace(
    PHOTO,
    key="0f0f0f0f0f0f",
    sha256="2" * 64,
    mime_type="image/png",
    filename="chart.png",
    width=1000,
    height=500,
    alt="",
    credit="",
    copyright="",
)
INTERVIEW = MediaAsset(
    key="abcabcabcabc",
    sha256="3" * 64,
    kind=MediaKind.AUDIO,
    mime_type="audio/mpeg",
    size=2_500_000,
    filename="interview.mp3",
    duration_seconds=312.4,
    credit="Read by Sam Okoro",
)
MEDIA = {a.key: a for a in (PHOTO, CHART, INTERVIEW)}
BODY = (
    "The scheme began with six volunteers.\n\n"
    f'![Volunteers fit a wheel](media:{PHOTO.key} "Volunteers at the \\"Tuesday\\" session")\n\n'
    "More paragraphs follow.\n\n"
    f"![](media:{CHART.key})\n\n"
    f"An icon ![tick](media:{CHART.key}) inside a sentence.\n"
)


@pytest.fixture
def renderer() -> Renderer:
    return Renderer(PROFILE)


def _body(html: str) -> list:  # the body's top-level elements as a browser sees them
    root = parse(f'<div id="x">{html}</div>')
    return list(by_id(root, "x"))


def test_a_picture_alone_in_its_paragraph_becomes_a_figure(renderer: Renderer) -> None:
    html = renderer.render_body(story(body=BODY), MEDIA).html
    figure = _body(html)[1]
    assert tag(figure) == "figure" and figure.get("class") == "body-figure"
    assert figure.get("data-line") == "3"
    (picture,) = find_all(figure, "picture")
    (source,) = find_all(picture, "source")
    (img,) = find_all(picture, "img")
    webp = [r for r in renditions_for(PHOTO) if r.mime_type == "image/webp"]
    assert source.get("type") == "image/webp"
    assert source.get("srcset") == ", ".join(f"../../media/{r.name} {r.width}w" for r in webp)
    assert source.get("sizes") == "(min-width: 40rem) 37.5rem, calc(100vw - 2rem)"
    jpeg = renditions_for(PHOTO)[-1]
    assert img.get("src") == f"../../media/{jpeg.name}" and jpeg.mime_type == "image/jpeg"
    assert (img.get("width"), img.get("height")) == ("1200", "900")
    assert img.get("alt") == "Volunteers fit a wheel"  # the story's alt, not the caption
    assert (img.get("loading"), img.get("decoding")) == ("lazy", "async")
    caption = find_all(figure, "figcaption")[0]
    spans = {s.get("class"): text_of(s) for s in find_all(caption, "span")}
    assert spans == {
        "caption": "Volunteers at the \u201cTuesday\u201d session",
        "credit": "Agency Photo/J. Smith",
    }


def test_alt_is_never_the_caption(renderer: Renderer) -> None:
    body = f'![](media:{CHART.key} "Spending by year")\n'
    (figure,) = _body(renderer.render_body(story(body=body), MEDIA).html)
    assert find_all(figure, "img")[0].get("alt") == ""
    assert text_of(figure).strip() == "Spending by year"  # no credit: no credit span
    assert find_all(figure, "source")[0].get("srcset", "").count("w,") == 2  # 480, 800, 1000


def test_a_picture_inside_a_sentence_stays_inline(renderer: Renderer) -> None:
    paragraph = _body(renderer.render_body(story(body=BODY), MEDIA).html)[-1]
    assert tag(paragraph) == "p"
    assert text_of(paragraph) == "An icon  inside a sentence."
    (img,) = find_all(paragraph, "img")
    assert img.get("alt") == "tick" and img.get("loading") == "lazy"
    assert not find_all(paragraph, "figure")


def test_a_key_not_in_the_store_shows_a_visible_note(renderer: Renderer) -> None:
    article = story(body=BODY, image=Media(src="media:ffffffffffff", alt="Lead"))
    html = renderer.render_body(article, {INTERVIEW.key: INTERVIEW}).html
    notes = [e for e in _body(html) if e.get("class") == "media-missing"]
    assert len(notes) == 2
    assert f"media:{PHOTO.key}" in text_of(notes[0])
    assert "missing from the media store" in text_of(notes[0])
    assert "media library" in text_of(notes[0])
    assert not find_all(parse(html), "img")  # nothing broken: no img for absent files
    assert renderer.missing_media(article, {INTERVIEW.key: INTERVIEW}) == [
        "ffffffffffff",
        PHOTO.key,
        CHART.key,
    ]
    lead = by_id(parse(renderer.page_html(article, media=MEDIA)), "nd-media")
    assert "ffffffffffff" in text_of(lead) and not find_all(lead, "img")


def test_audio_placed_in_the_text_says_where_it_belongs(renderer: Renderer) -> None:
    html = renderer.render_body(story(body=f"![](media:{INTERVIEW.key})\n"), MEDIA).html
    (note,) = _body(html)
    assert note.get("class") == "media-missing"
    assert "attach it as the story\u2019s audio on the Media tab" in text_of(note)
    article = story(body=f"![](media:{INTERVIEW.key})\n", image=Media(src=f"media:{INTERVIEW.key}"))
    assert renderer.missing_media(article, MEDIA) == [INTERVIEW.key]  # export leaves it out
    assert renderer.media_renditions(article, MEDIA) == []


def test_the_body_cache_key_follows_the_pictures_words_and_bytes(renderer: Renderer) -> None:
    article = story(body=BODY)
    key = renderer.body_key(article, MEDIA)
    assert renderer.body_key(article, dict(MEDIA)) == key
    assert renderer.body_key(article, {}) != key
    for change in (
        {"caption": "New"},
        {"credit": "Staff"},
        {"alt": "Other"},
        {"sha256": "9" * 64},
        {"width": 3000},
    ):
        edited = {**MEDIA, PHOTO.key: dataclasses.replace(PHOTO, **change)}
        assert renderer.body_key(article, edited) != key, change
    unused = {**MEDIA, INTERVIEW.key: dataclasses.replace(INTERVIEW, credit="x")}
    assert renderer.body_key(article, unused) == key  # the body does not place the audio


def test_cached_bodies_follow_a_changed_credit() -> None:
    cache = DictCache()
    renderer = Renderer(PROFILE, cache=cache)
    article = story(body=BODY)
    first = renderer.body(article, MEDIA).html
    edited = {**MEDIA, PHOTO.key: dataclasses.replace(PHOTO, credit="Staff photographer")}
    second = renderer.body(article, edited).html
    assert "Agency Photo/J. Smith" in first
    assert "Staff photographer" in second and "Agency Photo/J. Smith" not in second
    assert renderer.body(article, edited).html == second and cache.hits == 1


def test_the_output_is_the_sanitizers_own(renderer: Renderer) -> None:
    html = renderer.render_body(story(body=BODY), MEDIA).html
    assert clean_html(html) == html
    assert executable_findings(parse(html)) == []


@pytest.mark.parametrize(
    "hostile",
    [
        '<picture><source type="image/webp" srcset="javascript:alert(1) 1x">'
        '<img src="a.jpg"></picture>',
        '<img src="a.jpg" srcset="data:image/png;base64,AAAA 1x">',
        '<img src="a.jpg" srcset="https://ok.example/a.jpg 1x, javascript:x 2x">',
        '<img src="a.jpg" sizes="x&quot;onerror=alert(1)" loading="lazy">',
        '<img src="a.jpg" loading="evil" decoding="x" fetchpriority="now" onerror="alert(1)">',
        '<picture><source type="text/html" srcset="a.html 1x"><img src="a.jpg"></picture>',
        '<source src="javascript:alert(1)" srcset="x.webp 1x"><audio src="x.mp3" autoplay></audio>',
    ],
)
def test_hostile_picture_markup_is_cleaned(hostile: str) -> None:
    cleaned = clean_html(hostile)
    assert executable_findings(parse(cleaned)) == []
    for bad in ("javascript:", "data:", "onerror", "evil", "text/html", "autoplay", "audio"):
        assert bad not in cleaned, bad


def test_a_tampered_cached_body_exports_nothing_executable() -> None:
    cache = DictCache()
    renderer = Renderer(PROFILE, cache=cache)
    article = story(body=BODY)
    good = renderer.body(article, MEDIA)
    key = renderer.body_key(article, MEDIA)
    tampered = good.html.replace(
        'srcset="../../media/', 'srcset="javascript:alert(1) 1x, ../../media/', 1
    ).replace('loading="lazy"', 'loading="lazy" onload="alert(1)"', 1)
    assert tampered != good.html
    cache.entries[key] = RenderedBody(tampered, good.words, good.chars).to_cache()
    page = renderer.page_html(article, media=MEDIA)
    assert "javascript:" not in page and "onload" not in page
    assert executable_findings(parse(page)) == []


def test_incremental_preview_body_matches_the_full_render() -> None:
    markdown = MarkdownRenderer("en-GB")
    incremental = IncrementalBody(MarkdownRenderer("en-GB"))
    assert incremental.render(BODY, MEDIA) == markdown.render(BODY, MEDIA)
    edited = {**MEDIA, PHOTO.key: dataclasses.replace(PHOTO, credit="Staff")}
    assert incremental.render(BODY, edited) == markdown.render(BODY, edited)
    assert "Staff" in incremental.render(BODY, edited)


def _lead_article() -> object:
    return story(
        body=BODY,
        image=Media(src=f"media:{PHOTO.key}", alt="Volunteers at work", caption="The workshop"),
        audio=Media(src=f"media:{INTERVIEW.key}", credit=""),
    )


def test_the_lead_picture_loads_first_and_is_never_lazy(renderer: Renderer) -> None:
    html = renderer.page_html(_lead_article(), media=MEDIA)  # type: ignore[arg-type]
    root = parse_strict(html)
    lead = by_id(root, "nd-media")
    (img,) = find_all(lead, "img")
    assert img.get("fetchpriority") == "high" and img.get("loading") is None
    assert img.get("alt") == "Volunteers at work"
    assert (img.get("width"), img.get("height")) == ("1200", "900")
    srcset = find_all(lead, "source")[0].get("srcset") or ""
    assert "2000w" in srcset  # the lead also has a 2000 px WebP
    assert text_of(find_all(lead, "figcaption")[0]) == "The workshop Agency Photo/J. Smith"
    body_imgs = find_all(by_id(root, "nd-body"), "img")
    assert body_imgs and all(i.get("loading") == "lazy" for i in body_imgs)
    assert executable_findings(root) == []


def test_the_player_uses_the_stored_audio_with_its_duration(renderer: Renderer) -> None:
    root = parse(renderer.page_html(_lead_article(), media=MEDIA))  # type: ignore[arg-type]
    audio = by_id(root, "nd-audio")
    (player,) = find_all(audio, "audio")
    assert player.get("preload") == "metadata" and player.get("autoplay") is None
    (source,) = find_all(player, "source")
    (rendition,) = renditions_for(INTERVIEW)
    assert source.get("src") == f"../../media/{rendition.name}"
    assert source.get("type") == "audio/mpeg"
    assert "0:00 / 5:12" in text_of(audio)
    assert "Read by Sam Okoro" in text_of(audio)  # the library's credit when the story has none


def test_the_length_shown_counts_whole_seconds_as_the_player_does(renderer: Renderer) -> None:
    media = {**MEDIA, INTERVIEW.key: dataclasses.replace(INTERVIEW, duration_seconds=64.6)}
    root = parse(renderer.page_html(_lead_article(), media=media))  # type: ignore[arg-type]
    assert "0:00 / 1:04" in text_of(by_id(root, "nd-audio"))  # Chromium shows 1:04, not 1:05


def test_sharing_cards_and_json_ld_describe_the_stored_picture_and_audio(
    renderer: Renderer,
) -> None:
    html = renderer.page_html(_lead_article(), media=MEDIA)  # type: ignore[arg-type]
    root = parse(html)
    meta = meta_map(root)
    jpeg = renditions_for(PHOTO, lead=True)[-1]
    url = f"https://example.com/{jpeg.path}"
    assert meta["og:image"] == [url]
    assert meta["og:image:width"] == ["1200"] and meta["og:image:height"] == ["900"]
    assert meta["og:image:type"] == ["image/jpeg"]
    assert meta["og:image:alt"] == ["Volunteers at work"]
    assert meta["twitter:image"] == [url]
    assert meta["twitter:card"] == ["summary_large_image"]
    (script,) = [s for s in find_all(root, "script") if s.get("type") == "application/ld+json"]
    data = json.loads(script.text or "")
    assert data["image"] == [
        {
            "@type": "ImageObject",
            "contentUrl": url,
            "url": url,
            "width": 1200,
            "height": 900,
            "encodingFormat": "image/jpeg",
            "caption": "The workshop",
            "creditText": "Agency Photo/J. Smith",
            "copyrightNotice": "© 2026 Agency Photo",
        }
    ]
    (audio,) = renditions_for(INTERVIEW)
    assert data["audio"] == {
        "@type": "AudioObject",
        "contentUrl": f"https://example.com/{audio.path}",
        "encodingFormat": "audio/mpeg",
        "duration": "PT5M12S",
        "contentSize": "2500000 B",
        "creditText": "Read by Sam Okoro",
    }
    assert "exifData" not in html


def test_media_renditions_lists_every_file_the_page_loads_once(renderer: Renderer) -> None:
    article = _lead_article()
    files = renderer.media_renditions(article, MEDIA)  # type: ignore[arg-type]
    paths = [f.path for f in files]
    assert len(paths) == len(set(paths))
    html = renderer.page_html(article, media=MEDIA)  # type: ignore[arg-type]
    referred = {p for p in paths if f"../../{p}" in html}
    assert referred == set(paths)  # every listed file is used, and...
    root = parse(html)
    used = set()
    for element in root.iter():
        for attribute in ("src", "srcset"):
            for part in (element.get(attribute) or "").split(","):
                ref = part.strip().split(" ")[0]
                if ref.startswith("../../media/"):
                    used.add(ref.removeprefix("../../"))
    assert used == set(paths)  # ...every file the page loads is listed


def test_a_url_featured_image_still_works_as_before(renderer: Renderer) -> None:
    article = story(image=Media(src="https://cdn.example.org/a.jpg", alt="A", caption="C"))
    root = parse(renderer.page_html(article, media=MEDIA))
    (img,) = find_all(by_id(root, "nd-media"), "img")
    assert img.get("src") == "https://cdn.example.org/a.jpg"
    assert meta_map(root)["og:image"] == ["https://cdn.example.org/a.jpg"]
