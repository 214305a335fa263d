"""The local journal on its own: what reaches the disk, what a kill leaves, what is kept."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from newsdesk.core.journal import COMPACT_FLOOR, Journal, decode, left_behind
from newsdesk.core.models import Article

CHILD = """
import os, signal, sys
from pathlib import Path
from newsdesk.core.journal import Journal
from newsdesk.core.models import Article

journal = Journal(Path(sys.argv[1]))
first = Article(headline="Ferry strike", uri="urn:a", body="Talks resumed at noon.")
journal.record(first, 3)
journal.record(first.edited(body="Talks resumed at noon. A deal by six."), 3)
journal.record(Article(headline="Stored", uri="urn:b", body="Confirmed."), 1)
journal.confirm("urn:b")
journal.settle()
os.write(journal._fd, b'{"v":1,"kind":"text","uri":"urn:a","base":3,"article":{"hea')
print(journal.path, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_killed_process_leaves_every_unconfirmed_text_and_no_more(tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder)], capture_output=True, text=True, check=False
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    found = left_behind(folder)
    # The newest text of the unconfirmed story, from the version it was edited from; the
    # confirmed one is not offered again; the line cut short by the kill is skipped.
    assert [(e.uri, e.base_version, e.article.body) for e in found.entries] == [
        ("urn:a", 3, "Talks resumed at noon. A deal by six.")
    ]
    assert Path(child.stdout.strip()).exists()
    found.release()
    assert list(folder.iterdir()) == []


def test_a_running_journal_is_not_taken_for_one_left_behind(tmp_path: Path) -> None:
    running = Journal(tmp_path)
    running.record(Article(headline="Live", uri="urn:live", body="Typing."), 1)
    running.settle()
    assert left_behind(tmp_path).entries == []  # its owner holds the lock
    assert running.path is not None and running.path.exists()
    running.close()  # closed with text not stored: kept for the next start
    (entry,) = left_behind(tmp_path).entries
    assert entry.article.body == "Typing."


def test_a_journal_with_everything_stored_is_emptied_then_removed(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    assert journal.path is None  # nothing typed: no file at all
    journal.record(Article(headline="One", uri="urn:1", body="x"), 1)
    journal.record(Article(headline="Two", uri="urn:2", body="y"), 1)
    journal.settle()
    assert journal.path is not None
    journal.confirm("urn:1")
    journal.settle()
    assert set(decode(journal.path.read_bytes())) == {"urn:2"}
    journal.confirm("urn:2")
    journal.settle()
    assert journal.path.read_bytes() == b""
    journal.close()
    assert list(tmp_path.iterdir()) == []


def test_a_long_outage_keeps_the_file_near_the_size_of_the_newest_text(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    body = "word " * 50_000  # 250 kB, recorded again and again while the store is down
    for n in range(30):
        journal.record(Article(headline="Long read", uri="urn:long", body=f"{body}{n}"), 1)
    journal.settle()
    assert journal.path is not None
    size = journal.path.stat().st_size
    assert size < COMPACT_FLOOR + 2 * len(body) * 2
    assert decode(journal.path.read_bytes())["urn:long"].article.body == f"{body}29"
    assert left_behind(tmp_path).entries == []  # still locked after the rewrite
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".jsonl"]
    journal.close()


def test_the_file_is_private_to_the_user(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "a" / "b")
    journal.record(Article(headline="Source", uri="urn:s", body="Confidential."), 0)
    journal.settle()
    assert journal.path is not None
    assert os.stat(journal.path).st_mode & 0o077 == 0
    journal.close()
