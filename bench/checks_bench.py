"""Copy checks: a 5,000-word story checked whole, one paragraph re-checked, and
``newsdesk check --all`` over 10,000 stories.

    .venv/bin/python bench/checks_bench.py [--articles 10000] [--words 600] [--skip-all]

Targets (issue 14): the whole story in under 50 ms, so a keystroke's paragraph re-check is
far below a frame, and the whole archive in under 60 s on both cores. Text comes from
bench/corpus.py with one word in 150 mistyped (two letters swapped) and the shipped British
house style on.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench import corpus  # noqa: E402
from bench._util import timed as wall_timed  # noqa: E402

from newsdesk.core.checks.checker import ArticleChecker  # noqa: E402
from newsdesk.core.checks.house_style import default_style  # noqa: E402
from newsdesk.core.checks.prose import blocks, mask  # noqa: E402
from newsdesk.core.models import Article  # noqa: E402

TYPO_RATE = 1 / 150
_DOUBLED = re.compile(r"\b(\w+) \1\b", re.IGNORECASE)


def with_typos(rng: random.Random, text: str) -> str:
    """``text`` with one word in 150 mistyped, and without the generator's doubled words
    ("the the": one in ten words, where real copy has hardly any)."""
    while (undoubled := _DOUBLED.sub(r"\1", text)) != text:
        text = undoubled
    words = text.split(" ")
    for i, word in enumerate(words):
        if len(word) > 4 and word.isalpha() and rng.random() < TYPO_RATE:
            at = rng.randrange(1, len(word) - 2)
            words[i] = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return " ".join(words)


def story(rng: random.Random, index: int, words: int) -> Article:
    article = corpus.article(rng, index, words)
    body = with_typos(rng, article.body)
    while len(body.split()) < words:  # undoubling took some words out
        body += "\n" + with_typos(rng, corpus.body(rng, words - len(body.split())))
    return article.edited(body=body)


def single_story(words: int) -> None:
    rng = random.Random(14)
    article = story(rng, 1, words)
    style = default_style()
    print(f"Story: {article.word_count:,} words, {len(article.body):,} characters")
    checker = ArticleChecker("en-GB", style)
    started = time.perf_counter()
    problems = checker.check_article(article)
    cold = (time.perf_counter() - started) * 1000
    print(
        f"  whole story, first check (words not yet cached): {cold:.1f} ms, {len(problems)} problems"
    )
    print(
        f"  whole story, again (words cached):      {timed(20, lambda _: checker.check_article(article))}"
    )
    spelling_only = ArticleChecker("en-GB", None, dictionary=checker.dictionary)
    style_only = ArticleChecker("en-GB", style, dictionary=_AllKnown())
    print(
        f"    spelling alone:                       {timed(20, lambda _: spelling_only.check_article(article))}"
    )
    print(
        f"    house style alone ({len(style.rules)} rules):         {timed(20, lambda _: style_only.check_article(article))}"
    )
    masked = mask(article.body)
    middle = list(blocks(masked))[len(list(blocks(masked))) // 2]
    paragraph = article.body[middle.start : middle.end]
    print(
        f"  one paragraph re-check ({len(paragraph.split())} words):   "
        f"{timed(200, lambda _: checker.check_paragraph('body', paragraph, middle.start, full_text=article.body))}"
    )
    typed = [
        paragraph[: len(paragraph) // 2] + "x" * n + paragraph[len(paragraph) // 2 :]
        for n in range(1, 201)
    ]
    print(
        "  one paragraph, a new word each time:   "
        f"{timed(200, lambda run: checker.check_paragraph('body', typed[run], middle.start))}"
    )


def timed(runs: int, case: Callable[[int], object]) -> str:
    """Wall time, and the CPU time this process used: on a shared machine (load above the
    number of cores) the wall time includes waiting for a core, the CPU time does not."""
    cpu = []
    for run in range(runs):
        started = time.process_time()
        case(run)
        cpu.append((time.process_time() - started) * 1000)
    return f"{wall_timed(runs, case)}; CPU median {statistics.median(cpu):.1f} ms"


class _AllKnown:
    def check(self, word: str) -> bool:
        return True

    def suggest(self, word: str) -> list[str]:
        return []


def whole_archive(count: int, words: int, keep: Path | None) -> None:
    from newsdesk.store import open_store

    with tempfile.TemporaryDirectory() as folder:
        db = str(keep or Path(folder) / "store.db")
        store = open_store(db)
        if store.info().article_count != count:  # a kept archive is made once
            if store.info().article_count:
                raise SystemExit(f"{db} holds another archive; remove it first")
            rng = random.Random(7)
            started = time.perf_counter()
            for start in range(0, count, 500):
                chunk = [story(rng, i, words) for i in range(start, min(count, start + 500))]
                store.create_many(chunk)
            print(f"Archive made in {time.perf_counter() - started:.0f} s")
        store.close()
        print(f"Archive: {count:,} stories of {words} words")
        command = [str(Path(sys.executable).parent / "newsdesk"), "--db", db, "check", "--all"]
        for extra in ([], ["--json"]):
            started = time.perf_counter()
            before = os.times()
            done = subprocess.run(command + extra, capture_output=True, text=True, check=False)
            took = time.perf_counter() - started
            after = os.times()
            cpu = after.children_user - before.children_user
            cpu += after.children_system - before.children_system
            lines = done.stdout.count("\n")
            print(
                f"  newsdesk check --all {' '.join(extra)}: {took:.1f} s on {os.cpu_count()} "
                f"cores, {cpu:.1f} s of CPU in all its processes, load average "
                f"{os.getloadavg()[0]:.1f} (exit {done.returncode}, {lines:,} lines of output)"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--archive-words", type=int, default=600)
    parser.add_argument("--skip-all", action="store_true")
    parser.add_argument("--keep", type=Path, help="keep the archive in this store file")
    args = parser.parse_args()
    single_story(args.words)
    if not args.skip_all:
        whole_archive(args.articles, args.archive_words, args.keep)


if __name__ == "__main__":
    main()
