"""Same story, two headlines: precision and recall of the near-duplicate rule.

    python bench/same_story_bench.py            # every split, the rule as shipped
    python bench/same_story_bench.py --misses   # and every pair it gets wrong

The labelled pairs are tests/data/related/same_story.txt's (read by tests/related_sets.py):
every two stories of one event are the same story; every two stories of different events
of one family are not (the hard cases: two strikes, a Fed that holds and one that cuts);
a fixed sample across families is not either (easy). "dev" is what the rule was built on;
"held-out-1" was scored once, then its misses were read; "held-out-2" was written after
the rule's last change and scored once.

Besides the rule (``same_story``) it scores the same rule on headlines alone (as two
pasted web links), the rule it replaced (a share of shared headline words, 0.6), and
rapidfuzz's token-set ratio on the same spelled-out words when rapidfuzz is installed.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.related_sets import Pair, Story, same_story_pairs  # noqa: E402

from newsdesk.core.related.same_story import (  # noqa: E402
    SAME_STORY_SCORE,
    StoryText,
    features,
    same_story,
    signature,
)
from newsdesk.core.related.story_words import story_words  # noqa: E402
from newsdesk.core.search import STOP_WORDS  # noqa: E402

TARGET_PRECISION, TARGET_RECALL = 0.95, 0.9


def full(story: Story) -> StoryText:
    return StoryText(story.headline, story.standfirst, story.text)


def headline_only(pair: Pair) -> bool:
    return same_story(StoryText(pair.a.headline), StoryText(pair.b.headline))


def with_text(pair: Pair) -> bool:
    return same_story(full(pair.a), full(pair.b))


def old_rule(pair: Pair) -> bool:
    """The rule before issue 15 (core/related/links.py): 60 % of content words shared."""

    def words(title: str) -> set[str]:
        folded = unicodedata.normalize("NFKD", title.casefold())
        found = re.findall(r"\w+", "".join(c for c in folded if not unicodedata.combining(c)))
        return {w.rstrip("s") for w in found if w not in STOP_WORDS}

    a, b = words(pair.a.headline), words(pair.b.headline)
    if min(len(a), len(b)) < 3:
        return bool(a) and a == b
    return len(a & b) / len(a | b) >= 0.6


def fuzzy(pair: Pair) -> bool:
    from rapidfuzz import fuzz

    def spelled(story: Story) -> str:
        return " ".join(story_words(story.headline))

    return fuzz.token_set_ratio(spelled(pair.a), spelled(pair.b)) >= 80


def score(pairs: list[Pair], rule: Callable[[Pair], bool]) -> tuple[float, float, int, int]:
    said = [(rule(p), p.same) for p in pairs]
    true_pos = sum(s and y for s, y in said)
    false_pos = sum(s and not y for s, y in said)
    positives = sum(y for _, y in said)
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0
    return precision, true_pos / positives, false_pos, positives - true_pos


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="list the pairs it gets wrong")
    args = parser.parse_args()
    pairs = same_story_pairs()
    splits = sorted({p.split for p in pairs}, key=lambda s: (s != "dev", s))
    rules: dict[str, Callable[[Pair], bool]] = {
        "rule (headline, standfirst, text)": with_text,
        "rule on headlines alone": headline_only,
        "before issue 15 (shared words)": old_rule,
    }
    try:
        import rapidfuzz  # noqa: F401

        rules["rapidfuzz token_set_ratio >= 80"] = fuzzy
    except ImportError:
        pass
    print(f"Same-story rule, threshold {SAME_STORY_SCORE}; goal P >= {TARGET_PRECISION}, ", end="")
    print(f"R >= {TARGET_RECALL}")
    for split in splits:
        chosen = [p for p in pairs if p.split == split]
        kinds = Counter("same" if p.same else p.kind for p in chosen)
        print(
            f"\n{split}: {len(chosen)} pairs ({kinds['same']} same story, {kinds['hard']} "
            f"hard and {kinds['easy']} easy different)"
        )
        print(f"  {'':36} {'precision':>9} {'recall':>7} {'false +':>8} {'missed':>7}")
        for name, rule in rules.items():
            precision, recall, false_pos, missed = score(chosen, rule)
            print(f"  {name:36} {precision:9.3f} {recall:7.3f} {false_pos:8} {missed:7}")
        by_kind = Counter(p.kind for p in chosen if p.same)
        caught = Counter(p.kind for p in chosen if p.same and with_text(p))
        line = ", ".join(f"{k} {caught[k]}/{n}" for k, n in sorted(by_kind.items()))
        print(f"  found, by rewording: {line}")
        if args.misses:
            print_misses(chosen)
    return 0


def print_misses(pairs: list[Pair]) -> None:
    for pair in pairs:
        said = with_text(pair)
        if said == pair.same:
            continue
        measures = features(signature(full(pair.a)), signature(full(pair.b)))
        shown = " ".join(f"{k}={v:.2f}" for k, v in measures.items())
        label = "missed" if pair.same else "false +"
        print(f"    {label}: {pair.a.headline} || {pair.b.headline}\n      {shown}")


if __name__ == "__main__":
    raise SystemExit(main())
