"""One object that checks a story's copy: spelling and house style, for window and CLI."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import replace

import regex

from newsdesk.core.checks.checks import Problem, ordered
from newsdesk.core.checks.house_style import Style, style_problems
from newsdesk.core.checks.prose import mask
from newsdesk.core.checks.spelling import (
    CachedDictionary,
    Dictionary,
    MissingDictionaryError,
    open_dictionary,
    spelling_problems,
)
from newsdesk.core.models import Article

CHECKED_FIELDS = (
    "headline",
    "kicker",
    "standfirst",
    "body",
    "image.caption",
    "image.alt",
    "audio.caption",
    "seo_title",
    "seo_description",
)
"""The fields whose words are checked, in reading order."""
_NAME = regex.compile(r"\p{L}[\p{L}\p{M}'’-]*")


def field_texts(article: Article) -> Iterator[tuple[str, str]]:
    """``(field, text)`` of each checked field of ``article`` that has text."""
    for name in CHECKED_FIELDS:
        owner, _, part = name.partition(".")
        value = getattr(article, owner)
        if part:
            value = getattr(value, part) if value is not None else ""
        if value:
            yield name, str(value)


def names_of(article: Article) -> set[str]:
    """The words of the story's tags, byline and authors: names it already uses, which
    count as known (a story tagged "Keir Starmer" may spell Starmer)."""
    sources = [*article.tags, article.byline, *article.authors]
    return {word for source in sources for word in _NAME.findall(source)}


class ArticleChecker:
    """Spelling (one language's dictionary, with known and ignored words) and house style.

    Without a dictionary for the language, spelling is off and ``missing`` says which
    package to install; house style still runs.

    Use one checker from one thread at a time (the window's checking worker): the
    dictionary inside is locked, its word cache is not. Offsets are Python's (code points);
    Qt counts UTF-16 units, so an emoji before a word moves it by one there.
    """

    def __init__(
        self,
        language: str,
        style: Style | None,
        known_words: Collection[str] = (),
        dictionary: Dictionary | None = None,
        *,
        suggest: bool = False,
    ) -> None:
        self.language = language
        self.style = style
        self.suggest = suggest
        self.missing: MissingDictionaryError | None = None
        if dictionary is None:
            try:
                dictionary = open_dictionary(language)
            except MissingDictionaryError as exc:
                self.missing = exc
        self.dictionary = CachedDictionary(dictionary) if dictionary is not None else None
        self.known: set[str] = set(known_words)
        self.ignored: set[str] = set()

    def ignore(self, word: str) -> None:
        """Accept ``word`` from now on (an article's "Ignore in this article")."""
        self.ignored.add(word)

    def add_known(self, word: str) -> None:
        """Accept ``word`` from now on (added to a dictionary)."""
        self.known.add(word)

    def forget(self, word: str) -> None:
        """Stop accepting ``word`` (taken out of a dictionary, or no longer ignored)."""
        self.known.discard(word)
        self.ignored.discard(word)

    def suggestions(self, word: str) -> list[str]:
        """Replacements for a misspelt ``word``, best first (35-60 ms: ask on demand)."""
        return self.dictionary.suggest(word) if self.dictionary is not None else []

    def check_field(
        self, field: str, text: str, *, article: Article | None = None
    ) -> list[Problem]:
        """Spelling and style problems of one field's text, in order (names in
        ``article``'s tags and byline count as known)."""
        known = self.known | self.ignored
        if article is not None:
            known |= names_of(article)
        found = []
        masked = mask(text)  # once for both checks
        if self.dictionary is not None:
            found = spelling_problems(
                field, text, self.dictionary, known, suggest=self.suggest, masked=masked
            )
        if self.style is not None:
            found.extend(
                self._keep_names(p, text, known)
                for p in style_problems(field, text, self.style, masked=masked)
            )
        return ordered(found)

    def _keep_names(self, problem: Problem, text: str, known: Collection[str]) -> Problem:
        """A case fix ("Write headings in sentence case") that leaves names capitalised:
        words the dictionary knows only with a capital, or known names."""
        original = text[problem.start : problem.end]
        fixes = [s for s in problem.suggestions if s.lower() == original.lower() and s != original]
        if not fixes or self.dictionary is None:
            return problem
        kept = []
        for fix in problem.suggestions:
            named = _NAME.sub(lambda m: self._case_of(m, original, known), fix)
            kept.append(named if fix in fixes else fix)
        return replace(problem, suggestions=tuple(kept))

    def _case_of(self, match: regex.Match[str], original: str, known: Collection[str]) -> str:
        was = original[match.start() : match.end()]
        word = match.group(0)
        if was == word or not was[:1].isupper() or self.dictionary is None:
            return word
        is_name = was in known or not self.dictionary.check(was.lower())
        return was if is_name else word

    def check_paragraph(
        self,
        field: str,
        text: str,
        offset: int,
        *,
        full_text: str | None = None,
        article: Article | None = None,
    ) -> list[Problem]:
        """Problems of one paragraph that starts at ``offset`` in the field, with offsets
        into the field. Lines and columns count in ``full_text`` when given (else in the
        paragraph)."""
        found = self.check_field(field, text, article=article)
        if full_text is None:
            return [_moved(p, offset) for p in found]
        return [p.shifted(offset, full_text) for p in found]

    def check_article(self, article: Article) -> list[Problem]:
        """Every checked field of ``article``, in reading order."""
        found = []
        for field, text in field_texts(article):
            found.extend(self.check_field(field, text, article=article))
        return found


def _moved(problem: Problem, offset: int) -> Problem:
    return replace(problem, start=problem.start + offset, end=problem.end + offset)
