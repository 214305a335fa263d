"""The export's stages on their own: the plan, and what the report hands on to the CLI.

The plan stage (``plan_export``) tells which stories an export takes, in what order,
which it carries over as they are and which it leaves out or holds back, and writes
nothing. The report carries the stories handed off anew, so the open-problems note needs
no second read of the manifest. And each shortcut of a partial export (the listing entries
read from the record, the feed's stories picked from them) writes what a full export does.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from pathlib import Path

from newsdesk.core.models import PUBLISHABLE, Article, Status
from newsdesk.publish.export import export, plan_export
from newsdesk.publish.formats.feed import FEED_SIZE
from newsdesk.publish.open_problems import after_export
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
