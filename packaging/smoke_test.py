"""Check a built Newsdesk bundle the way a journalist would meet it, and time its start-up.

    python packaging/smoke_test.py packaging/dist/newsdesk [--venv-python PY] [--runs 5]

Installs the bundle with its install.sh into a fresh prefix whose path has spaces, then runs
it with a clean environment (a temporary HOME and XDG folders, and a PATH with no Python on
it): ``--version``; a first run that creates the store in the user data folder (migrations
found); the sample archive (demo data found); an export whose bytes are checked (theme
found); the real window, offscreen, until the library is filled and the live preview shows
the article (``newsdesk-smoke``: QtWebEngine, icons, no module loaded from outside the
bundle); and, when Xvfb is installed, the real ``newsdesk`` as an X11 window. With
``--venv-python`` the same window check runs from that environment for comparison.
Exit code 0 when everything passed. Used by packaging/build-bundle.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ARTICLE = ("science", "audit-finds-hospital-ai-tools-lacked-safety-testing")
HEADLINE = "Audit Finds One in Five Hospital AI Tools Lacked Safety Testing"


class SmokeError(Exception):
    """A check failed; the message says which and what was seen."""


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


def start_xvfb(xvfb: str, xwininfo: str) -> tuple[subprocess.Popen[bytes], str]:
    """A private Xvfb on a free display well away from :0 (which other tools may race for)."""
    for number in range(171, 230):
        if Path(f"/tmp/.X{number}-lock").exists():
            continue
        display = f":{number}"
        server = subprocess.Popen(
            [xvfb, display, "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):
            if server.poll() is not None:
                break
            probe = [xwininfo, "-display", display, "-root"]
            if subprocess.run(probe, capture_output=True, check=False).returncode == 0:
                return server, display
            time.sleep(0.05)
        server.kill()
        server.wait()
    raise SmokeError("could not start Xvfb")


def x11_window(exe: Path, env: dict[str, str], cwd: Path) -> float | None:
    """Seconds from launch until the real ``newsdesk`` maps its window on Xvfb; None: no Xvfb."""
    xvfb, xwininfo = shutil.which("Xvfb"), shutil.which("xwininfo")
    if not (xvfb and xwininfo):
        print("  (Xvfb or xwininfo not installed: X11 window check skipped)")
        return None
    server, display = start_xvfb(xvfb, xwininfo)
    app = None
    try:
        x_env = dict(env, DISPLAY=display)
        log = (cwd / "x11 stderr.txt").open("w")
        started = time.time()
        app = subprocess.Popen([str(exe)], env=x_env, cwd=cwd, stdout=log, stderr=log)
        while time.time() - started < 60:
            if app.poll() is not None:
                tail = (cwd / "x11 stderr.txt").read_text(errors="replace")[-2000:]
                raise SmokeError(f"newsdesk exited {app.returncode} under X11:\n{tail}")
            tree = subprocess.run(
                [xwininfo, "-display", display, "-root", "-tree"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            if re.search(r'"[^"]*Newsdesk[^"]*": \(', tree):
                return time.time() - started
            time.sleep(0.02)
        raise SmokeError("no Newsdesk window appeared on the X server within 60 s")
    finally:
        if app is not None and app.poll() is None:
            app.send_signal(signal.SIGTERM)
            app.wait(timeout=20)
        server.terminate()
        server.wait(timeout=20)


def install(bundle: Path, tmp: Path, env: dict[str, str]) -> Path:
    """Install with the bundle's install.sh into a prefix with spaces; return the prefix."""
    prefix = tmp / "Install Prefix"
    print(f"Installing into {prefix} (a path with spaces)")
    run(["sh", str(bundle / "install.sh"), str(prefix)], dict(env, PATH="/usr/bin:/bin"), tmp)
    newsdesk = prefix / "bin" / "newsdesk"
    entry = prefix / "share" / "applications" / "newsdesk.desktop"
    check(newsdesk.is_symlink() and entry.is_file(), "install.sh did not install the command")
    check(f'Exec="{prefix}/lib/newsdesk/newsdesk"' in entry.read_text(), "menu entry Exec")
    if shutil.which("desktop-file-validate"):
        run(["desktop-file-validate", str(entry)], dict(env, PATH="/usr/bin:/bin"), tmp)
    return prefix


def command_line(newsdesk: Path, tmp: Path, env: dict[str, str], work: Path) -> None:
    """--version, the first run's store, the sample archive and an export, bytes checked."""
    version = run([str(newsdesk), "--version"], env, work).strip()
    check(version == f"newsdesk {expected_version()}", f"--version printed {version!r}")
    print(f"  --version: {version}")

    store = Path(env["XDG_DATA_HOME"]) / "newsdesk" / "newsdesk.db"
    check(not store.exists(), "a store exists before the first run")
    info = run([str(newsdesk), "info"], env, work)
    check(store.is_file(), f"the first run did not create {store}:\n{info}")
    check(re.search(r"Schema:\s+\d{4}", info) is not None, f"no schema revision:\n{info}")
    print(f"  first run created {store} ({info.split('Schema:')[1].split()[0]})")
    out = run([str(newsdesk), "demo"], env, work)
    check("Added 44 sample articles" in out, f"demo: {out}")

    handoff = tmp / "hand off"
    run([str(newsdesk), "export", "--out", str(handoff), "--format", "site,ninjs"], env, work)
    page = (handoff / "site" / ARTICLE[0] / ARTICLE[1] / "index.html").read_text("utf-8")
    check(f'id="nd-headline">{HEADLINE}</h1>' in page, "the exported page lacks its headline")
    theme = ROOT / "src" / "newsdesk" / "resources" / "theme" / "theme.css"
    css = (handoff / "site" / "assets" / "theme.css").read_bytes()
    check(css == theme.read_bytes(), "the exported theme.css differs from the theme")
    ninjs = json.loads((handoff / "ninjs" / ARTICLE[0] / f"{ARTICLE[1]}.json").read_bytes())
    main = [h["value"] for h in ninjs.get("headlines", []) if h.get("role") == "main"]
    check(main == [HEADLINE], f"ninjs main headline: {main!r}")
    print(f"  exported the sample archive to {handoff}; page, theme and ninjs checked")


def window(prefix: Path, env: dict[str, str], work: Path, venv: Path | None, runs: int) -> None:
    """The real window offscreen, from the bundle and optionally from a venv, timed."""

    smoke_exe = prefix / "lib" / "newsdesk" / "newsdesk-smoke"
    offscreen = dict(env, QT_QPA_PLATFORM="offscreen")
    bundled = window_runs([str(smoke_exe)], offscreen, work, runs)
    first = bundled[0]
    check(first["rows"] == 44, f"the library shows {first['rows']} rows, not 44")
    check(first["headline"] is not None, "the preview shows no headline")
    check(first.get("frozen") is True, "newsdesk-smoke did not run frozen")
    check(not first.get("outside"), f"modules loaded from outside the bundle: {first}")
    print(f"  window (offscreen), preview shows {first['headline']!r}")
    print(f"    bundle: usable {median_ms(bundled, 'usable_s')}")
    print(f"    bundle: preview rendered {median_ms(bundled, 'rendered_s')}")
    print(f"    window icon set by the app: {first['window_icon_set']}")
    if venv is not None:
        venv_env = dict(offscreen, PATH=f"{venv.parent}:/usr/bin:/bin")
        script = str(HERE / "smoke_window.py")
        from_venv = window_runs([str(venv), script], venv_env, work, runs)
        print(f"    venv:   usable {median_ms(from_venv, 'usable_s')}")
        print(f"    venv:   preview rendered {median_ms(from_venv, 'rendered_s')}")


def smoke(bundle: Path, venv_python: Path | None, runs: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="newsdesk smoke "))
    env = clean_env(tmp)
    prefix = install(bundle, tmp, env)
    newsdesk = prefix / "bin" / "newsdesk"
    work = tmp / "somewhere else"
    work.mkdir()
    command_line(newsdesk, tmp, env, work)
    window(prefix, env, work, venv_python, runs)
    mapped = x11_window(newsdesk, env, work)
    if mapped is not None:
        print(f"  X11 (Xvfb): the real newsdesk window was mapped after {mapped * 1000:.0f} ms")
    shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the built folder, e.g. packaging/dist/newsdesk")
    parser.add_argument("--venv-python", type=Path, help="also time the window from this Python")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    try:
        venv = args.venv_python.absolute() if args.venv_python else None
        smoke(args.bundle.resolve(), venv, args.runs)
    except (SmokeError, subprocess.TimeoutExpired, OSError, KeyError, ValueError) as exc:
        print(f"SMOKE TEST FAILED: {exc}", file=sys.stderr)
        return 1
    print("Smoke test passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
