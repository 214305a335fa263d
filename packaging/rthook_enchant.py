"""PyInstaller runtime hook: spelling from the bundle's own Enchant and Hunspell dictionaries.

Runs before Newsdesk in every process the bundle starts (export and check workers too). The
bundled libenchant looks for its providers in /proc/self/fd/200 (packaging/enchant_files.py
says why), so the bundle's provider folder is opened on that descriptor; pyenchant is pointed
at the bundled library; the Hunspell provider finds the bundled dictionaries through
XDG_DATA_DIRS (the system's folders stay after it, and ~/.config/enchant/hunspell before).
"""

import ctypes
import os
import sys

MODULE_FD = 200  # packaging/enchant_files.py MODULE_FD


def _use_bundled_enchant() -> None:
    here = sys._MEIPASS  # type: ignore[attr-defined]
    library = os.path.join(here, "libenchant-2.so.2")
    providers = os.path.join(here, "enchant", "lib", "enchant-2")
    if not (sys.platform.startswith("linux") and os.path.isfile(library)):
        return
    folder = os.open(providers, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    if folder != MODULE_FD:
        os.dup2(folder, MODULE_FD, inheritable=False)
        os.close(folder)
    # The provider needs libhunspell; loaded by path, the dynamic loader finds it by soname
    # whether or not the bundle's folder is on the library path.
    hunspell = os.path.join(here, "libhunspell-1.7.so.0")
    if os.path.isfile(hunspell):
        ctypes.CDLL(hunspell)
    os.environ["PYENCHANT_LIBRARY_PATH"] = library
    share = os.path.join(here, "enchant", "share")
    # (XDG's default when unset; GLib reads it once, on first use, after this hook.)
    data_dirs = os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share"
    if data_dirs.split(os.pathsep)[0] != share:
        os.environ["XDG_DATA_DIRS"] = share + os.pathsep + data_dirs


_use_bundled_enchant()
