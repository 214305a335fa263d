"""The export summary's open problems: what listing them costs beside the export itself.

    .venv/bin/python bench/export_problems_bench.py [--articles 10000] [--words 1000]
        [--store /tmp/export-problems.db] [--rounds 3] [--spelling]

Builds (once, kept at --store) the generated archive of bench/export_vs_hugo.py, exports it
into a fresh folder (cold), then per round: a warm full export into a new folder (every story
handed off anew: the checklist without spelling and house style over all of them), and a
re-export of that folder after one story changed (that story alone checked, spelling and
style included); each export timed, then the check the summary runs after it
(publish/handoff/open_problems.py ``after_export``). ``--spelling`` also times the whole checklist,
spelling and style included, over the stories found with problems. Prints each round and
the medians.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.export_vs_hugo import build_store  # noqa: E402

from newsdesk.core.models import PUBLISHABLE  # noqa: E402
from newsdesk.publish.exporting.export import export  # noqa: E402
from newsdesk.publish.handoff.open_problems import after_export, check_exported  # noqa: E402
from newsdesk.store import open_store  # noqa: E402


def timed(work: object) -> tuple[float, object]:
    start = time.perf_counter()
    result = work()  # type: ignore[operator]
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=1_000)
    parser.add_argument("--store", type=Path, default=Path("/tmp/export-problems.db"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--spelling", action="store_true", help="also time the full checklist")
    args = parser.parse_args()
    if not args.store.exists():
        print(f"building {args.articles:,} stories of {args.words:,} words in {args.store}")
        build_store(f"sqlite:///{args.store}", args.articles, args.words)
    store = open_store(str(args.store))
    work = Path(tempfile.mkdtemp(prefix="export-problems-"))
    print(f"load {os.getloadavg()[0]:.1f}; cold export ...", flush=True)
    cold, _ = timed(lambda: export(store, work / "cold", formats="site"))
    print(f"cold export {cold:.1f} s")
    rows: dict[str, list[float]] = {}
    for round_ in range(args.rounds):
        folder = work / f"warm{round_}"
        warm, report = timed(lambda: export(store, folder, formats="site"))  # noqa: B023
        check, found = timed(lambda: after_export(store, report, statuses=PUBLISHABLE))  # noqa: B023
        story = store.get_by_slug(f"story-{round_:06d}")
        store.save(story.edited(standfirst=story.standfirst + " Updated."), reason="edit")
        change, report = timed(lambda: export(store, folder, formats="site"))  # noqa: B023
        check2, _ = timed(lambda: after_export(store, report, statuses=PUBLISHABLE))  # noqa: B023
        line = {"warm export": warm, "full check": check, "one change": change,
                "its check": check2}  # fmt: skip
        if args.spelling:
            uris = [s.uri for s in found.stories] or [
                uri for uri, _v, _u in store.article_versions()
            ]
            spelled, _ = timed(
                lambda: check_exported(store, uris, spelling=True)  # noqa: B023
            )
            line["with spelling"] = spelled
        for name, seconds in line.items():
            rows.setdefault(name, []).append(seconds)
        print(
            f"round {round_ + 1} (load {os.getloadavg()[0]:.1f}): "
            + ", ".join(f"{name} {s:.2f} s" for name, s in line.items())
            + f"; {len(found.stories):,} of {found.checked:,} stories with open problems",
            flush=True,
        )
        shutil.rmtree(folder, ignore_errors=True)
    print("medians: " + ", ".join(f"{n} {statistics.median(v):.2f} s" for n, v in rows.items()))
    store.close()
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
