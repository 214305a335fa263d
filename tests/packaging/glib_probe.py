"""Load a desktop entry with GLib's own parser (libgio, through ctypes) and report as JSON.

    python glib_probe.py ENTRY MIME_TYPE [FILE...]

Prints whether GLib accepted ENTRY (GNOME's menus and "Open with" use the same code), the
command line it read, the entries GLib offers for MIME_TYPE from XDG_DATA_HOME and
XDG_DATA_DIRS, and, when FILEs are given, launches the entry with them as a file manager's
"Open with" does. Runs in its own process: GLib caches the application folders it has read.
"""

from __future__ import annotations

import ctypes
import json
import sys
from typing import Any

GIO = ctypes.CDLL("libgio-2.0.so.0")
GLIB = ctypes.CDLL("libglib-2.0.so.0")


def _declare(lib: ctypes.CDLL, name: str, restype: Any, *argtypes: Any) -> Any:
    function = getattr(lib, name)
    function.restype = restype
    function.argtypes = list(argtypes)
    return function


_P, _S = ctypes.c_void_p, ctypes.c_char_p
new_from_filename = _declare(GIO, "g_desktop_app_info_new_from_filename", _P, _S)
get_commandline = _declare(GIO, "g_app_info_get_commandline", _S, _P)
get_executable = _declare(GIO, "g_app_info_get_executable", _S, _P)
get_id = _declare(GIO, "g_app_info_get_id", _S, _P)
get_all_for_type = _declare(GIO, "g_app_info_get_all_for_type", _P, _S)
launch = _declare(GIO, "g_app_info_launch", ctypes.c_int, _P, _P, _P, ctypes.POINTER(_P))
file_new_for_path = _declare(GIO, "g_file_new_for_path", _P, _S)
list_append = _declare(GLIB, "g_list_append", _P, _P, _P)


class _GList(ctypes.Structure):
    _fields_ = [("data", _P), ("next", _P), ("prev", _P)]


def _text(value: bytes | None) -> str | None:
    return None if value is None else value.decode()


def ids_for(mime_type: str) -> list[str]:
    ids = []
    node = get_all_for_type(mime_type.encode())
    while node:
        item = _GList.from_address(node)
        ids.append(_text(get_id(item.data)) or "")
        node = item.next
    return ids


def main(entry: str, mime_type: str, files: list[str]) -> dict[str, Any]:
    info = new_from_filename(entry.encode())
    report: dict[str, Any] = {"loaded": bool(info), "for_type": ids_for(mime_type)}
    if not info:
        return report
    report["commandline"] = _text(get_commandline(info))
    report["executable"] = _text(get_executable(info))
    if files:
        listed = None
        for path in files:
            listed = list_append(listed, file_new_for_path(path.encode()))
        error = _P()
        report["launched"] = bool(launch(info, listed, None, ctypes.byref(error)))
    return report


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2], sys.argv[3:])))
