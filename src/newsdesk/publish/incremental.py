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
from collections.abc import Mapping
from dataclasses import dataclass

from markdown.extensions.toc import slugify

from newsdesk.core.media.media import MediaAsset, body_keys
from newsdesk.publish.markdown import MarkdownRenderer
from newsdesk.publish.media.figures import media_digest

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CLOSING_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*$")  # a closing fence has no info string
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
    texts = _ATX.findall(body) + _SETEXT.findall(body)
    if any("[" in text for text in texts):
        return None  # a link or picture: its id is made from the words shown, not these
    # Compared as the table of contents makes ids: ASCII only, so "Café" and "Cafe",
    # or two headings differing only in Arabic letters, share one.
    headings = [re.sub(r"[\W_]+", "", slugify(h, "-")) for h in texts]
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
            closing = _CLOSING_FENCE.match(line)
            if closing and closing.group(1)[0] == fence[0] and len(closing.group(1)) >= len(fence):
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

    def render(self, body: str, media: Mapping[str, MediaAsset] | None = None) -> str:
        """The same HTML as ``renderer.render(body, media)``."""
        chunks = split_chunks(body)
        if chunks is None or len(chunks) < 2:
            return self.renderer.render(body, media)
        pieces = []
        for chunk in chunks:
            # A chunk placing a picture is rendered again when that picture's words change.
            keys = body_keys(chunk.text) if "media:" in chunk.text else []
            entry = chunk.text + ("\x00" + media_digest(keys, media or {}) if keys else "")
            html = self._cache.get(entry)
            if html is None:
                html = self.renderer.render(chunk.text, media)
                self.rendered_chunks += 1
                self._cache[entry] = html
                if len(self._cache) > self.capacity:
                    self._cache.popitem(last=False)
            else:
                self._cache.move_to_end(entry)
            if html.strip():
                pieces.append(_shift(html.strip("\n"), chunk.start - 1))
        return "\n".join(pieces)
