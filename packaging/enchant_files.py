"""The spelling files the Linux bundle carries: Enchant, its Hunspell provider and dictionaries.

packaging/newsdesk.spec collects them from the build machine's Debian packages
(libenchant-2-2, libhunspell-1.7-0, hunspell-en-gb, hunspell-en-us), so a bundled Newsdesk
underlines misspellings on a computer with none of them. Debian builds Enchant without its
"relocatable" option: the folder it loads providers from is fixed at build time
(/usr/lib/x86_64-linux-gnu/enchant-2), and pyenchant's enchant_set_prefix_dir does nothing.
The bundled copy of libenchant therefore has that one path rewritten to
``/proc/self/fd/200``, a directory the bundle's runtime hook (packaging/rthook_enchant.py)
opens on descriptor 200 at start-up: the bundle's own provider folder, wherever the bundle was
unpacked. The dictionaries are found through XDG_DATA_DIRS, which the Hunspell provider
searches (``DIR/hunspell``) and the runtime hook extends.
"""

from __future__ import annotations

import shutil
import sysconfig
from pathlib import Path

# Must match packaging/rthook_enchant.py (tests/packaging/test_enchant_files.py checks it).
MODULE_FD = 200
MODULE_DIR = f"/proc/self/fd/{MODULE_FD}"
LIBRARY = "libenchant-2.so.2"
PROVIDER = "enchant_hunspell.so"
LANGUAGES = ("en_GB", "en_US")
DICTIONARIES = Path("/usr/share/hunspell")
# Where they go inside the bundle (relative to its _internal folder).
BUNDLE_PROVIDERS = "enchant/lib/enchant-2"
BUNDLE_DICTIONARIES = "enchant/share/hunspell"
BUNDLE_LICENSES = "enchant/licenses"
PACKAGES = ("libenchant-2-2", "libhunspell-1.7-0", "hunspell-en-gb", "hunspell-en-us")


class EnchantFilesError(Exception):
    """A spelling file is missing or not as expected; the message says what to install."""


def system_libdir() -> Path:
    """Debian's multiarch library folder, e.g. /usr/lib/x86_64-linux-gnu."""
    multiarch = sysconfig.get_config_var("MULTIARCH") or ""
    return Path("/usr/lib") / multiarch


def patched_library(source: Path, module_dir: str, target: Path) -> Path:
    """A copy of libenchant at ``target`` whose provider folder is ``MODULE_DIR``.

    The compiled-in path occurs once, as its own string (checked: a shared tail would
    change another string too); the shorter replacement is padded with NUL bytes.
    """
    data = source.read_bytes()
    old = module_dir.encode() + b"\0"
    new = MODULE_DIR.encode()
    if data.count(old) != 1 or data.count(module_dir.encode()) != 1:
        raise EnchantFilesError(
            f"{source} does not hold {module_dir!r} exactly once: this Enchant is not the "
            "one packaging/enchant_files.py knows (Debian 12's libenchant-2-2)"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data.replace(old, new + b"\0" * (len(old) - len(new))))
    shutil.copymode(source, target)
    return target


def collect(build: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]], Path]:
    """``(binaries, datas, patched libenchant)`` for PyInstaller's Analysis."""
    libdir = system_libdir()
    library = libdir / LIBRARY
    providers = libdir / "enchant-2"
    provider = providers / PROVIDER
    wanted = [library, provider]
    wanted += [DICTIONARIES / f"{lang}.{ext}" for lang in LANGUAGES for ext in ("dic", "aff")]
    missing = [str(p) for p in wanted if not p.is_file()]
    if missing:
        raise EnchantFilesError(
            f"missing {', '.join(missing)}: apt-get install {' '.join(PACKAGES)}"
        )
    patched = patched_library(library, str(providers), build / "enchant" / LIBRARY)
    binaries = [(str(patched), "."), (str(provider), BUNDLE_PROVIDERS)]
    datas = [
        (str(DICTIONARIES / f"{lang}.{ext}"), BUNDLE_DICTIONARIES)
        for lang in LANGUAGES
        for ext in ("dic", "aff")
    ]
    for package in PACKAGES:
        notice = Path("/usr/share/doc") / package / "copyright"
        if notice.is_file():
            copy = build / "enchant" / "licenses" / f"{package}.copyright"
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(notice, copy)
            datas.append((str(copy), BUNDLE_LICENSES))
    return binaries, datas, patched
