"""How the ``newsdesk`` process ends after a command (``newsdesk.app.console``): at once
(``os._exit``, without freeing every object), yet with nothing lost that Python's own exit
would keep: the whole output, the exit code, the exit handlers, the threads still at work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# A process as the executable runs it, which says when it ends at once (``os._exit``).
CHILD = """
import atexit, os, sys, threading, time
from pathlib import Path

end_at_once = os._exit

def said(code):
    os.write(1, b"ended at once\\n")
    end_at_once(code)

os._exit = said
done = Path(sys.argv[1])
atexit.register(lambda: sys.stdout.write("handler ran\\n"))

def work():
    time.sleep(0.3)
    done.write_text("finished")

from newsdesk import app, cli
command = cli.run

def run(args, **kw):  # the command, then a thread still at work when it is done
    code = command(args, **kw)
    threading.Thread(target=work).start()  # not a daemon: the process waits for it
    kept = kw.get("keep")
    sys.stdout.write(f"kept {'nothing' if kept is None else len(kept)}\\n")
    return code

cli.run = run
if sys.argv[2] == "window":  # the window's way out: stand-in for Qt's, the usual exit
    app.run_window = lambda db, **kw: run(None) and 0
    command = lambda args, **kw: 0
sys.argv = ["newsdesk", *sys.argv[3:]]
app.console()
"""


def console(tmp_path: Path, *argv: str, how: str = "command") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "done.txt"), how, *argv],
        # Output buffered, as in a shell (not so with PYTHONUNBUFFERED, which CI may set).
        env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("console") / "newsroom.db")
    made = subprocess.run(
        [sys.executable, "-m", "newsdesk", "--db", db, "demo"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    return db


def test_a_command_ends_without_freeing_yet_keeps_output_handlers_and_threads(
    tmp_path: Path, demo: str
) -> None:
    done = console(tmp_path, "--db", demo, "list", "--limit", "100")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    # The listing whole (a pipe holds it in a buffer until flushed), then the handler.
    assert sum(1 for line in lines if "severn-barrier-delay-leaves-homes-exposed" in line) == 1
    assert lines[-3:] == ["kept 0", "handler ran", "ended at once"]
    assert (tmp_path / "done.txt").read_text() == "finished"  # the thread was waited for


def test_a_failed_command_ends_with_its_code_and_message(tmp_path: Path, demo: str) -> None:
    done = console(tmp_path, "--db", demo, "show", "no-such-story")
    assert done.returncode == 1
    assert "no-such-story" in done.stderr
    assert done.stdout.splitlines()[-2:] == ["handler ran", "ended at once"]
    assert (tmp_path / "done.txt").read_text() == "finished"


def test_an_export_leaves_what_it_worked_with_to_the_quick_end(tmp_path: Path, demo: str) -> None:
    """The export's data (the folder's record, the stories) is kept for the process's end,
    which never frees it, rather than freed one object at a time before it."""
    out = tmp_path / "out"
    done = console(tmp_path, "--db", demo, "export", "--out", str(out), "--format", "ninjs")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-3:] == ["kept 1", "handler ran", "ended at once"]
    assert (out / "handoff.json").is_file()  # and the export is whole


def test_the_window_ends_the_usual_way(tmp_path: Path) -> None:
    done = console(tmp_path, "--db", str(tmp_path / "n.db"), how="window")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["kept nothing", "handler ran"]
    assert (tmp_path / "done.txt").read_text() == "finished"


def test_python_dash_m_and_the_executable_run_the_console() -> None:
    """``python -m newsdesk`` and the installed script both end through ``console``."""
    import importlib.metadata

    scripts = importlib.metadata.entry_points(group="console_scripts")
    assert [e.value for e in scripts if e.name == "newsdesk"] == ["newsdesk.app:console"]
    main = Path(__file__).parents[2] / "src" / "newsdesk" / "__main__.py"
    assert "console()" in main.read_text()
