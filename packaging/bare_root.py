"""A bare Debian 12 to run the installed bundle in: no Python, no time zone data, no spelling.

packaging/smoke_test.py installs the release archive there as a journalist would and runs
it. The root is debootstrap's minimal Debian with only the libraries a desktop has
(scripts/system-packages.txt less Python and less Enchant and the Hunspell dictionaries, and
libexpat1): whatever the bundle needs beyond those, it must carry. It is built once (a minute
or two, from Debian's package archive) and kept in packaging/build/bare-root; commands enter
it with chroot inside a private mount namespace, so the /proc, /dev and /sys it needs vanish
with them. Needs root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path, PurePosixPath

HERE = Path(__file__).resolve().parent
SUITE = "bookworm"
# What a desktop has beside the minimal Debian; the Python packages are left out on purpose,
# and so is spelling: the bundle carries Enchant and its dictionaries, and must use its own.
DESKTOP_PACKAGES = HERE.parent / "scripts" / "system-packages.txt"
LEFT_OUT = ("python", "libenchant", "hunspell")
EXTRA_PACKAGES = ["libexpat1"]
# tzdata is a "required" package in Debian 12: left out, the root has no /usr/share/zoneinfo.
EXCLUDED = ["tzdata"]
# sh -c _ENTER ROOT CHROOT MOUNT COMMAND...: mounts the root's own /proc, /dev and /sys (in
# the private namespace unshare made), then runs COMMAND inside the root. Programs by full
# path: the environment, PATH included, is the one COMMAND gets.
_ENTER = (
    'root=$0 chroot=$1 mount=$2 && shift 2 && "$mount" -t proc proc "$root/proc" && '
    '"$mount" --rbind /dev "$root/dev" && "$mount" --rbind /sys "$root/sys" && '
    'exec "$chroot" "$root" "$@"'
)


_SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class RootError(Exception):
    """The bare root cannot be made or entered; the message says what to do."""


def packages() -> list[str]:
    lines = DESKTOP_PACKAGES.read_text(encoding="utf-8").splitlines()
    wanted = [n.strip() for n in lines if n.strip() and not n.startswith("#")]
    return [n for n in wanted if not n.startswith(LEFT_OUT)] + EXTRA_PACKAGES


def tools() -> dict[str, str]:
    names = ("debootstrap", "unshare", "chroot", "mount")
    found = {name: shutil.which(name, path=_SYSTEM_PATH) for name in names}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        raise RootError(f"{', '.join(missing)} not found: apt-get install debootstrap")
    if os.geteuid() != 0:
        raise RootError("the bare-root check enters a chroot: run the smoke test as root")
    return {name: str(path) for name, path in found.items()}


def ensure(folder: Path) -> Path:
    """The bare root in ``folder``, built there first if missing or made for other packages."""
    wanted = ",".join(packages())
    stamp = folder / ".newsdesk-bare-root"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        return folder
    debootstrap = tools()["debootstrap"]
    print(f"  building the bare root in {folder} (debootstrap {SUITE}, a minute or two)")
    shutil.rmtree(folder, ignore_errors=True)
    command = [debootstrap, "--variant=minbase", f"--include={wanted}"]
    command += [f"--exclude={','.join(EXCLUDED)}", SUITE, str(folder)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RootError(f"debootstrap failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    stamp.write_text(wanted, encoding="utf-8")
    return folder


class Root:
    """Runs commands inside the bare root and maps its paths to this system's."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        found = tools()
        self.prefix = [found["unshare"], "--mount", "--propagation", "private", "--fork"]
        self.prefix += ["/bin/sh", "-c", _ENTER, str(folder), found["chroot"], found["mount"]]

    def outside(self, inside: PurePosixPath) -> Path:
        """Where a path of the root lies on this system."""
        return self.folder / inside.relative_to("/")

    def command(self, argv: list[str]) -> list[str]:
        return [*self.prefix, *argv]

    def lacks(self) -> list[str]:
        """What makes it bare, checked: the problems found (none when it is bare)."""
        problems = []
        for pattern in ("usr/bin/python*", "usr/lib/python3*", "usr/local/bin/python*"):
            problems += [f"it has {p}" for p in self.folder.glob(pattern)]
        if (self.folder / "usr/share/zoneinfo").exists():
            problems.append("it has /usr/share/zoneinfo")
        for pattern in ("usr/lib/*/libenchant*", "usr/lib/*/libhunspell*", "usr/share/hunspell"):
            problems += [f"it has {p}" for p in self.folder.glob(pattern)]
        # debootstrap leaves /etc/localtime pointing at /usr/share/zoneinfo/UTC, which is gone.
        localtime = self.folder / "etc/localtime"
        if localtime.is_symlink():
            localtime = self.outside(PurePosixPath("/etc") / localtime.readlink())
        if localtime.exists():
            problems.append(f"it has zone data in {localtime}")
        return problems
