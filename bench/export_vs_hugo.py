"""Newsdesk's site export against Debian's Hugo on the same generated corpus.

    python bench/export_vs_hugo.py [--articles 10000] [--words 1000] [--workdir DIR]
                                   [--rounds 3] [--workers N]

Builds a SQLite store of N articles, then measures, each in its own process (wall time and
peak memory of the whole process tree, workers included):

* Newsdesk cold, once, and Hugo right after it: no body rendered yet (every body goes
  through Markdown and the sanitizer);
* then ``--rounds`` rounds, so that each ratio compares runs made seconds apart on a
  machine others share:
  * Newsdesk warm: bodies already in the store's render cache (the usual case), the full
    site into an empty folder;
  * Hugo: ``hugo`` building the same articles from Newsdesk's Markdown export with the
    minimal layout in ``bench/hugo`` (same fields on the page), into an empty folder;
  * Newsdesk after one change: one article (of 2025, edited now) changed in a copy of the
    store, exported again into the warm run's folder.

Export times are those of the ``export()`` call; Hugo's is its whole process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORDS = [
    "the",
    "council",
    "said",
    "on",
    "tuesday",
    "that",
    "around",
    "1,100",
    "homes",
    "would",
    "be",
    "affected",
    "by",
    "the",
    "plan",
    "according",
    "to",
    "officials",
    "who",
    "spoke",
    "after",
    "a",
    "meeting",
    "in",
    "the",
    "town",
    "hall",
    "where",
    "residents",
    "gathered",
    "to",
    "hear",
    "what",
    "the",
    "minister",
    "had",
    "promised",
    "at",
    "least",
    "100",
    "families",
    "were",
    "told",
    "to",
    "expect",
    "delays",
    "while",
    "upwards",
    "of",
    "3,000",
    "commuters",
    "use",
    "the",
    "line",
    "each",
    "day",
    "a",
    "spokesperson",
    "for",
    "the",
    "operator",
    "said",
    "the",
    "figures",
    "were",
    "under",
    "review",
    "and",
    "that",
    "a",
    "report",
    "would",
    "follow",
    "next",
    "month",
    "critics",
    "argued",
    "the",
    "budget",
    "was",
    "too",
    "small",
    "and",
    "the",
    "timetable",
    "too",
    "short",
]
SECTIONS = ["UK News", "World", "Business", "Politics", "Science", "Culture", "Sport", "Opinion"]
TAGS = ["housing", "transport", "budget", "health", "schools", "climate", "courts", "energy"]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def body(rng: random.Random, words: int) -> str:
    paragraphs: list[str] = []
    count = 0
    while count < words:
        roll = rng.random()
        if roll < 0.06:
            paragraphs.append("## " + sentence(rng, 5)[:-1])
        elif roll < 0.1:
            paragraphs.append("\n".join(f"- {sentence(rng, 8)}" for _ in range(3)))
            count += 24
        elif roll < 0.14:
            paragraphs.append(f'> "{sentence(rng, 20)}" said {rng.choice(["Ms", "Mr"])} Hale.')
            count += 24
        else:
            n = rng.randint(35, 60)
            paragraphs.append(sentence(rng, n // 2) + " " + sentence(rng, n - n // 2))
            count += n
    return "\n\n".join(paragraphs)


def build_store(url: str, articles: int, words: int, seed: int = 7) -> None:
    from newsdesk.core.models import Article, RelatedLink, Status
    from newsdesk.store import open_store

    rng = random.Random(seed)
    base = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)
    uris = [f"urn:newsdesk:article:bench-{i:06d}" for i in range(articles)]
    batch = []
    for i in range(articles):
        when = base + timedelta(minutes=37 * i)
        related = tuple(
            RelatedLink(title="x", target_uri=uris[j])
            for j in sorted({rng.randrange(articles) for _ in range(4)})
            if j != i
        )
        batch.append(
            Article(
                headline=f"{sentence(rng, 9)[:-1]} ({i})",
                uri=uris[i],
                status=Status.PUBLISHED,
                kicker=rng.choice(TAGS).capitalize(),
                standfirst=sentence(rng, 28),
                slug=f"story-{i:06d}",
                byline=rng.choice(["Helen Park", "Dan Ruiz", "Amira Haddad", "Tom Reyes"]),
                dateline=rng.choice(["London", "Leeds", "Cardiff", "Glasgow"]),
                section=SECTIONS[i % len(SECTIONS)],
                tags=tuple(rng.sample(TAGS, 2)),
                body=body(rng, words),
                created_at=when,
                updated_at=when + timedelta(hours=1),
                first_published_at=when,
                display_date=when,
                related=related,
            )
        )
    store = open_store(url)
    for start in range(0, len(batch), 1000):
        store.create_many(batch[start : start + 1000])
    store.close()


# -- one measured phase per process ------------------------------------------------------


def phase(args: argparse.Namespace) -> None:
    from newsdesk.publish.exporting.export import export
    from newsdesk.store import open_store

    store = open_store(args.url)
    if args.phase == "markdown":
        export(store, args.out, formats="markdown")
        return
    if args.phase == "change":
        article = store.get_by_slug("story-000005")
        store.save(article.edited(headline=article.headline + " (updated)"))
    started = time.perf_counter()
    report = export(store, args.out, formats="site", workers=args.workers)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "rendered": report.rendered,
                      "cold": report.cold_renders, "written": len(report.written)}))  # fmt: skip
    store.close()


def tree_rss(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in bytes (Linux /proc)."""
    total = 0
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    todo = [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            continue
    return total


def measured(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Wall time, peak tree RSS and stdout of ``command``."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss(process.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = process.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"{command[0]} failed with {process.returncode}")
    return seconds, peak, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=1_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/newsdesk-bench-export"))
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=3, help="warm/Hugo/change rounds")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        phase(args)
        return 0
    hugo = shutil.which("hugo")
    if hugo is None:
        raise SystemExit("hugo is not installed (apt-get install hugo)")
    work: Path = args.workdir
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    db = work / "bench.db"
    started = time.perf_counter()
    build_store(f"sqlite:///{db}", args.articles, args.words)
    print(f"corpus: {args.articles:,} articles of about {args.words:,} words "
          f"({time.perf_counter() - started:.1f} s to build)")  # fmt: skip
    me = [sys.executable, str(Path(__file__).resolve())]
    if args.workers:
        me += ["--workers", str(args.workers)]

    def newsdesk(name: str, url: str, out: Path) -> tuple[float, int]:
        load = os.getloadavg()[0]
        seconds, peak, text = measured([*me, "--url", url, "--phase", name, "--out", str(out)])
        info = json.loads(text.strip().splitlines()[-1])
        print(f"newsdesk {name:6}: {info['seconds']:7.2f} s export ({seconds:.2f} s with start-up)"
              f", peak {peak / 2**20:4.0f} MB, {info['rendered']} rendered "
              f"({info['cold']} bodies cold), {info['written']} files written, "
              f"load {load:.1f}")  # fmt: skip
        return info["seconds"], peak

    # Hugo's input first (Newsdesk's Markdown export, from a copy of the store: it caches
    # the bodies it renders), then cold once with a Hugo run right after it, then rounds of
    # warm, Hugo and one change, so that each ratio compares runs made seconds apart on a
    # machine others share.
    shutil.copyfile(db, work / "markdown.db")
    markdown_url = f"sqlite:///{work / 'markdown.db'}"
    measured([*me, "--url", markdown_url, "--phase", "markdown", "--out", str(work / "md")])
    site = work / "hugo-site"
    shutil.copytree(HERE / "hugo", site)
    shutil.copytree(work / "md" / "markdown", site / "content")
    hugo_cmd = [hugo, "--quiet", "--source", str(site), "--destination", str(site / "public")]

    def hugo_run() -> float:
        shutil.rmtree(site / "public", ignore_errors=True)
        load = os.getloadavg()[0]
        seconds, peak, _ = measured(hugo_cmd)
        print(f"hugo          : {seconds:7.2f} s, peak {peak / 2**20:4.0f} MB, load {load:.1f}")
        return seconds

    cold, cold_peak = newsdesk("cold", f"sqlite:///{db}", work / "site-cold")
    cold_ratio = cold / hugo_run()
    print(f"ratio to hugo: cold {cold_ratio:.2f}x")
    rounds: list[tuple[float, float, float]] = []  # (warm, hugo, change) seconds
    peaks = [cold_peak]
    for number in range(1, args.rounds + 1):
        print(f"round {number}")
        shutil.rmtree(work / "site-warm", ignore_errors=True)
        warm, peak = newsdesk("warm", f"sqlite:///{db}", work / "site-warm")
        peaks.append(peak)
        hugo_s = hugo_run()
        # One article edited in a copy of the store, exported into the warm run's folder.
        shutil.copyfile(db, work / "change.db")
        change, peak = newsdesk("change", f"sqlite:///{work / 'change.db'}", work / "site-warm")
        peaks.append(peak)
        rounds.append((warm, hugo_s, change))
        print(f"ratio to hugo: warm {warm / hugo_s:.2f}x")
    warm_ratios = [w / h for w, h, _ in rounds]
    hugo_times = [h for _, h, _ in rounds]
    changes = [c for _, _, c in rounds]
    print(f"median of {len(rounds)} round(s): hugo {statistics.median(hugo_times):.2f} s "
          f"({min(hugo_times):.2f}-{max(hugo_times):.2f}); warm {statistics.median(warm_ratios):.2f}x "
          f"({min(warm_ratios):.2f}-{max(warm_ratios):.2f}); one change "
          f"{statistics.median(changes):.2f} s ({min(changes):.2f}-{max(changes):.2f}); "
          f"cold {cold:.2f} s = {cold_ratio:.2f}x the Hugo run after it; "
          f"peak memory {max(peaks) / 2**20:.0f} MB")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
