"""What an export frees as it returns, and what ``export(hold=...)`` saves the command line.

    python bench/export_hold.py --keep DIR [--rounds 9]

In one process, on the store and full folder ``handoff_ab.py`` keeps in ``--keep`` (10,000
stories; made there first if missing): each round edits one story, then exports it
(``--only``) into the full folder, alternately with ``hold=None`` (what the export worked
with, the records of the 10,000 stories among it, is freed before ``export`` returns) and
with ``hold=[]`` (kept, and frozen out of the cycle collector's walks, as the ``newsdesk``
executable does: its process ends without freeing anything). What is held is let go
after the clock stops, outside the figure. Prints each way's median, minimum and maximum
of the ``export()`` call, wall clock, and the difference of the medians.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", type=Path, required=True, help="handoff_ab.py's --keep")
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from handoff_ab import FORMATS, SLUG, prepare  # a bench beside this one
    from newsdesk.publish.exporting.export import export
    from newsdesk.store import open_store

    db, full = prepare(args.keep, 10_000)
    store = open_store(str(db))
    uri = store.get_by_slug(SLUG).uri
    times: dict[str, list[float]] = {"freed": [], "held": []}
    for round_ in range(args.rounds + 1):  # the first round warms up, untimed
        for way, values in times.items():
            article = store.get(uri)
            store.save(dataclasses.replace(article, standfirst=f"Edited {time.time()}"))
            hold: list[object] | None = [] if way == "held" else None
            started = time.perf_counter()
            export(store, full, formats=FORMATS, only=[uri], hold=hold)
            elapsed = time.perf_counter() - started
            if hold is not None:  # let go outside the clock
                gc.unfreeze()
                hold.clear()
                gc.collect()
            if round_:
                values.append(elapsed * 1000)
    store.close()
    for way, values in times.items():
        print(
            f"{way}: export() median {statistics.median(values):6.1f} ms "
            f"(min {min(values):.1f}, max {max(values):.1f})"
        )
    saved = statistics.median(times["freed"]) - statistics.median(times["held"])
    print(f"held saves {saved:.1f} ms of the median")


if __name__ == "__main__":
    main()
