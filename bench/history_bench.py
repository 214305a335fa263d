"""Revision history: how many revisions a day of typing leaves, and the cost of export revisions.

Two measurements, each through the store's public API on a real store:

day     A simulated working day (09:00 to 17:00) of one article: an autosave every
        ``--interval`` seconds of typing (the window writes at most 1.5 s after a key, so a
        journalist typing in bursts autosaves every 2 s or so), a Ctrl+S every hour, two
        status changes, an export at noon. The store's clock is moved, not waited for. It
        counts revisions without coalescing (one per autosave) and with it, at the end of
        the day and a day, a week and a month later (each "later" is one more autosave,
        which is when thinning runs), with the bytes of their snapshots.
export  ``record_exports`` for ``--articles`` exported articles (10,000 by default, bodies of
        about 600 words): a first export (every article gets an export revision) and an
        export again (nothing new: only the check), median of ``--runs`` runs each.

    /tmp/venv/bin/python bench/history_bench.py day
    /tmp/venv/bin/python bench/history_bench.py export --engine sqlite --articles 10000
    /tmp/venv/bin/python bench/history_bench.py export --engine postgresql --pg-url URL
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select, text

from newsdesk.core.history import AUTOSAVE, record_exports
from newsdesk.core.models import Article, Status
from newsdesk.store import open_store
from newsdesk.store.schema import RevisionRow

WORDS = (
    "the council said flood barrier river residents homes funding minister report water "
    "street families town police road school hospital week year people government plan "
    "deal union strike vote election campaign budget price energy bill housing court"
).split()


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def revision_stats(store: object) -> tuple[int, int, int]:
    """(revisions, autosave revisions, snapshot bytes) of the whole store."""
    engine = store._engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        total = conn.scalar(select(func.count()).select_from(RevisionRow))
        autosaves = conn.scalar(
            select(func.count()).select_from(RevisionRow).where(RevisionRow.reason == AUTOSAVE)
        )
        size = conn.scalar(
            text("SELECT COALESCE(SUM(LENGTH(CAST(snapshot AS TEXT))), 0) FROM revision")
        )
    return int(total or 0), int(autosaves or 0), int(size or 0)


def bench_day(url: str, interval: float) -> dict[str, object]:
    rng = random.Random(7)
    store = open_store(url)
    start = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    clock = {"now": start}
    store.clock = lambda: clock["now"]
    article = store.create(Article(headline="Council shelves flood plan", body=""))
    body: list[str] = []
    saves = deliberate = 0
    seconds = 0.0
    snapshot_bytes = 0
    started = time.perf_counter()
    while seconds < 8 * 3600:
        clock["now"] = start + timedelta(seconds=seconds)
        body.append(sentence(rng, 3))  # a few words typed since the last autosave
        if len(body) > 120:
            body.pop(rng.randrange(len(body)))  # rewriting, not only adding
        article = store.save(article.edited(body=" ".join(body)), reason=AUTOSAVE)
        saves += 1
        snapshot_bytes += len(json.dumps(article.to_dict()))
        minute = int(seconds) // 60
        if minute % 60 == 59 and int(seconds) % 60 < interval:
            article = store.save(article, reason="manual")
            deliberate += 1
        if int(seconds) in (10_800, 25_200):  # 12:00 ready, 16:00 published
            status = Status.READY if int(seconds) == 10_800 else Status.PUBLISHED
            article = store.save(article.edited(status=status), reason="status")
            deliberate += 1
        if int(seconds) == 10_800:
            deliberate += record_exports(store, statuses={Status.READY})
        seconds += interval
    elapsed = time.perf_counter() - started
    result: dict[str, object] = {
        "autosaves": saves,
        "deliberate revisions": deliberate,
        "without coalescing": {
            "revisions": saves + deliberate,
            "snapshot MB": snapshot_bytes / 1e6,
        },
        "ms per autosave, revision included": 1000 * elapsed / saves,
    }
    total, autosaves, size = revision_stats(store)
    result["end of day"] = {"revisions": total, "autosave": autosaves, "snapshot MB": size / 1e6}
    end = clock["now"]
    for label, later in (("a day later", timedelta(days=1)), ("a week later", timedelta(days=7)),
                         ("a month later", timedelta(days=30))):  # fmt: skip
        clock["now"] = end + later
        article = store.save(article.edited(body=article.body + " Update."), reason=AUTOSAVE)
        total, autosaves, size = revision_stats(store)
        result[label] = {"revisions": total, "autosave": autosaves, "snapshot MB": size / 1e6}
    result["ms per save, without / with an autosave revision"] = revision_overhead(store)
    store.close()
    return result


def revision_overhead(store: object, saves: int = 300) -> tuple[float, float]:
    """Median times of a save without a reason and of an autosave, interleaved, on an
    article of 800 words (the autosave coalescing into its revision in place)."""
    rng = random.Random(5)
    clock = {"now": datetime(2031, 1, 6, 9, 0, tzinfo=UTC)}
    store.clock = lambda: clock["now"]  # type: ignore[attr-defined]
    article = store.create(Article(headline="Overhead", body=""))  # type: ignore[attr-defined]
    body = " ".join(sentence(rng, 20) for _ in range(40))
    plain: list[float] = []
    revised: list[float] = []
    for n in range(saves):
        clock["now"] += timedelta(seconds=2)
        for reason, times in ((None, plain), (AUTOSAVE, revised)):
            text_now = f"{body} {n} {reason}"
            started = time.perf_counter()
            article = store.save(article.edited(body=text_now), reason=reason)  # type: ignore[attr-defined]
            times.append(1000 * (time.perf_counter() - started))
    return statistics.median(plain), statistics.median(revised)


def bench_export(url: str, articles: int, runs: int) -> dict[str, object]:
    rng = random.Random(11)
    store = open_store(url)
    if store.info().article_count != articles:
        if store.info().article_count:
            raise SystemExit(f"{url} holds other articles; use an empty store")
        batch = [
            Article(
                headline=f"Story {n} {sentence(rng, 6)}",
                body="\n\n".join(sentence(rng, 20) for _ in range(30)),
                status=Status.PUBLISHED,
                section=rng.choice(["UK", "World", "Business", "Sport"]),
                tags=tuple(rng.sample(WORDS, 3)),
            )
            for n in range(articles)
        ]
        store.create_many(batch)
    first: list[float] = []
    again: list[float] = []
    for _ in range(runs):
        with store._engine.begin() as conn:  # type: ignore[attr-defined]
            conn.execute(delete(RevisionRow))
        started = time.perf_counter()
        recorded = record_exports(store, statuses={Status.PUBLISHED})
        first.append(time.perf_counter() - started)
        assert recorded == articles, recorded
        started = time.perf_counter()
        assert record_exports(store, statuses={Status.PUBLISHED}) == 0
        again.append(time.perf_counter() - started)
    store.close()
    return {
        "articles": articles,
        "first export: median s": statistics.median(first),
        "first export: min/max s": (min(first), max(first)),
        "export again: median s": statistics.median(again),
        "export again: min/max s": (min(again), max(again)),
        "runs": runs,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["day", "export"])
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-url", help="an empty PostgreSQL database (never newsdesk_test)")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between autosaves")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.engine == "postgresql":
        if not args.pg_url or args.pg_url.rstrip("/").endswith("newsdesk_test"):
            parser.error("--pg-url must name a database of your own")
        url = args.pg_url
        engine = __import__("sqlalchemy").create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    else:
        url = str(Path(tempfile.mkdtemp(prefix="history-bench-")) / "store.db")
    if args.what == "day":
        result = bench_day(url, args.interval)
    else:
        result = bench_export(url, args.articles, args.runs)
    json.dump({"engine": args.engine, **result}, sys.stdout, indent=2, default=str)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
