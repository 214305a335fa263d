"""Typographic quotes and dashes for single-line fields (headline, kicker, standfirst)."""

from __future__ import annotations

import re
from functools import lru_cache

_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)|(?<=\s)'(?=\d\ds)|^'(?=\d\ds)")
_OPENS_AFTER = r"(^|[\s(\[{\u2014\u2013/-])"


# Left and right single, then double quotes, per language. English, British included,
# curls the quotes as typed: ‘single’ and “double”.
_QUOTES: dict[str, tuple[str, str, str, str]] = {
    "en": ("\u2018", "\u2019", "\u201c", "\u201d"),
    "de": ("\u201a", "\u2018", "\u201e", "\u201c"),
    "cs": ("\u201a", "\u2018", "\u201e", "\u201c"),
    "pl": ("\u201a", "\u2019", "\u201e", "\u201d"),
    "fr": ("\u2039\u202f", "\u202f\u203a", "\u00ab\u202f", "\u202f\u00bb"),
    "es": ("\u201c", "\u201d", "\u00ab", "\u00bb"),
    "it": ("\u201c", "\u201d", "\u00ab", "\u00bb"),
    "pt": ("\u201c", "\u201d", "\u00ab", "\u00bb"),
    "sv": ("\u2019", "\u2019", "\u201d", "\u201d"),
    "fi": ("\u2019", "\u2019", "\u201d", "\u201d"),
}


@lru_cache(maxsize=32)
def _quotes(language: str) -> tuple[str, str, str, str]:
    """Quotes for a BCP 47 tag (English curly quotes for languages not listed)."""
    primary = language.split("-", 1)[0].split("_", 1)[0].lower()
    return _QUOTES.get(primary, _QUOTES["en"])


_OPEN_DOUBLE = re.compile(_OPENS_AFTER + '"')
_OPEN_SINGLE = re.compile(_OPENS_AFTER + "'")


def typeset(text: str, language: str = "en-GB", previous: str = "") -> str:
    """Curl straight quotes for ``language``, and turn ``--``/``---``/``...`` into – — …

    ``previous`` is the character just before ``text`` (text split around markup): a quote
    right after a word closes, one after a space or at the very start opens. The body's
    Markdown goes through the same function, so a headline matches its article.
    """
    if "'" not in text and '"' not in text and "--" not in text and "..." not in text:
        return text
    if previous and not previous.isspace():
        return typeset(previous[-1] + text, language)[1:]
    lsquo, rsquo, ldquo, rdquo = _quotes(language)
    text = text.replace("---", "\u2014").replace("--", "\u2013").replace("...", "\u2026")
    if "'" in text:
        text = _APOSTROPHE.sub("\u2019", text)
        text = _OPEN_SINGLE.sub(lambda m: m.group(1) + lsquo, text).replace("'", rsquo)
    if '"' in text:
        text = _OPEN_DOUBLE.sub(lambda m: m.group(1) + ldquo, text).replace('"', rdquo)
    return text
