"""The shipped demo archive, exported in every format, read back by the web team's tools."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import feedparser
import jsonschema
import pytest

from newsdesk.core.sample import load_sample
from newsdesk.publish.exporting.export import export
from newsdesk.publish.formats.feed import FEED_SIZE
from newsdesk.store import open_store

from .dom import executable_findings, find_all, meta_map, parse_strict
from .test_formats import HUGO_LAYOUT


@pytest.fixture(scope="module")
def demo_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The demo archive exported once for the module: its tests only read what it wrote."""
    folder = tmp_path_factory.mktemp("demo export")
    store = open_store(str(folder / "store.db"))
    try:
        count = load_sample(store)
        out = folder / "out"
        report = export(store, out)
    finally:
        store.close()
    assert report.problems == []
    assert report.articles > 0
    assert count >= report.articles
    return out, report.articles - len(report.held)


def test_demo_archive_exports_valid_pages_feed_and_ninjs(
    demo_export: tuple[Path, int], ninjs_validator: jsonschema.Draft202012Validator
) -> None:
    out, on_site = demo_export
    pages = sorted((out / "site").glob("*/*/index.html"))
    pages = [p for p in pages if p.parent.name != "page"]
    assert len(pages) == on_site
    for path in pages:
        root = parse_strict(path.read_text("utf-8"))
        assert executable_findings(root) == [], path
        meta = meta_map(root)
        for key in ("description", "og:title", "og:url", "article:published_time",
                    "twitter:card"):  # fmt: skip
            assert meta.get(key), (path, key)
        assert len(find_all(root, "h1")) == 1
        assert json.loads(find_all(root, "script")[0].text or "")["@type"] == "NewsArticle"
    feed = feedparser.parse((out / "site/feed.xml").read_bytes())
    assert not feed.bozo
    assert len(feed.entries) == min(on_site, FEED_SIZE)
    for path in sorted((out / "ninjs").rglob("*.json")):
        document = json.loads(path.read_text("utf-8"))
        assert [e.message for e in ninjs_validator.iter_errors(document)] == [], path


def test_hugo_builds_the_demo_archive(demo_export: tuple[Path, int], tmp_path: Path) -> None:
    if shutil.which("hugo") is None:
        if os.environ.get("CI"):
            pytest.fail("Debian's hugo is missing: scripts/dev-packages.txt installs it")
        pytest.skip("Debian's hugo is not installed (scripts/check installs it)")
    out, _ = demo_export
    site = tmp_path / "hugo"
    shutil.copytree(HUGO_LAYOUT, site)
    shutil.copytree(out / "markdown", site / "content")
    result = subprocess.run(
        ["hugo", "--quiet", "--source", str(site), "--destination", str(site / "public")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    built = {p.parent.name for p in (site / "public").glob("*/*/index.html")}
    on_site = {p.parent.name for p in (out / "site").glob("*/*/index.html")}
    assert on_site <= built  # Hugo, like Newsdesk, holds back what is scheduled for later
