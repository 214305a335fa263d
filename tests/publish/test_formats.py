"""The hand-off formats read by the tools a web team uses: schema, feed reader, YAML, zip, Hugo."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

import feedparser
import jsonschema
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from newsdesk.core.models import Media, Status
from newsdesk.publish.exporting.export import export
from newsdesk.publish.formats.feed import escape_xml, xml_attr, xml_text
from newsdesk.publish.formats.ninjs import pub_status
from newsdesk.publish.typography import typeset

from .dom import executable_findings, parse
from .fakes import ListStore
from .samples import BASE, linked, other, story

# ninjs and the feed write the headline typeset, as the page shows it (one typography rule).
SHOWN_HEADLINE = "The Borough\u2019s Quiet Fix: Over 1,000 Bicycles Back on the Road"

REPO = Path(__file__).resolve().parents[2]
# The official IPTC ninjs 3.2 schema, kept with the tests (tests/data/standards/README.md:
# source and licence); NEWSDESK_NINJS_SCHEMA=PATH checks against another copy.
SCHEMA = Path(
    os.environ.get("NEWSDESK_NINJS_SCHEMA")
    or REPO / "tests" / "data" / "standards" / "ninjs-schema_3.2.json"
)
HUGO_LAYOUT = REPO / "bench" / "hugo"
EVIL = '"><script>alert(1)</script><img src=x onerror=alert(1)><svg onload=alert(1)>'


def _articles() -> list:
    others = [other(n) for n in range(2, 6)]
    main = linked(
        story(
            image=Media(
                src="media/lead.jpg", alt="Volunteers", caption="The workshop", credit="Ann Lee"
            )
        ),
        *others[:3],
        external=("https://www.example.org/transport",),
    )
    hostile = story(
        uri="urn:newsdesk:article:00000000-0000-4000-8000-0000000000ff", id=255,
        slug="hostile-everything", headline=f"Hostile {EVIL}", kicker=EVIL, standfirst=EVIL,
        byline=EVIL, dateline=EVIL, tags=(EVIL, "</title>"), seo_title=EVIL,
        seo_description=EVIL, section="Opinion",
        body=f"{EVIL}\n\n[x](javascript:alert(1))\n\n<math><mi>x</mi></math>\n\n"
             "```\n<script>code sample</script>\n```\n",
    )  # fmt: skip
    return [main, *others, hostile]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("formats") / "out"
    report = export(ListStore(_articles()), out)
    assert report.problems == []
    return out


def _format_checker() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker()

    @checker.checks("uri")
    def is_uri(value: object) -> bool:
        if not isinstance(value, str) or re.search(r"\s", value):
            return False
        parts = urlsplit(value)
        return bool(parts.scheme) and bool(parts.netloc or parts.path)

    @checker.checks("date-time", raises=ValueError)
    def is_datetime(value: object) -> bool:
        if not isinstance(value, str) or "T" not in value:
            return False
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return moment.tzinfo is not None

    return checker


@pytest.fixture(scope="module")
def ninjs_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    # The schema's one external reference (GeoJSON) resolves to a permissive local stand-in.
    geojson = Resource.from_contents(
        {"$schema": "https://json-schema.org/draft/2020-12/schema",
         "$id": "https://geojson.org/schema/GeoJSON.json", "type": "object"},
        default_specification=DRAFT202012,
    )  # fmt: skip
    registry = Registry().with_resource("https://geojson.org/schema/GeoJSON.json", geojson)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, registry=registry, format_checker=_format_checker()
    )


def test_every_ninjs_document_validates(
    exported: Path, ninjs_validator: jsonschema.Draft202012Validator
) -> None:
    documents = sorted((exported / "ninjs").rglob("*.json"))
    assert len(documents) == 6
    for path in documents:
        document = json.loads(path.read_text("utf-8"))
        errors = [e.message for e in ninjs_validator.iter_errors(document)]
        assert errors == [], path


def test_the_validator_does_reject_bad_ninjs(
    ninjs_validator: jsonschema.Draft202012Validator,
) -> None:
    assert list(ninjs_validator.iter_errors({"uri": "urn:x:1", "headline": "no such key"}))
    assert list(ninjs_validator.iter_errors({"uri": "urn:x:1", "pubStatus": "published"}))
    assert list(ninjs_validator.iter_errors({"uri": "not a uri"}))


def test_ninjs_carries_the_article_as_data(exported: Path) -> None:
    doc = json.loads((exported / "ninjs/uk-news/boroughs-quiet-fix-bicycles.json").read_text())
    assert doc["uri"] == story().uri
    assert doc["version"] == "3"
    assert doc["pubStatus"] == "usable"
    assert doc["language"] == "en-GB"
    assert doc["headlines"][:2] == [
        {"role": "main", "contentType": "text/plain", "value": SHOWN_HEADLINE},
        {"role": "kicker", "contentType": "text/plain", "value": "Transport"},
    ]
    assert doc["descriptions"][0]["role"] == "standfirst"
    html_body, markdown_body = doc["bodies"]
    assert html_body["contentType"] == "text/html"
    assert markdown_body["contentType"] == "text/markdown"
    assert html_body["wordCount"] == markdown_body["wordCount"] == story().word_count
    assert html_body["value"].startswith("<p>Volunteers across the borough")
    assert markdown_body["value"].startswith("Volunteers across the borough")
    assert doc["by"] == "Helen Park"
    assert doc["people"] == [{"name": "Helen Park", "rel": "author"}]
    assert doc["located"] == "Walthamstow"
    assert {s["name"] for s in doc["subjects"]} == {"UK News", "cycling", "local government"}
    assert doc["firstCreated"] == "2026-01-16T09:30:00Z"
    assert doc["versionCreated"] == "2026-01-17T11:30:00Z"
    names = [a["name"] for a in doc["associations"]]
    assert names == ["featureimage", "audio", "related-1", "related-2", "related-3", "related-4"]
    image = doc["associations"][0]
    assert image["renditions"][0]["href"] == "https://example.com/media/lead.jpg"
    assert {d["role"] for d in image["descriptions"]} == {"caption", "alternative-text"}
    assert doc["associations"][2]["uri"] == other(2).uri
    assert doc["associations"][2]["renditions"][0]["href"] == (
        "https://example.com/world/harbour-review-2/"
    )
    assert doc["associations"][5]["uri"] == "https://www.example.org/transport"
    assert {"role": "path", "value": "/uk-news/boroughs-quiet-fix-bicycles/"} in doc["altIds"]


@pytest.mark.parametrize(
    ("status", "embargo", "expected"),
    [
        (Status.PUBLISHED, False, "usable"),
        (Status.READY, False, "usable"),
        (Status.SCHEDULED, True, "usable"),
        (Status.SCHEDULED, False, "usable"),  # its display date is its release time
        (Status.DRAFT, False, "withheld"),
        (Status.IN_REVIEW, False, "withheld"),
        (Status.WITHDRAWN, False, "canceled"),
    ],
)
def test_pub_status_follows_status_and_embargo(
    status: Status, embargo: bool, expected: str
) -> None:
    article = story(status=status, embargo_until=BASE if embargo else None)
    assert pub_status(article) == expected
    unscheduled = story(status=Status.SCHEDULED, display_date=None, first_published_at=None)
    assert pub_status(unscheduled) == "withheld"


def test_feedparser_reads_every_entry(exported: Path) -> None:
    feed = feedparser.parse((exported / "site/feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "London Daily"
    assert len(feed.entries) == 6
    by_id = {e.id: e for e in feed.entries}
    entry = by_id[story().uri]
    assert entry.title == SHOWN_HEADLINE
    assert entry.link == "https://example.com/uk-news/boroughs-quiet-fix-bicycles/"
    assert entry.published == "2026-01-17T09:30:00Z"
    assert entry.author == "Helen Park"
    assert "Volunteers across the borough" in entry.content[0].value
    assert feed.feed.updated == max(e.updated for e in feed.entries)
    hostile = next(e for e in feed.entries if "Hostile" in e.title)
    assert hostile.title == typeset(f"Hostile {EVIL}", "en-GB")  # as text, never markup
    content = parse(f"<!DOCTYPE html><title>t</title>{hostile.content[0].value}")
    assert executable_findings(content) == []


# Text XML can carry, rich in the characters the escapes treat apart.
XML_TEXT = st.text(
    st.sampled_from("&<>\"'\n\r\t a;#\u00e9\u2019")
    | st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
)


@given(XML_TEXT)
def test_the_feed_escapes_text_and_attributes_as_xml_sax_saxutils(value: str) -> None:
    """The feed and the sitemap escape with copies of saxutils' escape and quoteattr
    (importing it loads urllib.request, http.client and email): the same bytes."""
    assert escape_xml(value) == escape(value)
    assert xml_text(value) == escape(value)
    assert xml_attr(value) == quoteattr(value)


def test_markdown_export_is_front_matter_and_safe_markdown(exported: Path) -> None:
    text = (exported / "markdown/uk-news/boroughs-quiet-fix-bicycles.md").read_text("utf-8")
    assert text.startswith("---\n")
    _, matter_text, body = text.split("---\n", 2)
    matter = yaml.safe_load(matter_text)
    assert matter["title"] == story().headline  # Markdown is source: as typed
    assert matter["slug"] == "boroughs-quiet-fix-bicycles"
    assert matter["url"] == "/uk-news/boroughs-quiet-fix-bicycles/"
    assert matter["date"].isoformat() == "2026-01-17T09:30:00+00:00"
    assert matter["categories"] == ["UK News"]
    assert matter["tags"] == ["cycling", "local government"]
    assert matter["image"]["src"] == "https://example.com/media/lead.jpg"
    assert (
        next(r["url"] for r in matter["related"]) == "https://example.com/world/harbour-review-2/"
    )
    assert body.strip() == story().body.strip()


def test_hostile_markdown_cannot_render_to_script_even_unsanitized(exported: Path) -> None:
    import markdown

    text = (exported / "markdown/opinion/hostile-everything.md").read_text("utf-8")
    _, matter_text, body = text.split("---\n", 2)
    assert yaml.safe_load(matter_text)["title"] == f"Hostile {EVIL}"
    html = markdown.markdown(body, extensions=["extra"])  # a CMS that trusts its input
    root = parse(f"<!DOCTYPE html><title>t</title>{html}")
    assert executable_findings(root) == []
    assert "&lt;script&gt;code sample&lt;/script&gt;" in html  # code samples stay as written


def test_bundle_manifest_hashes_verify(exported: Path) -> None:
    with zipfile.ZipFile(exported / "newsdesk-bundle.zip") as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
        names = set(bundle.namelist()) - {"manifest.json"}
        listed = {entry["path"] for entry in manifest["files"]}
        assert names == listed
        for entry in manifest["files"]:
            data = bundle.read(entry["path"])
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
            assert len(data) == entry["size"]
            assert data == (exported / entry["path"]).read_bytes()
        page = next(e for e in manifest["files"]
                    if e["path"] == "ninjs/uk-news/boroughs-quiet-fix-bicycles.json")  # fmt: skip
        assert page["article"] == {"uri": story().uri, "version": 3}
        assert {info.date_time for info in bundle.infolist()} == {(2026, 1, 17, 11, 30, 0)}


def test_sitemap_and_robots(exported: Path) -> None:
    tree = ET.parse(exported / "site/sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in tree.getroot().findall("s:url/s:loc", ns)]
    assert "https://example.com/" in locs
    assert "https://example.com/uk-news/boroughs-quiet-fix-bicycles/" in locs
    assert "https://example.com/world/" in locs
    assert len(locs) == len(set(locs)) == 6 + 4  # articles, home and three sections
    robots = (exported / "site/robots.txt").read_text()
    assert "Sitemap: https://example.com/sitemap.xml" in robots


def test_every_site_page_parses_and_has_nothing_executable(exported: Path) -> None:
    pages = sorted((exported / "site").rglob("*.html"))
    assert len(pages) == 6 + 4 + 1  # articles, home, three sections, 404.html
    for path in pages:
        root = parse(path.read_text("utf-8"))
        assert executable_findings(root) == [], path
        assert len([e for e in root.iter() if str(e.tag).endswith("}h1")]) == 1, path


@pytest.mark.skipif(shutil.which("hugo") is None, reason="Debian's hugo is not installed")
def test_hugo_builds_the_markdown_export(exported: Path, tmp_path: Path) -> None:
    site = tmp_path / "hugo"
    shutil.copytree(HUGO_LAYOUT, site)
    shutil.copytree(exported / "markdown", site / "content")
    result = subprocess.run(
        ["hugo", "--quiet", "--source", str(site), "--destination", str(site / "public")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    page = site / "public/uk-news/boroughs-quiet-fix-bicycles/index.html"
    html = page.read_text("utf-8")
    assert "The Borough" in html
    assert "Helen Park" in html
    assert "Volunteers across the borough" in html
    hostile = (site / "public/opinion/hostile-everything/index.html").read_text("utf-8")
    assert executable_findings(parse(hostile)) == []
