"""packaging/glibc_floor.py reads the glibc versions a library needs as the loader does.

Checked on this system's own libstdc++ (the library that raised the bundle's floor): the
highest version found among its imported symbols (``objdump -T``) must be the highest of
the versions its dynamic section says it requires from libc (``objdump -p``).
"""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIBSTDCXX = [
    Path(p) for p in ("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6")
]
SYSTEM_LIBSTDCXX = next((p.resolve() for p in LIBSTDCXX if p.exists()), None)

pytestmark = pytest.mark.skipif(
    shutil.which("objdump") is None or SYSTEM_LIBSTDCXX is None,
    reason="needs objdump (Debian's binutils) and the system's libstdc++",
)


@pytest.fixture
def glibc_floor(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """packaging/glibc_floor.py, imported as the smoke test imports it."""
    monkeypatch.syspath_prepend(str(ROOT / "packaging"))
    monkeypatch.delitem(sys.modules, "glibc_floor", raising=False)
    return importlib.import_module("glibc_floor")


def required_from_libc(library: Path) -> tuple[int, ...]:
    """The highest GLIBC_ version in the "required from libc.so.6" part of the dynamic section."""
    section = subprocess.run(
        ["objdump", "-p", str(library)], capture_output=True, text=True, check=True
    ).stdout
    versions = re.findall(r"GLIBC_(\d+(?:\.\d+)+)", section.split("Version References:")[1])
    return max(tuple(int(p) for p in v.split(".")) for v in versions)


def test_the_floor_of_a_folder_is_its_most_demanding_library(
    glibc_floor: ModuleType, tmp_path: Path
) -> None:
    assert SYSTEM_LIBSTDCXX is not None
    internal = tmp_path / "bundle" / "_internal"
    internal.mkdir(parents=True)
    shutil.copy(SYSTEM_LIBSTDCXX, internal / "libstdc++.so.6")
    (internal / "notes.txt").write_text("not a library\n", encoding="utf-8")

    found = glibc_floor.measure(tmp_path / "bundle")

    assert [n.path for n in found] == ["_internal/libstdc++.so.6"]
    assert found[0].glibc == required_from_libc(SYSTEM_LIBSTDCXX)
    assert found[0].glibc_symbols
    line = glibc_floor.report(found)[0]
    assert line.startswith(f"GLIBC_{glibc_floor.text(found[0].glibc)} ")
