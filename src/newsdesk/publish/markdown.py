"""Markdown to sanitized HTML, with each top-level block tagged with its source line."""

from __future__ import annotations

import html
import re
import threading
from bisect import bisect_left
from collections.abc import Callable, Mapping
from types import MethodType
from typing import Any
from xml.etree.ElementTree import Element, SubElement

import markdown
from markdown.blockparser import BlockParser
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from newsdesk.core import text
from newsdesk.core.media.media import MediaAsset, MediaKind, key_of

# Bump body_format.BODY_FORMAT when the HTML this module produces for the same body changes:
# the render cache keys on it (kept there so a cached body needs no Python-Markdown).
from newsdesk.publish.media.figures import missing_text, picture_view
from newsdesk.publish.sanitize import clean_html
from newsdesk.publish.typography import typeset

# Python-Markdown's "extra" set, named one by one so each takes its own configuration.
_EXTENSIONS = [
    "abbr", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html", "tables",
    "toc", "sane_lists",
]  # fmt: skip
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_PLACEHOLDER_ONLY = re.compile(rf"^\s*{HTML_PLACEHOLDER_RE.pattern}\s*$")
_FIRST_TAG = re.compile(r"^(\s*<[A-Za-z][A-Za-z0-9-]*)(?=[\s/>])")


class _SourceLineMap(Preprocessor):
    """Runs last: maps each preprocessed line back to its line in the author's text.

    The preprocessors keep every line they do not stash verbatim, in order; a fenced code
    block or raw HTML block becomes one placeholder line. Walking both lists together
    recovers the mapping without depending on their internals.
    """

    def __init__(self, md: markdown.Markdown, extension: SourceLines) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        source = [_normalized(line, self.md.tab_length) for line in self.extension.source_lines]
        self.extension.line_map = _map_lines(lines, source, self.md)
        return lines


class _RecordSource(Preprocessor):
    """Runs first: remembers the author's lines before anything rewrites them."""

    def __init__(self, md: markdown.Markdown, extension: SourceLines) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        self.extension.source_lines = list(lines)
        return lines


def _normalized(line: str, tab_length: int) -> str:
    line = line.replace("\r", "").expandtabs(tab_length)
    return "" if not line.strip(" ") else line


def _map_lines(lines: list[str], source: list[str], md: markdown.Markdown) -> list[int]:
    mapping: list[int] = []
    j = 0
    n = len(source)
    for line in lines:
        if not line:
            mapping.append(min(j, n - 1) + 1 if n else 1)
            continue
        if HTML_PLACEHOLDER_RE.search(line):
            k = j
            while k < n and not source[k]:
                k += 1
            mapping.append(min(k, n - 1) + 1 if n else 1)
            j = _skip_stashed(source, k, line, md)
            continue
        k = j
        while k < n and source[k] != line:
            k += 1
        if k < n:
            mapping.append(k + 1)
            j = k + 1
        else:
            mapping.append(min(j, n - 1) + 1 if n else 1)
    return mapping


def _skip_stashed(source: list[str], k: int, line: str, md: markdown.Markdown) -> int:
    """The source index just past the fenced or HTML block that became ``line``."""
    if k >= len(source):
        return k
    fence = _FENCE.match(source[k])
    if fence:
        marker = fence.group(1)
        close = re.compile(rf"^ {{0,3}}{re.escape(marker[0])}{{{len(marker)},}}\s*$")
        for end in range(k + 1, len(source)):
            if close.match(source[end]):
                return end + 1
        return k + 1
    match = HTML_PLACEHOLDER_RE.search(line)
    if match:
        stashed = md.htmlStash.rawHtmlBlocks[int(match.group(1))]
        if isinstance(stashed, str):
            return k + stashed.rstrip("\n").count("\n") + 1
    return k + 1


class _BlockPositions:
    """Where each remaining top-level block starts, in O(1) per step of the block parser."""

    def __init__(self, blocks: list[str], line_map: list[int]) -> None:
        self.originals = list(blocks)  # keeps the strings alive so their ids stay theirs
        self.offsets: dict[int, tuple[str, int]] = {}
        position = 0
        for block in blocks:
            if len(block) >= 2:  # short strings may be shared objects
                self.offsets[id(block)] = (block, position)
            position += len(block) + 2
        self.total = max(position - 2, 0)
        joined = "\n\n".join(blocks)
        self.newlines = [m.start() for m in re.finditer("\n", joined)]
        self.line_map = line_map

    def line_of(self, blocks: list[str]) -> int:
        before = 0
        position: int | None = None
        for block in blocks[:16]:
            entry = self.offsets.get(id(block))
            if entry is not None and entry[0] is block:
                position = entry[1] - before
                break
            before += len(block) + 2
        if position is None:
            position = self.total - (sum(len(b) + 2 for b in blocks) - 2)
        first = blocks[0]
        position += len(first) - len(first.lstrip("\n"))
        index = bisect_left(self.newlines, max(position, 0))
        if not self.line_map:
            return index + 1
        return self.line_map[min(index, len(self.line_map) - 1)]


class SourceLines(Extension):
    """Adds ``data-line`` (1-based source line) to every top-level block element."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.source_lines: list[str] = []
        self.line_map: list[int] = []

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (API name)
        md.preprocessors.register(_RecordSource(md, self), "newsdesk_record_source", 1000)
        md.preprocessors.register(_SourceLineMap(md, self), "newsdesk_line_map", 0)
        parser = md.parser
        original: Callable[[Element, list[str]], None] = parser.parseBlocks
        state = {"active": False}

        def parse_blocks(this: BlockParser, parent: Element, blocks: list[str]) -> None:
            if state["active"] or parent is not getattr(this, "root", None):
                original(parent, blocks)
                return
            state["active"] = True
            try:
                self._parse_top_level(this, parent, blocks, md)
            finally:
                state["active"] = False

        parser.parseBlocks = MethodType(parse_blocks, parser)  # type: ignore[method-assign]

    def _parse_top_level(
        self, parser: BlockParser, root: Element, blocks: list[str], md: markdown.Markdown
    ) -> None:
        positions = _BlockPositions(blocks, self.line_map)
        while blocks:
            line = positions.line_of(blocks)
            count = len(root)
            for processor in parser.blockprocessors:
                if processor.test(root, blocks[0]) and processor.run(root, blocks) is not False:
                    break
            for element in root[count:]:
                _mark(element, line, md)


def _mark(element: Element, line: int, md: markdown.Markdown) -> None:
    if "data-line" in element.attrib:
        return
    if element.tag == "p" and len(element) == 0 and element.text:
        stashed = _PLACEHOLDER_ONLY.match(element.text)
        if stashed:  # a fenced code or raw HTML block: the line goes on its own first tag
            index = int(stashed.group(1))
            html = md.htmlStash.rawHtmlBlocks[index]
            if isinstance(html, str):
                md.htmlStash.rawHtmlBlocks[index] = _FIRST_TAG.sub(
                    rf'\1 data-line="{line}"', html, count=1
                )
            return
    element.set("data-line", str(line))


class _DemoteHeadings(Treeprocessor):
    """The page has one h1, the headline: a body's ``#`` heading becomes an h2.

    The rule looks at each heading alone (not at the whole body) so that rendering a body
    paragraph by paragraph, as the live preview does, gives the same HTML.
    """

    def run(self, root: Element) -> None:
        for element in root.iter("h1"):
            element.tag = "h2"


class _HeadingExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (API name)
        md.treeprocessors.register(_DemoteHeadings(md), "newsdesk_demote_headings", 4)


_LITERAL = {"code", "pre", "kbd", "samp", "var", "script", "style"}


class _Typography(Treeprocessor):
    """Typographic quotes, dashes and ellipses in the body's text (not in code).

    Does what Python-Markdown's smarty extension does, in one pass over the finished tree
    instead of a dozen inline patterns tried at every character: half the render time.
    """

    def __init__(self, md: markdown.Markdown, language: str) -> None:
        super().__init__(md)
        self.language = language

    def run(self, root: Element) -> None:
        self._walk(root, "")

    def _walk(self, element: Element, previous: str) -> str:
        if element.tag in _LITERAL:
            return "x"
        if element.text:
            element.text = typeset(element.text, self.language, previous)
            previous = element.text[-1:]
        for child in element:
            previous = self._walk(child, previous)
            if child.tail:
                child.tail = typeset(child.tail, self.language, previous)
                previous = child.tail[-1:]
        return previous


class _TypographyExtension(Extension):
    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (API name)
        md.treeprocessors.register(_Typography(md, self.language), "newsdesk_typography", 6)


class _MediaFigures(Treeprocessor):
    """Pictures from the media store: ``![alt](media:KEY "caption")``.

    Alone in its paragraph, a picture becomes a figure: ``<picture>`` with the WebP widths
    and the fallback's width and height, lazily loaded, and a caption (the Markdown title)
    with the picture's credit. Inside a sentence it stays inline, the same ``<picture>``
    without the figure. A key the store does not hold becomes a visible note saying so
    (the export leaves such a story out). Runs after the inline patterns, before the
    typography pass, which then sets the caption's quotes as the body's.
    """

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.media: Mapping[str, MediaAsset] = {}

    def run(self, root: Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag != "img" or key_of(child.get("src", "")) is None:
                    continue
                if parent.tag == "p" and _alone(parent, child):
                    self._to_figure(parent, child)
                else:
                    replacement = self._inline(child)
                    replacement.tail = child.tail
                    parent.remove(child)
                    parent.insert(index, replacement)

    def _to_figure(self, paragraph: Element, image: Element) -> None:
        key = key_of(image.get("src", "")) or ""
        asset = self.media.get(key)
        line = paragraph.get("data-line")
        paragraph.clear()
        if line is not None:
            paragraph.set("data-line", line)
        paragraph.tag = "figure"
        alt, caption = image.get("alt", ""), _title(image)
        if asset is None or asset.kind != MediaKind.IMAGE:
            paragraph.set("class", "media-missing")
            SubElement(paragraph, "p").text = _missing(key, alt, asset)
            return
        view = picture_view(asset, alt=alt, caption=caption)
        paragraph.set("class", "body-figure")
        paragraph.append(_picture(view.src, view.srcset, view.sizes, view))
        if view.caption or view.credit:
            figcaption = SubElement(paragraph, "figcaption")
            if view.caption:
                SubElement(figcaption, "span", {"class": "caption"}).text = view.caption
            if view.credit:
                credit = SubElement(figcaption, "span", {"class": "credit"})
                credit.text = view.credit
                if view.caption:
                    figcaption[0].tail = " "

    def _inline(self, image: Element) -> Element:
        key = key_of(image.get("src", "")) or ""
        asset = self.media.get(key)
        alt = image.get("alt", "")
        if asset is None or asset.kind != MediaKind.IMAGE:
            note = Element("span", {"class": "media-missing"})
            note.text = _missing(key, alt, asset)
            return note
        view = picture_view(asset, alt=alt, caption=_title(image))
        return _picture(view.src, view.srcset, view.sizes, view)


def _alone(paragraph: Element, image: Element) -> bool:
    return (
        len(paragraph) == 1
        and not (paragraph.text or "").strip()
        and not (image.tail or "").strip()
    )


def _title(image: Element) -> str:
    # Python-Markdown keeps a backslash before a quote in a title; core writes \" there.
    return image.get("title", "").replace('\\"', '"')


def _missing(key: str, alt: str, asset: MediaAsset | None) -> str:
    if asset is None:
        return missing_text(key, alt)
    return (
        f"media:{key} ({asset.filename}) is audio, not a picture: attach it as the "
        "story's audio on the Media tab instead of placing it in the text."
    )


def _picture(src: str, srcset: str, sizes: str, view: Any) -> Element:
    picture = Element("picture")
    if srcset:
        SubElement(picture, "source", {"type": "image/webp", "srcset": srcset, "sizes": sizes})
    attributes = {"src": src, "alt": view.alt}
    if view.width and view.height:
        attributes |= {"width": str(view.width), "height": str(view.height)}
    attributes |= {"loading": "lazy", "decoding": "async"}
    SubElement(picture, "img", attributes)
    return picture


class _MediaExtension(Extension):
    def __init__(self) -> None:
        super().__init__()
        self.processor: _MediaFigures | None = None

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (API name)
        self.processor = _MediaFigures(md)
        md.treeprocessors.register(self.processor, "newsdesk_media", 15)


class MarkdownRenderer:
    """Renders Markdown bodies for one language; reuse it, it keeps a parser per thread."""

    def __init__(self, language: str = "en-GB") -> None:
        self.language = language
        self._local = threading.local()

    def _parser(self) -> markdown.Markdown:
        md: markdown.Markdown | None = getattr(self._local, "md", None)
        if md is None:
            media = _MediaExtension()
            md = markdown.Markdown(
                extensions=[
                    *_EXTENSIONS,
                    SourceLines(),
                    _HeadingExtension(),
                    _TypographyExtension(self.language),
                    media,
                ],
                extension_configs={
                    "tables": {"use_align_attribute": True},
                    "toc": {"permalink": False},
                    "footnotes": {"BACKLINK_TITLE": "Back to footnote %d in the text"},
                },
                output_format="html",
            )
            self._local.md = md
            self._local.media = media.processor
        return md

    def render(self, body: str, media: Mapping[str, MediaAsset] | None = None) -> str:
        """Sanitized HTML for a Markdown ``body``; ``media`` holds the stored pictures its
        ``media:KEY`` references name (a key not in it renders as a "missing" note)."""
        md = self._parser()
        md.reset()
        self._local.media.media = media or {}
        cleaned = text.clean_body(body)
        try:
            raw = md.convert(cleaned)
        except RecursionError:
            # Python-Markdown recurses once per level of nested lists: 2 KB of "  - " goes
            # past Python's stack. The words are shown as plain paragraphs instead of the
            # preview failing and the whole export stopping. The parser is left mid-state:
            # the next body gets a new one.
            self._local.md = None
            raw = _plain_paragraphs(cleaned)
        return clean_html(raw).strip()


def _plain_paragraphs(body: str) -> str:
    """The body's text as escaped paragraphs, each with its source line."""
    out = []
    for match in re.finditer(r"[^\n]+(?:\n[^\n]+)*", body):
        if match.group(0).strip():
            line = body.count("\n", 0, match.start()) + 1
            out.append(f'<p data-line="{line}">{html.escape(match.group(0), quote=False)}</p>')
    return "\n".join(out)


_renderers: dict[str, MarkdownRenderer] = {}


def render_markdown(body: str, language: str = "en-GB") -> str:
    """Sanitized HTML for ``body``, typeset for ``language`` (see :class:`MarkdownRenderer`)."""
    renderer = _renderers.get(language)
    if renderer is None:
        renderer = _renderers.setdefault(language, MarkdownRenderer(language))
    return renderer.render(body)
