"""Words reduced to their stems the way the search index does: "flooding" -> "flood".

The SQLite store indexes with FTS5's ``porter`` tokenizer, which implements M. F. Porter's
1980 algorithm ("An algorithm for suffix stripping", Program 14(3)). :func:`stem` follows
the same algorithm with FTS5's own choices, so that a stem computed here is the term FTS5
stores: tokens under three or over 64 bytes are left alone, ``y`` is a vowel after a
consonant, and each step tries only the longest suffix that ends the word (tests check
this against SQLite itself). PostgreSQL's ``english`` configuration uses Porter's later
"Porter2" stemmer, which agrees on nearly every common word; the store asks PostgreSQL for
its own lexemes where exactness matters.

:func:`fold` removes diacritics and case as both indexes do ("Hélène" -> "helene").
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

MIN_BYTES = 3
MAX_BYTES = 64
_VOWELS = frozenset("aeiou")

# Steps 2 to 4: (suffix, replacement), longest first where one suffix ends another. Only
# the first suffix that ends the word is tried; its condition decides alone.
_STEP2 = (
    ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"),
    ("izer", "ize"), ("logi", "log"), ("bli", "ble"), ("alli", "al"), ("entli", "ent"),
    ("eli", "e"), ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"), ("ator", "ate"),
    ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"),
    ("aliti", "al"), ("iviti", "ive"), ("biliti", "ble"),
)  # fmt: skip
_STEP3 = (
    ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"),
    ("ful", ""), ("ness", ""),
)  # fmt: skip
_STEP4 = (
    "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion",
    "ou", "ism", "ate", "iti", "ous", "ive", "ize",
)  # fmt: skip


def _by_last_two(rules: tuple[tuple[str, str], ...]) -> dict[str, tuple[tuple[str, str], ...]]:
    """Rules grouped by the suffix's last-but-one letter, as the index groups them: a word
    is checked against the rules of its own last-but-one letter only."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for suffix, replacement in rules:
        groups.setdefault(suffix[-2], []).append((suffix, replacement))
    return {key: tuple(sorted(g, key=lambda r: -len(r[0]))) for key, g in groups.items()}


_STEP2_RULES = _by_last_two(_STEP2)
_STEP3_RULES = _by_last_two(_STEP3)
_STEP4_RULES = _by_last_two(tuple((s, "") for s in _STEP4))


def fold(text: str) -> str:
    """``text`` in lower case without diacritics (what both indexes compare)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def _is_consonant_seq(word: str) -> list[bool]:
    """For each letter, whether it is a consonant (``y`` is a vowel after a consonant)."""
    flags: list[bool] = []
    previous_consonant = False
    for char in word:
        if char in _VOWELS:
            consonant = False
        elif char == "y":
            consonant = not previous_consonant
        else:
            consonant = True
        flags.append(consonant)
        previous_consonant = consonant
    return flags


def _measure(stem: str) -> int:
    """Porter's *m*: how many vowel-consonant sequences follow the leading consonants."""
    m = 0
    seen_vowel = False
    for consonant in _is_consonant_seq(stem):
        if not consonant:
            seen_vowel = True
        elif seen_vowel:
            m += 1
            seen_vowel = False
    return m


def _has_vowel(stem: str) -> bool:
    # As FTS5 checks it: any a, e, i, o, u, or a y that is not the first letter.
    return any(c in _VOWELS or (c == "y" and i > 0) for i, c in enumerate(stem))


def _ends_cvc(stem: str) -> bool:
    """Porter's *o: consonant, vowel, consonant at the end, the last not w, x or y."""
    if not stem or stem[-1] in "wxy":
        return False
    flags = _is_consonant_seq(stem)
    return len(flags) >= 3 and flags[-3] and not flags[-2] and flags[-1]


def _step1(word: str) -> str:
    if word.endswith("s"):
        if word.endswith("es"):
            if (len(word) > 4 and word.endswith("sses")) or (len(word) > 3 and word[-3] == "i"):
                word = word[:-2]
            else:
                word = word[:-1]
        elif not word.endswith("ss"):
            word = word[:-1]
    removed = False
    # A suffix is only ever stripped from a longer word: "eed" alone loses its "ed".
    if len(word) > 3 and word.endswith("eed"):
        if _measure(word[:-3]) > 0:
            word = word[:-1]
    elif word.endswith("ed") and _has_vowel(word[:-2]):
        word, removed = word[:-2], True
    elif word.endswith("ing") and _has_vowel(word[:-3]):
        word, removed = word[:-3], True
    if removed:
        if len(word) > 2 and word[-2:] in ("at", "bl", "iz"):
            word += "e"
        elif (
            len(word) >= 2
            and word[-1] not in _VOWELS
            and word[-1] not in "lsz"
            and word[-1] == word[-2]
        ):
            word = word[:-1]
        elif _measure(word) == 1 and _ends_cvc(word):
            word += "e"
    if word.endswith("y") and _has_vowel(word[:-1]):
        word = word[:-1] + "i"
    return word


def _apply(word: str, rules: dict[str, tuple[tuple[str, str], ...]], minimum: int) -> str:
    if len(word) < 2:
        return word
    for suffix, replacement in rules.get(word[-2], ()):
        if len(word) > len(suffix) and word.endswith(suffix):
            stem = word[: -len(suffix)]
            if _measure(stem) > minimum and (suffix != "ion" or stem[-1] in "st"):
                return stem + replacement
            return word
    return word


def _step5(word: str) -> str:
    if word.endswith("e"):
        stem = word[:-1]
        m = _measure(stem)
        if m > 1 or (m == 1 and not _ends_cvc(stem)):
            word = stem
    if len(word) > 1 and word.endswith("ll") and _measure(word[:-1]) > 1:
        word = word[:-1]
    return word


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Porter stem of one folded word, as FTS5's ``porter`` tokenizer computes it."""
    size = len(word.encode("utf-8"))
    if size < MIN_BYTES or size > MAX_BYTES:
        return word
    # The index stems UTF-8 bytes; one character per byte keeps its letter arithmetic.
    latin = word.encode("utf-8").decode("latin-1")
    result = _step5(
        _apply(_apply(_apply(_step1(latin), _STEP2_RULES, 0), _STEP3_RULES, 0), _STEP4_RULES, 1)
    )
    return result.encode("latin-1").decode("utf-8")
