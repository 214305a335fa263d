"""Re-rendering only the paragraphs that changed, for the live preview.

A body is cut at blank lines into chunks that Markdown renders independently (no footnotes,
reference links, abbreviations, raw HTML blocks, definition lists or repeated headings, and
never inside a list, quote or fence). Each chunk is rendered once and cached, and the page
gets exactly the HTML a full render gives: tests check the two agree. A body that cannot be
cut safely is rendered whole, so the preview never differs from the export.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

from newsdesk.publish.markdown import MarkdownRenderer

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIST_OR_QUOTE = re.compile(r"^(?:[-*+]\s|\d+[.)]\s|>|:\s|\s)")
_NOT_CHUNKABLE = re.compile(
    r"\[\^"  # footnotes
    r"|^ {0,3}\[[^\]\n]+\]:"  # reference link definitions
    r"|^\*\["  # abbreviations
    r"|<[A-Za-z/!?]"  # raw HTML, which the sanitizer balances across the whole body
    r"|^:\s",  # definition lists
    re.MULTILINE,
)
# A level-one heading anywhere moves every heading down a level (the page's h1 is the
# headline), so such a body is rendered whole.
_CONTAINER = r"^(?:[ \t]*(?:[-*+]|\d+[.)]|>)?[ \t]*)*"  # list items and quotes hold headings too
_H1 = re.compile(_CONTAINER + r"#(?!#)|^[ \t]*=+\s*$", re.MULTILINE)
_ATX = re.compile(_CONTAINER + r"#{2,6}(.*?)#*\s*$", re.MULTILINE)
_SETEXT = re.compile(r"^(\S.*)\n-+\s*$", re.MULTILINE)
_DATA_LINE = re.compile(r'data-line="(\d+)"')


@dataclass(frozen=True, slots=True)
class Chunk:
    start: int  # 1-based line of the body where the chunk begins
    text: str


def split_chunks(body: str) -> list[Chunk] | None:
    """Cut ``body`` into independently renderable chunks, or ``None`` if it is not safe."""
    if _NOT_CHUNKABLE.search(body):
        return None
    if _H1.search(body):
        return None
    headings = [
        re.sub(r"[\W_]+", "", h.lower()) for h in _ATX.findall(body) + _SETEXT.findall(body)
    ]
    if len(headings) != len(set(headings)):
        return None  # the table of contents numbers repeated heading ids document-wide
    chunks: list[Chunk] = []
    current: list[str] = []
    start = 1
    fence: str | None = None
    blank_before = False
    for number, line in enumerate(body.split("\n"), start=1):
        marker = _FENCE.match(line)
        if fence is not None:
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence):
                fence = None
            current.append(line)
            continue
        if not line.strip():
            current.append(line)
            blank_before = True
            continue
        if blank_before and current and not _LIST_OR_QUOTE.match(line):
            chunks.append(Chunk(start, "\n".join(current)))
            current, start = [], number
        blank_before = False
        if marker:
            fence = marker.group(1)
        current.append(line)
    if current:
        chunks.append(Chunk(start, "\n".join(current)))
    return chunks


def _shift(html: str, offset: int) -> str:
    if not offset:
        return html
    return _DATA_LINE.sub(lambda m: f'data-line="{int(m.group(1)) + offset}"', html)


class IncrementalBody:
    """Renders bodies for one language, reusing the HTML of unchanged chunks."""

    def __init__(self, renderer: MarkdownRenderer, *, capacity: int = 4096) -> None:
        self.renderer = renderer
        self.capacity = capacity
        self._cache: OrderedDict[str, str] = OrderedDict()
        self.rendered_chunks = 0  # for tests and benchmarks: how much work was done

    def render(self, body: str) -> str:
        """The same HTML as ``renderer.render(body)``."""
        chunks = split_chunks(body)
        if chunks is None or len(chunks) < 2:
            return self.renderer.render(body)
        pieces = []
        for chunk in chunks:
            html = self._cache.get(chunk.text)
            if html is None:
                html = self.renderer.render(chunk.text)
                self.rendered_chunks += 1
                self._cache[chunk.text] = html
                if len(self._cache) > self.capacity:
                    self._cache.popitem(last=False)
            else:
                self._cache.move_to_end(chunk.text)
            if html.strip():
                pieces.append(_shift(html.strip("\n"), chunk.start - 1))
        return "\n".join(pieces)
