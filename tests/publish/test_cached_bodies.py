"""Bodies taken from the render cache (a file anyone may edit) reach no exported file
unsanitized, whatever the format, in this process or in the workers."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from newsdesk.publish.exporting.export import export

from .dom import executable_findings, parse
from .fakes import ListStore
from .samples import other

EVIL = [
    '<p onclick="alert(1)">tampered one</p><script>alert(2)</script>',
    '<p><a href="javascript:alert(3)" rel="noopener noreferrer">tampered two</a></p>',
    '<p><img src="x" onerror="alert(4)">tampered three</p><svg onload="alert(5)"></svg>',
    '<p>tampered four</p><iframe src="https://evil.example/alert(6)"></iframe>'
    '<noscript><p title="</noscript><img src=x onerror=alert(7)>"></noscript>',
    '<p id="nd-headline" style="color:red">tampered five</p><form>'
    '<button formaction="javascript:alert(8)">Go</button></form>'
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(9)>",
]


def html_in(path: Path) -> list[str]:
    """The HTML a file hands on: a page or fragment, the HTML bodies of a ninjs file, the
    entries' content of a feed."""
    text = path.read_text("utf-8")
    if path.suffix == ".xml":
        return [e.text or "" for e in ET.fromstring(text).iter() if e.tag.endswith("}content")]
    if path.suffix == ".json":
        document = json.loads(text)
        bodies = document.get("bodies", []) if isinstance(document, dict) else []
        return [b["value"] for b in bodies if b.get("contentType") == "text/html"]
    return [text]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_tampered_render_cache_reaches_no_format(tmp_path: Path, workers: int) -> None:
    store = ListStore([other(n) for n in range(2, 2 + len(EVIL))])
    formats = "site,fragment,ninjs,markdown"
    export(store, tmp_path / "first", formats=formats)
    assert len(store.entries) == len(EVIL)
    for key, html in zip(sorted(store.entries), EVIL, strict=True):
        head = store.entries[key].partition("\n")[0]
        store.entries[key] = f"{head}\n{html}"
    report = export(store, tmp_path / "out", formats=formats, workers=workers)
    assert report.cold_renders == 0  # every body came from the tampered cache
    files = sorted(p for p in (tmp_path / "out").rglob("*") if p.is_file())
    shown = ""
    for path in files:
        if path.suffix not in {".html", ".json", ".xml"}:
            continue
        for html in html_in(path):
            shown += html
            root = parse(html if "<html" in html else f"<!DOCTYPE html><title>t</title>{html}")
            assert executable_findings(root) == [], path
        assert "alert(" not in path.read_text("utf-8"), path
        assert path.read_text("utf-8").count('id="nd-headline"') <= 1, path  # the theme's own
    for n, _ in enumerate(EVIL):  # the cached bodies were used, cleaned, not dropped
        number = ["one", "two", "three", "four", "five"][n]
        assert shown.count(f"tampered {number}") >= 3, number  # page, fragment, ninjs
    assert "tampered one" in (tmp_path / "out/site/feed.xml").read_text("utf-8")
