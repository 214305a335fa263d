"""Clean hand-off files (issue 17): no editor artefacts, stable dates, one typography rule,
fragment sidecars, and the site's furniture (icons, theme colour, 404 page)."""

from __future__ import annotations

import dataclasses
import functools
import http.server
import json
import shutil
import subprocess
import threading
import zipfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
import yaml
from PIL import Image

from newsdesk.core.models import Status
from newsdesk.publish.exporting.export import export
from newsdesk.publish.renderer import Renderer

from .dom import find_all, meta_map, parse, text_of
from .fakes import ListStore
from .samples import BASE, PROFILE, other, story
from .test_media_export import LEAD, illustrated, library

STORY = "uk-news/boroughs-quiet-fix-bicycles"
TYPED = 'Ministers\' "quiet" fix -- or a U-turn...'
SHOWN = "Ministers\u2019 \u201cquiet\u201d fix \u2013 or a U-turn\u2026"  # en-GB typography


def front_matter(path: Path) -> dict[str, object]:
    _, matter, _ = path.read_text("utf-8").split("---\n", 2)
    loaded = yaml.safe_load(matter)
    assert isinstance(loaded, dict)
    return loaded


def every_byte(folder: Path) -> dict[str, bytes]:
    """Every file of the export, the zip's members included."""
    files = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        files[str(path.relative_to(folder))] = path.read_bytes()
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as bundle:
                for name in bundle.namelist():
                    files[f"{path.name}!{name}"] = bundle.read(name)
    return files


# -- no editor artefacts ----------------------------------------------------------------


def test_no_export_file_carries_the_preview_line_markers_or_internal_ids(tmp_path: Path) -> None:
    store = ListStore([illustrated(), other(2)], media=library())
    export(store, tmp_path / "out", workers=1)
    files = every_byte(tmp_path / "out")
    assert "site/uk-news/boroughs-quiet-fix-bicycles/index.html" in files
    assert f"newsdesk-bundle.zip!site/{STORY}/index.html" in files
    for name, data in files.items():
        assert b"data-line" not in data, name
        assert b"newsdesk-id" not in data, name  # the store's row id stays in the store
    page = files[f"site/{STORY}/index.html"].decode()
    assert '<h2 id="how-the-scheme-works">How the scheme works</h2>' in page
    # The preview keeps its markers: it scrolls to the line being edited by them.
    renderer = Renderer(PROFILE)
    preview = renderer.page_html(illustrated(), standalone=True)
    assert 'data-line="1"' in preview


# -- stable dates -----------------------------------------------------------------------


def test_dates_stay_put_across_edits_and_only_the_modification_moves(tmp_path: Path) -> None:
    ready = other(5, status=Status.READY, first_published_at=None, display_date=None)
    out = tmp_path / "out"
    export(ListStore([story(), ready]), out, formats="markdown,ninjs", workers=1,
           statuses={Status.READY, Status.PUBLISHED})  # fmt: skip
    first_md = front_matter(out / "markdown/world/harbour-review-5.md")
    first_ninjs = json.loads((out / "ninjs/world/harbour-review-5.json").read_text())
    edited = dataclasses.replace(
        ready, body=ready.body + "\n\nA new paragraph.", version=2,
        updated_at=ready.updated_at + timedelta(days=3),
    )  # fmt: skip
    export(ListStore([story(), edited]), out, formats="markdown,ninjs", workers=1,
           statuses={Status.READY, Status.PUBLISHED})  # fmt: skip
    md = front_matter(out / "markdown/world/harbour-review-5.md")
    doc = json.loads((out / "ninjs/world/harbour-review-5.json").read_text())
    created = ready.created_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert first_md["date"] == md["date"] == ready.created_at  # never published: creation
    assert first_ninjs["contentCreated"] == doc["contentCreated"] == created
    assert md["lastmod"] == edited.updated_at > first_md["lastmod"]  # type: ignore[operator]
    assert doc["versionCreated"] > first_ninjs["versionCreated"]
    # A published story: its first publication, in every format that dates it.
    published = json.loads((out / f"ninjs/{STORY}.json").read_text())
    assert front_matter(out / f"markdown/{STORY}.md")["date"] == BASE
    assert published["contentCreated"] == "2026-01-17T09:30:00Z"


def test_the_date_is_the_first_publication_even_when_the_desk_moves_the_display_date(
    tmp_path: Path,
) -> None:
    moved = story(display_date=BASE + timedelta(days=2), updated_at=BASE + timedelta(days=3))
    export(ListStore([moved]), tmp_path, formats="markdown,ninjs,site", workers=1)
    assert front_matter(tmp_path / f"markdown/{STORY}.md")["date"] == BASE
    doc = json.loads((tmp_path / f"ninjs/{STORY}.json").read_text())
    assert doc["contentCreated"] == "2026-01-17T09:30:00Z"
    meta = meta_map(parse((tmp_path / f"site/{STORY}/index.html").read_text()))
    assert meta["article:published_time"] == ["2026-01-17T09:30:00Z"]


# -- one typography rule ----------------------------------------------------------------


def test_a_field_is_typeset_the_same_in_every_format(tmp_path: Path) -> None:
    article = story(headline=TYPED, kicker="Voters' verdict", standfirst='Said "no" -- twice')
    export(ListStore([article]), tmp_path, workers=1)
    page = parse((tmp_path / f"site/{STORY}/index.html").read_text())
    (h1,) = find_all(page, "h1")
    assert text_of(h1) == SHOWN
    matter = front_matter(tmp_path / f"markdown/{STORY}.md")
    sidecar = json.loads((tmp_path / f"fragment/{STORY}.json").read_text())
    doc = json.loads((tmp_path / f"ninjs/{STORY}.json").read_text())
    feed = feedparser.parse((tmp_path / "site/feed.xml").read_bytes())
    headlines = {h["role"]: h["value"] for h in doc["headlines"]}
    descriptions = {d["role"]: d["value"] for d in doc["descriptions"]}
    assert sidecar["title"] == headlines["main"] == feed.entries[0].title == SHOWN
    kicker = "Voters\u2019 verdict"
    assert sidecar["kicker"] == headlines["kicker"] == kicker
    standfirst = "Said \u201cno\u201d \u2013 twice"
    assert sidecar["standfirst"] == descriptions["standfirst"] == standfirst
    assert feed.entries[0].summary == standfirst
    # Markdown is source, front matter and body: as typed (Hugo's typographer curls it,
    # and Newsdesk imports it back word for word).
    assert (matter["title"], matter["kicker"]) == (TYPED, "Voters' verdict")
    assert matter["standfirst"] == 'Said "no" -- twice'
    body = (tmp_path / f"markdown/{STORY}.md").read_text()
    assert '"We thought we would fix a few punctures," said' in body
    markdown_body = next(b for b in doc["bodies"] if b["contentType"] == "text/markdown")
    assert '"We thought' in markdown_body["value"]
    # Names stay as typed everywhere, the page included.
    named = story(byline="Seán O'Neill", authors=())
    export(ListStore([named]), tmp_path / "names", formats="site,markdown", workers=1)
    assert "Seán O'Neill" in front_matter(tmp_path / f"names/markdown/{STORY}.md")["byline"]
    assert "By Seán O&#39;Neill" in (tmp_path / f"names/site/{STORY}/index.html").read_text()


# -- fragment sidecars ------------------------------------------------------------------


def test_each_fragment_has_a_sidecar_with_the_front_matter_fields(tmp_path: Path) -> None:
    store = ListStore([illustrated(), other(2)], media=library())
    export(store, tmp_path, formats="fragment,markdown", workers=1)
    sidecar = json.loads((tmp_path / f"fragment/{STORY}.json").read_text("utf-8"))
    matter = front_matter(tmp_path / f"markdown/{STORY}/index.md")
    bundle_only = {"resources", "images", "image", "audio"}  # files of the Hugo bundle
    assert set(matter) - bundle_only <= set(sidecar)
    typeset = {"title", "kicker", "standfirst", "description"}  # as the fragment shows them
    for key in set(matter) - bundle_only - typeset:
        value = matter[key]
        if hasattr(value, "isoformat"):
            value = value.strftime("%Y-%m-%dT%H:%M:%SZ")  # type: ignore[union-attr]
        assert sidecar[key] == value, key
    assert matter["title"] == "The Borough's Quiet Fix: Over 1,000 Bicycles Back on the Road"
    assert sidecar["title"] == "The Borough\u2019s Quiet Fix: Over 1,000 Bicycles Back on the Road"
    assert sidecar["standfirst"] == matter["standfirst"]  # nothing to typeset in it
    assert sidecar["byline"] == "Helen Park"
    assert sidecar["date"] == "2026-01-17T09:30:00Z"
    assert sidecar["url"] == f"/{STORY}/"
    # Its pictures are the files beside the fragments, and they are there.
    image = sidecar["image"]
    assert image["alt"] == "Soldiers wading" and image["caption"] == "At the ford"
    assert image["credit"] == "Agency Photo"
    assert image["src"].startswith("../media/") and LEAD in image["src"]
    picture = (tmp_path / f"fragment/{STORY}.json").parent / image["src"]
    assert picture.is_file()
    with Image.open(picture) as opened:
        assert opened.size == (image["width"], image["height"])
    audio = (tmp_path / f"fragment/{STORY}.json").parent / sidecar["audio"]["src"]
    assert audio.is_file()
    assert (tmp_path / "fragment/world/harbour-review-2.json").is_file()


def test_a_withdrawn_story_takes_its_sidecar_with_it(tmp_path: Path) -> None:
    export(ListStore([story(), other(2)]), tmp_path, formats="fragment", workers=1)
    sidecar = tmp_path / "fragment/world/harbour-review-2.json"
    assert sidecar.is_file()
    withdrawn = other(2, status=Status.WITHDRAWN)
    export(ListStore([story(), withdrawn]), tmp_path, formats="fragment", workers=1)
    assert not sidecar.exists()
    assert not (tmp_path / "fragment/world/harbour-review-2.html").exists()
    assert (tmp_path / f"fragment/{STORY}.json").is_file()


# -- site furniture ---------------------------------------------------------------------


def test_the_site_has_icons_a_theme_colour_and_a_404_page(tmp_path: Path) -> None:
    export(ListStore([story(), other(2)]), tmp_path, formats="site", workers=1)
    site = tmp_path / "site"
    page_path = site / STORY / "index.html"
    page = parse(page_path.read_text())
    assert meta_map(page)["theme-color"] == ["#ffffff"]
    links = {link.get("rel"): link.get("href") for link in find_all(page, "link")}
    for rel in ("icon", "apple-touch-icon", "stylesheet", "alternate"):
        target = (page_path.parent / str(links[rel])).resolve()
        assert target.is_file(), rel
    assert (site / "favicon.svg").read_bytes().startswith(b"<?xml")
    with Image.open(site / "apple-touch-icon.png") as icon:
        assert icon.size == (180, 180) and icon.format == "PNG"
    home = parse((site / "index.html").read_text())
    assert {link.get("rel"): link.get("href") for link in find_all(home, "link")}["icon"] == (
        "favicon.svg"
    )
    missing = parse((site / "404.html").read_text())
    (h1,) = find_all(missing, "h1")
    assert text_of(h1) == "Page not found"
    # Served for any missing address, at any depth: its links start from the site's path.
    hrefs = [str(link.get("href")) for link in find_all(missing, "link")]
    assert "/assets/theme.css" in hrefs and "/favicon.svg" in hrefs
    assert [a.get("href") for a in find_all(missing, "a") if text_of(a) == "front page"] == ["/"]


class _Recorder(http.server.SimpleHTTPRequestHandler):
    statuses: list[tuple[str, int]]

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.statuses.append((self.path, int(code)))


def _serve(folder: Path, statuses: list[tuple[str, int]]) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(_Recorder, directory=str(folder))
    _Recorder.statuses = statuses
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
def test_a_real_browser_opens_an_exported_page_without_a_console_error(tmp_path: Path) -> None:
    store = ListStore([illustrated(), other(2)], media=library())
    export(store, tmp_path, formats="site", workers=1)
    statuses: list[tuple[str, int]] = []
    server = _serve(tmp_path / "site", statuses)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/{STORY}/index.html"
        run = subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr",
             "--v=0", "--virtual-time-budget=3000", "--dump-dom", url],
            capture_output=True, text=True, timeout=90, check=False, cwd=tmp_path,
        )  # fmt: skip
    finally:
        server.shutdown()
        server.server_close()
    assert run.returncode == 0, run.stderr[-2000:]
    assert 'id="nd-headline"' in run.stdout  # the page was loaded and parsed
    console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []  # no CSP refusal, no failed load, nothing logged by the page
    assert statuses and all(code == 200 for _, code in statuses), statuses
    loaded = {urlsplit(urljoin(url, path)).path for path, _ in statuses}
    assert "/assets/theme.css" in loaded
