"""The export's stages on their own: the plan, the render and write stages, and what the
report hands on to the CLI.

The plan stage (``plan_export``) tells which stories an export takes, in what order,
which it carries over as they are and which it leaves out or holds back, and writes
nothing. The render stage stages every file and the folder's record to be, writing
nothing into the folder; the write stage moves exactly that in. The report carries the
stories handed off anew, so the open-problems note needs no second read of the manifest.
And each shortcut of a partial export (the listing entries read from the record, the
feed's stories picked from them) writes what a full export does.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import timedelta
from pathlib import Path

from newsdesk.core.models import PUBLISHABLE, Article, Status
from newsdesk.publish.exporting.export import (
    ExportReport,
    ExportRequest,
    export,
    plan_export,
    plan_stage,
    render_stage,
    write_stage,
)
from newsdesk.publish.exporting.export_plan import ExportContext, Stories
from newsdesk.publish.exporting.workers import Workers
from newsdesk.publish.folder.export_swap import record_articles
from newsdesk.publish.folder.state import ExportState
from newsdesk.publish.folder.transaction import STAGING_PREFIX, Staging
from newsdesk.publish.formats import FORMATS
from newsdesk.publish.formats.feed import FEED_SIZE
from newsdesk.publish.handoff.open_problems import after_export
from newsdesk.publish.media.export_media import MediaFiles
from newsdesk.store import SqlStore

from .samples import BASE

NOW = BASE + timedelta(days=60)


def _article(number: int, **changes: object) -> Article:
    moment = BASE + timedelta(hours=number)
    fields: dict[str, object] = {
        "headline": f"Ferry timetable changes number {number}",
        "status": Status.PUBLISHED,
        "section": ("World", "Business")[number % 2],
        "standfirst": "The operator said the new times start in the spring.",
        "byline": "Dan Ruiz",
        "body": f"The ferry operator changed timetable {number}.\n\nMore soon.",
        "created_at": moment,
        "updated_at": moment,
        "display_date": moment,
    }
    fields.update(changes)
    return Article(**fields)  # type: ignore[arg-type]


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in {"handoff.json", "HANDOFF.md"}
    }


def test_the_plan_stage_lists_the_stories_and_writes_nothing(
    sqlite_store: SqlStore, tmp_path: Path
) -> None:
    store = sqlite_store
    made = [store.create(_article(n)) for n in range(6)]
    held = store.create(_article(7, embargo_until=NOW + timedelta(days=1)))
    store.create(_article(8, status=Status.DRAFT))  # not taken by an export
    out = tmp_path / "out"

    plan = plan_export(store, out, now=NOW)

    expected = sorted([*made, held], key=lambda a: (a.section.lower(), a.slug))
    assert [p.uri for p in plan.planned] == [a.uri for a in expected]
    assert [p.headline for p in plan.held] == [held.headline]
    assert plan.problems == [] and plan.chosen is None
    item = next(p for p in plan.planned if p.uri == made[0].uri)
    assert item.paths["site"] == f"site/{item.record.section_slug}/{item.record.slug}/index.html"
    assert not out.exists()  # nothing written, not even the folder
    report = export(store, out, now=NOW, workers=1)  # the export plans the same
    assert report.articles == len(plan.planned) and report.held == plan.held


def test_the_plan_of_a_partial_export_carries_the_others_over(
    sqlite_store: SqlStore, tmp_path: Path
) -> None:
    store = sqlite_store
    made = [store.create(_article(n)) for n in range(6)]
    out = tmp_path / "out"
    export(store, out, now=NOW, workers=1)
    before = _files(out)
    chosen = store.save(dataclasses.replace(store.get(made[2].uri), standfirst="Edited."))

    plan = plan_export(store, out, only=[chosen.uri], now=NOW)

    assert plan.chosen == 1
    carried = {p.uri for p in plan.planned if p.carried}
    assert carried == {a.uri for a in made} - {chosen.uri}
    item = next(p for p in plan.planned if p.uri == chosen.uri)
    assert item.article is not None and item.article.standfirst == "Edited."
    assert _files(out) == before  # the folder as the export left it


def test_the_render_stage_stages_the_files_and_the_write_stage_moves_them_in(
    sqlite_store: SqlStore, tmp_path: Path
) -> None:
    store = sqlite_store
    made = [store.create(_article(n)) for n in range(4)]
    out = tmp_path / "out"
    export(store, out, now=NOW, workers=1)
    before = _files(out)
    edited = store.save(dataclasses.replace(store.get(made[2].uri), standfirst="Edited."))
    request = ExportRequest(
        store=store, root=out, selected=FORMATS, statuses=PUBLISHABLE, now=NOW, workers=1
    )
    report = ExportReport(out_dir=out, formats=FORMATS)
    ctx = ExportContext.of(request, ExportState.load(out), report)
    staging = Staging(out, in_place=ctx.committed)
    pool = Workers(1, ctx.profile.to_dict(), staging.folder)
    try:
        stories = Stories(ctx, pool)
        media = MediaFiles(ctx, stories, pool, staging)
        plan = plan_stage(stories, media)
        built = render_stage(stories, media, pool, plan)

        outside = {k: v for k, v in _files(out).items() if not k.startswith(STAGING_PREFIX)}
        assert outside == before  # the render stage writes nothing into the folder
        page = next(p for p in plan.planned if p.uri == edited.uri).paths["site"]
        other = next(p for p in plan.planned if p.uri == made[0].uri).paths["site"]
        assert page in built.staged and other not in built.staged  # only what changed
        assert built.files[page].uri == edited.uri
        assert built.files[other] == ctx.state.files[other]

        write_stage(stories, staging, built)
    finally:
        pool.close()
        staging.remove()
    after = _files(out)
    assert b"Edited." in after[page] and after[other] == before[other]
    assert hashlib.sha256(after[page]).hexdigest() == built.staged[page][0]
    assert report.written == sorted(p for p in built.staged if before.get(p) != after.get(p))
    assert ExportState.load(out).files == built.files


def test_the_record_of_a_partial_export_keeps_the_stories_it_did_not_choose(
    sqlite_store: SqlStore, tmp_path: Path
) -> None:
    store = sqlite_store
    made = [store.create(_article(n)) for n in range(4)]
    out = tmp_path / "out"
    export(store, out, now=NOW, workers=1)
    state = ExportState.load(out)
    store.save(dataclasses.replace(store.get(made[0].uri), status=Status.DRAFT))
    chosen = store.save(dataclasses.replace(store.get(made[1].uri), standfirst="Edited."))

    partial = plan_export(store, out, only=[chosen.uri], now=NOW)
    kept = record_articles(state, partial.planned, frozenset({chosen.uri}))
    full = record_articles(state, plan_export(store, out, now=NOW).planned, None)

    # The draft's files stay after a partial export that did not choose it: so does its record.
    assert set(kept) == {a.uri for a in made}
    assert kept[made[0].uri] == state.articles[made[0].uri]
    assert kept[chosen.uri].version == chosen.version != state.articles[chosen.uri].version
    assert set(full) == {a.uri for a in made[1:]}  # a full export withdraws the draft


def test_the_report_names_the_stories_handed_off(sqlite_store: SqlStore, tmp_path: Path) -> None:
    store = sqlite_store
    made = [store.create(_article(n)) for n in range(4)]
    out = tmp_path / "out"
    first = export(store, out, now=NOW, workers=1)
    manifest = json.loads((out / "handoff.json").read_bytes())
    assert first.handed_off == [story["uri"] for story in manifest["stories"]]
    assert sorted(first.handed_off) == sorted(a.uri for a in made)

    store.save(dataclasses.replace(store.get(made[1].uri), headline="A new headline"))
    again = export(store, out, now=NOW, workers=1)
    assert again.handed_off == [made[1].uri]
    changes = json.loads((out / "handoff.json").read_bytes())["changes"]
    assert changes["added"] == [] and len(changes["updated"]) == 1
    assert export(store, out, now=NOW, workers=1).handed_off == []  # nothing changed
    # A manifest removed by hand: every story's line is made again, one is handed off.
    (out / "handoff.json").unlink()
    store.save(dataclasses.replace(store.get(made[3].uri), headline="Another headline"))
    assert export(store, out, now=NOW, workers=1).handed_off == [made[3].uri]


def test_a_partial_export_moving_a_story_into_the_feed_writes_what_a_full_one_does(
    sqlite_store: SqlStore, tmp_path: Path
) -> None:
    """The listing entries of the stories not read come from the record, and the feed
    picks its stories by the entries' sort keys: moving an old story to the top (home
    page, first section page, feed) must give the full export's bytes."""
    store = sqlite_store
    made = [store.create(_article(n)) for n in range(FEED_SIZE + 12)]
    out = tmp_path / "out"
    export(store, out, now=NOW, workers=1)
    oldest = store.get(made[0].uri)
    store.save(dataclasses.replace(oldest, display_date=NOW - timedelta(hours=1)))

    partial = export(store, out, only=[oldest.uri], now=NOW, workers=1)
    fresh = tmp_path / "fresh"
    export(store, fresh, now=NOW, workers=1)

    assert "site/feed.xml" in partial.written
    assert _files(out) == _files(fresh)
    assert export(store, out, now=NOW, workers=1).written == []  # a full export agrees


def test_the_open_problems_note_takes_the_stories_handed_off_from_the_report(
    sqlite_store: SqlStore, tmp_path: Path
) -> None:
    """After a full export the note checks the stories the report names, without reading
    the manifest back (here removed: read, it would fall back to every story)."""
    store = sqlite_store
    made = [store.create(_article(n, byline="")) for n in range(3)]  # each lacks a byline
    out = tmp_path / "out"
    export(store, out, now=NOW, workers=1)
    edited = store.save(dataclasses.replace(store.get(made[1].uri), headline="A new headline"))
    report = export(store, out, now=NOW, workers=1)
    (out / "handoff.json").unlink()

    found = after_export(store, report, statuses=PUBLISHABLE)

    assert [story.slug for story in found.stories] == [edited.slug]


def test_a_partial_export_without_the_site_keeps_the_others_teasers(
    sqlite_store: SqlStore, tmp_path: Path
) -> None:
    """One story handed off as Markdown alone, then with the site: the stories carried
    over keep their whole records (their teasers list them), and the second export lists
    them as a full export does. It crashed (an assertion) when the first dropped them."""
    store = sqlite_store
    made = [store.create(_article(n)) for n in range(5)]
    out = tmp_path / "out"
    export(store, out, now=NOW, workers=1)
    before = ExportState.load(out).articles
    chosen = store.save(dataclasses.replace(store.get(made[2].uri), standfirst="Edited once."))
    export(store, out, formats=["markdown"], only=[chosen.uri], now=NOW, workers=1)
    after = ExportState.load(out).articles
    assert all(after[a.uri] == before[a.uri] for a in made if a.uri != chosen.uri)

    chosen = store.save(dataclasses.replace(store.get(chosen.uri), standfirst="Edited twice."))
    export(store, out, only=[chosen.uri], now=NOW, workers=1)
    fresh = tmp_path / "fresh"
    export(store, fresh, now=NOW, workers=1)
    for page in ("site/index.html", "site/world/index.html", "site/business/index.html"):
        assert (out / page).read_bytes() == (fresh / page).read_bytes(), page


def test_a_record_missing_a_carried_storys_teaser_is_listed_from_the_story(
    sqlite_store: SqlStore, tmp_path: Path
) -> None:
    """A folder whose record lost a story's teaser (as exports without the site did, before
    2026-12-02): a partial export reads that story and lists it, instead of failing."""
    store = sqlite_store
    made = [store.create(_article(n)) for n in range(3)]
    out = tmp_path / "out"
    export(store, out, now=NOW, workers=1)
    record = json.loads((out / ".newsdesk-export.json").read_bytes())
    record["articles"][made[0].uri][14] = None  # its teaser
    (out / ".newsdesk-export.json").write_text(json.dumps(record), "utf-8")
    chosen = store.save(dataclasses.replace(store.get(made[1].uri), standfirst="Edited."))
    export(store, out, only=[chosen.uri], now=NOW, workers=1)
    home = (out / "site/index.html").read_text("utf-8")
    assert made[0].headline in home and "Edited." in home


def test_an_export_told_to_hold_its_data_keeps_it_out_of_the_collectors_sight(
    sqlite_store: SqlStore, tmp_path: Path
) -> None:
    """For a process that ends right after (the command line), the export keeps what it
    worked with in ``hold`` and out of the cycle collector's walks, instead of freeing it;
    without ``hold`` it is freed when the export returns."""
    import gc
    import weakref

    store = sqlite_store
    made = [store.create(_article(n)) for n in range(3)]
    out = tmp_path / "out"
    export(store, out, now=NOW, workers=1)
    story = ExportState.load(out).articles[made[0].uri]  # the record an export reads
    assert story.slug == made[0].slug
    # Without hold: what the export read of the folder is gone once it returns.
    traced: list[weakref.ref[object]] = []
    real_load = ExportState.load

    def load(root: Path) -> ExportState:
        state = real_load(root)
        traced.append(weakref.ref(state.files))  # the files of the record read
        return state

    ExportState.load = staticmethod(load)  # type: ignore[method-assign]
    try:
        store.save(dataclasses.replace(store.get(made[0].uri), standfirst="Edited once."))
        export(store, out, now=NOW, workers=1, only=[made[0].uri])
        assert traced[-1]() is None
        frozen = gc.get_freeze_count()
        held: list[object] = []
        store.save(dataclasses.replace(store.get(made[0].uri), standfirst="Edited twice."))
        report = export(store, out, now=NOW, workers=1, only=[made[0].uri], hold=held)
        assert report.written  # the export did its work
        assert len(held) == 1 and traced[-1]() is not None  # kept, record and all
        assert gc.get_freeze_count() > frozen  # and out of the collector's sight
    finally:
        ExportState.load = real_load  # type: ignore[method-assign]
        gc.unfreeze()
