"""The oldest system a Linux bundle starts on: the glibc and libstdc++ symbol versions it needs.

    python packaging/glibc_floor.py packaging/dist/newsdesk

Reads every ELF file of the bundle with ``objdump -T`` (Debian's binutils) and keeps, for
each, the highest ``GLIBC_`` version among the symbols it takes from the system, and the
highest ``GLIBCXX_`` one (the system's libstdc++, which the bundle does not carry). The
dynamic loader refuses a library whose versions the system lacks ("version 'GLIBC_2.36' not
found"), so the highest over the bundle is the floor. packaging/smoke_test.py checks it
against the README; run alone, this prints the table.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

Version = tuple[int, ...]
# An undefined (imported) symbol: "... *UND* ... (GLIBC_2.34) dlopen" or "GLIBC_2.2.5 memcpy".
_IMPORT = re.compile(r"\*UND\*.*\s\(?(GLIBC|GLIBCXX)_(\d+(?:\.\d+)+)\)?\s+(\S+)$")


def text(version: Version) -> str:
    return ".".join(map(str, version))


@dataclass
class Needs:
    """What one ELF file takes from the system's glibc and libstdc++."""

    path: str
    glibc: Version = ()
    glibc_symbols: list[str] = field(default_factory=list)
    glibcxx: Version = ()

    def add(self, library: str, version: Version, symbol: str) -> None:
        if library == "GLIBCXX":
            self.glibcxx = max(self.glibcxx, version)
        elif version > self.glibc:
            self.glibc, self.glibc_symbols = version, [symbol]
        elif version == self.glibc and symbol not in self.glibc_symbols:
            self.glibc_symbols.append(symbol)


def is_elf(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    with path.open("rb") as handle:
        return handle.read(4) == b"\x7fELF"


def needs(path: Path, objdump: str, root: Path) -> Needs:
    found = Needs(str(path.relative_to(root)))
    table = subprocess.run(
        [objdump, "-T", str(path)], capture_output=True, text=True, check=True
    ).stdout
    for line in table.splitlines():
        match = _IMPORT.search(line)
        if match:
            version = tuple(int(part) for part in match.group(2).split("."))
            found.add(match.group(1), version, match.group(3))
    return found


def measure(bundle: Path) -> list[Needs]:
    """Every ELF file of ``bundle``, the most demanding first."""
    objdump = shutil.which("objdump")
    if objdump is None:
        raise RuntimeError("objdump is not installed: apt-get install binutils")
    found = [needs(path, objdump, bundle) for path in sorted(bundle.rglob("*")) if is_elf(path)]
    return sorted(found, key=lambda n: (n.glibc, n.path), reverse=True)


def report(found: list[Needs]) -> list[str]:
    """One line per file: its highest GLIBC_ version and the symbols that need it."""
    return [
        f"GLIBC_{text(n.glibc):<7} GLIBCXX_{text(n.glibcxx) or '-':<8} {n.path} "
        f"({', '.join(sorted(n.glibc_symbols)[:4])})"
        for n in found
    ]


def main() -> int:
    found = measure(Path(sys.argv[1]))
    print("\n".join(report(found)))
    print(f"floor: GLIBC_{text(found[0].glibc)}, ", end="")
    print(f"GLIBCXX_{text(max(n.glibcxx for n in found))} ({len(found)} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
