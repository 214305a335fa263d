"""Before Qt starts: is there a screen to open a window on? Said in one line if not.

Without a display Qt aborts the whole process with advice about reinstalling xcb plugins,
which sends people the wrong way; this check runs first and names the real cause.
"""

from __future__ import annotations

import ctypes.util
import sys
from collections.abc import Callable, Mapping

HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb")


def display_problem(
    environ: Mapping[str, str],
    platform: str = sys.platform,
    find_library: Callable[[str], str | None] = ctypes.util.find_library,
) -> str:
    """Why the window cannot open here, with what to do; ``""`` when it can."""
    if not platform.startswith("linux"):
        return ""  # Windows and macOS always have their own window system
    chosen = environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip().lower()
    if chosen in HEADLESS_PLATFORMS:
        return ""
    wayland = bool(environ.get("WAYLAND_DISPLAY"))
    x11 = bool(environ.get("DISPLAY"))
    if not wayland and not x11:
        return (
            "Newsdesk's window needs a desktop session, and none was found (DISPLAY and "
            "WAYLAND_DISPLAY are unset): run it from a desktop, or headless with "
            "'xvfb-run ./scripts/run'. The commands ('newsdesk --help') need no display."
        )
    uses_x11 = chosen == "xcb" or (x11 and not wayland and chosen != "wayland")
    if uses_x11 and find_library("xcb-cursor") is None:
        return (
            "Newsdesk's window needs the system library libxcb-cursor0 to draw on X11: "
            "install it ('sudo apt install libxcb-cursor0' on Debian and Ubuntu), then run "
            "Newsdesk again."
        )
    return ""
