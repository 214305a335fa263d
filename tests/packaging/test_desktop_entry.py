"""The menu entry install.sh writes is one GNOME accepts: GLib's own parser loads it, offers it
for Markdown files, and launching it with a file starts the installed program with that file.

install.sh runs on a stand-in bundle (a shell script in place of the frozen program) into a
prefix whose path holds every character the Desktop Entry quoting rules treat specially.
"""

from __future__ import annotations

import ctypes.util
import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
ICONS = ROOT / "src" / "newsdesk" / "resources" / "icons"
PROBE = Path(__file__).with_name("glib_probe.py")
# Spaces, quotes, a dollar, a backtick and a backslash: each needs escaping in Exec.
AWKWARD = 'Ann "Sub" $HOME `x` back\\slash'

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or ctypes.util.find_library("gio-2.0") is None,
    reason="needs Linux and GLib's libgio-2.0 (Debian's libglib2.0-0)",
)

STAND_IN = """#!/bin/sh
# Stands in for the frozen program: records the arguments it was started with.
printf '%s\\n' "$@" >"$NEWSDESK_ARGS_OUT.part" && mv "$NEWSDESK_ARGS_OUT.part" "$NEWSDESK_ARGS_OUT"
"""


def stand_in_bundle(folder: Path) -> Path:
    """The layout build-bundle makes, with a shell script as the program."""
    share = folder / "share"
    (share / "icons").mkdir(parents=True)
    shutil.copy(LINUX / "install.sh", folder / "install.sh")
    shutil.copy(LINUX / "newsdesk.desktop", share / "newsdesk.desktop")
    shutil.copy(LINUX / "newsdesk.metainfo.xml", share / "newsdesk.metainfo.xml")
    for icon in [ICONS / "newsdesk.svg", *ICONS.glob("newsdesk-*.png")]:
        shutil.copy(icon, share / "icons" / icon.name)
    program = folder / "newsdesk"
    program.write_text(STAND_IN, encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return folder


def install(tmp_path: Path, home: str) -> tuple[Path, str]:
    """install.sh run for a user whose home is ``home``: the prefix, and what it warned."""
    bundle = stand_in_bundle(tmp_path / "unpacked bundle")
    prefix = tmp_path / home / ".local"
    env = {"HOME": str(tmp_path / home), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        ["sh", str(bundle / "install.sh"), str(prefix)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return prefix, done.stderr


@pytest.fixture
def installed(tmp_path: Path) -> Path:
    prefix, warnings = install(tmp_path, AWKWARD)
    assert warnings == ""
    return prefix


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def probe(
    prefix: Path, tmp_path: Path, *files: Path, mime: str = "text/markdown"
) -> dict[str, object]:
    """GLib's view of the installed entry, from a desktop session with only our apps."""
    no_system_apps = tmp_path / "no system apps"
    no_system_apps.mkdir(exist_ok=True)
    env = dict(
        os.environ,
        XDG_DATA_HOME=str(prefix / "share"),
        XDG_DATA_DIRS=str(no_system_apps),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        NEWSDESK_ARGS_OUT=str(tmp_path / "args.txt"),
    )
    entry = prefix / "share" / "applications" / "newsdesk.desktop"
    result = subprocess.run(
        [sys.executable, str(PROBE), str(entry), mime, *map(str, files)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    report: dict[str, object] = json.loads(result.stdout)
    return report


def test_glib_loads_the_installed_entry_and_offers_it_for_markdown(
    installed: Path, tmp_path: Path
) -> None:
    report = probe(installed, tmp_path)
    assert report["loaded"], "GLib refused the menu entry (GNOME would show no Newsdesk)"
    assert report["for_type"] == ["newsdesk.desktop"]


def test_word_documents_offer_newsdesk_too(installed: Path, tmp_path: Path) -> None:
    assert probe(installed, tmp_path, mime=DOCX)["for_type"] == ["newsdesk.desktop"]


def test_open_with_newsdesk_starts_the_installed_program_with_the_file(
    installed: Path, tmp_path: Path
) -> None:
    story = tmp_path / AWKWARD / "Flood story $1.md"
    story.write_text("# Flood\n", encoding="utf-8")
    report = probe(installed, tmp_path, story)
    assert report["launched"] is True
    args = tmp_path / "args.txt"
    deadline = time.monotonic() + 20
    while not args.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert args.read_text(encoding="utf-8").splitlines() == ["open", str(story)]


def test_a_folder_glib_cannot_start_from_is_warned_about(tmp_path: Path) -> None:
    prefix, warnings = install(tmp_path, "50% off")
    assert "has a %" in warnings
    assert not probe(prefix, tmp_path)["loaded"]  # why it warns (GLib 2.74)


def test_the_entry_shipped_in_the_source_tree_names_a_bare_program() -> None:
    """pipx users copy it as it is: TryExec and Exec must find ``newsdesk`` on the PATH."""
    lines = (LINUX / "newsdesk.desktop").read_text(encoding="utf-8").splitlines()
    assert "TryExec=newsdesk" in lines
    assert "Exec=newsdesk open %F" in lines
