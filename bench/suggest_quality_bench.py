"""Suggested related articles: precision and recall at 5 on judged archives.

    python bench/suggest_quality_bench.py                 # SQLite
    python bench/suggest_quality_bench.py --pg-url URL    # PostgreSQL as well
    python bench/suggest_quality_bench.py --show          # each query's top five

Two archives: the small archive of short stories in tests/data/related/short_archive.txt
(one long story and fifty-one of a headline and a line, like the reference page's), and
the demo archive. tests/data/related/relevance.txt judges, for 80 of their articles,
which stories are related (and, for the long story, which share a word in passing and
must never be suggested). Each query article is asked for suggestions with its own
related list emptied, so that nothing is hidden for being linked already.

Figures, by archive and split ("dev" queries were looked at while the ranking was
changed; "held-out" ones only at the end):

* P@5: relevant among the first five, over the queries with five or more relevant;
* R@5: relevant among the first five over the relevant there are, at most five (a query
  with eight relevant stories is fully served by five of them);
* off-topic: suggestions in the first five judged unrelated; "never": suggestions of a
  story judged to share a word in passing only.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.related_sets import Judgment, read_relevance, read_short_archive  # noqa: E402

TOP = 5
GOAL_P, GOAL_R = 0.8, 0.8


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def suggestions(store: Any, judgment: Judgment) -> list[Any]:
    article = store.get_by_slug(judgment.query)
    article = dataclasses.replace(article, related=())
    found: list[Any] = store.suggest_related(article, limit=TOP * 2)
    return found


def measure(judged: list[tuple[Judgment, list[Any]]], show: bool) -> dict[str, float]:
    precisions: list[float] = []
    recalls: list[float] = []
    off_topic = never = 0
    for judgment, found in judged:
        top = [s.slug for s in found[:TOP]]
        hits = [slug for slug in top if slug in judgment.relevant]
        if len(judgment.relevant) >= TOP:
            precisions.append(len(hits) / TOP)
        recalls.append(len(hits) / min(TOP, len(judgment.relevant)))
        off_topic += len(top) - len(hits)
        never += sum(slug in judgment.never for slug in top)
        if show:
            print(f"  {judgment.query}: {len(hits)}/{min(TOP, len(judgment.relevant))}")
            for s in found[:TOP]:
                mark = "+" if s.slug in judgment.relevant else "-"
                print(f"      {mark} {s.score:.3f} {s.slug}  ({s.reason})")
    return {
        "queries": len(judged),
        "p5_queries": len(precisions),
        "p5": statistics.mean(precisions) if precisions else float("nan"),
        "r5": statistics.mean(recalls),
        "off_topic": off_topic,
        "never": never,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-url", help="also on this PostgreSQL database (its schema is reset)")
    parser.add_argument("--show", action="store_true", help="print each query's top five")
    args = parser.parse_args()
    judgments = read_relevance()
    print(f"Suggestions: P@{TOP} (goal {GOAL_P}) and R@{TOP} (goal {GOAL_R}) on judged archives")
    with tempfile.TemporaryDirectory() as folder:
        for engine in ["sqlite"] + (["postgresql"] if args.pg_url else []):
            for archive in ("short", "demo"):
                answers = run(engine, archive, Path(folder), args.pg_url, judgments)
                for split in ("dev", "held-out", "all"):
                    chosen = [a for a in answers if split in ("all", a[0].split)]
                    if args.show and split != "all":
                        print(f"\n{engine} {archive} {split}:")
                    row = measure(chosen, args.show and split != "all")
                    print(
                        f"{engine:10} {archive:6} {split:9} queries {row['queries']:3}  "
                        f"P@5 {row['p5']:.3f} (over {row['p5_queries']})  R@5 {row['r5']:.3f}  "
                        f"off-topic {row['off_topic']:3}  never {row['never']}"
                    )
    return 0


def run(
    engine: str, archive: str, folder: Path, pg_url: str | None, judgments: list[Judgment]
) -> list[tuple[Judgment, list[Any]]]:
    from newsdesk.core.sample import load_sample
    from newsdesk.store import open_store

    if engine == "postgresql":
        reset_postgres(pg_url or "")
        url = pg_url or ""
    else:
        url = f"sqlite:///{folder / archive}.db"
    store = open_store(url)
    try:
        if store.is_empty():
            if archive == "short":
                store.create_many(read_short_archive())
            else:
                load_sample(store)
        return [(j, suggestions(store, j)) for j in judgments if j.archive == archive]
    finally:
        store.close()


if __name__ == "__main__":
    raise SystemExit(main())
