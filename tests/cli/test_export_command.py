"""``newsdesk export`` as a web team scripts it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .helpers import run


@pytest.fixture
def newsroom(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> str:
    db = str(tmp_path / "newsroom.db")
    assert run(capsys, "--db", db, "demo")[0] == 0
    return db


def test_export_all_formats_then_nothing_changes(
    capsys: pytest.CaptureFixture[str], newsroom: str, tmp_path: Path
) -> None:
    out = tmp_path / "handoff"
    code, text, err = run(capsys, "--db", newsroom, "export", "--out", str(out))
    assert code == 0, err
    assert "Exported 32 articles" in text
    page = out / "site" / "uk" / "severn-barrier-delay-leaves-homes-exposed" / "index.html"
    assert page.is_file()
    ninjs = json.loads(
        (out / "ninjs" / "uk" / "severn-barrier-delay-leaves-homes-exposed.json").read_text()
    )
    assert ninjs["headlines"][0]["value"].startswith("Severn Barrier Delay")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    code, text, _ = run(capsys, "--db", newsroom, "export", "--out", str(out))
    assert code == 0 and "0 file(s) written" in text
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_export_one_format_and_statuses(
    capsys: pytest.CaptureFixture[str], newsroom: str, tmp_path: Path
) -> None:
    out = tmp_path / "drafts"
    code, _, err = run(
        capsys, "--db", newsroom, "export", "--out", str(out), "--format", "markdown",
        "--status", "draft",
    )  # fmt: skip
    assert code == 0, err
    files = sorted(p.name for p in (out / "markdown").rglob("*.md"))
    assert len(files) == 5
    assert not (out / "site").exists()


def test_export_refuses_bad_requests(
    capsys: pytest.CaptureFixture[str], newsroom: str, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "--db", newsroom, "export", "--out", str(tmp_path / "x"),
                       "--format", "site,pdf")  # fmt: skip
    assert code == 1 and "unknown export format pdf" in err
    code, _, err = run(capsys, "--db", newsroom, "export", "--out", str(tmp_path / "x"),
                       "--since", "last week")  # fmt: skip
    assert code == 2 and "not a date" in err
    target = tmp_path / "file.txt"
    target.write_text("keep")
    code, _, err = run(capsys, "--db", newsroom, "export", "--out", str(target))
    assert code == 1 and "Traceback" not in err
    assert target.read_text() == "keep"
