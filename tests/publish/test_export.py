"""Export into a folder: layout, determinism, increments, atomicity and safety."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from newsdesk.core.models import Article, Status
from newsdesk.publish.errors import ExportError
from newsdesk.publish.exporting import outputs
from newsdesk.publish.exporting.export import ExportReport, export
from newsdesk.publish.folder import transaction

from .dom import executable_findings, parse
from .fakes import ListStore, fail_rename
from .samples import BASE, linked, other, story

STATE = ".newsdesk-export.json"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` with its bytes (the whole observable export)."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def filled_store(sqlite_store: object) -> Iterator[object]:
    store = sqlite_store
    others = [store.create(other(n, id=None)) for n in range(2, 6)]  # type: ignore[attr-defined]
    main = linked(story(id=None, version=0), *others[:3],
                  external=("https://www.example.org/transport",))  # fmt: skip
    store.create(main)  # type: ignore[attr-defined]
    store.create(other(9, id=None, status=Status.DRAFT))  # type: ignore[attr-defined]
    yield store


def test_export_writes_every_format_in_the_documented_layout(
    filled_store: object, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    report = export(filled_store, out)  # type: ignore[arg-type]
    assert isinstance(report, ExportReport)
    assert report.articles == 5
    assert report.problems == []
    files = set(snapshot(out))
    page = "site/uk-news/boroughs-quiet-fix-bicycles/index.html"
    for expected in (
        page,
        "site/world/harbour-review-2/index.html",
        "site/index.html",
        "site/uk-news/index.html",
        "site/world/index.html",
        "site/feed.xml",
        "site/sitemap.xml",
        "site/robots.txt",
        "site/assets/theme.css",
        "fragment/uk-news/boroughs-quiet-fix-bicycles.html",
        "markdown/uk-news/boroughs-quiet-fix-bicycles.md",
        "ninjs/uk-news/boroughs-quiet-fix-bicycles.json",
        "newsdesk-bundle.zip",
        STATE,
    ):
        assert expected in files, expected
    assert not any("harbour-review-9" in f for f in files)  # a draft is not exported
    assert not any(".newsdesk-staging" in f or ".newsdesk-backup" in f for f in files)
    root = parse((out / page).read_text("utf-8"))
    assert executable_findings(root) == []
    fragment = (out / "fragment/uk-news/boroughs-quiet-fix-bicycles.html").read_text("utf-8")
    assert fragment.startswith("<p>Volunteers across the borough")
    assert "data-line" not in fragment


def test_re_export_writes_identical_bytes_and_nothing_at_all(
    filled_store: object, tmp_path: Path
) -> None:
    export(filled_store, tmp_path / "a")  # type: ignore[arg-type]
    export(filled_store, tmp_path / "b")  # type: ignore[arg-type]
    first = snapshot(tmp_path / "a")
    assert first == snapshot(tmp_path / "b")
    mtimes = {p: p.stat().st_mtime_ns for p in (tmp_path / "a").rglob("*") if p.is_file()}
    again = export(filled_store, tmp_path / "a")  # type: ignore[arg-type]
    assert again.written == []
    assert again.deleted == []
    assert snapshot(tmp_path / "a") == first
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes


def test_parallel_and_serial_exports_are_byte_identical(tmp_path: Path) -> None:
    articles = [other(n) for n in range(1, 80)]
    store = ListStore(articles)
    serial = export(store, tmp_path / "serial", workers=1, formats="site,ninjs")
    parallel = export(ListStore(articles), tmp_path / "parallel", workers=2,
                      formats="site,ninjs")  # fmt: skip
    assert serial.cold_renders == parallel.cold_renders == 79
    assert snapshot(tmp_path / "serial") == snapshot(tmp_path / "parallel")


def test_changing_one_article_rewrites_only_what_shows_it(
    filled_store: object, tmp_path: Path
) -> None:
    store = filled_store
    out = tmp_path / "out"
    export(store, out, formats="site,fragment,ninjs")  # type: ignore[arg-type]
    target = store.get_by_slug("harbour-review-3")  # type: ignore[attr-defined]
    store.save(target.edited(headline="Harbour authority widens its review"))  # type: ignore[attr-defined]
    report = export(store, out, formats="site,fragment,ninjs")  # type: ignore[arg-type]
    written = set(report.written)
    assert {
        "site/world/harbour-review-3/index.html",
        "ninjs/world/harbour-review-3.json",
        # the story linking to it shows its new headline in Related articles:
        "site/uk-news/boroughs-quiet-fix-bicycles/index.html",
        "ninjs/uk-news/boroughs-quiet-fix-bicycles.json",
        "site/world/index.html",
        "site/index.html",
        "site/feed.xml",
    } <= written
    assert "site/world/harbour-review-2/index.html" not in written
    assert "fragment/uk-news/boroughs-quiet-fix-bicycles.html" not in written
    assert "fragment/world/harbour-review-3.html" not in written  # its body did not change
    page = (out / "site/uk-news/boroughs-quiet-fix-bicycles/index.html").read_text("utf-8")
    assert "Harbour authority widens its review" in page


def test_withdrawn_article_files_are_removed_and_links_to_it_dropped(
    filled_store: object, tmp_path: Path
) -> None:
    store = filled_store
    out = tmp_path / "out"
    export(store, out)  # type: ignore[arg-type]
    target = store.get_by_slug("harbour-review-2")  # type: ignore[attr-defined]
    store.save(target.edited(status=Status.WITHDRAWN))  # type: ignore[attr-defined]
    report = export(store, out)  # type: ignore[arg-type]
    assert "site/world/harbour-review-2/index.html" in report.deleted
    assert not (out / "site/world/harbour-review-2").exists()
    assert not (out / "ninjs/world/harbour-review-2.json").exists()
    page = (out / "site/uk-news/boroughs-quiet-fix-bicycles/index.html").read_text("utf-8")
    assert "harbour-review-2" not in page


def test_files_newsdesk_did_not_write_are_never_deleted_or_replaced(
    filled_store: object, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    (out / "site").mkdir(parents=True)
    (out / "site/CNAME").write_text("news.example.com\n")
    (out / "notes.txt").write_text("the web team's notes\n")
    export(filled_store, out)  # type: ignore[arg-type]
    assert (out / "site/CNAME").read_text() == "news.example.com\n"
    assert (out / "notes.txt").read_text() == "the web team's notes\n"
    # A file in the way of a page that Newsdesk must write: refused, nothing changed.
    fresh = tmp_path / "fresh"
    (fresh / "site").mkdir(parents=True)
    (fresh / "site/index.html").write_text("<p>the old site</p>")
    before = snapshot(fresh)
    with pytest.raises(ExportError, match="not written by Newsdesk"):
        export(filled_store, fresh)  # type: ignore[arg-type]
    assert snapshot(fresh) == before


def test_a_file_edited_by_hand_is_not_overwritten_or_deleted(
    filled_store: object, tmp_path: Path
) -> None:
    store = filled_store
    out = tmp_path / "out"
    export(store, out, formats="ninjs")  # type: ignore[arg-type]
    edited = out / "ninjs/world/harbour-review-2.json"
    edited.write_text('{"edited": true}\n')
    target = store.get_by_slug("harbour-review-2")  # type: ignore[attr-defined]
    store.save(target.edited(status=Status.ARCHIVED))  # type: ignore[attr-defined]
    report = export(store, out, formats="ninjs")  # type: ignore[arg-type]
    assert edited.read_text() == '{"edited": true}\n'
    assert report.kept == ["ninjs/world/harbour-review-2.json"]


HOSTILE_SLUGS = ["../../escape", "..", "c:", "C:\\evil", "/etc/passwd", "a/b", "con", ".hidden"]


@pytest.mark.parametrize("slug", HOSTILE_SLUGS)
def test_no_slug_or_section_places_a_file_outside_the_folder(tmp_path: Path, slug: str) -> None:
    bad = dataclasses.replace(other(7), slug=slug, section=f"../{slug}/..")
    store = ListStore([other(2), bad])
    out = tmp_path / "deep" / "out"
    report = export(store, out)
    assert [p.uri for p in report.problems] == [bad.uri]
    assert "not a single safe path segment" in report.problems[0].message
    outside = {p for p in tmp_path.rglob("*") if out not in p.parents and p != out}
    assert outside == {tmp_path / "deep"}
    sections = {p.name for p in (out / "site").iterdir()}
    furniture = {"404.html", "favicon.svg", "apple-touch-icon.png"}
    assert (
        sections
        <= {"world", "index.html", "feed.xml", "sitemap.xml", "robots.txt", "assets"} | furniture
    )


def test_a_symlink_inside_the_folder_cannot_lead_a_write_outside(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    (out / "site").mkdir(parents=True)
    (out / "site" / "world").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(ExportError, match="outside"):
        export(ListStore([other(2)]), out)
    assert list(elsewhere.iterdir()) == []


def test_section_names_become_safe_folders(tmp_path: Path) -> None:
    odd = dataclasses.replace(other(3), section="../../Étranger / Politique")
    report = export(ListStore([odd]), tmp_path / "out", formats="site")
    assert report.problems == []
    assert (tmp_path / "out/site/etranger-politique/harbour-review-3/index.html").is_file()


def test_articles_without_headline_or_with_huge_bodies_are_left_out_clearly(
    tmp_path: Path,
) -> None:
    no_headline = dataclasses.replace(other(4), headline="  ")
    huge = dataclasses.replace(other(5), body="word " * (2 * 1024 * 1024))
    report = export(ListStore([other(2), no_headline, huge]), tmp_path / "out", formats="site")
    messages = {p.uri: p.message for p in report.problems}
    assert messages[no_headline.uri] == "it has no headline"
    assert "MB; Newsdesk publishes bodies of up to 8 MB" in messages[huge.uri]
    assert report.articles == 1


def test_target_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("not a folder")
    with pytest.raises(ExportError, match="it is a file, not a folder"):
        export(ListStore([other(2)]), target)
    assert target.read_text() == "not a folder"


def test_unwritable_target_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "locked"
    target.mkdir()
    (target / "kept.txt").write_text("the web team's own file")
    # Root may write anywhere a mode allows; the immutable attribute stops even root.
    as_root = os.geteuid() == 0
    if as_root:
        subprocess.run(["chattr", "+i", str(target)], check=True)
    else:
        target.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="may not write"):
            export(ListStore([other(2)]), target)
    finally:
        if as_root:
            subprocess.run(["chattr", "-i", str(target)], check=True)
        else:
            target.chmod(0o700)
    assert sorted(p.name for p in target.iterdir()) == ["kept.txt"]


def test_permission_error_reads_clearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(folder: Path, relpath: str, data: bytes) -> tuple[str, int]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(outputs, "write_staged", refuse)
    with pytest.raises(ExportError, match="nothing was changed: Newsdesk may not write to"):
        export(ListStore([other(2)]), tmp_path / "out", workers=1)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []


def test_disk_full_midway_leaves_the_previous_export_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    export(ListStore([other(n) for n in range(2, 8)]), out)
    before = snapshot(out)
    changed = [dataclasses.replace(other(n), headline=f"Changed {n}", version=2)
               for n in range(2, 8)]  # fmt: skip
    calls = {"n": 0}
    real = outputs.write_staged

    def fill_up(folder: Path, relpath: str, data: bytes) -> tuple[str, int]:
        calls["n"] += 1
        if calls["n"] == 7:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(folder, relpath, data)

    monkeypatch.setattr(outputs, "write_staged", fill_up)
    with pytest.raises(ExportError, match=r"disk holding .* is full"):
        export(ListStore(changed), out, workers=1)
    assert snapshot(out) == before


def test_failure_while_swapping_in_is_rolled_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    export(ListStore([other(n) for n in range(2, 8)]), out)
    before = snapshot(out)
    changed = [dataclasses.replace(other(n), headline=f"Changed {n}", version=2)
               for n in range(2, 9)]  # fmt: skip
    fail_rename(monkeypatch, transaction, at=15)
    with pytest.raises(ExportError, match="nothing was changed"):
        export(ListStore(changed), out)
    monkeypatch.undo()
    assert snapshot(out) == before


def test_embargoed_articles_stay_off_the_site_but_travel_as_data(tmp_path: Path) -> None:
    embargoed = dataclasses.replace(
        other(3), status=Status.SCHEDULED, embargo_until=BASE + timedelta(days=2)
    )
    store = ListStore([other(2), embargoed])
    report = export(store, tmp_path / "out", now=BASE)
    assert [p.uri for p in report.held] == [embargoed.uri]
    assert not (tmp_path / "out/site/world/harbour-review-3").exists()
    assert not (tmp_path / "out/fragment/world/harbour-review-3.html").exists()
    ninjs = json.loads((tmp_path / "out/ninjs/world/harbour-review-3.json").read_text())
    assert ninjs["embargoedUntil"] == "2026-01-19T09:30:00Z"
    assert "harbour-review-3" not in (tmp_path / "out/site/feed.xml").read_text()
    later = export(store, tmp_path / "out", now=BASE + timedelta(days=3))
    assert later.held == []
    assert (tmp_path / "out/site/world/harbour-review-3/index.html").is_file()


def test_since_only_touches_articles_saved_since(tmp_path: Path) -> None:
    old = other(2)
    store = ListStore([old, other(3)])
    out = tmp_path / "out"
    export(store, out, formats="ninjs")
    edited_old = dataclasses.replace(old, headline="Edited but old", updated_at=old.updated_at)
    fresh = dataclasses.replace(other(3), headline="Edited and new", version=2,
                                updated_at=BASE + timedelta(days=1))  # fmt: skip
    report = export(ListStore([edited_old, fresh]), out, formats="ninjs", since=BASE)
    assert report.written == ["ninjs/world/harbour-review-3.json"]
    assert "Edited but old" not in (out / "ninjs/world/harbour-review-2.json").read_text()


def test_unknown_format_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown export format pdf; use any of: site"):
        export(ListStore([]), tmp_path / "out", formats="site,pdf")


def test_an_empty_store_exports_an_empty_site(tmp_path: Path) -> None:
    report = export(ListStore([]), tmp_path / "out", formats="site")
    assert report.articles == 0
    home = (tmp_path / "out/site/index.html").read_text("utf-8")
    assert "Nothing has been published yet." in home


def test_progress_is_reported_to_the_end(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    export(ListStore([other(n) for n in range(2, 6)]), tmp_path / "out",
           progress=lambda done, total: seen.append((done, total)))  # fmt: skip
    assert seen[-1][0] == seen[-1][1]
    assert all(done <= total for done, total in seen)


def test_state_file_records_what_was_written(filled_store: object, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export(filled_store, out)  # type: ignore[arg-type]
    state = json.loads((out / STATE).read_text())
    listed = set(state["files"])
    on_disk = set(snapshot(out)) - {STATE, "handoff.json", "HANDOFF.md"}  # manifest: not a file
    assert listed == on_disk  # of the site the record guards (rewritten by every export)


def test_hostile_articles_export_nothing_executable(tmp_path: Path) -> None:
    evil = '"><script>alert(1)</script><img src=x onerror=alert(1)><svg onload=alert(1)>'
    hostile: Article = story(
        headline=f"Headline {evil}",
        kicker=evil,
        standfirst=evil,
        byline=evil,
        dateline=evil,
        section=evil,
        tags=(evil, "</title>"),
        seo_title=evil,
        seo_description=evil,
        canonical_url="javascript:alert(1)",
        body=f"{evil}\n\n[x](javascript:alert(1))\n\n<iframe src=//evil.example></iframe>",
    )
    report = export(ListStore([hostile]), tmp_path / "out")
    assert report.problems == []
    for path in (tmp_path / "out/site").rglob("*.html"):
        assert executable_findings(parse(path.read_text("utf-8"))) == [], path
    fragment = next((tmp_path / "out/fragment").rglob("*.html")).read_text("utf-8")
    assert executable_findings(parse(f"<!DOCTYPE html><title>t</title>{fragment}")) == []


def test_bodies_are_cached_with_one_bulk_call_per_batch(tmp_path: Path) -> None:
    store = ListStore([other(n) for n in range(2, 6)])
    cold = export(store, tmp_path / "a", formats="site", workers=1)
    assert cold.cold_renders == 4
    assert (store.bulk_reads, store.bulk_writes) == (1, 1)
    assert (store.misses, store.hits, store.stores) == (0, 0, 0)  # never one call per body
    assert len(store.entries) == 4
    warm = export(store, tmp_path / "b", formats="site", workers=1)
    assert warm.cold_renders == 0
    assert (store.bulk_reads, store.bulk_writes) == (3, 1)  # one batch, then the feed's
    assert (store.misses, store.hits, store.stores) == (0, 0, 0)
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


@pytest.mark.parametrize("failure", [OSError(errno.EIO, "Input/output error"), KeyboardInterrupt()])
def test_a_first_export_moved_in_whole_is_rolled_back_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    """A format folder that did not exist is staged as a tree and moved in with one rename:
    a failure (or Ctrl+C) on the second folder takes the first one back out."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("kept")
    real = os.rename
    renamed: list[str] = []

    def flaky(source: object, target: object) -> None:
        renamed.append(str(target))
        if len(renamed) == 2:  # the second folder moved in
            raise failure
        real(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(transaction.os, "rename", flaky)
    expected = ExportError if isinstance(failure, OSError) else KeyboardInterrupt
    with pytest.raises(expected):
        export(ListStore([other(n) for n in range(2, 6)]), out, formats="site,ninjs")
    monkeypatch.undo()
    assert renamed[:2] == [str(out / "site"), str(out / "ninjs")]
    assert len(renamed) == 3  # "site" taken back out
    assert sorted(p.name for p in out.iterdir()) == ["mine.txt"]


def test_a_format_folder_that_exists_is_filled_file_by_file_with_the_same_bytes(
    tmp_path: Path,
) -> None:
    articles = [other(n) for n in range(2, 6)]
    export(ListStore(articles), tmp_path / "fresh", formats="site,ninjs")
    (tmp_path / "made/site").mkdir(parents=True)  # an empty folder someone made
    (tmp_path / "made/site/notes.txt").write_text("theirs")
    report = export(ListStore(articles), tmp_path / "made", formats="site,ninjs")
    made = snapshot(tmp_path / "made")
    assert made.pop("site/notes.txt") == b"theirs"
    assert made == snapshot(tmp_path / "fresh")
    assert "site/notes.txt" not in report.written


def test_ctrl_c_while_workers_render_leaves_the_previous_export(tmp_path: Path) -> None:
    out = tmp_path / "out"
    export(ListStore([other(n) for n in range(1, 60)]), out, formats="site,ninjs")
    before = snapshot(out)
    changed = [dataclasses.replace(other(n), headline=f"Changed {n}", version=2)
               for n in range(1, 60)]  # fmt: skip

    def interrupt(done: int, total: int) -> None:
        if done:  # the first chunk is back from the workers
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        export(ListStore(changed), out, formats="site,ninjs", workers=2, progress=interrupt)
    assert snapshot(out) == before


@pytest.mark.parametrize("workers", [1, 2])
def test_a_tampered_render_cache_exports_nothing_executable(tmp_path: Path, workers: int) -> None:
    """Cached bodies are checked again on export: what is not provably the sanitizer's own
    output is sanitized again, in the pages and in the feed."""
    articles = [other(n) for n in range(2, 6)]
    store = ListStore(articles)
    export(store, tmp_path / "first", formats="site")
    evil = [
        '<p onclick="alert(1)">tampered</p><script>alert(2)</script>',
        '<p><a href="javascript:alert(3)" rel="noopener noreferrer">x</a></p>',
        '<p><img src="x" onerror="alert(4)"></p><svg onload="alert(5)"></svg>',
        '<p>ok</p><iframe src="https://evil.example/"></iframe>',
    ]
    for key, html in zip(sorted(store.entries), evil, strict=True):
        head = store.entries[key].partition("\n")[0]
        store.entries[key] = f"{head}\n{html}"
    export(store, tmp_path / "out", formats="site", workers=workers)
    pages = sorted((tmp_path / "out/site").rglob("*.html"))
    assert len(pages) > len(articles)
    for path in pages:
        assert executable_findings(parse(path.read_text("utf-8"))) == [], path
    text = "".join(path.read_text("utf-8") for path in pages)
    assert "tampered" in text
    assert "alert(" not in text
    assert "alert(" not in (tmp_path / "out/site/feed.xml").read_text("utf-8")


def test_an_old_story_edited_in_a_new_year_rewrites_only_the_pages_that_show_it(
    tmp_path: Path,
) -> None:
    """Listing pages show the year of the newest story's date (as an article page shows
    its own): editing a story of last year in a new year rewrites only what shows it."""
    articles = [other(n) for n in range(1, 81)]  # dated back from BASE, 17 Jan 2026
    out = tmp_path / "out"
    export(ListStore(articles), out, formats="site")
    old = articles[59]  # 60 days before BASE: late 2025, on the second World page
    assert old.first_published_at is not None and old.first_published_at.year == 2025
    edited = dataclasses.replace(
        old, headline="Harbour review widened", version=2, updated_at=BASE.replace(year=2027)
    )
    report = export(ListStore([*articles[:59], edited, *articles[60:]]), out, formats="site")
    assert set(report.written) == {
        "site/world/harbour-review-60/index.html",
        "site/world/page/2/index.html",  # the listing page that shows it
        "site/sitemap.xml",  # its lastmod
    }
    for listing in ("site/index.html", "site/world/index.html", "site/world/page/2/index.html"):
        assert "© 2026 " in (out / listing).read_text("utf-8")
    newer = dataclasses.replace(articles[0], first_published_at=BASE.replace(year=2027),
                                version=2)  # fmt: skip
    report = export(ListStore([newer, *articles[1:]]), out, formats="site")
    assert {"site/world/index.html", "site/world/page/2/index.html"} <= set(report.written)
    assert "© 2027 " in (out / "site/world/page/2/index.html").read_text("utf-8")


def test_the_record_file_keeps_unchanged_lines_and_reads_as_written(tmp_path: Path) -> None:
    """The record is written one entry a line, unchanged lines copied from the last one:
    the bytes are those a full rewrite gives, and it reads back to the same records."""
    from newsdesk.publish.exporting.export_report import GENERATOR
    from newsdesk.publish.folder.state import ExportState

    articles = [other(n) for n in range(1, 30)]
    out = tmp_path / "out"
    export(ListStore(articles), out, formats="site,ninjs")
    first = ExportState.load(out)
    changed = dataclasses.replace(articles[3], headline="A new headline", version=2)
    export(ListStore([*articles[:3], changed, *articles[4:]]), out, formats="site,ninjs")
    data = (out / STATE).read_bytes()
    again = ExportState.load(out)
    assert again.to_bytes(GENERATOR) == data  # what a rewrite of every line gives
    assert json.loads(data)["articles"][changed.uri][6] == "A new headline"
    assert again.files != first.files
    fresh = tmp_path / "fresh"
    export(ListStore([*articles[:3], changed, *articles[4:]]), fresh, formats="site,ninjs")
    assert (fresh / STATE).read_bytes() == data


def test_the_feed_is_made_again_only_when_one_of_its_stories_changed(tmp_path: Path) -> None:
    articles = [other(n) for n in range(1, 81)]  # the feed shows the newest fifty
    out = tmp_path / "out"
    export(ListStore(articles), out, formats="site")
    feed = (out / "site/feed.xml").read_bytes()
    old = dataclasses.replace(articles[70], headline="Old story edited", version=2)
    store = ListStore([*articles[:70], old, *articles[71:]])
    report = export(store, out, formats="site")
    assert "site/feed.xml" not in report.written
    assert store.bulk_reads == 1  # the edited story's body; the feed's fifty are not read
    assert (out / "site/feed.xml").read_bytes() == feed
    new = dataclasses.replace(articles[0], headline="Newest story edited", version=2)
    report = export(ListStore([new, *articles[1:70], old, *articles[71:]]), out, formats="site")
    assert "site/feed.xml" in report.written
    assert "Newest story edited" in (out / "site/feed.xml").read_text("utf-8")
