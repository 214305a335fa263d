"""``newsdesk backup DEST/``: a trailing slash means a folder, and a missing one is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.core.models import Article
from newsdesk.store import open_store

from .helpers import run


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "newsroom.db"
    store = open_store(str(path))
    store.create(Article(headline="Ferry strike ends"))
    store.close()
    return path


@pytest.mark.parametrize("suffix", ["", ".json"])
def test_backup_into_a_missing_folder_is_refused_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path, suffix: str
) -> None:
    usb = tmp_path / "media" / f"usb{suffix}"
    usb.parent.mkdir()
    code, _, err = run(capsys, "--db", str(db), "backup", f"{usb}/")
    assert code != 0
    assert f"The folder {usb} does not exist (is the drive mounted?)" in err
    assert "Nothing was written" in err
    assert list(usb.parent.iterdir()) == []


def test_backup_into_a_folder_with_a_trailing_slash_still_works(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    code, out, err = run(capsys, "--db", str(db), "backup", f"{usb}/")
    assert code == 0, err
    (copy,) = usb.iterdir()
    assert copy.name.endswith("-manual.db") and f"to {copy}" in out
