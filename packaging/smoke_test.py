"""Check a built Newsdesk bundle the way a journalist would meet it, and time its start-up.

    python packaging/smoke_test.py packaging/dist/newsdesk [--archive TAR] [--venv-python PY]
        [--runs 5] [--no-bare-root]

First the floor: the highest glibc and libstdc++ symbol versions any bundled library needs
(packaging/glibc_floor.py) must be the ones the README states, and the libraries of
packaging/system-libraries.txt must not be bundled. Then installs the bundle with its
install.sh into a fresh prefix whose path has spaces, and runs it with a clean environment (a
temporary HOME and XDG folders, and a PATH with no Python on it): ``--version``; a first run
that creates the store in the user data folder (migrations found); the sample archive (demo
data found); an export whose bytes are checked (theme found), and a summer article whose
London time must come out as BST; ``newsdesk check`` finding the misspellings of an en-GB and
an en-US story (the bundled Enchant and dictionaries); the real window, offscreen, until the
library is filled and the live preview shows the article (``newsdesk-smoke``: QtWebEngine,
icons, no module loaded from outside the bundle). GLib's own parser then reads the installed
menu entry: ``gio mime text/markdown`` must list it and ``gio launch`` must start the real
``newsdesk`` as an X11 window under Xvfb. Last, the release archive is unpacked and
installed in a bare Debian 12 with no Python, no time zone data and no Enchant or
dictionaries (packaging/bare_root.py; needs root) and the same command line and window
checks run there. With ``--venv-python`` the window check also runs from that environment
for comparison. Exit code 0 when everything passed. Used by
packaging/build-bundle, which installs the tools it needs (packaging/build-packages.txt).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path, PurePosixPath
from typing import Protocol

import bare_root
import glibc_floor
import smoke_desktop

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ARTICLE = ("science", "audit-finds-hospital-ai-tools-lacked-safety-testing")
HEADLINE = "Audit Finds One in Five Hospital AI Tools Lacked Safety Testing"
# Written at 09:30 London time in July: BST, so the page must say +01:00. Without zone data
# the import would take it as UTC and the export would stop.
SUMMER = """---
headline: Clocks Go Forward For The Summer
section: News
status: published
slug: clocks-go-forward
date: "2026-07-04 09:30"
---
Written at half past nine, London time.
"""
SUMMER_PAGE = ("news", "clocks-go-forward")
SUMMER_STAMP = '<time datetime="2026-07-04T09:30:00+01:00">'
# Spelling from the bundle's own Enchant and dictionaries: a British story with a typo in its
# headline, and an American one where the British "colour" is the mistake and "color" is not.
SPELLING = {
    "budget-gb.md": """---
headline: Council Aproves The Budget
section: News
slug: budget-gb
---
The colour of the new buses was chosen by the council.
""",
    "budget-us.md": """---
headline: Council Approves The Budget
section: News
slug: budget-us
language: en-US
---
The colour of the new buses was chosen by the council, and the color of the trams.
""",
}
# What ``newsdesk check`` must find: (slug, field, word) for each misspelling, nothing else.
MISSPELT = {("budget-gb", "headline", "Aproves"), ("budget-us", "body", "colour")}
# Each program the checks run, and the Debian package it comes from.
TOOLS = {
    "objdump": "binutils",
    "gio": "libglib2.0-bin",
    "desktop-file-validate": "desktop-file-utils",
    "Xvfb": "xvfb",
    "xwininfo": "x11-utils",
}


class SmokeError(Exception):
    """A check failed; the message says which and what was seen."""


class Place(Protocol):
    """Where the installed bundle runs: this system, or the bare root."""

    def outside(self, inside: PurePosixPath) -> Path: ...

    def command(self, argv: list[str]) -> list[str]: ...


class Here:
    """This system: paths and commands as they are."""

    def outside(self, inside: PurePosixPath) -> Path:
        return Path(inside)

    def command(self, argv: list[str]) -> list[str]:
        return argv


def tools() -> dict[str, str]:
    """The programs the checks need, found; a clear error naming the packages otherwise."""
    found = {name: shutil.which(name) for name in TOOLS}
    missing = sorted({TOOLS[name] for name, path in found.items() if path is None})
    if missing:
        raise SmokeError(f"missing programs: apt-get install {' '.join(missing)}")
    return {name: str(path) for name, path in found.items()}


def expected_version() -> str:
    text = (ROOT / "src" / "newsdesk" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'__version__ = "([^"]+)"', text)
    assert match is not None
    return match.group(1)


def clean_env(tmp: Path) -> dict[str, str]:
    """An environment that shares nothing with the build: no venv, no Python on PATH."""
    empty_bin = tmp / "empty bin"
    runtime = tmp / "runtime"
    empty_bin.mkdir(exist_ok=True)
    runtime.mkdir(mode=0o700, exist_ok=True)
    env = {
        "HOME": str(tmp / "home"),
        "PATH": str(empty_bin),
        "LANG": "C.UTF-8",
        "XDG_DATA_HOME": str(tmp / "xdg data"),
        "XDG_CONFIG_HOME": str(tmp / "xdg config"),
        "XDG_CACHE_HOME": str(tmp / "xdg cache"),
        "XDG_RUNTIME_DIR": str(runtime),
        "QTWEBENGINE_CHROMIUM_FLAGS": "--disable-dev-shm-usage",
    }
    if os.geteuid() == 0:
        env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"  # Chromium refuses root with its sandbox
    Path(env["HOME"]).mkdir(exist_ok=True)
    if shutil.which("python3", path=env["PATH"]) or shutil.which("python", path=env["PATH"]):
        raise SmokeError("the clean PATH still finds a Python")
    return env


def run(command: list[str], env: dict[str, str], cwd: Path, timeout: float = 120) -> str:
    result = subprocess.run(
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise SmokeError(
            f"{' '.join(command)} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
        )
    return result.stdout


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeError(message)


def window_runs(command: list[str], env: dict[str, str], cwd: Path, runs: int) -> list[dict]:
    """Run the window check ``runs`` times; each report gains ``usable_s`` and ``rendered_s``."""
    reports = []
    for _ in range(runs):
        started = time.time()
        out = run(command, env, cwd)
        report = json.loads(out.strip().splitlines()[-1])
        check(report.get("ok") is True, f"window check failed: {report}")
        report["usable_s"] = report["usable"] - started
        report["rendered_s"] = report["rendered"] - started
        reports.append(report)
    return reports


def median_ms(reports: list[dict], key: str) -> str:
    values = [r[key] * 1000 for r in reports]
    return f"median {statistics.median(values):.0f} ms (min {min(values):.0f}, n={len(values)})"


def floor(bundle: Path) -> None:
    """The glibc and libstdc++ the bundle needs are the ones the README states."""
    found = glibc_floor.measure(bundle)
    table = bundle.parent / "glibc-floor.txt"
    table.write_text("\n".join(glibc_floor.report(found)) + "\n", encoding="utf-8")
    system = (HERE / "system-libraries.txt").read_text(encoding="utf-8").splitlines()
    names = {n.strip() for n in system if n.strip() and not n.startswith("#")}
    bundled = sorted(p.name for p in bundle.rglob("*") if p.name in names)
    check(not bundled, f"bundled although the system's copy is wanted: {bundled}")

    glibc = found[0].glibc
    glibcxx = max(n.glibcxx for n in found)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stated = re.search(r"needs glibc (\d+\.\d+) or newer", readme)
    stated_cxx = re.search(r"GLIBCXX_(\d+\.\d+\.\d+)", readme)
    said = (stated.group(1) if stated else None, stated_cxx.group(1) if stated_cxx else None)
    measured = (glibc_floor.text(glibc), glibc_floor.text(glibcxx))
    top = [n for n in found if n.glibc == glibc]
    print(f"  glibc floor: GLIBC_{measured[0]}, needed by", end=" ")
    print(", ".join(f"{Path(n.path).name} ({', '.join(n.glibc_symbols[:2])})" for n in top))
    print(f"    the system's libstdc++ must have GLIBCXX_{measured[1]}; table: {table}")
    check(
        said == measured,
        f"the README states glibc {said[0]} and GLIBCXX_{said[1]}; the bundle needs "
        f"{measured[0]} and GLIBCXX_{measured[1]} (see {table}): state the measured floor, "
        "or leave the library that raised it to the system (packaging/system-libraries.txt)",
    )


def install(bundle: Path, tmp: Path, env: dict[str, str]) -> Path:
    """Install with the bundle's install.sh into a prefix with spaces; return the prefix."""
    prefix = tmp / "Install Prefix"
    print(f"Installing into {prefix} (a path with spaces)")
    run(["sh", str(bundle / "install.sh"), str(prefix)], dict(env, PATH="/usr/bin:/bin"), tmp)
    newsdesk = prefix / "bin" / "newsdesk"
    entry = prefix / "share" / "applications" / "newsdesk.desktop"
    check(newsdesk.is_symlink() and entry.is_file(), "install.sh did not install the command")
    check(f'Exec="{prefix}/lib/newsdesk/newsdesk"' in entry.read_text(), "menu entry Exec")
    run(["desktop-file-validate", str(entry)], dict(env, PATH="/usr/bin:/bin"), tmp)
    return prefix


def command_line(
    place: Place, newsdesk: PurePosixPath, env: dict[str, str], work: PurePosixPath
) -> None:
    """--version, the first run's store, the sample archive, an export with its bytes checked,
    and a summer article's local time (zone data)."""

    def newsdesk_says(*args: str) -> str:
        return run(place.command([str(newsdesk), *args]), env, place.outside(work))

    version = newsdesk_says("--version").strip()
    check(version == f"newsdesk {expected_version()}", f"--version printed {version!r}")
    print(f"  --version: {version}")

    data = PurePosixPath(env.get("XDG_DATA_HOME") or f"{env['HOME']}/.local/share")
    store = data / "newsdesk" / "newsdesk.db"
    check(not place.outside(store).exists(), "a store exists before the first run")
    info = newsdesk_says("info")
    check(place.outside(store).is_file(), f"the first run did not create {store}:\n{info}")
    check(re.search(r"Schema:\s+\d{4}", info) is not None, f"no schema revision:\n{info}")
    print(f"  first run created {store} ({info.split('Schema:')[1].split()[0]})")
    out = newsdesk_says("demo")
    check("Added 44 sample articles" in out, f"demo: {out}")

    handoff = work / "hand off"
    newsdesk_says("export", "--out", str(handoff), "--format", "site,ninjs")
    site = place.outside(handoff / "site")
    page = (site / ARTICLE[0] / ARTICLE[1] / "index.html").read_text("utf-8")
    check(f'id="nd-headline">{HEADLINE}</h1>' in page, "the exported page lacks its headline")
    theme = ROOT / "src" / "newsdesk" / "resources" / "theme" / "theme.css"
    css = (site / "assets" / "theme.css").read_bytes()
    check(css == theme.read_bytes(), "the exported theme.css differs from the theme")
    ninjs_file = place.outside(handoff / "ninjs" / ARTICLE[0] / f"{ARTICLE[1]}.json")
    ninjs = json.loads(ninjs_file.read_bytes())
    main = [h["value"] for h in ninjs.get("headlines", []) if h.get("role") == "main"]
    check(main == [HEADLINE], f"ninjs main headline: {main!r}")
    print(f"  exported the sample archive to {handoff}; page, theme and ninjs checked")

    place.outside(work / "summer.md").write_text(SUMMER, encoding="utf-8")
    summer_db = str(work / "summer.db")
    newsdesk_says("--db", summer_db, "import", str(work / "summer.md"))
    newsdesk_says("--db", summer_db, "export", "--out", str(work / "summer"), "--format", "site")
    page_path = place.outside(work / "summer" / "site" / SUMMER_PAGE[0] / SUMMER_PAGE[1])
    summer_page = (page_path / "index.html").read_text("utf-8")
    check(SUMMER_STAMP in summer_page, "the summer article's London time is not 09:30 BST")
    print(f"  a summer article written at 09:30 in London exported as {SUMMER_STAMP}")
    spelling(place, newsdesk, env, work)


def spelling(
    place: Place, newsdesk: PurePosixPath, env: dict[str, str], work: PurePosixPath
) -> None:
    """``newsdesk check`` finds the misspellings of an en-GB and an en-US story, and only
    those: the bundle's Enchant, Hunspell provider and both dictionaries work."""
    for name, text in SPELLING.items():
        place.outside(work / name).write_text(text, encoding="utf-8")
    db = str(work / "spelling.db")
    files = [str(work / name) for name in SPELLING]
    run(place.command([str(newsdesk), "--db", db, "import", *files]), env, place.outside(work))
    argv = [str(newsdesk), "--db", db, "check", "budget-gb", "budget-us", "--no-style", "--json"]
    done = subprocess.run(
        place.command(argv),
        env=env,
        cwd=place.outside(work),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    check(
        done.returncode == 1,
        f"check exited {done.returncode}, not 1 (problems found)\n{done.stdout}\n{done.stderr}",
    )
    found = {
        (story["slug"], problem["field"], problem["message"].split("'")[1])
        for story in json.loads(done.stdout)
        for problem in story["problems"]
        if problem["kind"] == "spelling"
    }
    check(found == MISSPELT, f"check found {sorted(found)}, not {sorted(MISSPELT)}:\n{done.stderr}")
    print("  spelling: check found 'Aproves' (en-GB) and 'colour' (en-US), nothing else")


def window_checked(
    place: Place, smoke_exe: PurePosixPath, env: dict[str, str], cwd: Path, runs: int
) -> list[dict]:
    """``newsdesk-smoke`` offscreen ``runs`` times; the first run's report checked."""
    offscreen = dict(env, QT_QPA_PLATFORM="offscreen")
    reports = window_runs(place.command([str(smoke_exe)]), offscreen, cwd, runs)
    first = reports[0]
    check(first["rows"] == 44, f"the library shows {first['rows']} rows, not 44")
    check(first["headline"] is not None, "the preview shows no headline")
    check(first.get("frozen") is True, "newsdesk-smoke did not run frozen")
    check(not first.get("outside"), f"modules loaded from outside the bundle: {first}")
    print(f"  window (offscreen), preview shows {first['headline']!r}")
    return reports


def window(prefix: Path, env: dict[str, str], work: Path, venv: Path | None, runs: int) -> None:
    """The real window offscreen, from the bundle and optionally from a venv, timed."""
    smoke_exe = PurePosixPath(prefix / "lib" / "newsdesk" / "newsdesk-smoke")
    bundled = window_checked(Here(), smoke_exe, env, work, runs)
    print(f"    bundle: usable {median_ms(bundled, 'usable_s')}")
    print(f"    bundle: preview rendered {median_ms(bundled, 'rendered_s')}")
    print(f"    window icon set by the app: {bundled[0]['window_icon_set']}")
    if venv is not None:
        venv_env = dict(env, QT_QPA_PLATFORM="offscreen", PATH=f"{venv.parent}:/usr/bin:/bin")
        script = str(HERE / "smoke_window.py")
        from_venv = window_runs([str(venv), script], venv_env, work, runs)
        print(f"    venv:   usable {median_ms(from_venv, 'usable_s')}")
        print(f"    venv:   preview rendered {median_ms(from_venv, 'rendered_s')}")


def in_bare_root(bundle: Path, archive: Path, cache: Path) -> None:
    """The release archive unpacked and installed in a Debian 12 with no Python and no zone
    data, as its README says, then the command line and the window run there."""
    try:
        root = bare_root.Root(bare_root.ensure(cache))
    except bare_root.RootError as exc:
        raise SmokeError(f"bare root: {exc} (or pass --no-bare-root)") from None
    lacks = root.lacks()
    check(not lacks, f"the bare root is not bare: {lacks}")
    home = PurePosixPath("/home/journalist")
    shutil.rmtree(root.outside(home), ignore_errors=True)
    downloads = root.outside(home / "Downloads")
    downloads.mkdir(parents=True)
    shutil.copy(archive, downloads)
    runtime = home / ".runtime"
    root.outside(runtime).mkdir(mode=0o700)
    env = {
        "HOME": str(home),
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "XDG_RUNTIME_DIR": str(runtime),
        "QTWEBENGINE_CHROMIUM_FLAGS": "--disable-dev-shm-usage",
        "QTWEBENGINE_DISABLE_SANDBOX": "1",  # Chromium refuses root with its sandbox
    }
    cwd = root.outside(home)
    print(f"In a bare Debian 12 ({root.folder}): no Python, no zone data, no Enchant")
    run(root.command(["/bin/sh", "-c", "! command -v python3 && ! command -v python"]), env, cwd)
    folder = f"newsdesk-{expected_version()}"  # as build-bundle names it in the archive
    unpack = 'cd "$HOME/Downloads" && tar xzf "$1" && cd "$2" && ./install.sh'
    out = run(root.command(["/bin/sh", "-c", unpack, "sh", archive.name, folder]), env, cwd)
    check("Newsdesk installed in /home/journalist/.local/lib/newsdesk" in out, out)
    print("  unpacked the release archive and ran ./install.sh: ~/.local")
    work = home / "somewhere else"
    root.outside(work).mkdir()
    command_line(root, home / ".local" / "bin" / "newsdesk", env, work)
    # The archive leaves newsdesk-smoke out; it runs on the installed folder's libraries.
    smoke_exe = home / ".local" / "lib" / "newsdesk" / "newsdesk-smoke"
    shutil.copy2(bundle / "newsdesk-smoke", root.outside(smoke_exe))
    window_checked(root, smoke_exe, env, cwd, 1)
    shutil.rmtree(root.outside(home), ignore_errors=True)


def smoke(bundle: Path, archive: Path | None, venv_python: Path | None, runs: int) -> None:
    found = tools()
    floor(bundle)
    tmp = Path(tempfile.mkdtemp(prefix="newsdesk smoke "))
    env = clean_env(tmp)
    prefix = install(bundle, tmp, env)
    newsdesk = prefix / "bin" / "newsdesk"
    work = tmp / "somewhere else"
    work.mkdir()
    command_line(Here(), PurePosixPath(newsdesk), env, PurePosixPath(work))
    window(prefix, env, work, venv_python, runs)
    smoke_desktop.menu_entry(prefix, env, found["gio"])
    mapped = smoke_desktop.launched_window(prefix, env, work, found)
    print(f"  gio launch: the real newsdesk window was mapped on Xvfb after {mapped * 1000:.0f} ms")
    shutil.rmtree(tmp, ignore_errors=True)
    if archive is not None:
        in_bare_root(bundle, archive, HERE / "build" / "bare-root")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the built folder, e.g. packaging/dist/newsdesk")
    parser.add_argument("--archive", type=Path, help="the release archive (default: beside it)")
    parser.add_argument("--venv-python", type=Path, help="also time the window from this Python")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--no-bare-root", action="store_true", help="skip the bare Debian 12 (it needs root)"
    )
    args = parser.parse_args()
    try:
        bundle = args.bundle.resolve()
        archive = None
        if not args.no_bare_root:
            beside = bundle.parent.glob(f"newsdesk-{expected_version()}-linux-*.tar.gz")
            archive = args.archive or next(beside, None)
            if archive is None:
                raise SmokeError(f"no release archive beside {bundle}: pass --archive")
        venv = args.venv_python.absolute() if args.venv_python else None
        smoke(bundle, archive, venv, args.runs)
    except (
        SmokeError,
        smoke_desktop.DesktopError,
        subprocess.TimeoutExpired,
        OSError,
        KeyError,
        ValueError,
    ) as exc:
        print(f"SMOKE TEST FAILED: {exc}", file=sys.stderr)
        return 1
    print("Smoke test passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
