"""The prose in a Markdown text: markup, code and addresses blanked out, blocks and sentences.

Spelling and house style read the same masked text (one rule in one place): every
character that is not prose becomes a space of the same length, so offsets into the
masked text are offsets into the original, and line breaks stay where they were.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*\S.*$", re.MULTILINE)
# Each of these is blanked wherever it appears in a line of prose.
_INLINE = re.compile(
    r"""
      (?P<code>(`+).+?(?<!`)\2(?!`))           # inline code, any number of backticks
    | <(?:https?|ftp|mailto):[^>\s]*>           # autolinks
    | </?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>  # HTML tags (their words are attributes)
    | \]\(\s*(?:<[^>\n]*>|[^)\s]*)              # a link or picture's target (its title is prose)
    | \]\[[^\]\n]*\]                            # a reference link's label
    | \[\^[^\]\n]*\]                            # a footnote reference
    | \b(?:https?|ftp)://[^\s<>()\[\]]+         # bare web addresses
    | \bwww\.[^\s<>()\[\]]+
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+              # e-mail addresses
    | \bmedia:\w+                               # stored pictures and audio
    | &\#?\w+;                                  # HTML entities
    | \b[^\W_]+(?:_+[^\W_]+)+\b                 # identifiers such as file_name (not _emphasis_)
    """,
    re.VERBOSE,
)
# Only a line holding one of these can hold anything _INLINE blanks: most prose lines are
# passed over without trying every alternative at every character.
_MAYBE_INLINE = re.compile(r"[`<\]@&_]|://|www\.|media:")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]|$)")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]")
_QUOTE = re.compile(r"^ {0,3}>")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|\Z)")
_FIRST = re.compile(r"\S")


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def mask(text: str) -> str:
    """``text`` with everything that is not prose replaced by spaces (same length): fenced
    code, inline code, HTML tags and comments, link targets, addresses, ``media:KEY``."""
    if not text:
        return text
    text = _COMMENT.sub(_blank, text)
    lines = text.split("\n")
    fence = ""
    for number, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
            lines[number] = " " * len(line)
        elif opened:
            fence = opened.group(1)
            lines[number] = " " * len(line)
        elif _MAYBE_INLINE.search(line):
            lines[number] = _INLINE.sub(_blank, line)
    masked = "\n".join(lines)
    return _REFERENCE_DEFINITION.sub(_blank, masked)


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph, heading, list or quotation of a body: ``text[start:end]``."""

    start: int
    end: int
    scopes: frozenset[str]


def blocks(masked: str) -> Iterator[Block]:
    """The blocks of a masked body, in order; blank ones (all code, say) are left out."""
    start = 0
    for gap in [*_BLANK_LINE.finditer(masked), None]:
        end = gap.start() if gap else len(masked)
        chunk = masked[start:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip("\n"))
            yield Block(start + lead, start + len(chunk.rstrip()), _scopes(chunk.lstrip("\n")))
        if gap:
            start = gap.end()


def _scopes(chunk: str) -> frozenset[str]:
    heading = _HEADING.match(chunk)
    if heading and "\n" not in chunk.strip():
        return frozenset({"heading", f"heading.h{len(heading.group(1))}", "text"})
    if _LIST_ITEM.match(chunk):
        return frozenset({"list", "text", "summary"})
    if _QUOTE.match(chunk):
        return frozenset({"blockquote", "text", "summary"})
    return frozenset({"paragraph", "text", "summary"})


def sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each sentence in ``text[start:end]`` (a full stop, question or
    exclamation mark followed by a space or the end closes one)."""
    end = len(text) if end is None else end
    at = start
    for close in [*_SENTENCE_END.finditer(text, start, end), None]:
        stop = close.end() if close else end
        first = _FIRST.search(text, at, stop)
        if first:
            yield first.start(), stop
        at = stop
