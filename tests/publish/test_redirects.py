"""Former addresses become redirect pages in the site export, owned by their story."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from newsdesk.core.models import Article, Status
from newsdesk.publish.exporting.export import export
from newsdesk.publish.formats.redirects import redirect_path
from newsdesk.publish.paths import UnsafePathError

from .dom import executable_findings, find_all, meta_map, parse_strict, text_of
from .fakes import ListStore
from .samples import other

OLD = "site/2019/05/old-title/index.html"
OLD_FILE = "site/blog/old-title.html"


def moved(number: int, *aliases: str, **changes: Any) -> Article:
    return dataclasses.replace(other(number, **changes), aliases=aliases).normalized()


def edited(article: Article, **changes: Any) -> Article:
    return dataclasses.replace(
        article, version=article.version + 1,
        updated_at=article.updated_at + timedelta(hours=1), **changes,
    ).normalized()  # fmt: skip


def test_each_alias_becomes_a_small_redirect_page(tmp_path: Path) -> None:
    out = tmp_path / "out"
    article = moved(2, "/2019/05/old-title/", "blog/old-title.html")
    report = export(ListStore([article]), out, formats=["site"])
    assert report.problems == []
    for relpath, back in ((OLD, "../../../"), (OLD_FILE, "../")):
        page = (out / relpath).read_text("utf-8")
        tree = parse_strict(page)
        target = f"{back}world/harbour-review-2/"
        metas = meta_map(tree)
        assert metas["refresh"] == [f"0; url={target}"]
        assert metas["robots"] == ["noindex"]
        assert metas["Content-Security-Policy"] == ["default-src 'none'"]
        links = find_all(tree, "link")
        assert [(e.get("rel"), e.get("href")) for e in links] == [
            ("canonical", "https://example.com/world/harbour-review-2/")
        ]
        (anchor,) = find_all(tree, "a")
        assert anchor.get("href") == target
        assert text_of(anchor) == "Harbour authority orders review number 2"
        # the refresh is the page's purpose; nothing else could run
        assert executable_findings(tree) == ["meta refresh"] and not find_all(tree, "script")
        # the link leads to the story's page, from where the redirect page sits
        assert (out / relpath).parent.joinpath(target, "index.html").resolve().is_file()


def test_the_markdown_front_matter_carries_the_former_addresses(tmp_path: Path) -> None:
    """Hugo reads ``aliases``, Jekyll's redirect plugin ``redirect_from``: the web team's
    generator makes the same redirects; an article without any has neither key."""
    import yaml

    out = tmp_path / "out"
    report = export(
        ListStore([moved(2, "/2019/05/old-title/"), other(3)]), out, formats=["markdown"]
    )
    assert report.problems == []
    matters = {}
    for path in (out / "markdown").rglob("*.md"):
        text = path.read_text("utf-8")
        matters[path.stem] = yaml.safe_load(text.split("---\n")[1])
    (with_alias,) = [m for m in matters.values() if m["slug"].endswith("-2")]
    assert with_alias["aliases"] == with_alias["redirect_from"] == ["/2019/05/old-title/"]
    (without,) = [m for m in matters.values() if m["slug"].endswith("-3")]
    assert "aliases" not in without and "redirect_from" not in without


def test_the_headline_is_escaped_in_the_redirect_page(tmp_path: Path) -> None:
    out = tmp_path / "out"
    article = moved(2, "/old/", headline='A <script>alert(1)</script> "quoted" story')
    export(ListStore([article]), out, formats=["site"])
    page = (out / "site/old/index.html").read_text("utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize(
    "alias",
    ["/../../outside/", "https://evil.example/x/", "/feed.xml", "/index.html", "/media/x/",
     "/assets/theme.css", "/sitemap.xml", "/con/", "/a\\b/"],
)  # fmt: skip
def test_an_alias_can_never_leave_or_take_over_the_site(alias: str) -> None:
    with pytest.raises(UnsafePathError):
        redirect_path(alias)


def test_two_stories_claiming_one_alias_are_reported_not_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    older = moved(3, "/old/")  # created three days before the story, so it keeps it
    newer = moved(2, "/old/")
    report = export(ListStore([older, newer]), out, formats=["site"])
    (problem,) = report.problems
    assert problem.uri == newer.uri
    assert "/old/" in problem.message and older.headline in problem.message
    page = (out / "site/old/index.html").read_text("utf-8")
    assert "harbour-review-3/" in page and "harbour-review-2" not in page
    assert not (out / "site/world/harbour-review-2/index.html").exists()


def test_an_alias_that_is_another_story_s_page_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    squatter = moved(2, "/world/harbour-review-3/")
    report = export(ListStore([other(3), squatter]), out, formats=["site"])
    (problem,) = report.problems
    assert problem.uri == squatter.uri and other(3).headline in problem.message
    page = (out / "site/world/harbour-review-3/index.html").read_text("utf-8")
    assert 'http-equiv="refresh"' not in page  # the real page, not a redirect


def test_an_alias_that_is_a_section_page_is_refused(tmp_path: Path) -> None:
    report = export(ListStore([moved(2, "/world/")]), tmp_path / "out", formats=["site"])
    (problem,) = report.problems
    assert "section page" in problem.message


def test_redirect_pages_go_with_their_story(tmp_path: Path) -> None:
    out = tmp_path / "out"
    article = moved(2, "/2019/05/old-title/")
    store = ListStore([article, other(3)])
    export(store, out)
    manifest = json.loads((out / "handoff.json").read_text("utf-8"))
    story = next(s for s in manifest["stories"] if s["id"] == "world/harbour-review-2")
    assert OLD in {path for path, _, _ in story["files"]}
    # a partial export of another story keeps it
    export(store, out, only=[other(3).uri])
    assert (out / OLD).is_file()
    # an alias removed: its page goes; another added: its page comes
    store.articles[0] = edited(article, aliases=("/old/",))
    export(store, out)
    assert not (out / OLD).exists() and (out / "site/old/index.html").is_file()
    # re-exported unchanged: still there
    export(store, out)
    assert (out / "site/old/index.html").is_file()
    # withdrawn: the redirect page goes with the story's page
    store.articles[0] = edited(store.articles[0], status=Status.WITHDRAWN)
    export(store, out)
    assert not (out / "site/old/index.html").exists()
    assert not (out / "site/world/harbour-review-2/index.html").exists()


def test_a_redirect_page_never_replaces_a_file_that_is_not_ours(tmp_path: Path) -> None:
    out = tmp_path / "out"
    export(ListStore([other(2)]), out, formats=["site"])
    mine = out / "site/old/index.html"
    mine.parent.mkdir(parents=True)
    mine.write_text("the web team's own page")
    with pytest.raises(Exception, match="old"):
        export(ListStore([edited(other(2), aliases=("/old/",))]), out, formats=["site"])
    assert mine.read_text() == "the web team's own page"
