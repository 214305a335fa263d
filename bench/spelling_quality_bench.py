"""Spelling quality: precision and recall of flagged words on the labelled set, per language.

    .venv/bin/python bench/spelling_quality_bench.py

The set (tests/data/spelling, described in its README) holds typos and tricky correct
words: names, hyphenation, the other variety's spellings, contractions, Markdown.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.spelling_eval import score  # noqa: E402

from newsdesk.core.checks.spelling import CachedDictionary, open_dictionary, spelling_problems  # noqa: E402


def main() -> None:
    for language in ("en-GB", "en-US"):
        dictionary = CachedDictionary(open_dictionary(language))
        result = score(
            language,
            lambda text, known, d=dictionary: [
                (p.start, p.end) for p in spelling_problems("body", text, d, known)
            ],
        )
        print(
            f"{language}: precision {result.precision:.3f}  recall {result.recall:.3f}  "
            f"({result.hits} of {result.marked} misspellings flagged, "
            f"{result.flagged - result.hits} false alarms)"
        )
        for line in result.false_alarms:
            print(f"  false alarm  {line}")
        for line in result.missed:
            print(f"  missed       {line}")


if __name__ == "__main__":
    main()
