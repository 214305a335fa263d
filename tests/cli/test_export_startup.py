"""The start of ``newsdesk export``, most of a one-story export's time: it loads what an
export uses and nothing more (the other commands' modules stay unloaded, and so does
Python-Markdown when every body is in the render cache, as for a story re-exported after an
edit of its headline, status or standfirst), and the cycle collector, held while the command
line loads, runs again for the command. Any command on a store named by ``--db`` leaves
platformdirs unloaded, and the store's table classes carry evaluated annotations."""

from __future__ import annotations

import gc
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import run

SEVERN = "severn-barrier-delay-leaves-homes-exposed"

NOT_NEEDED = (
    "markdown",  # Python-Markdown: the body comes from the render cache
    "newsdesk.publish.markdown",
    "newsdesk.store.sync.sync",  # newsdesk sync
    "newsdesk.store.sync.sync_service",
    "newsdesk.store.restore",  # newsdesk restore
    "newsdesk.core.archive",  # newsdesk dump, load, backup FILE.json
    "newsdesk.core.related.linkcheck",  # newsdesk related check
    "newsdesk.web.http",
    "newsdesk.core.related.duplicates",  # newsdesk related add, check, dedupe
    "newsdesk.core.related.story_words",  # suggestions of related articles
    "newsdesk.core.related.suggest",
    "newsdesk.store.suggestions",
    "newsdesk.core.search",  # newsdesk search
    "newsdesk.store.search",
    # The feed and sitemap escape without xml.sax.saxutils, which loads all of these.
    "xml.sax",
    "urllib.request",
    "http.client",
    "email.parser",  # library versions read without importlib.metadata's email parsing
)

# The command as the shell runs it (``newsdesk`` is ``newsdesk.app:console``: ``main``, then
# the process ends), then what it loaded, as the last line of its output.
CHILD = """
import json, sys
from newsdesk.app import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def test_export_of_a_story_whose_body_is_cached_loads_only_what_it_uses(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "newsroom.db")
    out = tmp_path / "export"
    assert run(capsys, "--db", db, "demo")[0] == 0
    # The whole archive first: each body is rendered once and kept in the render cache.
    code, _, err = run(capsys, "--db", db, "export", "--out", str(out))
    assert code == 0, err
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "--db", db, "export", "--out", str(out), "--only", SEVERN],
        capture_output=True,
        text=True,
        check=False,
    )
    *printed, last = done.stdout.splitlines()
    result = json.loads(last)
    assert result["code"] == 0, done.stderr
    assert any("Exported 1 chosen article" in line for line in printed)
    loaded = set(result["modules"])
    assert "newsdesk.publish.exporting.export" in loaded  # it did export
    assert [name for name in NOT_NEEDED if name in loaded] == []


def test_the_cycle_collector_runs_while_a_command_runs_and_after(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``newsdesk`` holds the collector while the command line loads: the command itself,
    and whatever runs after it, must have it back."""
    from newsdesk import app

    commands = importlib.import_module("newsdesk.cli.main").COMMANDS  # (cli.main: a function)

    seen: list[bool] = []

    def info(*_: object) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setitem(commands, "info", info)
    assert app.main(["--db", str(tmp_path / "n.db"), "info"]) == 0
    assert seen == [True]
    assert gc.isenabled()


def test_the_window_opens_with_the_cycle_collector_running(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsdesk import app

    seen: list[bool] = []

    def window(db: str | None, **_: object) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(app, "run_window", window)
    assert app.main([]) == 0
    assert app.main(["open"]) == 0
    assert seen == [True, True]


def test_the_store_tables_annotations_need_no_parsing() -> None:
    """SQLAlchemy evaluates a string annotation (``from __future__ import annotations``)
    before it can map the column: about a sixth of the schema's import, every command's."""
    from newsdesk.store.schema import Base

    classes = [mapper.class_ for mapper in Base.registry.mappers]
    assert len(classes) >= 14
    strings = [
        f"{cls.__name__}.{name}"
        for cls in classes
        for name, annotation in vars(cls).get("__annotations__", {}).items()
        if isinstance(annotation, str)
    ]
    assert strings == []


@pytest.mark.parametrize("command", ["info", "list"])
def test_a_command_on_a_named_store_skips_the_user_folders_lookup(
    command: str, tmp_path: Path
) -> None:
    """platformdirs finds the default store's folder; a store named by --db needs none."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "--db", str(tmp_path / "n.db"), command],
        capture_output=True,
        text=True,
        check=False,
    )
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["code"] == 0, done.stderr
    assert "newsdesk.store.repository" in result["modules"]  # it did open the store
    assert "platformdirs" not in result["modules"]
