"""``newsdesk export --only SLUG...``: one story or a few, handed off with their manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .helpers import run

ENERGY = "energy-price-cap-to-rise-nine-per-cent-in-january"
SEVERN = "severn-barrier-delay-leaves-homes-exposed"
DRAFT = "ministers-pressed-to-revive-winter-fuel-support"


@pytest.fixture
def newsroom(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> str:
    db = str(tmp_path / "newsroom.db")
    assert run(capsys, "--db", db, "demo")[0] == 0
    return db


def test_only_two_stories_into_a_new_folder(
    capsys: pytest.CaptureFixture[str], newsroom: str, tmp_path: Path
) -> None:
    out = tmp_path / "two"
    code, text, err = run(capsys, "--db", newsroom, "export", "--out", str(out),
                          "--only", ENERGY, SEVERN)  # fmt: skip
    assert code == 0, err
    assert "Exported 2 chosen articles (the other 0 in the folder" in text
    ninjs = sorted(p.relative_to(out).as_posix() for p in (out / "ninjs").rglob("*.json"))
    assert ninjs == [f"ninjs/business/{ENERGY}.json", f"ninjs/uk/{SEVERN}.json"]
    manifest = json.loads((out / "handoff.json").read_text("utf-8"))
    assert manifest["partial"] is True
    assert manifest["chosen"] == [f"business/{ENERGY}", f"uk/{SEVERN}"]
    assert [s["slug"] for s in manifest["stories"]] == [ENERGY, SEVERN]
    assert "A partial export of" in (out / "HANDOFF.md").read_text("utf-8")
    # Then the whole archive: the rest are added, the two are unchanged.
    code, text, err = run(capsys, "--db", newsroom, "export", "--out", str(out))
    assert code == 0, err
    manifest = json.loads((out / "handoff.json").read_text("utf-8"))
    assert len(manifest["changes"]["added"]) == 30  # (the two: their related links grew)
    assert f"uk/{SEVERN}" not in manifest["changes"]["added"]


def test_only_a_story_edited_keeps_the_others_files(
    capsys: pytest.CaptureFixture[str], newsroom: str, tmp_path: Path
) -> None:
    out = tmp_path / "all"
    assert run(capsys, "--db", newsroom, "export", "--out", str(out))[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and SEVERN not in p.name}
    code, text, err = run(capsys, "--db", newsroom, "export", "--out", str(out),
                          "--only", SEVERN, "--format", "ninjs")  # fmt: skip
    assert code == 0, err
    assert "Exported 1 chosen article (the other 31 in the folder kept as they were)" in text
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and SEVERN not in p.name}
    changed = {p.name for p in before if after.get(p) != before[p]}
    # The other stories' files, and the formats not chosen, stay as they were.
    assert changed <= {"handoff.json", "HANDOFF.md", ".newsdesk-export.json"}


def test_only_refuses_unknown_and_unexportable_slugs_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], newsroom: str, tmp_path: Path
) -> None:
    out = tmp_path / "none"
    code, _, err = run(capsys, "--db", newsroom, "export", "--out", str(out),
                       "--only", SEVERN, "no-such-story")  # fmt: skip
    assert code == 1 and "no-such-story" in err
    assert not out.exists() or not any(out.iterdir())
    code, _, err = run(capsys, "--db", newsroom, "export", "--out", str(out), "--only", DRAFT)
    assert code == 1 and "is draft" in err and "--status draft" in err
    assert not out.exists() or not any(out.iterdir())
    code, _, err = run(capsys, "--db", newsroom, "export", "--out", str(out), "--only", DRAFT,
                       "--status", "draft")  # fmt: skip
    assert code == 0, err
    assert (out / "handoff.json").is_file()


def test_since_and_only_together(
    capsys: pytest.CaptureFixture[str], newsroom: str, tmp_path: Path
) -> None:
    out = tmp_path / "since"
    code, _, err = run(capsys, "--db", newsroom, "export", "--out", str(out),
                       "--since", "2000-01-01", "--only", SEVERN)  # fmt: skip
    assert code == 0, err
    manifest = json.loads((out / "handoff.json").read_text("utf-8"))
    assert [s["slug"] for s in manifest["stories"]] == [SEVERN]
