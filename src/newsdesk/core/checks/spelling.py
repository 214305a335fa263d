"""Spelling: Hunspell dictionaries through Enchant, and the words of a text worth checking."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Collection, Iterator
from typing import Any, Protocol

from newsdesk.core.checks.checks import CheckKind, LineIndex, Problem
from newsdesk.core.checks.prose import mask
from newsdesk.core.errors import NewsdeskError

APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'"})
# A word: letters and digits, joined by apostrophes or hyphens ("don't", "well-being").
_TOKEN = re.compile(r"\w+(?:[-'\u2019\u02bc]\w+)*")
_NOT_A_WORD = re.compile(r"[\d_]")
PACKAGES = {"en_GB": "hunspell-en-gb", "en_US": "hunspell-en-us"}
"""The Debian package that carries each dictionary (others follow the same pattern)."""


class MissingDictionaryError(NewsdeskError):
    """No spelling dictionary for a language; says which package to install."""

    def __init__(self, message: str, *, language: str, package: str) -> None:
        super().__init__(message)
        self.language = language
        self.package = package


class Dictionary(Protocol):
    """A spelling dictionary: whether a word is right, and what it might have meant."""

    def check(self, word: str) -> bool: ...

    def suggest(self, word: str) -> list[str]: ...


def enchant_tag(language: str) -> str:
    """Enchant's name for a language tag: ``en-GB`` -> ``en_GB``."""
    base, _, region = language.strip().replace("_", "-").partition("-")
    return f"{base.lower()}_{region.upper()}" if region else base.lower()


def package_for(language: str) -> str:
    """The Debian package holding the Hunspell dictionary for ``language``."""
    tag = enchant_tag(language)
    return PACKAGES.get(tag, "hunspell-" + tag.lower().replace("_", "-"))


class EnchantDictionary:
    """A Hunspell dictionary opened through Enchant; safe to share between threads
    (Enchant is not thread-safe, so one lock guards every call)."""

    def __init__(self, handle: Any, language: str) -> None:
        self._handle = handle
        self._lock = threading.Lock()
        self.language = language
        self.provider = str(handle.provider.name)

    def check(self, word: str) -> bool:
        with self._lock:
            return bool(self._handle.check(word))

    def suggest(self, word: str) -> list[str]:
        with self._lock:
            return [str(s) for s in self._handle.suggest(word)]

    def close(self) -> None:
        """Free Enchant's dictionary now, on the calling thread (Hunspell takes 15-50 ms
        over its tables), whoever still holds this object; it must not be used after."""
        with self._lock:
            handle, self._handle = self._handle, None
        del handle  # the last reference: pyenchant frees the dictionary, then its broker


def open_dictionary(language: str) -> EnchantDictionary:
    """The Hunspell dictionary for ``language`` (``en-GB``, ``en-US``...).

    Raises ``MissingDictionaryError`` naming the package to install when Enchant or the
    dictionary is not on this computer.
    """
    tag = enchant_tag(language)
    package = package_for(language)
    try:
        import enchant  # type: ignore[import-untyped]
    except (ImportError, OSError):
        raise MissingDictionaryError(
            f"spelling is off: the Enchant library is not installed; install libenchant-2-2 "
            f"and {package} (Debian, Ubuntu: sudo apt install libenchant-2-2 {package})",
            language=language,
            package="libenchant-2-2",
        ) from None
    broker = enchant.Broker()
    # Debian's enchant.ordering puts Aspell first for English, and '*' does not override
    # a per-language line (CHECKS.md): ask for Hunspell by name, tag by tag.
    broker.set_ordering(tag, "hunspell")
    try:
        handle = broker.request_dict(tag)
    except enchant.errors.Error:
        handle = None
    if handle is None or handle.provider.name != "hunspell":
        raise MissingDictionaryError(
            f"spelling is off: there is no {language} Hunspell dictionary; install "
            f"{package} (Debian, Ubuntu: sudo apt install {package})",
            language=language,
            package=package,
        )
    return EnchantDictionary(handle, language)


class CachedDictionary:
    """A dictionary whose answers are remembered (0.4 µs a word instead of 6-7 µs)."""

    def __init__(self, dictionary: Dictionary) -> None:
        self.dictionary = dictionary
        self._checked: dict[str, bool] = {}
        self._suggested: dict[str, list[str]] = {}

    def check(self, word: str) -> bool:
        known = self._checked.get(word)
        if known is None:
            known = self._checked[word] = self.dictionary.check(word)
        return known

    def suggest(self, word: str) -> list[str]:
        found = self._suggested.get(word)
        if found is None:
            found = self._suggested[word] = self.dictionary.suggest(word)
        return list(found)

    def clear(self) -> None:
        self._checked.clear()
        self._suggested.clear()


def words_to_check(text: str, *, masked: str | None = None) -> Iterator[tuple[int, int, str]]:
    """``(start, end, word)`` for each word of ``text`` worth checking: Markdown syntax,
    code, links, web and e-mail addresses and ``media:KEY`` are skipped, and so are
    numbers, words with digits or underscores, single letters and all-capital words
    (NHS, BBC). Curly apostrophes are straightened in ``word``; hyphenated words come
    whole ("well-being"). ``masked`` is ``prose.mask(text)`` when the caller has it."""
    masked = mask(text) if masked is None else masked
    for match in _TOKEN.finditer(masked):
        word = match.group(0)
        if _worth_checking(word):
            yield match.start(), match.end(), word.translate(APOSTROPHES)


def _worth_checking(word: str) -> bool:
    """Not a single letter, nor holding digits or underscores, nor all capitals (NHS)."""
    return len(word) > 1 and not _NOT_A_WORD.search(word) and not word.isupper()


def spelling_problems(
    field: str,
    text: str,
    dictionary: Dictionary,
    known: Collection[str] = (),
    *,
    suggest: bool = False,
    max_suggestions: int = 5,
    masked: str | None = None,
) -> list[Problem]:
    """The misspelt words of ``field``'s ``text``. Words in ``known`` (as written, or
    capitalised at the start of a sentence) are right. Suggestions cost 35-60 ms a word,
    so they are looked up only with ``suggest`` (the window asks when its menu opens)."""
    masked = mask(text) if masked is None else masked
    # Each distinct word is judged once (a story uses a few hundred), and the text is walked
    # word by word only when one is wrong: most fields have no mistake at all.
    wrong = {
        token
        for token in set(_TOKEN.findall(masked))
        if _worth_checking(token)
        and any(
            True
            for _ in _wrong_parts(0, len(token), token.translate(APOSTROPHES), dictionary, known)
        )
    }
    if not wrong:
        return []
    problems = []
    where = LineIndex(text)
    # Only the wrong words' places are looked for (longest first, so "well-knwon" is found
    # whole): our own pattern of escaped words, safe for the standard engine.
    alternatives = "|".join(re.escape(w) for w in sorted(wrong, key=len, reverse=True))
    places = re.compile(rf"(?<![\w'\u2019\u02bc-])(?:{alternatives})(?![\w'\u2019\u02bc-])")
    for match in places.finditer(masked):
        start, end = match.span()
        word = match.group(0).translate(APOSTROPHES)
        for part_start, part_end, part in _wrong_parts(start, end, word, dictionary, known):
            line, column = where(part_start)
            options = tuple(dictionary.suggest(part)[:max_suggestions]) if suggest else ()
            problems.append(
                Problem(
                    CheckKind.SPELLING,
                    field,
                    part_start,
                    part_end,
                    line,
                    column,
                    "spelling",
                    f"'{text[part_start:part_end]}' is not in the dictionary: correct it, or "
                    "add it to a dictionary if it is right",
                    options,
                )
            )
    return problems


def _wrong_parts(
    start: int, end: int, word: str, dictionary: Dictionary, known: Collection[str]
) -> Iterator[tuple[int, int, str]]:
    """The misspelt parts of one word: the whole word when it is one, else each part of a
    hyphenated word that is wrong alone ("well-knwon" flags "knwon")."""
    if is_known(word, dictionary, known):
        return
    if "-" not in word:
        yield start, end, word
        return
    at = start
    for part in word.split("-"):
        if len(part) > 1 and not part.isupper() and not is_known(part, dictionary, known):
            yield at, at + len(part), part
        at += len(part) + 1


def is_known(word: str, dictionary: Dictionary, known: Collection[str] = ()) -> bool:
    """Whether ``word`` is spelt right: in ``known`` (a name added "Starmer" is right as
    "Starmer" and "Starmer's", not as "starmer"), or in the dictionary."""
    base = word[:-2] if word.endswith("'s") else word
    for candidate in {word, base}:
        if candidate in known or (
            candidate[:1].isupper() and candidate[:1].lower() + candidate[1:] in known
        ):
            return True
    if dictionary.check(word) or (base != word and dictionary.check(base)):
        return True
    # en-US lacks "café" and "naïve" but knows "cafe" and "naive": accept the accented form.
    plain = _without_accents(word)
    return plain != word and dictionary.check(plain)


def _without_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


MAX_DICTIONARY_WORD = 100  # the store's newsroom_word.word column is as long


def dictionary_word(word: str) -> str:
    """``word`` as a dictionary keeps it (apostrophes straightened, no spaces, at most
    ``MAX_DICTIONARY_WORD`` characters), or ``ValidationError`` saying why it cannot be one."""
    from newsdesk.core.errors import ValidationError

    cleaned = word.strip().translate(APOSTROPHES)
    if not cleaned:
        raise ValidationError("the word to add is empty")
    if any(c.isspace() for c in cleaned):
        raise ValidationError(f"{cleaned!r} is more than one word; add each word alone")
    if len(cleaned) > MAX_DICTIONARY_WORD:
        raise ValidationError(
            f"{cleaned[:40]!r}... is too long: a dictionary word has at most "
            f"{MAX_DICTIONARY_WORD} characters"
        )
    return cleaned
