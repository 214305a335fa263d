"""The local journal: the cost of one append (per autosave) and of recovery at start.

append    ``Journal.record`` of one article, as the window does once per autosave while the
          store has not confirmed the text: a 1,000-word body and a 10,000-word one. Two
          figures: the time the window waits (encoding; the journal's own thread writes),
          and the time until the text is on the disk (``record`` + ``settle``: write and
          fdatasync). Target: under 2 ms.
recover   ``recover()`` at start, on a SQLite store, with ``--left`` stories left unstored
          by a killed process (one file), half of them already stored, half not.
          Target: under 100 ms. Also the start with nothing to recover (no file).

    .venv/bin/python bench/journal_bench.py
    .venv/bin/python bench/journal_bench.py --runs 200 --folder /path/on/the/real/disk

``--folder`` is where the journal is written: the user data folder is on the home disk;
/tmp may be a tmpfs, where fsync costs nothing, so the default is a folder beside this file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _util import p95, summary
from newsdesk.core.journal import Journal
from newsdesk.core.journal_recovery import recover
from newsdesk.core.models import Article
from newsdesk.store import open_store

WORDS = "the council said on Tuesday that the flood defences would be ready by spring".split()


def body(words: int) -> str:
    return " ".join(WORDS[i % len(WORDS)] for i in range(words))


def bench_append(folder: Path, runs: int) -> list[str]:
    lines = []
    for words in (1_000, 10_000):
        journal = Journal(folder / f"append-{words}")
        article = Article(headline="Flood defences", body=body(words))
        waits, cpu, durable = [], [], []
        for run in range(runs):
            typed = article.edited(body=f"{article.body} {run}")  # a new text each autosave
            started, on_cpu = time.perf_counter(), time.thread_time()
            journal.record(typed, 1)
            waits.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - on_cpu) * 1000)
            journal.settle()
            durable.append((time.perf_counter() - started) * 1000)
        journal.close()
        lines.append(f"append, {words:>6,} words, the window waits:  {summary(waits)}")
        lines.append(f"  p95 under 2 ms: {'yes' if p95(waits) < 2 else 'NO'}")
        # On a shared machine the wall time includes other processes' turns on the CPU.
        lines.append(f"append, {words:>6,} words, its CPU time:    {summary(cpu)}")
        lines.append(f"append, {words:>6,} words, on the disk:      {summary(durable)}")
    return lines


def bench_recover(folder: Path, runs: int, left: int) -> list[str]:
    samples, cpu, empty = [], [], []
    for run in range(runs):
        work = folder / f"recover-{run}"
        work.mkdir(parents=True)
        store = open_store(str(work / "newsroom.db"))
        articles = [
            store.create(Article(headline=f"Story {n}", body=body(600))) for n in range(left)
        ]
        journal = Journal(work / "journal")
        for n, article in enumerate(articles):
            typed = article.edited(body=f"{article.body} typed {n}")
            journal.record(typed, article.version)
            if n % 2:
                store.save(typed)  # stored, killed before the journal heard
        journal.settle()
        assert journal._fd is not None
        os.close(journal._fd)  # killed: the file stays, its lock goes
        started, on_cpu = time.perf_counter(), time.process_time()
        done = recover(store, Journal(work / "journal"))
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - on_cpu) * 1000)
        assert len(done.restored) == left // 2 + left % 2, done
        started = time.perf_counter()
        recover(store, Journal(work / "journal"))  # the next start: nothing left
        empty.append((time.perf_counter() - started) * 1000)
        store.close()
        shutil.rmtree(work)
    return [
        f"recover, {left} stories left ({left // 2 + left % 2} restored):  {summary(samples)}",
        f"  p95 under 100 ms: {'yes' if p95(samples) < 100 else 'NO'}",
        f"recover, its CPU time:  {summary(cpu)}",
        f"start, nothing to recover:  {summary(empty)}",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--left", type=int, default=10, help="stories left in the journal")
    parser.add_argument("--folder", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="journal-", dir=args.folder))
    try:
        for line in bench_append(folder, args.runs):
            print(line)
        for line in bench_recover(folder, max(5, args.runs // 10), args.left):
            print(line)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
