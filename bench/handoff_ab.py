"""One story after an edit, into a full folder: two source trees side by side.

    python bench/handoff_ab.py --keep DIR [--rounds 9] [--before SRC [--before-keep DIR2]]
                               [--python PY] [--before-python PY] [--callgrind] [--new-folder]

The case of ``handoff_bench.py`` that is still near its target (``newsdesk export --only
SLUG`` after an edit, into the folder holding the full export of 10,000 stories), run with
this tree and with another one's ``src`` folder (``--before``, e.g. a ``git worktree`` of
an older commit), alternately, in the same minutes: the machine's load moves both alike.
The store and the full folder are made in ``--keep`` once (about 5 minutes) and reused;
each round edits the story first, so every export has one story to hand off. When the two
trees' stores differ in schema (a tree before a migration refuses a store after it), give
the older one its own copy of ``--keep``, made before the newer tree opened it
(``--before-keep``, with its schema as the older tree knows it).

With ``--new-folder``, the other case instead: the story (not edited) into a new folder,
in every format (the folder removed before each run).

Each side runs under this bench's interpreter, or another one (``--python`` for this
tree, ``--before-python`` for the other side; given alone, the other side is this tree
under that interpreter): the interpreter a user has is part of what they wait for, and
the one a developer's machine runs may not be it (a Python built without profile-guided
optimisation, as pyenv builds it, against Debian 12's ``/usr/bin/python3``). The
interpreter's environment needs Newsdesk's dependencies (``PYTHON=/usr/bin/python3
scripts/setup`` in a clone makes one).

Prints the median, minimum and maximum of each tree's wall clock and CPU time (user and
system, the process and its threads), and the median of its minor page faults. With ``--callgrind``, also each tree's instruction
count under valgrind's callgrind (load-independent; takes a minute a tree).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

SLUG = "harbour-council-story-number-5000"
FORMATS = "site,fragment,markdown,ninjs"
HERE = Path(__file__).resolve().parent


def prepare(keep: Path, articles: int) -> tuple[Path, Path]:
    """The store and the folder of its full export, made once."""
    sys.path.insert(0, str(HERE))
    from handoff_bench import make_store  # a bench beside this one
    from newsdesk.publish.exporting.export import export
    from newsdesk.store import open_store

    keep.mkdir(parents=True, exist_ok=True)
    db, full = keep / f"handoff-{articles}.db", keep / "full"
    if not db.exists():
        make_store(db, articles)
    if not (full / ".newsdesk-export.json").exists():
        store = open_store(str(db))
        export(store, full, formats=FORMATS)
        store.close()
    return db, full


EDIT = """
import dataclasses, sys, time
from newsdesk.store import open_store
store = open_store(sys.argv[1])
article = store.get_by_slug(sys.argv[2])
store.save(dataclasses.replace(article, standfirst=f"Edited {time.time()}"))
store.close()
"""


class Side(NamedTuple):
    """One side of the comparison: an interpreter, its environment, its store and folder."""

    python: str
    env: dict[str, str]
    db: Path
    full: Path


def environment(src: str | None) -> dict[str, str]:
    """The environment running ``src``'s Newsdesk (this tree's when ``None``), with
    bytecode written and read, as an installed app has it."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = src if src is not None else str(HERE.parent / "src")
    return env


def command(side: Side, full: Path, *, new_folder: bool = False) -> list[str]:
    # ``python -m newsdesk``: what the ``newsdesk`` executable runs, in whichever tree is
    # on the path (the executable itself imports its entry point by name, which an older
    # tree may lack).
    run = [side.python, "-m", "newsdesk", "--db", str(side.db), "export", "--out", str(full),
           "--only", SLUG]  # fmt: skip
    return run if new_folder else [*run, "--format", FORMATS]  # new folder: every format


def edit(side: Side) -> None:
    subprocess.run([side.python, "-c", EDIT, str(side.db), SLUG], check=True, env=side.env)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def children_faults() -> int:
    """Minor page faults of the children waited for: memory first touched, each a trip
    into this machine's kernel (a tenth of a one-story export's time, measured)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt


def summary(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"median {statistics.median(ms):6.0f} ms (min {min(ms):.0f}, max {max(ms):.0f})"


def instructions(side: Side) -> str:
    edit(side)
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         *command(side, side.full)],
        env=side.env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    found = re.search(r"Collected : (\d+)", run.stderr)
    return f"{int(found[1]) / 1e9:.2f} G instructions" if found else "no count"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", type=Path, required=True, help="where the store is kept")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--before", help="another tree's src folder, run alternately")
    parser.add_argument("--before-keep", type=Path, help="the other tree's own --keep")
    parser.add_argument("--python", default=sys.executable, help="this tree's interpreter")
    parser.add_argument("--before-python", help="the other side's interpreter")
    parser.add_argument("--callgrind", action="store_true")
    parser.add_argument("--new-folder", action="store_true", help="into a new folder instead")
    args = parser.parse_args()
    db, full = prepare(args.keep, args.articles)
    this = Side(args.python, environment(None), db, full)
    trees = {f"this tree ({args.python})" if args.before_python else "this tree": this}
    if args.before or args.before_python:
        keep = args.before_keep or args.keep
        python = args.before_python or args.python
        name = "before" if args.before else "this tree"
        other = Side(python, environment(args.before), keep / db.name, keep / "full")
        trees = {f"{name} ({python})" if args.before_python else name: other, **trees}
    walls: dict[str, list[float]] = {name: [] for name in trees}
    cpus: dict[str, list[float]] = {name: [] for name in trees}
    faults: dict[str, list[int]] = {name: [] for name in trees}
    print(f"load average {os.getloadavg()[0]:.2f} at the start")
    for round_ in range(args.rounds + 1):  # the first round warms the caches, untimed
        for name, side in trees.items():
            target = side.full.with_name("new") if args.new_folder else side.full
            if args.new_folder:
                shutil.rmtree(target, ignore_errors=True)
            else:
                edit(side)
            cpu, touched, started = children_cpu(), children_faults(), time.perf_counter()
            run = command(side, target, new_folder=args.new_folder)
            subprocess.run(run, env=side.env, check=True, capture_output=True)
            if round_:
                walls[name].append(time.perf_counter() - started)
                cpus[name].append(children_cpu() - cpu)
                faults[name].append(children_faults() - touched)
    for name in trees:
        print(
            f"{name}: wall {summary(walls[name])}; CPU {summary(cpus[name])}; "
            f"page faults {statistics.median(faults[name]):,.0f}"
        )
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    if args.callgrind:
        for name, side in trees.items():
            print(f"{name}: {instructions(side)}")


if __name__ == "__main__":
    main()
