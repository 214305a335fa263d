"""Suggested related articles: ``SqlStore.suggest_related`` on the 100,000-article corpus.

    python bench/related_bench.py --engine sqlite --articles 100000
    python bench/related_bench.py --engine postgresql --pg-url postgresql+psycopg://...

The corpus is store_corpus.py's, prepared (or reused) exactly as store_bench.py does.
For each of ``--samples`` articles picked at random (seeded) the suggestions are timed
three ways, in rounds so background load hits them alike:

* cold: a freshly opened store (new connections, no cached term statistics, no cached
  statements or stems), its first call;
* first: a store kept open across the run (as the window keeps it), the first call for
  this article; term statistics left by earlier articles may help;
* warm: the same call again (the panel refreshing while the editor types).

The operating system's file cache is not dropped (the machine is shared): "cold" is cold
for the program, not for the disk.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import store_bench  # noqa: E402
import store_corpus as corpus  # noqa: E402

TARGET_P95_MS = 100.0
LIMIT = 10


def clear_caches() -> None:
    """Forget what a long-running process would have cached (stems, built statements)."""
    from newsdesk.core import stemming
    from newsdesk.store import suggestions, term_stats

    stemming.stem.cache_clear()
    suggestions._sqlite_ranking.cache_clear()
    suggestions._postgres_ranking.cache_clear()
    term_stats._edges_statement.cache_clear()


def pick_articles(store: Any, samples: int, seed: int) -> list[Any]:
    total = store.info().article_count
    rng = random.Random(seed)
    chosen: list[Any] = []
    for article_id in rng.sample(range(1, total + 1), samples * 2):
        try:
            chosen.append(store.get_by_id(article_id))
        except Exception:  # a gap in the ids
            continue
        if len(chosen) == samples:
            break
    return chosen


def timed(call: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return (time.perf_counter() - start) * 1000, result


def relevance(article: Any, found: list[Any], store: Any) -> dict[str, float]:
    """Sanity figures outside the timings: how many suggestions share a tag or the
    section with the article, and that none is withdrawn, archived or the article."""
    tags = {t.casefold() for t in article.tags}
    summaries = {s.uri: s for s in store.get_many([f.uri for f in found])}
    shared = sum(bool(tags & {t.casefold() for t in summaries[f.uri].tags}) for f in found)
    section = sum(f.section == article.section for f in found)
    bad = sum(f.status.value in ("withdrawn", "archived") or f.uri == article.uri for f in found)
    return {"n": len(found), "shared_tag": shared, "same_section": section, "hidden": bad}


def summarise(times: list[float]) -> dict[str, float]:
    return {
        "n": len(times),
        "median_ms": statistics.median(times),
        "p95_ms": store_bench.percentile(times, 95),
        "min_ms": min(times),
        "max_ms": max(times),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument(
        "--pg-url", default=os.environ.get("NEWSDESK_BENCH_PG_URL", store_bench.DEFAULT_PG_URL)
    )
    parser.add_argument("--samples", type=int, default=50, help="different articles")
    parser.add_argument("--warm-runs", type=int, default=5, help="repeats per article")
    parser.add_argument("--workers", type=int, default=1, help="generator processes")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--json", type=Path, help="write results here too")
    args = parser.parse_args()

    corpus.check_fidelity(args.seed)
    if args.engine == "sqlite":
        url, meta = store_bench.prepare_sqlite(
            args.articles, args.seed, args.workers, args.regenerate
        )
    else:
        url, meta = store_bench.prepare_postgresql(
            args.pg_url, args.articles, args.seed, args.workers, args.regenerate
        )

    from newsdesk.store import open_store

    kept = open_store(url)
    if kept.info().article_count != args.articles:
        raise SystemExit(f"the bench store does not hold {args.articles} articles")
    articles = pick_articles(kept, args.samples, args.seed + 1)
    kept.close()
    kept = open_store(url)  # nothing cached from picking
    clear_caches()

    cold: list[float] = []
    first: list[float] = []
    warm: list[float] = []
    noise: list[float] = []
    quality: list[dict[str, float]] = []
    load_before = os.getloadavg()
    for article in articles:
        noise.append(store_bench.calibrate())
        fresh = open_store(url)
        clear_caches()
        elapsed, _ = timed(lambda a=article, s=fresh: s.suggest_related(a, limit=LIMIT))
        cold.append(elapsed)
        fresh.close()
        elapsed, found = timed(lambda a=article: kept.suggest_related(a, limit=LIMIT))
        first.append(elapsed)
        for _ in range(args.warm_runs):
            elapsed, _ = timed(lambda a=article: kept.suggest_related(a, limit=LIMIT))
            warm.append(elapsed)
        quality.append(relevance(article, found, kept))
    load_after = os.getloadavg()
    kept.close()

    results = {"cold": summarise(cold), "first": summarise(first), "warm": summarise(warm)}
    returned = sum(q["n"] for q in quality)
    print(
        f"\nRelated suggestions: {args.engine}, {args.articles:,} articles, {len(articles)} "
        f"articles x limit {LIMIT}; {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs"
    )
    print(f"{'case':<8} {'n':>5} {'median':>8} {'p95':>8} {'min':>8} {'max':>8}  target p95")
    for name, row in results.items():
        verdict = "ok" if row["p95_ms"] < TARGET_P95_MS else "MISS"
        print(
            f"{name:<8} {row['n']:>5} {row['median_ms']:>8.1f} {row['p95_ms']:>8.1f} "
            f"{row['min_ms']:>8.1f} {row['max_ms']:>8.1f}  < {TARGET_P95_MS:.0f} ms: {verdict}"
        )
    print(
        f"suggestions returned {returned} (of {LIMIT * len(articles)} asked); sharing a tag "
        f"with the article {sum(q['shared_tag'] for q in quality) / max(returned, 1):.0%}, "
        f"same section {sum(q['same_section'] for q in quality) / max(returned, 1):.0%}; "
        f"withdrawn, archived or itself: {sum(q['hidden'] for q in quality)}"
    )
    med = statistics.median(noise)
    print(
        f"noise: a fixed {med:.2f} ms CPU workload ran at p95 "
        f"{store_bench.percentile(noise, 95) / med:.2f}x its median; load average "
        f"{load_before[0]:.2f} before, {load_after[0]:.2f} after"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "engine": args.engine,
            "articles": args.articles,
            "corpus": meta,
            "results": results,
            "times_ms": {"cold": cold, "first": first, "warm": warm},
            "quality": quality,
            "loadavg": [load_before, load_after],
        }
        args.json.write_text(json.dumps(payload, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
