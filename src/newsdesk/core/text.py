"""Plain-text rules: word and character counts, reading time, control-character cleaning."""

from __future__ import annotations

import re
import unicodedata

WORDS_PER_MINUTE = 230

# A word: a run of letters, digits or marks, with inner apostrophes, hyphens and
# thousands separators ("don't", "well-known", "1,100" count once).
_WORD = re.compile(r"[^\W_](?:[\w\u2019'’\-.,]*[^\W_])?", re.UNICODE)
_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|<[^>]{1,200}>|[*_`#>\[\]|~]")
# Every C0/C1 control except tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Half of a UTF-16 pair on its own (a JSON "\ud800" escape, a broken paste): no encoding
# can store it, so it becomes U+FFFD, the replacement character.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def strip_markup(markdown_text: str) -> str:
    """Remove Markdown punctuation and link targets, keeping the words a reader sees."""
    return _MARKUP.sub(" ", markdown_text)


def word_count(markdown_text: str) -> int:
    """Count the words a reader sees in a Markdown body."""
    return len(_WORD.findall(strip_markup(markdown_text)))


_INVISIBLE = re.compile(
    r"[\s\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)


def char_count(markdown_text: str) -> int:
    """Count the characters a reader sees: no spaces, markup, combining or format marks."""
    visible = _INVISIBLE.sub("", strip_markup(markdown_text))
    if visible.isascii():  # no marks or format characters: only controls to leave out
        return len(visible) - len(_CONTROL.findall(visible))
    return sum(1 for ch in visible if unicodedata.category(ch) not in {"Mn", "Me", "Cf", "Cc"})


def reading_minutes(words: int) -> int:
    """Minutes a reader needs, rounded up, at least one for any text."""
    if words <= 0:
        return 0
    return max(1, -(-words // WORDS_PER_MINUTE))


def clean_line(value: str) -> str:
    """A single-line field: control characters and line breaks become spaces, ends trimmed."""
    value = _SURROGATE.sub("\ufffd", value)
    value = _CONTROL.sub(" ", value)
    value = re.sub(r"[\r\n\t\u2028\u2029]+", " ", value)
    return re.sub(r" {2,}", " ", value).strip()


def clean_body(value: str) -> str:
    """A multi-line body: control characters other than tab and newline removed, CRLF folded."""
    value = _SURROGATE.sub("\ufffd", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value)
