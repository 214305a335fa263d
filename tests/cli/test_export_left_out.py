"""``newsdesk export`` names every story it leaves out, says why, and exits non-zero."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.core.models import Article, Status
from newsdesk.store import open_store

from .helpers import run


def test_a_story_too_long_to_export_is_named_with_the_reason(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "newsroom.db"
    store = open_store(str(db))
    store.create(Article(headline="Budget day", body="Short.", status=Status.PUBLISHED))
    # Under the import limit (20 MB), over the export's (8 MB): imports, edits, never exports.
    huge = "Figures for every ward. " * 400_000
    store.create(Article(headline="Every ward's figures", body=huge, status=Status.PUBLISHED))
    store.close()
    out = tmp_path / "handoff"
    code, stdout, err = run(
        capsys, "--db", str(db), "export", "--out", str(out), "--format", "fragment"
    )
    assert code == 1
    assert "1 left out" in stdout
    assert 'newsdesk: left out "Every ward\'s figures": ' in err
    assert "MB" in err.split('left out "Every ward\'s figures": ')[1].splitlines()[0]
    assert "1 story was left out (listed above); the rest is exported" in err
    assert any("budget-day" in p.name for p in (out / "fragment").rglob("*"))
