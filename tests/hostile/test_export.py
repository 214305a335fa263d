"""Every export format of the hostile corpus: nothing runs, nothing escapes the folder."""

from __future__ import annotations

import dataclasses
import json
import os
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import markdown
import pytest
import yaml

from newsdesk.core.models import Article, PublicationProfile
from newsdesk.publish.exporting.export import export
from newsdesk.publish.formats.markdown_files import neutralize_markdown
from newsdesk.publish.typography import typeset
from newsdesk.publish.views import display_text, language_of

from ..publish.dom import find_all, parse
from ..publish.fakes import ListStore
from . import corpus
from .checks import findings, fragment_findings

ATOM = "{http://www.w3.org/2005/Atom}"
PROFILE = PublicationProfile()


def files_outside(root: Path, inside: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder below ``root`` but outside ``inside``, with size and mtime."""
    seen = {}
    for folder, dirs, names in os.walk(root):
        if Path(folder) == inside:
            dirs.clear()
            continue
        for name in dirs + names:
            path = Path(folder) / name
            if path == inside:
                continue
            stat = path.lstat()
            seen[str(path.relative_to(root))] = (stat.st_size, stat.st_mtime_ns)
    return seen


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Article], object]:
    """The corpus exported once in every format, with a decoy file beside the folder."""
    base = tmp_path_factory.mktemp("hostile-export")
    (base / "decoy.txt").write_text("untouched\n")
    (base / "escape").mkdir()
    before = files_outside(base, base / "out")
    articles = [a.normalized() for a in corpus.articles()]  # as the store gives them
    report = export(ListStore(articles), base / "out", workers=1)
    assert files_outside(base, base / "out") == before  # nothing written outside
    return base / "out", articles, report


def test_every_hostile_article_is_exported(exported: tuple[Path, list[Article], object]) -> None:
    out, articles, report = exported
    assert report.problems == []  # type: ignore[attr-defined]
    assert len(list((out / "site").glob("*/*/index.html"))) == len(articles)
    assert len(list((out / "ninjs").rglob("*.json"))) == len(articles)


def test_no_html_file_can_run_anything_and_json_ld_holds(
    exported: tuple[Path, list[Article], object],
) -> None:
    out, articles, _ = exported
    by_uri = {a.uri: a for a in articles}
    problems = []
    pages = sorted((out / "site").rglob("*.html"))
    assert len(pages) > len(articles)
    for page in pages:
        root = parse(page.read_text("utf-8"))
        problems += [f"{page.name}: {f}" for f in findings(root)]
        if page.parent.parent.parent != out / "site":
            continue  # a listing page, not an article
        # The theme's one script block is JSON-LD: it parses, and holds the headline as
        # the page shows it, '</script>' and all, with no '<' that could end the block.
        (block,) = find_all(root, "script")
        data = json.loads(block.text or "")
        article = by_uri[data["identifier"]]
        assert data["headline"] == typeset(article.headline, language_of(article, PROFILE))
        assert "<" not in (block.text or "")
    for fragment in sorted((out / "fragment").rglob("*.html")):
        problems += [f"{fragment.name}: {f}" for f in fragment_findings(fragment.read_text())]
    assert problems == []


def test_the_feed_is_xml_and_its_html_runs_nothing(
    exported: tuple[Path, list[Article], object],
) -> None:
    out, _, _ = exported
    feed = ET.parse(out / "site" / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 50
    problems = []
    for entry in entries:
        content = entry.find(f"{ATOM}content")
        assert content is not None
        problems += fragment_findings(content.text or "")
    assert problems == []


def test_ninjs_keeps_the_text_and_its_html_runs_nothing(
    exported: tuple[Path, list[Article], object],
) -> None:
    out, articles, _ = exported
    by_uri = {a.uri: a.normalized() for a in articles}
    problems = []
    for path in (out / "ninjs").rglob("*.json"):
        doc = json.loads(path.read_bytes())
        article = by_uri[doc["uri"]]
        headlines = {h["role"]: h["value"] for h in doc["headlines"]}
        shown = display_text(article, PROFILE)  # typeset as the page shows it
        assert headlines["main"] == shown.headline
        assert headlines.get("kicker", "") == shown.kicker
        html, text = doc["bodies"][0]["value"], doc["bodies"][1]["value"]
        assert text == neutralize_markdown(article.body)
        fragment = path.parents[2] / "fragment" / path.parent.name / (path.stem + ".html")
        assert html + "\n" == fragment.read_text("utf-8")
        problems += fragment_findings(html)
    assert problems == []


def test_markdown_files_render_to_nothing_executable_even_unsanitized(
    exported: tuple[Path, list[Article], object],
) -> None:
    out, articles, _ = exported
    headlines = {a.normalized().headline for a in articles}  # Markdown is source: as typed
    problems = []
    for path in (out / "markdown").rglob("*.md"):
        _, matter, body = path.read_text("utf-8").split("---\n", 2)
        assert yaml.safe_load(matter)["title"] in headlines
        try:
            html = markdown.markdown(body, extensions=["extra"])  # a CMS that trusts its input
        except RecursionError:
            continue  # lists nested 500 deep: that CMS shows nothing at all
        problems += [f"{path.name}: {f}" for f in fragment_findings(html)]
    assert problems == []


def test_the_bundle_holds_the_same_files_under_safe_names(
    exported: tuple[Path, list[Article], object],
) -> None:
    out, _, _ = exported
    with zipfile.ZipFile(out / "newsdesk-bundle.zip") as bundle:
        names = bundle.namelist()
        for name in names:
            assert not name.startswith(("/", "\\")) and ".." not in name.split("/")
            assert "\\" not in name and ":" not in name and "\x00" not in name
            if name != "manifest.json":
                assert bundle.read(name) == (out / name).read_bytes(), name
    assert len(names) > 4 * 150


def test_unsafe_slugs_and_sections_write_nothing_outside(tmp_path: Path) -> None:
    model = corpus.article(corpus.payloads()[0]).normalized()
    articles = []
    for n, text in enumerate(corpus.PATHS):
        articles.append(dataclasses.replace(model, uri=corpus.uri(1000 + n), slug=text))
        articles.append(
            dataclasses.replace(model, uri=corpus.uri(2000 + n), slug=f"s-{n}", section=text)
        )
    (tmp_path / "decoy.txt").write_text("untouched\n")
    before = files_outside(tmp_path, tmp_path / "out")
    report = export(ListStore(articles), tmp_path / "out", workers=1)
    assert files_outside(tmp_path, tmp_path / "out") == before
    refused = {p.uri for p in report.problems}
    assert {corpus.uri(1000 + n) for n, t in enumerate(corpus.PATHS) if t != "s" * 300} <= refused
    # A hostile section name is only a label: the folder is made from it, safely.
    written = {
        p.relative_to(tmp_path / "out").parts[1] for p in (tmp_path / "out/site").glob("*/s-*")
    }
    assert written and all(part.replace("-", "").isalnum() for part in written)


def test_a_ten_megabyte_body_is_left_out_clearly_and_the_rest_exported(tmp_path: Path) -> None:
    payload = corpus.payloads()[0]
    big = dataclasses.replace(corpus.article(payload), body=corpus.big_body(10)).normalized()
    small = corpus.article(corpus.payloads()[1]).normalized()
    report = export(ListStore([big, small]), tmp_path / "out", workers=1, formats="site,ninjs")
    (problem,) = report.problems
    assert problem.uri == big.uri
    assert "its body is 10.0 MB; Newsdesk publishes bodies of up to 8 MB" in problem.message
    assert len(list((tmp_path / "out/site").glob("*/*/index.html"))) == 1
    assert not any(big.uri in p.read_text("utf-8") for p in (tmp_path / "out").rglob("*.json"))


def test_a_body_nested_too_deep_for_the_parser_keeps_its_words(tmp_path: Path) -> None:
    deep = "Intro.\n\n" + "".join("  " * i + f"- level {i}\n" for i in range(400))
    nested = dataclasses.replace(corpus.article(corpus.payloads()[0]), body=deep).normalized()
    after = dataclasses.replace(corpus.article(corpus.payloads()[1]), body="*fine*").normalized()
    report = export(ListStore([nested, after]), tmp_path / "out", workers=1, formats="site")
    assert report.problems == []
    pages = {p.read_text("utf-8") for p in (tmp_path / "out/site").glob("*/*/index.html")}
    deep_page = next(p for p in pages if "level 399" in p)
    assert "level 0" in deep_page and "Intro." in deep_page
    assert any("<em>fine</em>" in p for p in pages)  # the parser is sound afterwards


def test_a_hostile_publication_profile_runs_nothing_either(tmp_path: Path) -> None:
    evil = " ".join(p.text for p in corpus.payloads() if p.category == "script")[:2000]
    profile = PublicationProfile(name=evil, tagline=evil, newsletter_text=evil)
    articles = [corpus.article(p).normalized() for p in corpus.payloads()[:3]]
    export(ListStore(articles, profile), tmp_path / "out", workers=1, formats="site,bundle")
    problems = []
    for page in (tmp_path / "out/site").rglob("*.html"):
        problems += [f"{page.name}: {f}" for f in findings(parse(page.read_text("utf-8")))]
    assert problems == []
    ET.parse(tmp_path / "out/site/feed.xml")  # still well-formed XML
    with zipfile.ZipFile(tmp_path / "out/newsdesk-bundle.zip") as bundle:
        assert json.loads(bundle.read("manifest.json"))["publication"]["name"] == evil
