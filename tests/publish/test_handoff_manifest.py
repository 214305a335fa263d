"""The hand-off manifest and partial exports, as the web team receiving the folder sees them."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from newsdesk.core.models import Article, Status
from newsdesk.publish.exporting.export import export
from newsdesk.publish.handoff.handoff_parts import head_sha256

from .fakes import ListStore
from .samples import linked, other

STATE = ".newsdesk-export.json"


def manifest(out: Path) -> dict[str, Any]:
    return json.loads((out / "handoff.json").read_text("utf-8"))


def key(number: int) -> str:
    return f"world/harbour-review-{number}"


def edited(article: Article, headline: str) -> Article:
    return dataclasses.replace(
        article,
        headline=headline,
        version=article.version + 1,
        updated_at=article.updated_at + timedelta(hours=2),
    )


def files_below(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def written_as(folder: Path) -> dict[str, int]:
    """The inode of each file at the folder's root: a file written again (through a
    temporary file and a rename) has a new one."""
    return {p.name: p.stat().st_ino for p in folder.iterdir() if p.is_file()}


def test_each_story_is_listed_with_its_files_and_their_checksums(tmp_path: Path) -> None:
    out = tmp_path / "out"
    export(ListStore([other(2), other(3)]), out)
    data = manifest(out)
    stories = {story["id"]: story for story in data["stories"]}
    assert sorted(stories) == [key(2), key(3)]
    story = stories[key(2)]
    assert story["headline"] == "Harbour authority orders review number 2"
    assert story["status"] == "published" and story["version"] == 1
    assert story["url"].endswith("/world/harbour-review-2/")
    paths = {path for path, _, _ in story["files"]}
    assert {
        "site/world/harbour-review-2/index.html",
        "fragment/world/harbour-review-2.html",
        "ninjs/world/harbour-review-2.json",
    } <= paths
    assert any(p.startswith("markdown/world/harbour-review-2") for p in paths)
    for path, sha256, size in story["files"]:  # [path, sha256, size] each
        data_on_disk = (out / path).read_bytes()
        assert sha256 == hashlib.sha256(data_on_disk).hexdigest()
        assert size == len(data_on_disk)
    assert data["changes"]["added"] == [key(2), key(3)]
    assert data["partial"] is False
    other_paths = {path for path, _, _ in data["other_files"]}
    assert "site/index.html" in other_paths and "site/feed.xml" in other_paths
    text = (out / "HANDOFF.md").read_text("utf-8")
    assert "2 added, 0 updated, 0 withdrawn, 0 unchanged" in text
    assert "Harbour authority orders review number 3" in text
    readable = hashlib.sha256((out / "HANDOFF.md").read_bytes()).hexdigest()
    assert data["readable_sha256"] == readable  # which HANDOFF.md was written with it


def test_the_change_list_after_an_add_an_edit_and_a_withdrawal(tmp_path: Path) -> None:
    out = tmp_path / "out"
    articles = [other(2), other(3), other(4)]
    export(ListStore(articles), out)
    gone = manifest(out)["stories"][1]  # harbour-review-3, by address
    assert gone["id"] == key(3)
    store = ListStore(
        [
            edited(articles[0], "Harbour review two is widened"),
            dataclasses.replace(articles[1], status=Status.WITHDRAWN, version=2),
            articles[2],
            other(5),
        ]
    )
    export(store, out)
    data = manifest(out)
    changes = data["changes"]
    assert changes["added"] == [key(5)]
    assert changes["updated"] == [key(2)]
    assert changes["unchanged"] == [key(4)]
    [withdrawn] = changes["withdrawn"]
    assert withdrawn["id"] == key(3) and withdrawn["headline"] == gone["headline"]
    assert sorted(withdrawn["files_removed"]) == sorted(path for path, _, _ in gone["files"])
    assert all(not (out / path).exists() for path in withdrawn["files_removed"])
    assert data["counts"] == {"added": 1, "updated": 1, "withdrawn": 1, "unchanged": 1}
    updated = next(s for s in data["stories"] if s["id"] == key(2))
    assert updated["headline"] == "Harbour review two is widened" and updated["version"] == 2
    text = (out / "HANDOFF.md").read_text("utf-8")
    assert "## Withdrawn (remove from the website)" in text
    assert "site/world/harbour-review-3/index.html" in text
    assert "Harbour review two is widened" in text
    # Exported again unchanged: both files read as written, so they are left as they are.
    kept, inodes = files_below(out), written_as(out)
    export(store, out)
    assert files_below(out) == kept and written_as(out) == inodes
    # The same after a partial export, whose readable manifest names the chosen story.
    store.articles[0] = edited(store.articles[0], "Harbour review two, the estuary too")
    export(store, out, only=[store.articles[0].uri])
    assert "Harbour review two, the estuary too" in (out / "HANDOFF.md").read_text("utf-8")
    kept, inodes = files_below(out), written_as(out)
    export(store, out, only=[store.articles[0].uri])
    assert files_below(out) == kept and written_as(out) == inodes


def test_a_story_whose_page_shows_an_edited_story_is_updated(tmp_path: Path) -> None:
    out = tmp_path / "out"
    target = other(3)
    export(ListStore([linked(other(2), target), target]), out)
    retitled = edited(target, "The review is widened to the estuary")
    export(ListStore([linked(other(2), retitled), retitled]), out)
    changes = manifest(out)["changes"]
    assert changes["updated"] == [key(2), key(3)]  # 2: its related list shows the new title
    assert changes["unchanged"] == []


def test_an_export_that_changes_nothing_keeps_the_manifest_byte_for_byte(tmp_path: Path) -> None:
    store = ListStore([other(2), other(3)])
    export(store, tmp_path / "a")
    first = (tmp_path / "a" / "handoff.json").read_bytes()
    export(store, tmp_path / "a")
    assert (tmp_path / "a" / "handoff.json").read_bytes() == first
    export(store, tmp_path / "b")  # another folder, same store: the same bytes
    assert (tmp_path / "b" / "handoff.json").read_bytes() == first


@pytest.mark.parametrize(
    ("damage", "by"),
    [
        ("lines", lambda data: data.replace(b"review number 3", b"review number 3 (by hand)")),
        ("head", lambda data: data.replace(b'"changes"', b'"changes', 1)),
        ("emptied", lambda data: b""),
    ],
)
def test_an_export_that_changes_nothing_mends_a_manifest_edited_by_hand(
    tmp_path: Path, damage: str, by: Any
) -> None:
    """The manifest is the web team's: damaged since (by hand, by a tool), it is made
    again by the next export even when no story changed, and a later export splices it."""
    store = ListStore([other(2), other(3)])
    out, clean = tmp_path / "out", tmp_path / "clean"
    for folder in (out, clean):
        export(store, folder)
    path = out / "handoff.json"
    path.write_bytes(by(path.read_bytes()))
    report = export(store, out)
    assert not report.written and not report.deleted  # no story's file changed
    mended = manifest(out)
    assert b"by hand" not in path.read_bytes()
    assert mended["stories"] == manifest(clean)["stories"]
    assert mended["changes"]["added"] == [] and mended["changes"]["updated"] == []
    assert mended["changes"]["unchanged"] == [key(2), key(3)]
    assert "## Unchanged\n\n2 (listed" in (out / "HANDOFF.md").read_text("utf-8")
    # Trusted again: the next export's manifest is the one made from a clean folder.
    two = edited(other(2), "Chosen story rewritten")
    later = ListStore([two, other(3)])
    export(later, out, only=[two.uri])
    export(later, clean, only=[two.uri])
    assert path.read_bytes() == (clean / "handoff.json").read_bytes()


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_text(path.read_text("utf-8") + "\nDone (by hand).\n", "utf-8"),
        lambda path: path.unlink(),
    ],
    ids=["edited", "removed"],
)
def test_an_export_that_changes_nothing_mends_a_readable_manifest_edited_by_hand(
    tmp_path: Path, damage: Any
) -> None:
    """HANDOFF.md is what a person reads: edited or removed since, it is made again from
    the same manifest as handoff.json, and the export after changes nothing at all."""
    store = ListStore([other(2), other(3)])
    out = tmp_path / "out"
    export(store, out)
    readable = out / "HANDOFF.md"
    damage(readable)
    report = export(store, out)
    assert not report.written and not report.deleted  # no story's file changed
    assert "handoff.json and HANDOFF.md made again, as they were edited" in report.summary()
    text = readable.read_text("utf-8")
    assert "by hand" not in text and "## Unchanged\n\n2 (listed" in text
    mended, inodes = files_below(out), written_as(out)
    export(store, out)
    assert files_below(out) == mended and written_as(out) == inodes  # not even written again


def test_a_manifest_written_before_it_kept_the_readable_checksum_is_left_as_it_is(
    tmp_path: Path,
) -> None:
    """A folder exported by a Newsdesk whose manifest head had no ``readable_sha256`` (nor
    ``head_sha256``): an export that changes nothing leaves both files (their change list
    may not have been read yet), unless HANDOFF.md is missing."""
    store = ListStore([other(2), other(3)])
    out = tmp_path / "out"
    export(store, out)
    path = out / "handoff.json"
    head, rest = path.read_bytes().split(b"\n", 1)
    older = json.loads(head[:-1] + b"}")  # the head line ends with a comma
    del older["readable_sha256"], older["head_sha256"]
    path.write_bytes(json.dumps(older, ensure_ascii=False, separators=(",", ":"))[:-1].encode()
                     + b",\n" + rest)  # fmt: skip
    kept, inodes = files_below(out), written_as(out)
    assert "made again" not in export(store, out).summary()
    assert files_below(out) == kept and written_as(out) == inodes
    assert manifest(out)["changes"]["added"] == [key(2), key(3)]  # the change list stays
    (out / "HANDOFF.md").unlink()
    export(store, out)
    assert "## Unchanged\n\n2 (listed" in (out / "HANDOFF.md").read_text("utf-8")
    assert manifest(out)["readable_sha256"]


def test_an_export_that_changes_nothing_mends_a_change_list_edited_by_hand(
    tmp_path: Path,
) -> None:
    """The head of handoff.json (its change list) edited since, still valid JSON: the
    lines below match the folder's record, but the head's own checksum does not; both
    files are made again, and the export after changes nothing at all."""
    store = ListStore([other(2), other(3)])
    out = tmp_path / "out"
    export(store, out)
    path = out / "handoff.json"
    written = path.read_bytes()
    head, rest = written.split(b"\n", 1)
    edited_head = head.replace(b'"added":["world/harbour-review-2",', b'"added":[')
    assert edited_head != head
    path.write_bytes(edited_head + b"\n" + rest)
    report = export(store, out)
    assert not report.written and not report.deleted
    assert "handoff.json and HANDOFF.md made again" in report.summary()
    data = manifest(out)
    assert data["changes"]["unchanged"] == [key(2), key(3)]  # made again: nothing changed
    first = json.loads(path.read_bytes().split(b"\n", 1)[0][:-1] + b"}")  # the head line
    assert first["head_sha256"] == head_sha256(first)
    mended, inodes = files_below(out), written_as(out)
    export(store, out)
    assert files_below(out) == mended and written_as(out) == inodes


def test_a_partial_export_writes_the_chosen_story_and_leaves_the_others(tmp_path: Path) -> None:
    out = tmp_path / "out"
    articles = [other(2), other(3), other(4)]
    export(ListStore(articles), out)
    before = files_below(out)
    two = edited(articles[0], "Chosen story rewritten")
    three = edited(articles[1], "Not chosen, edited meanwhile")
    store = ListStore([two, three, articles[2]])
    report = export(store, out, only=[two.uri])
    after = files_below(out)
    assert "Chosen story rewritten" in after["site/world/harbour-review-2/index.html"].decode()
    for path, data in before.items():  # the other stories' own files: untouched
        if "harbour-review-3" in path or "harbour-review-4" in path:
            assert after[path] == data, path
    assert not report.deleted
    state = json.loads((out / STATE).read_text("utf-8"))
    assert "site/world/harbour-review-3/index.html" in state["files"]
    data = manifest(out)
    assert data["partial"] is True and data["chosen"] == [key(2)]
    assert data["changes"]["updated"] == [key(2)]
    assert data["changes"]["unchanged"] == [key(3), key(4)]
    kept = next(s for s in data["stories"] if s["id"] == key(3))
    assert kept["version"] == 1  # as exported, not as edited since
    # The next full export brings the story not chosen up to date.
    export(store, out)
    assert manifest(out)["changes"]["updated"] == [key(3)]
    page = (out / "site/world/harbour-review-3/index.html").read_text("utf-8")
    assert "Not chosen, edited meanwhile" in page


def test_a_partial_export_into_a_new_folder_holds_that_story_alone(tmp_path: Path) -> None:
    out = tmp_path / "one"
    articles = [other(2), other(3), other(4)]
    export(ListStore(articles), out, only=[articles[1].uri])
    story_files = {p for p in files_below(out) if "harbour-review" in p}
    assert story_files and all("harbour-review-3" in p for p in story_files)
    data = manifest(out)
    assert [s["id"] for s in data["stories"]] == [key(3)]
    assert data["changes"]["added"] == [key(3)]
    assert "harbour-review-2" not in (out / "site/index.html").read_text("utf-8")


def test_a_partial_export_deletes_no_file_of_a_story_withdrawn_meanwhile(tmp_path: Path) -> None:
    out = tmp_path / "out"
    articles = [other(2), other(3)]
    export(ListStore(articles), out)
    page = out / "site/world/harbour-review-3/index.html"
    before = page.read_bytes()
    withdrawn = dataclasses.replace(articles[1], status=Status.WITHDRAWN, version=2)
    report = export(ListStore([articles[0], withdrawn]), out, only=[articles[0].uri])
    assert page.read_bytes() == before and not report.deleted
    assert manifest(out)["changes"]["withdrawn"] == []
    # A full export then removes it, and says so.
    export(ListStore([articles[0], withdrawn]), out)
    assert not page.exists()
    [gone] = manifest(out)["changes"]["withdrawn"]
    assert "site/world/harbour-review-3/index.html" in gone["files_removed"]


def test_a_manifest_copied_from_the_last_is_the_one_made_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A partial export copies the lines of the stories it leaves from the folder's
    manifest: the bytes are those of a manifest made story by story. One that does not
    match the folder's record (edited here) is not copied from."""
    from newsdesk.publish.exporting.export_report import GENERATOR
    from newsdesk.publish.folder.state import ExportState
    from newsdesk.publish.handoff import handoff, handoff_splice

    articles = [other(n) for n in range(2, 9)]
    chosen = edited(articles[2], "Chosen story rewritten")
    store = ListStore([*articles[:2], chosen, *articles[3:]])
    for name in ("copied", "made"):
        export(ListStore(articles), tmp_path / name)
    tampered = tmp_path / "made" / "handoff.json"
    tampered.write_bytes(
        tampered.read_bytes().replace(b"review number 6", b"review number 6 (edited by hand)")
    )
    made_lines: list[str] = []
    story_line = handoff.story_entry

    def counted(uri: str, *rest: Any) -> dict[str, Any]:
        made_lines.append(uri)
        return story_line(uri, *rest)

    for module in (handoff, handoff_splice):  # made line by line, or spliced
        monkeypatch.setattr(module, "story_entry", counted)
    export(store, tmp_path / "copied", only=[chosen.uri])
    assert made_lines == [chosen.uri]  # the six others copied
    export(store, tmp_path / "made", only=[chosen.uri])
    copied, made = (tmp_path / "copied"), (tmp_path / "made")
    assert b"by hand" not in (made / "handoff.json").read_bytes()
    assert (copied / "handoff.json").read_bytes() == (made / "handoff.json").read_bytes()
    assert (copied / "HANDOFF.md").read_bytes() == (made / "HANDOFF.md").read_bytes()
    data = manifest(copied)
    assert data["changes"]["updated"] == [key(4)]
    assert next(s for s in data["stories"] if s["id"] == key(4))["headline"] == chosen.headline
    record = (copied / STATE).read_bytes()  # its unchanged lines copied too, as written anew
    assert ExportState.load(copied).to_bytes(GENERATOR) == record


def test_a_kept_story_is_listed_with_its_status_now(tmp_path: Path) -> None:
    out = tmp_path / "out"
    articles = [other(2), other(3), other(4)]
    export(ListStore(articles), out)
    ready = dataclasses.replace(articles[1], status=Status.READY, version=2)
    chosen = edited(articles[0], "Chosen story rewritten")
    export(ListStore([chosen, ready, articles[2]]), out, only=[chosen.uri])
    stories = {story["id"]: story for story in manifest(out)["stories"]}
    assert stories[key(3)]["status"] == "ready"  # its line is made again, not copied
    assert stories[key(3)]["version"] == 1  # its files as exported
    assert stories[key(4)]["status"] == "published"
