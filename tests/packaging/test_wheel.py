"""The wheel carries everything Newsdesk needs at run time.

Builds the wheel (``pip wheel``, not editable), installs it into a fresh venv and runs the
installed ``newsdesk`` from outside the source tree: it must find its theme, sample archive,
migrations and icons, create its store in the user data folder, and export an article whose
bytes are checked. Slow (about a minute: PySide6 is installed, from pip's cache when warm).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "newsdesk"
ARTICLE = ("science", "audit-finds-hospital-ai-tools-lacked-safety-testing")
HEADLINE = "Audit Finds One in Five Hospital AI Tools Lacked Safety Testing"


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    work: Path

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    def env(self) -> dict[str, str]:
        """Nothing of the source tree or the test venv leaks in; Qt and XDG point at tmp."""
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "NEWSDESK_DB"}
        }
        env["PATH"] = f"{self.venv / 'bin'}:/usr/bin:/bin"
        env["HOME"] = str(self.work / "home")
        env["XDG_DATA_HOME"] = str(self.work / "xdg data")
        env["XDG_CONFIG_HOME"] = str(self.work / "xdg config")
        return env

    def run(self, *args: str) -> str:
        result = subprocess.run(
            [str(self.venv / "bin" / "newsdesk"), *args],
            cwd=self.work,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, f"newsdesk {args}: {result.stdout}\n{result.stderr}"
        return result.stdout


def _pip(python: Path | str, *args: str) -> None:
    subprocess.run([str(python), "-m", "pip", *args], check=True, timeout=600)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel test")
    # Without build isolation when hatchling is at hand: no index needed to build.
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-build-isolation"]
    _pip(
        sys.executable, "wheel", "-q", "--no-deps", *isolation, "-w", str(base / "wheel"), str(ROOT)
    )
    (wheel,) = (base / "wheel").glob("newsdesk-*.whl")
    venv = base / "fresh venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    _pip(venv / "bin" / "python", "install", "-q", "--disable-pip-version-check", str(wheel))
    work = base / "somewhere else"
    (work / "home").mkdir(parents=True)
    return Installed(wheel, venv, work)


def test_the_wheel_holds_every_runtime_file(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    expected = {
        "newsdesk/" + path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert expected - names == set()
    assert "newsdesk/resources/theme/theme.css" in names
    assert "newsdesk/store/migrations/versions/0001_initial.py" in names
    assert "newsdesk/resources/icons/newsdesk-256.png" in names
    assert not any(name.startswith(("tests/", "bench/", "packaging/")) for name in names)


def test_the_installed_app_exports_an_article(installed: Installed) -> None:
    where = subprocess.run(
        [str(installed.python), "-c", "import newsdesk; print(newsdesk.__file__)"],
        cwd=installed.work,
        env=installed.env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(installed.venv), where

    from newsdesk import __version__

    assert installed.run("--version").strip() == f"newsdesk {__version__}"
    store = installed.work / "xdg data" / "newsdesk" / "newsdesk.db"
    info = installed.run("info")
    assert store.is_file(), info
    assert "Articles: 0" in info
    assert "Added 44 sample articles" in installed.run("demo")

    out = installed.work / "hand off"
    installed.run("export", "--out", str(out), "--format", "site,ninjs")
    page = (out / "site" / ARTICLE[0] / ARTICLE[1] / "index.html").read_text("utf-8")
    assert f'<h1 class="headline" id="nd-headline">{HEADLINE}</h1>' in page
    css = PACKAGE / "resources" / "theme" / "theme.css"
    assert (out / "site" / "assets" / "theme.css").read_bytes() == css.read_bytes()
    ninjs = json.loads((out / "ninjs" / ARTICLE[0] / f"{ARTICLE[1]}.json").read_bytes())
    assert {"role": "main", "contentType": "text/plain", "value": HEADLINE} in ninjs["headlines"]


def test_the_installed_export_renders_in_worker_processes(installed: Installed) -> None:
    """The export's worker processes start from the installed package, not the source
    tree, and write the bytes a single process writes."""
    store = installed.work / "xdg data" / "newsdesk" / "newsdesk.db"
    if not store.is_file():
        installed.run("demo")
    script = installed.work / "pooled_export.py"
    script.write_text(
        "import sys\n"
        "from newsdesk.publish.exporting import workers\n"
        "from newsdesk.publish.exporting.export import export\n"
        "from newsdesk.store import open_store\n"
        "if __name__ == '__main__':\n"
        "    store = open_store(sys.argv[1])\n"
        "    export(store, sys.argv[2], formats='site,ninjs', workers=1)\n"
        "    export(store, sys.argv[3], formats='site,ninjs', workers=2)\n"
        "    print(workers.__file__)\n",
        encoding="utf-8",
    )
    serial, pooled = installed.work / "serial", installed.work / "pooled"
    result = subprocess.run(
        [str(installed.python), str(script), str(store), str(serial), str(pooled)],
        cwd=installed.work,
        env=installed.env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).is_relative_to(installed.venv)

    def files(folder: Path) -> dict[str, bytes]:
        found = (p for p in folder.rglob("*") if p.is_file())
        return {str(p.relative_to(folder)): p.read_bytes() for p in found}

    assert len(files(pooled)) > 60
    assert files(pooled) == files(serial)


@pytest.mark.gui
def test_the_installed_app_opens_its_window(installed: Installed) -> None:
    store = installed.work / "window.db"
    installed.run("--db", str(store), "demo")
    env = dict(installed.env(), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [str(installed.python), str(ROOT / "packaging" / "smoke_window.py"), "--db", str(store)],
        cwd=installed.work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["ok"] is True, f"{report}\n{result.stderr}"
    assert report["rows"] == 44
    assert report["icon_renders"] is True
