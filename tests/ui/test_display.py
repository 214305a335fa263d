"""Without a display the window says so in one line, before Qt can abort."""

from __future__ import annotations

import os
import subprocess
import sys

from newsdesk.ui.display import display_problem


def found(_name: str) -> str:
    return "libxcb-cursor.so.0"


def missing(_name: str) -> None:
    return None


def test_no_display_names_the_cause_and_the_way_out() -> None:
    problem = display_problem({}, "linux", found)
    assert "desktop session" in problem and "xvfb-run" in problem
    assert "\n" not in problem


def test_a_display_a_wayland_session_or_offscreen_is_enough() -> None:
    assert display_problem({"DISPLAY": ":0"}, "linux", found) == ""
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux", missing) == ""
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", missing) == ""
    assert display_problem({}, "win32", missing) == ""


def test_x11_without_libxcb_cursor_says_which_package_to_install() -> None:
    problem = display_problem({"DISPLAY": ":0"}, "linux", missing)
    assert "libxcb-cursor0" in problem and "apt install" in problem


def test_the_window_command_stops_with_that_line_and_exit_1(tmp_path: object) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY",
                                                          "QT_QPA_PLATFORM"}}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "newsdesk", "--db", f"sqlite:///{tmp_path}/n.db"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0
    assert "desktop session" in done.stderr
    assert "xcb" not in done.stderr.lower()
