"""Killed while typing, with the store refusing every write: the journal has the words.

The real window in a child process (``typist.py``) types into an article while another
program holds the SQLite store's write lock, so no save gets through; then SIGKILL. After
the lock is released, recovery at the next start stores every word typed more than 2 s
before the kill.
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

from newsdesk.app import journal_for
from newsdesk.core.journal_recovery import recover
from newsdesk.core.models import Article
from newsdesk.store import open_store

TYPIST = Path(__file__).with_name("typist.py")
PHRASE = "Talks between the ferry operator and the union resumed at noon"


def start(db: Path, tmp_path: Path) -> tuple[subprocess.Popen[str], Queue[str]]:
    env = {
        **os.environ,
        "NEWSDESK_DB": str(db),
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),  # where the journal lives
    }
    child = subprocess.Popen(
        [sys.executable, "-u", str(TYPIST), PHRASE],
        env=env,
        stdout=subprocess.PIPE,
        stderr=(tmp_path / "typist.err").open("w"),
        text=True,
        start_new_session=True,
    )
    lines: Queue[str] = Queue()

    def pump() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=pump, daemon=True).start()
    return child, lines


def wait_for(lines: Queue[str], seen: list[str], prefix: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except Empty:
            continue
        seen.append(line)
        if line.startswith(prefix):
            return
    raise AssertionError(f"the typist never said {prefix!r}; it said: {seen[-5:]}")


def test_sigkill_while_the_store_is_locked_loses_nothing_older_than_two_seconds(
    tmp_path: Path, monkeypatch: object
) -> None:
    db = tmp_path / "newsroom.db"
    store = open_store(str(db))
    uri = store.create(Article(headline="Ferry talks", body="")).uri
    store.close()
    child, lines = start(db, tmp_path)
    seen: list[str] = []
    locker = sqlite3.connect(db, timeout=30, isolation_level=None)
    try:
        wait_for(lines, seen, "OPENED", timeout=180)
        locker.execute("BEGIN EXCLUSIVE")  # another program holds the write lock from now
        locked_at = time.monotonic()
        wait_for(lines, seen, "PHRASE TYPED", timeout=120)
        for _ in range(20):  # typing goes on, the saves failing
            wait_for(lines, seen, "TYPED", timeout=60)
        os.killpg(child.pid, signal.SIGKILL)
        killed_at = time.monotonic()
        child.wait(timeout=30)
    finally:
        locker.rollback() if locker.in_transaction else None
        locker.close()
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
    time.sleep(0.2)
    while not lines.empty():
        seen.append(lines.get())
    typed = [(float(line.split()[1]), line.split()[2]) for line in seen if line.startswith("TYPED")]
    words = [word for _, word in typed]

    store = open_store(str(db))
    try:
        before = store.get(uri).body.split()
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # type: ignore[attr-defined]
        done = recover(store, journal_for(str(db)))
        body = store.get(uri).body.split()
    finally:
        store.close()
    after_lock = [word for when, word in typed if when > locked_at + 2.0]
    assert after_lock and not set(after_lock) & set(before)  # the store had none of them
    assert [a.uri for a in done.restored] == [uri]
    # Exactly what was typed, in order (the journal may hold the last word half typed).
    whole = len(body) if body[-1:] == words[len(body) - 1 : len(body)] else len(body) - 1
    assert body[:whole] == words[:whole]
    assert words[whole].startswith(body[-1]) if whole < len(body) else True
    lost = typed[whole:]
    older = [word for when, word in lost if when < killed_at - 2.0]
    assert older == [], f"lost words typed more than 2 s before the kill: {older}"
    print(
        f"\njournal crash test: {len(words)} words typed, {len(before)} in the store before "
        f"recovery, {whole} after, {len(lost)} lost (typed in the last "
        f"{killed_at - lost[0][0] if lost else 0:.2f} s)"
    )
