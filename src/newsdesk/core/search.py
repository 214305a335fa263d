"""Search queries as the user types them: words, "quoted phrases" and -exclusions.

The store turns a parsed query into its engine's own syntax (FTS5 or tsquery); parsing
once here keeps both engines answering the same question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_TERMS = 32


@dataclass(frozen=True, slots=True)
class Term:
    """One search term: a word or a phrase (several words), maybe excluded."""

    words: tuple[str, ...]
    exclude: bool = False
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    terms: tuple[Term, ...]

    @property
    def positive(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.exclude)

    @property
    def is_empty(self) -> bool:
        return not self.positive

    def words(self) -> list[str]:
        """Every positive word, in order: the terms a search result is about."""
        return [w for t in self.positive for w in t.words]


def parse_query(text: str, *, prefix_last: bool = False) -> ParsedQuery:
    """Parse ``text``; with ``prefix_last`` the last bare word also matches as a prefix.

    Punctuation never reaches the engine: only runs of letters and digits survive, so no
    input can form an operator of FTS5 or tsquery syntax.
    """
    terms: list[Term] = []
    for match in _TOKEN.finditer(text):
        phrase_neg, phrase, word_neg, word = match.groups()
        if phrase is not None:
            words = tuple(w.lower() for w in _WORD.findall(phrase))
            if words:
                terms.append(Term(words, exclude=bool(phrase_neg)))
        elif word is not None:
            words = tuple(w.lower() for w in _WORD.findall(word))
            if len(words) == 1:
                terms.append(Term(words, exclude=bool(word_neg)))
            elif words:
                # "covid-19" or "o'neill": the engine splits them the same way; keep together.
                terms.append(Term(words, exclude=bool(word_neg)))
    terms = terms[:MAX_TERMS]
    if prefix_last and terms and not text.endswith((" ", '"')):
        last = terms[-1]
        if not last.exclude and len(last.words) == 1:
            terms[-1] = Term(last.words, prefix=True)
    return ParsedQuery(tuple(terms))
