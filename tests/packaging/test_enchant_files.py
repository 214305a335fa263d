"""The bundle's own spelling: packaging/enchant_files.py collects Enchant, its Hunspell
provider and the en-GB and en-US dictionaries, and packaging/rthook_enchant.py makes the
bundled library load its provider from the bundle's folder (never the system's).

Checked on a folder laid out as the bundle is, from this system's Debian packages; the
bare-root smoke test (packaging/smoke_test.py) checks the real bundle on a Debian without
Enchant or dictionaries.
"""

from __future__ import annotations

import importlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOOK = ROOT / "packaging" / "rthook_enchant.py"

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the Linux bundle's spelling files"
)

# Run in a fresh Python as the bundle's start-up runs: the hook, then pyenchant.
PROBE = """
import json, sys
sys._MEIPASS = sys.argv[1]
exec(open(sys.argv[2]).read())
import enchant
broker = enchant.Broker()
found = {"providers": [p.file for p in broker.describe()]}
for tag in ("en_GB", "en_US"):
    broker.set_ordering(tag, "hunspell")
    d = broker.request_dict(tag)
    found[tag] = [d.provider.name, d.check("colour"), d.check("color"), d.check("libary")]
print(json.dumps(found))
"""


@pytest.fixture
def enchant_files(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """packaging/enchant_files.py, imported as the spec imports it."""
    monkeypatch.syspath_prepend(str(ROOT / "packaging"))
    monkeypatch.delitem(sys.modules, "enchant_files", raising=False)
    return importlib.import_module("enchant_files")


def test_the_hook_opens_the_descriptor_the_library_is_patched_for(
    enchant_files: ModuleType,
) -> None:
    match = re.search(r"^MODULE_FD = (\d+)", HOOK.read_text("utf-8"), re.M)
    assert match is not None and int(match.group(1)) == enchant_files.MODULE_FD


def test_the_patched_library_looks_for_providers_in_the_bundle_only(
    enchant_files: ModuleType, tmp_path: Path
) -> None:
    source = enchant_files.system_libdir() / enchant_files.LIBRARY
    system_dir = str(enchant_files.system_libdir() / "enchant-2")
    patched = enchant_files.patched_library(source, system_dir, tmp_path / "lib.so")
    before, after = source.read_bytes(), patched.read_bytes()
    assert len(after) == len(before)
    assert system_dir.encode() not in after
    assert after.count(enchant_files.MODULE_DIR.encode() + b"\0") == 1
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed[-1] - changed[0] < len(system_dir)  # that one string, nothing else


def test_a_folder_laid_out_as_the_bundle_spells_en_gb_and_en_us(
    enchant_files: ModuleType, tmp_path: Path
) -> None:
    bundle = tmp_path / "_internal"
    binaries, datas, _ = enchant_files.collect(tmp_path / "build")
    for source, folder in [*binaries, *datas]:
        (bundle / folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(source, bundle / folder / Path(source).name)
    # PyInstaller puts the provider's own dependency beside the libraries.
    hunspell = enchant_files.system_libdir() / "libhunspell-1.7.so.0"
    shutil.copy(hunspell, bundle / hunspell.name)

    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(bundle), str(HOOK)],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    found = json.loads(done.stdout)
    # Only the bundle's provider, through the descriptor the hook opened.
    assert found["providers"] == [f"{enchant_files.MODULE_DIR}/enchant_hunspell.so"]
    assert found["en_GB"] == ["hunspell", True, False, False]
    assert found["en_US"] == ["hunspell", False, True, False]
