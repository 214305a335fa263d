"""The installed menu entry as the desktop reads it: GLib's own parser, through ``gio``.

GNOME's menus and "Open with" load entries with GLib, which refuses a whole entry for faults
``desktop-file-validate`` lets through (a TryExec with arguments was one). So the smoke test
asks GLib itself: ``gio mime text/markdown`` must list Newsdesk, and ``gio launch`` of the
installed entry must start the real ``newsdesk`` as a window on a private Xvfb.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

ENTRY = "newsdesk.desktop"


class DesktopError(Exception):
    """GLib refused the entry, or what it launched showed no window."""


def desktop_env(prefix: Path, env: dict[str, str]) -> dict[str, str]:
    """A session whose applications folders are the prefix's only (as for /usr/local)."""
    return dict(env, XDG_DATA_DIRS=str(prefix / "share"))


def menu_entry(prefix: Path, env: dict[str, str], gio: str) -> None:
    """``gio mime text/markdown`` lists the installed entry among the registered ones."""
    listing = subprocess.run(
        [gio, "mime", "text/markdown"],
        env=desktop_env(prefix, env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    ).stdout
    registered = listing.split("Registered applications:")[-1].split("Recommended")[0]
    if ENTRY not in registered.split():
        raise DesktopError(f"gio mime text/markdown does not list {ENTRY}:\n{listing}")
    lines = [line.strip() for line in listing.splitlines() if line.strip()]
    print(f"  gio mime text/markdown: {' | '.join(lines)}")


def start_xvfb(xvfb: str, xwininfo: str) -> tuple[subprocess.Popen[bytes], str]:
    """A private Xvfb on a free display well away from :0 (which other tools may race for)."""
    for number in range(171, 230):
        if Path(f"/tmp/.X{number}-lock").exists():
            continue
        display = f":{number}"
        server = subprocess.Popen(
            [xvfb, display, "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):
            if server.poll() is not None:
                break
            probe = [xwininfo, "-display", display, "-root"]
            if subprocess.run(probe, capture_output=True, check=False).returncode == 0:
                return server, display
            time.sleep(0.05)
        server.kill()
        server.wait()
    raise DesktopError("could not start Xvfb")


def _stop_group(group: int) -> None:
    """End what gio launched: it stays in gio's process group (GLib does not detach it)."""
    for sig, wait in ((signal.SIGTERM, 20.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(group, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)


def launched_window(prefix: Path, env: dict[str, str], cwd: Path, tools: dict[str, str]) -> float:
    """Seconds from ``gio launch`` of the installed entry until a Newsdesk window is mapped."""
    server, display = start_xvfb(tools["Xvfb"], tools["xwininfo"])
    entry = prefix / "share" / "applications" / ENTRY
    log_path = cwd / "gio launch.txt"
    gio = None
    try:
        with log_path.open("w") as log:
            started = time.time()
            gio = subprocess.Popen(
                [tools["gio"], "launch", str(entry)],
                env=dict(desktop_env(prefix, env), DISPLAY=display),
                cwd=cwd,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
            if gio.wait(timeout=60) != 0:
                said = log_path.read_text(errors="replace")
                raise DesktopError(f"gio launch refused the installed entry: {said}")
        while time.time() - started < 60:
            tree = subprocess.run(
                [tools["xwininfo"], "-display", display, "-root", "-tree"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            if re.search(r'"[^"]*Newsdesk[^"]*": \(', tree):
                return time.time() - started
            try:
                os.killpg(gio.pid, 0)
            except ProcessLookupError:
                break  # what gio launched has exited
            time.sleep(0.02)
        tail = log_path.read_text(errors="replace")[-2000:]
        raise DesktopError(f"no Newsdesk window appeared after gio launch:\n{tail}")
    finally:
        if gio is not None:
            _stop_group(gio.pid)
        server.terminate()
        server.wait(timeout=20)
