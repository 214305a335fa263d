"""Sync figures: a laptop's first sync to an empty newsroom server, one changed story, nothing
to do, and a second laptop's first pull; through ``newsdesk.store.sync.sync`` on real stores.

Targets (issue 16): first sync of 10,000 stories of about 1,000 words under 60 s; one
changed story under 1 s; nothing to do under 200 ms. "Cold" opens the server store each
time, as ``newsdesk sync`` does (connect, schema check); "warm" reuses an open one, as the
window's background sync would.

    .venv/bin/python bench/sync_bench.py --pg-url postgresql+psycopg://newsdesk@127.0.0.1:54329/nd_sync2
    .venv/bin/python bench/sync_bench.py --articles 2000 --json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import summary
from newsdesk.core.models import Article
from newsdesk.store import open_store
from newsdesk.store.sync.sync import sync

WORDS = (
    "the council said flood barrier river residents homes funding minister report water "
    "street families town police road school hospital week year people government plan "
    "deal union strike vote election campaign budget price energy bill housing court"
).split()


def body(rng: random.Random, words: int) -> str:
    paragraphs = []
    while words > 0:
        count = min(words, 80)
        sentences = [
            " ".join(rng.choice(WORDS) for _ in range(10)).capitalize() + "."
            for _ in range(count // 10)
        ]
        paragraphs.append(" ".join(sentences))
        words -= count
    return "\n\n".join(paragraphs)


def reset(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def timed(call: object) -> float:
    start = time.perf_counter()
    call()  # type: ignore[operator]
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pg-url",
        default=os.environ.get(
            "NEWSDESK_BENCH_PG_URL", "postgresql+psycopg://newsdesk@127.0.0.1:54329/nd_sync2"
        ),
    )
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rng = random.Random(16)
    folder = Path(tempfile.mkdtemp(prefix="sync-bench-"))
    reset(args.pg_url)
    open_store(args.pg_url).close()  # the server exists, empty, at the current schema
    laptop = open_store(str(folder / "laptop.db"))
    stories = [
        Article(headline=f"Story {n} " + " ".join(rng.sample(WORDS, 4)), body=body(rng, args.words))
        for n in range(args.articles)
    ]
    laptop.create_many(stories)
    figures: dict[str, object] = {"articles": args.articles, "words": args.words}

    report = None

    def first() -> None:
        nonlocal report
        report = sync(laptop, args.pg_url)

    figures["first_sync_s"] = round(timed(first) / 1000, 1)
    figures["first_sync_sent"] = report.sent if report else 0

    server = open_store(args.pg_url)
    changed_warm, changed_cold, idle_warm, idle_cold = [], [], [], []
    uris = [a.uri for a in laptop.iter_articles()][:50]
    for n in range(min(args.runs, 10)):
        story = laptop.get(uris[n])
        laptop.save(story.edited(body=story.body + f"\n\nUpdate {n}."))
        changed_warm.append(timed(lambda: sync(laptop, server=server)))
        story = laptop.get(uris[n + 10])
        laptop.save(story.edited(body=story.body + f"\n\nUpdate {n}."))
        changed_cold.append(timed(lambda: sync(laptop)))
    for _ in range(args.runs):
        idle_warm.append(timed(lambda: sync(laptop, server=server)))
        idle_cold.append(timed(lambda: sync(laptop)))
    figures.update(
        one_changed_warm_ms=round(statistics.median(changed_warm), 1),
        one_changed_cold_ms=round(statistics.median(changed_cold), 1),
        nothing_warm_median_ms=round(statistics.median(idle_warm), 1),
        nothing_cold_median_ms=round(statistics.median(idle_cold), 1),
        nothing_cold_p95_ms=round(sorted(idle_cold)[int(0.95 * (len(idle_cold) - 1))], 1),
    )

    second = open_store(str(folder / "second.db"))
    figures["second_laptop_first_pull_s"] = round(
        timed(lambda: sync(second, args.pg_url)) / 1000, 1
    )
    second.close()
    server.close()
    laptop.close()
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(
        f"first sync of {args.articles:,} stories (~{args.words} words): {figures['first_sync_s']} s"
    )
    print(f"one changed story   warm: {summary(changed_warm)}")
    print(f"one changed story   cold: {summary(changed_cold)}")
    print(f"nothing to do       warm: {summary(idle_warm)}")
    print(f"nothing to do       cold: {summary(idle_cold)}")
    print(f"second laptop's first pull: {figures['second_laptop_first_pull_s']} s")


if __name__ == "__main__":
    main()
