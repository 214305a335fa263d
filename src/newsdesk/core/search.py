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
MIN_PREFIX = 3
# English stop words (PostgreSQL's 'english' configuration drops the same ones): a search
# for "the" would match every article and tell the reader nothing.
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can did do does doing don down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is
    it its itself just me more most my myself no nor not now of off on once only or other our
    ours ourselves out over own s same she should so some such t than that the their theirs
    them themselves then there these they this those through to too under until up very was
    we were what when where which while who whom why will with you your yours yourself
    yourselves""".split()
)


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
    terms = [t for t in terms if len(t.words) > 1 or t.words[0] not in STOP_WORDS][:MAX_TERMS]
    if prefix_last and terms and not text.endswith((" ", '"')):
        last = terms[-1]
        # One or two letters would match half the archive: a prefix from the third on.
        if not last.exclude and len(last.words) == 1 and len(last.words[0]) >= MIN_PREFIX:
            terms[-1] = Term(last.words, prefix=True)
    return ParsedQuery(tuple(terms))
