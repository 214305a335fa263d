"""Killed while typing: the real window in a child process, SIGKILL mid-sentence.

The promise: at most the last 2 s of typing is lost, and the store opens cleanly.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from queue import Empty, Queue

from newsdesk.core.models import Article
from newsdesk.store import open_store

TYPIST = Path(__file__).with_name("typist.py")
PHRASE = (
    "Floodwater reached the high street in Tewkesbury before dawn and the council "
    "opened three rest centres for families"
)
HEADLINE = "River Severn bursts its banks"


def start_typist(db: Path, tmp_path: Path) -> tuple[subprocess.Popen[str], Queue[str]]:
    env = {
        **os.environ,
        "NEWSDESK_DB": str(db),
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # the window's own settings
        "XDG_DATA_HOME": str(tmp_path / "data"),  # its journal, never the user's own
    }
    child = subprocess.Popen(
        [sys.executable, "-u", str(TYPIST), PHRASE],
        env=env,
        stdout=subprocess.PIPE,
        stderr=(tmp_path / "typist.err").open("w"),
        text=True,
        start_new_session=True,  # its own process group: the preview's processes die too
    )
    lines: Queue[str] = Queue()

    def pump() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=pump, daemon=True).start()
    return child, lines


def wait_for(lines: Queue[str], seen: list[str], prefix: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except Empty:
            continue
        seen.append(line)
        if line.startswith(prefix):
            return line
    raise AssertionError(f"the typist never said {prefix!r}; it said: {seen[-5:]}")


def test_sigkill_mid_typing_loses_at_most_the_last_two_seconds(tmp_path: Path) -> None:
    db = tmp_path / "newsroom.db"
    store = open_store(str(db))
    uri = store.create(Article(headline=HEADLINE, body="")).uri
    store.close()

    child, lines = start_typist(db, tmp_path)
    seen: list[str] = []
    try:
        wait_for(lines, seen, "PHRASE TYPED", timeout=180)
        # Typing goes on; kill it between two words, about a second later.
        for _ in range(15):
            wait_for(lines, seen, "TYPED", timeout=30)
        os.killpg(child.pid, signal.SIGKILL)
        killed_at = time.monotonic()
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
    time.sleep(0.2)
    while not lines.empty():
        seen.append(lines.get())
    assert child.returncode == -signal.SIGKILL

    typed = [(float(line.split()[1]), line.split()[2]) for line in seen if line.startswith("TYPED")]
    # The store opens cleanly: SQLite's own check, then Newsdesk's opening checks.
    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store = open_store(str(db))
    try:
        body = store.get(uri).body
        revisions = store.revisions(uri)
    finally:
        store.close()
    stored = body.split()
    words = [word for _, word in typed]
    assert PHRASE in body  # the first phrase, whole, 2.5 s before the kill
    # What is stored is exactly what was typed, up to a keystroke: a write may come
    # between two letters of the word being typed (then that word counts as lost).
    whole = len(stored) if stored[-1] == words[len(stored) - 1] else len(stored) - 1
    assert stored[:whole] == words[:whole]
    assert words[len(stored) - 1].startswith(stored[-1])
    lost = [(when, word) for when, word in typed[whole:]]
    older = [word for when, word in lost if when < killed_at - 2.0]
    assert older == [], f"lost words typed more than 2 s before the kill: {older}"
    assert revisions and revisions[-1].reason == "autosave"
    print(
        f"\ncrash test: {len(words)} words typed, {len(stored)} stored, {len(lost)} lost, "
        f"all typed in the last {killed_at - lost[0][0] if lost else 0:.2f} s before the kill"
    )
