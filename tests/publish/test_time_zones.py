"""Time zones with no system zone data (Windows, minimal Linux): tzdata carries them, and a
zone that cannot be found is reported with its real cause."""

from __future__ import annotations

import dataclasses
import re
import sys
import zoneinfo
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.cli.helpers import run

from newsdesk.core.errors import ValidationError
from newsdesk.publish import dates
from newsdesk.store import open_store

SUMMER = datetime(2026, 7, 4, 9, 30, tzinfo=UTC)
ARTICLE = ("science", "audit-finds-hospital-ai-tools-lacked-safety-testing")


def _forget_loaded_zones() -> None:
    zoneinfo.ZoneInfo.clear_cache()
    dates.zone.cache_clear()


@pytest.fixture
def no_system_zones() -> Iterator[None]:
    """As on a machine without /usr/share/zoneinfo: only the tzdata package is left."""
    zoneinfo.reset_tzpath(to=[])
    _forget_loaded_zones()
    yield
    zoneinfo.reset_tzpath()
    _forget_loaded_zones()


@pytest.fixture
def no_zone_data(no_system_zones: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nor the tzdata package: no zone can be found at all."""
    for name in [m for m in sys.modules if m == "tzdata" or m.startswith("tzdata.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "tzdata", None)  # an import of it now fails


def test_zones_come_from_tzdata_when_the_system_has_none(no_system_zones: None) -> None:
    assert zoneinfo.TZPATH == ()
    assert dates.format_date(SUMMER, "%H:%M %Z", "Europe/London") == "10:30 BST"
    assert dates.local_iso(SUMMER, "Asia/Tokyo") == "2026-07-04T18:30:00+09:00"
    assert dates.format_date(SUMMER, "%H:%M", "") == "09:30"


def test_no_zone_data_at_all_is_named_as_the_cause(no_zone_data: None) -> None:
    with pytest.raises(ValidationError) as caught:
        dates.zone("Europe/London")
    message = str(caught.value)
    assert "no time zone data is installed" in message
    assert "install the tzdata package" in message
    assert "unknown time zone" not in message


def test_a_misspelt_zone_gets_the_closest_real_name() -> None:
    with pytest.raises(ValidationError, match=r"unknown time zone 'Europe/Londn'.*'Europe/London'"):
        dates.zone("Europe/Londn")
    with pytest.raises(ValidationError, match="use an IANA name such as 'Europe/London'"):
        dates.zone("Mars/Olympus")


def _demo_in_tokyo(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> str:
    db = str(tmp_path / "store.db")
    code, out, err = run(capsys, "--db", db, "demo")
    assert code == 0, out + err
    store = open_store(db)
    store.save_profile(dataclasses.replace(store.profile(), time_zone="Asia/Tokyo"))
    store.close()
    return db


def test_demo_and_export_work_with_no_system_zone_data(
    no_system_zones: None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = _demo_in_tokyo(capsys, tmp_path)
    out_dir = tmp_path / "hand off"
    code, out, err = run(capsys, "--db", db, "export", "--out", str(out_dir), "--format", "site")
    assert code == 0, out + err
    page = (out_dir / "site" / ARTICLE[0] / ARTICLE[1] / "index.html").read_text("utf-8")
    stamps = re.findall(r'<time datetime="([^"]+)"', page)
    assert stamps and all(s.endswith("+09:00") for s in stamps), stamps


def test_export_with_no_zone_data_says_what_to_install(
    no_zone_data: None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = _demo_in_tokyo(capsys, tmp_path)
    code, out, err = run(capsys, "--db", db, "export", "--out", str(tmp_path / "out"))
    assert code != 0
    assert "no time zone data is installed" in err, out + err
    assert not (tmp_path / "out" / "site").exists()
