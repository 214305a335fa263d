"""What the web team's hand-off costs: one story from a big store, and the manifest's share.

    python bench/handoff_bench.py [--articles 10000] [--runs 5] [--keep DIR]

A SQLite store of ``--articles`` published articles (about 300 words each, eight sections)
is made in a temporary folder (or reused from ``--keep``). Then:

- ``newsdesk export --only SLUG`` into a new folder, as a process (start included);
- the same after editing that story, into the folder of a full export (the other stories'
  files stay), without the bundle (with it, the zip of every story is made again);
- a full export, and the hand-off manifest's part of it (building and writing
  ``handoff.json`` and ``HANDOFF.md`` for every story, timed on its own).

Each process case runs once untimed first (compiled templates and bytecode cached, as
after a first use). Prints the median and the spread of each case, in milliseconds, wall
clock and the process's CPU time (user and system: less sensitive to a busy machine), and
the load average.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from newsdesk.core.models import Article, Status
from newsdesk.publish.exporting.export import export
from newsdesk.publish.folder.state import ExportState
from newsdesk.publish.handoff.handoff import HandoffInput, HandoffWrite, build_handoff
from newsdesk.publish.related import base_url
from newsdesk.store import open_store

WORDS = ("council harbour budget ferry strike election flood court hospital school " * 30).split()
SECTIONS = ("World", "UK", "Business", "Politics", "Science", "Sport", "Culture", "Opinion")
NEWSDESK = str(Path(sys.executable).with_name("newsdesk"))


def make_store(path: Path, count: int) -> None:
    store = open_store(str(path))
    body = "\n\n".join(" ".join(WORDS[i : i + 60]) for i in range(0, len(WORDS), 60))
    store.create_many(
        [
            Article(
                headline=f"Harbour council story number {n}",
                section=SECTIONS[n % len(SECTIONS)],
                byline="Dan Ruiz",
                standfirst="Officials said the review would report by the summer.",
                body=body,
                status=Status.PUBLISHED,
            )
            for n in range(count)
        ]
    )
    store.close()


def cli(*argv: str) -> None:
    subprocess.run([NEWSDESK, *argv], check=True, stdout=subprocess.DEVNULL)


def children_cpu_ms() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (usage.ru_utime + usage.ru_stime) * 1000


def process_case(runs: int, case: Callable[[], None], setup: Callable[[int], None]) -> str:
    """``case`` once untimed, then ``runs`` times (``setup(run)`` before each): wall clock
    and CPU time of the process, as a summary."""
    setup(-1)
    case()
    walls, cpus = [], []
    for run in range(runs):
        setup(run)
        cpu, started = children_cpu_ms(), time.perf_counter()
        case()
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append(children_cpu_ms() - cpu)
    return (
        f"wall median {statistics.median(walls):7.1f} ms (min {min(walls):.1f}, max "
        f"{max(walls):.1f}); CPU median {statistics.median(cpus):7.1f} ms (min "
        f"{min(cpus):.1f}, max {max(cpus):.1f}), {runs} runs"
    )


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="a folder to keep (and reuse) the store in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / f"handoff-{args.articles}.db"
        if not db.exists():
            started = time.perf_counter()
            make_store(db, args.articles)
            print(f"store made in {time.perf_counter() - started:.1f} s")
        store = open_store(str(db))
        one = store.get_by_slug(f"harbour-council-story-number-{args.articles // 2}")
        print(f"store: {args.articles:,} articles; load average {load()}")
        fresh = Path(tmp) / "fresh"

        def clear(_: int) -> None:
            shutil.rmtree(fresh, ignore_errors=True)

        print(
            "newsdesk export --only SLUG, new folder (process):",
            process_case(
                args.runs,
                lambda: cli("--db", str(db), "export", "--out", str(fresh), "--only", one.slug),
                clear,
            ),
        )
        full = Path(tmp) / "full"
        shutil.rmtree(full, ignore_errors=True)
        started = time.perf_counter()
        report = export(store, full)
        full_ms = (time.perf_counter() - started) * 1000
        print(f"full export, all formats: {full_ms:8.1f} ms ({report.articles:,} articles)")

        def edit(run: int) -> None:
            article = store.get_by_slug(one.slug)
            store.save(dataclasses.replace(article, standfirst=f"Edited {run}"))

        print(
            "newsdesk export --only SLUG after an edit, full folder, no bundle (process):",
            process_case(
                args.runs,
                lambda: cli(
                    "--db",
                    str(db),
                    "export",
                    "--out",
                    str(full),
                    "--only",
                    one.slug,
                    "--format",
                    "site,fragment,markdown,ninjs",
                ),
                edit,
            ),
        )
        state = ExportState.load(full)
        data = HandoffInput(
            generator="bench",
            formats=report.formats,
            base_url=base_url(store.profile()),
            before=ExportState(),
            files=state.files,
            articles=state.articles,
            written=list(state.files),
            deleted=(),
            statuses={uri: "published" for uri in state.articles},
        )
        samples = []
        for _ in range(args.runs):
            started = time.perf_counter()
            HandoffWrite(Path(tmp), build_handoff(data)).commit()
            samples.append((time.perf_counter() - started) * 1000)
        manifest_ms = statistics.median(samples)
        print(
            f"hand-off manifest alone ({len(state.articles):,} stories, {len(state.files):,} "
            f"files): median {manifest_ms:.1f} ms (min {min(samples):.1f}, max "
            f"{max(samples):.1f}) = {manifest_ms / full_ms * 100:.2f} % of the full export"
        )
        print(f"load average at the end: {load()}")
        store.close()


if __name__ == "__main__":
    main()
