"""Hugo shortcodes and Jekyll Liquid in an imported body, turned into Markdown or flagged.

One small scanner walks the body once, left to right: fenced code blocks and inline code
are copied untouched (a shortcode shown in a code sample is text), and each ``{{< >}}``,
``{{% %}}``, ``{% %}`` or ``{{ }}`` it meets is parsed by a bounded tokenizer, so bad input
(nested, unclosed, endless) costs linear time and is reported with its line, never raised.
What cannot be converted stays in the text, visible, and is named in ``flagged``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from newsdesk.core.sites import site_syntax_hugo, site_syntax_jekyll
from newsdesk.core.sites.site_syntax_parts import Scan

GENERATORS = ("hugo", "jekyll")


@dataclass(frozen=True, slots=True)
class SiteSyntax:
    """A converted body, with one readable line per conversion and per flagged spot."""

    text: str
    converted: tuple[str, ...] = field(default=())
    flagged: tuple[str, ...] = field(default=())


# The brace pairs each generator reads: a body without any is returned as it is.
_OPENERS = {"hugo": ("{{<", "{{%"), "jekyll": ("{{", "{%")}
_BRACES = re.compile(r"\{\{|\{%")
_FENCE_LINE = re.compile(r" {0,3}(`{3,}|~{3,})([^\n]*)")
_RUN = re.compile(r"`+")
_BLANK_LINE = re.compile(r"\n[ \t]*(?:\n|$)")


def convert_site_syntax(
    text: str, *, generator: str, resolve: Callable[[str], str | None]
) -> SiteSyntax:
    """``text`` with ``generator``'s ("hugo" or "jekyll") body syntax converted.

    ``resolve`` maps a post reference (a Hugo ``ref``/``relref`` argument, a Jekyll
    ``post_url`` or ``link`` argument) to the internal URL of the imported article, or
    ``None`` when the archive has no such post (the reference is then flagged and kept).
    """
    kind = generator.strip().lower()
    if kind not in GENERATORS:
        raise ValueError(f"unknown generator {generator!r}; use 'hugo' or 'jekyll'")
    if not any(opener in text for opener in _OPENERS[kind]):
        return SiteSyntax(text)
    handler = site_syntax_hugo.handle if kind == "hugo" else site_syntax_jekyll.handle
    scan = Scan(text, resolve)
    _walk(scan, handler)
    return SiteSyntax("".join(scan.out), tuple(scan.converted), tuple(scan.flagged))


def _walk(scan: Scan, handler: Callable[[Scan, int], int]) -> None:
    """Copy ``scan.text`` to ``scan.out``, letting ``handler`` take each brace pair that is
    not code. Only the paragraph before a brace pair is read for code spans, and no part
    twice: time stays linear in the text, whatever it holds."""
    text, pos, size, out = scan.text, 0, len(scan.text), scan.out
    fences, index = _fenced_blocks(text), 0
    while pos < size:
        found = _BRACES.search(text, pos)
        if found is None:
            out.append(text[pos:])
            return
        start = found.start()
        while index < len(fences) and fences[index][1] <= start:
            index += 1
        if index < len(fences) and fences[index][0] <= start:  # inside a fenced block
            end = fences[index][1]
            out.append(text[pos:end])
            pos = end
            continue
        after_fence = fences[index - 1][1] if index else 0
        span_end = _code_span_over(
            scan, max(pos, after_fence, text.rfind("\n\n", pos, start) + 1), start
        )
        if span_end is not None:  # inside inline code
            out.append(text[pos:span_end])
            pos = span_end
            continue
        out.append(text[pos:start])
        pos = handler(scan, start)
        if pos <= start:  # a handler that took nothing: copy the brace, move on
            out.append(text[start])
            pos = start + 1


def _fenced_blocks(text: str) -> list[tuple[int, int]]:
    """Where each fenced code block starts and ends (a block never closed runs to the
    end), in one pass over the lines that look like fences."""
    blocks: list[tuple[int, int]] = []
    if "```" not in text and "~~~" not in text:
        return blocks
    lines = _fence_lines(text)
    for opened in lines:
        marker, info = opened.group(1), opened.group(2)
        if marker[0] == "`" and "`" in info:
            continue  # backticks in the info string: inline code, not a fence
        end = len(text)
        for line in lines:
            close = line.group(1)
            if close[0] == marker[0] and len(close) >= len(marker) and not line.group(2).strip():
                end = line.end()
                break
        blocks.append((opened.start(), end))
    return blocks


def _fence_lines(text: str) -> Iterator[re.Match[str]]:
    """Each line that starts (after at most three spaces) with a fence marker, in order;
    found from the markers, which are rare, rather than by trying every line start."""
    marks = sorted(at for marker in ("```", "~~~") for at in _finds(text, marker))
    last_line = -1
    for at in marks:
        line_start = text.rfind("\n", 0, at) + 1
        if line_start == last_line or at - line_start > 3 or text[line_start:at].strip(" "):
            continue
        last_line = line_start
        line = _FENCE_LINE.match(text, line_start)
        if line is not None:
            yield line


def _finds(text: str, needle: str) -> Iterator[int]:
    """Every place ``needle`` starts, not overlapping (``str.find`` is far quicker here
    than a regular expression, which has no fixed first character to look for)."""
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + len(needle))


def _code_span_over(scan: Scan, start: int, brace: int) -> int | None:
    """The end of the code span holding ``brace``, reading spans from ``start`` (a point
    outside code); ``None`` when the brace is not in code."""
    text, at = scan.text, start
    while True:
        run = _RUN.search(text, at, brace)
        if run is None:
            return None
        begin, after = run.span()
        width = after - begin
        at = after
        if _escaped(text, begin) or scan.no_run_after.get(width, len(text) + 1) <= begin:
            continue
        limit = _paragraph_end(scan, after)
        closing = _closing_run(width).search(text, after, limit)
        if closing is None:
            if limit == len(text):
                scan.no_run_after[width] = begin
            continue
        if closing.start() > brace:
            return closing.end()
        at = closing.end()


@lru_cache(maxsize=64)
def _closing_run(width: int) -> re.Pattern[str]:
    """A run of exactly ``width`` backticks."""
    return re.compile(rf"(?<!`)`{{{width}}}(?!`)")


def _paragraph_end(scan: Scan, pos: int) -> int:
    """Where the paragraph holding ``pos`` ends (a blank line), cached for the next span."""
    if scan.paragraph_end >= pos:
        return scan.paragraph_end
    blank = _BLANK_LINE.search(scan.text, pos)
    scan.paragraph_end = blank.start() if blank else len(scan.text)
    return scan.paragraph_end


def _escaped(text: str, pos: int) -> bool:
    """Whether an odd number of backslashes stands before ``pos``."""
    count = 0
    while pos - count > 0 and text[pos - count - 1] == "\\":
        count += 1
    return count % 2 == 1
