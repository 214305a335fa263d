"""Rich text (HTML from the clipboard or a Word file) as clean Markdown: headings, emphasis,
links, lists, quotes, tables, line breaks and footnotes kept; styles, fonts, scripts,
empty paragraphs and link tracking dropped. Nothing of the HTML survives as markup."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from newsdesk.core.intake.html_tree import BLOCKS, Node, is_fallback, parse
from newsdesk.core.intake.link_clean import clean_link

# ``(src, alt) -> Markdown destination`` for a picture to keep; None to leave it out (and
# say so), "" to leave it out silently (the hook has said why).
PictureHook = Callable[[str, str], str | None]

# Footnote links as Word, mammoth, Google Docs, Python-Markdown and LibreOffice write them:
# the reference in the text, and the link back from the note.
_FOOTNOTE_REF = re.compile(
    r"^#(?:(?:_ftn|footnote-|ftnt|fn:?)(\d+)|sdfootnote(\d+)sym)$", re.IGNORECASE
)
_FOOTNOTE_BACK = re.compile(
    r"^#(?:(?:_ftnref|footnote-ref-|ftnt_ref|fnref:?)(\d+)|sdfootnote(\d+)anc)$", re.IGNORECASE
)
_BOLD_WEIGHT = re.compile(r"^(?:bold|bolder|[6-9]00)$")
_MONO = re.compile(r"courier|consolas|monospace|menlo|monaco|source code", re.IGNORECASE)
# What would make a line of plain words read as Markdown structure: a heading, a quote, a
# list item, a setext underline.
_LINE_START = re.compile(
    r"^(?P<lead>\s*)(?:(?P<mark>#|>|[-+*](?=\s|$)|-+\s*$)|(?P<number>\d+)(?P<dot>[.)])(?=\s|$)"
    r"|(?P<equals>=)(?==*\s*$))",
    re.MULTILINE,
)
_ESCAPE = re.compile(r"([\\`*\[\]])|(<)(?=[A-Za-z/!?])|(&)(?=#?\w+;)|(?<!\w)(_)|(_)(?!\w)")
_HEADER_BOLD = re.compile(r"^\*\*(.*)\*\*$")
_QUOTE_CLASSES = {"msoquote", "msointensequote", "quote", "intense-quote"}
_CODE_TAGS = {"code", "kbd", "samp", "tt"}
_INDENT = "    "  # Python-Markdown nests lists and list paragraphs by four spaces


@dataclass(frozen=True, slots=True)
class Converted:
    """The Markdown, what was left out (one line each, saying why), and the text of the
    elements asked to be lifted out by class (a document's title or subtitle)."""

    markdown: str
    dropped: tuple[str, ...] = ()
    lifted: dict[str, str] = field(default_factory=dict)


class _Fmt(NamedTuple):  # a tuple: made for every element, so made cheaply
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str = ""


@dataclass(slots=True)
class _Run:
    text: str  # already Markdown (escaped) unless raw
    fmt: _Fmt
    kind: str = "text"  # "text", "break", "raw"


class _Converter:
    def __init__(self, base_url: str, pictures: PictureHook | None) -> None:
        self.base_url = base_url
        self.pictures = pictures
        self.dropped: Counter[str] = Counter()
        self.footnotes: dict[str, list[Node | str]] = {}
        self.used_notes: list[str] = []

    # -- blocks -------------------------------------------------------------------------

    def blocks(self, node: Node) -> list[str]:
        """The Markdown blocks of ``node``'s children (inline content gathered into
        paragraphs between them)."""
        out: list[str] = []
        runs: list[_Run] = []
        for child in node.children:
            if isinstance(child, Node) and _is_block(child):
                out += self.paragraphs(runs)
                runs = []
                out += self.block(child)
            else:
                self.inline(child, _Fmt(), runs)
        out += self.paragraphs(runs)
        return [b for b in out if b.strip()]

    def block(self, node: Node) -> list[str]:
        tag = node.tag
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            return self.heading(node, int(tag[1]))
        if tag in {"ul", "ol"}:
            return [self.list_(node)]
        if tag == "blockquote" or (tag == "p" and _is_quote(node)):
            inner = "\n\n".join(
                self.blocks(node) if tag == "blockquote" else self.paragraphs(self.runs_of(node))
            )
            return [_prefix(inner, "> ", ">")] if inner.strip() else []
        if tag == "pre":
            return [_fenced(node.text())]
        if tag == "table":
            return self.table(node)
        if tag == "hr":
            return ["* * *"]
        return self.blocks(node)

    def paragraphs(self, runs: list[_Run]) -> list[str]:
        """Inline runs as paragraphs: two line breaks in a row start a new paragraph."""
        out: list[str] = []
        current: list[_Run] = []
        for index, run in enumerate(runs):
            double = run.kind == "break" and index + 1 < len(runs) and _next_is_break(runs, index)
            if double:
                out.append(_render(current))
                current = []
            else:
                current.append(run)
        out.append(_render(current))
        return [_escape_line_starts(p) for p in out if p.strip()]

    def heading(self, node: Node, level: int) -> list[str]:
        runs = [replace(r, fmt=r.fmt._replace(bold=False)) for r in self.runs_of(node)]
        text = " ".join(_render([r for r in runs if r.kind != "break"]).split())
        return [f"{'#' * level} {text}"] if text else []

    def list_(self, node: Node) -> str:
        ordered = node.tag == "ol"
        try:
            number = int(node.attrs.get("start", "1"))
        except ValueError:
            number = 1
        items: list[list[str]] = []
        for child in node.children:
            if not isinstance(child, Node):
                if child.strip():
                    items.append(
                        [_escape_line_starts(_render(self.runs_of(Node("p", {}, [child]))))]
                    )
                continue
            if child.tag in {"ul", "ol"} and items:  # Google Docs nests lists in lists
                items[-1].append(self.list_(child))
                continue
            blocks = self.blocks(child) if child.tag == "li" else self.block(child)
            if blocks:
                items.append(blocks)
        lines: list[str] = []
        for offset, blocks in enumerate(items):
            marker = f"{number + offset}." if ordered else "-"
            lines.append(_item(marker, blocks))
        return "\n".join(lines)

    def table(self, node: Node) -> list[str]:
        rows = [
            [self.cell(c) for c in row.children if isinstance(c, Node) and c.tag in {"td", "th"}
             for _ in range(_span(c))]
            for row in _rows(node)
        ]  # fmt: skip
        rows = [row for row in rows if any(row)]
        if not rows:
            return []
        width = max(len(row) for row in rows)
        if width == 1:
            return self.blocks(node)  # a table used for layout: its words only
        rows = [row + [""] * (width - len(row)) for row in rows]
        # A header row shows bold already; bold typed into it is only noise.
        header = [_HEADER_BOLD.sub(r"\1", cell) for cell in rows[0]]
        lines = [_table_row(header), _table_row(["---"] * width)]
        lines += [_table_row(row) for row in rows[1:]]
        return ["\n".join(lines)]

    def cell(self, node: Node) -> str:
        text = " ".join(" ".join(b.split()) for b in self.blocks(node))
        return text.replace("|", "\\|")

    # -- inline -------------------------------------------------------------------------

    def runs_of(self, node: Node) -> list[_Run]:
        runs: list[_Run] = []
        for child in node.children:
            self.inline(child, _Fmt(), runs)
        return runs

    def inline(self, node: Node | str, fmt: _Fmt, runs: list[_Run]) -> None:
        if isinstance(node, str):
            runs.append(_Run(node if fmt.code else _escape(node), fmt))
            return
        if is_fallback(node) or "mso-list:ignore" in node.attrs.get("style", "").lower():
            return
        tag = node.tag
        if tag == "br":
            runs.append(_Run("", fmt, "break"))
            return
        if tag == "img":
            self.picture(node, runs)
            return
        if tag == "del":
            return  # tracked deletions: the accepted text is what stays
        if tag == "a":
            if self.footnote_ref(node, runs):
                return
            fmt = self.link(node, fmt)
        fmt = _styled(node, fmt)
        for child in node.children:
            self.inline(child, fmt, runs)

    def link(self, node: Node, fmt: _Fmt) -> _Fmt:
        href = node.attrs.get("href")
        if href is None:
            return fmt  # an anchor (name=...), not a link
        cleaned = clean_link(href, self.base_url)
        if cleaned.tracking_removed:
            self.dropped["tracking parameters removed from a link"] += 1
        if not cleaned.url:
            if not href.startswith("#"):
                self.dropped[f"a link left as plain text: {cleaned.why_dropped}"] += 1
            return fmt
        return fmt._replace(href=cleaned.url)

    def footnote_ref(self, node: Node, runs: list[_Run]) -> bool:
        found = _FOOTNOTE_REF.match(node.attrs.get("href", ""))
        number = (found.group(1) or found.group(2)) if found else ""
        if number not in self.footnotes:
            return False
        if number not in self.used_notes:
            self.used_notes.append(number)
        label = self.used_notes.index(number) + 1  # numbered as they appear, from 1
        runs.append(_Run(f"[^{label}]", _Fmt(), "raw"))
        return True

    def picture(self, node: Node, runs: list[_Run]) -> None:
        src, alt = node.attrs.get("src", ""), " ".join(node.attrs.get("alt", "").split())
        target = self.pictures(src, alt) if self.pictures else None
        if target == "":
            return  # left out, and already said why by whoever decided
        if target is None:
            self.dropped[
                "a picture left out (pictures are never fetched from where they were "
                "copied; add them with Insert picture)"
            ] += 1
            return
        alt_text = _escape(alt)
        runs.append(_Run(f"![{alt_text}]({target})", _Fmt(), "raw"))

    # -- footnotes ----------------------------------------------------------------------

    def take_footnotes(self, root: Node) -> None:
        """Move each footnote's text (the block holding a link back to its reference) out
        of the body, keyed by number; the back link itself goes."""
        for anchor in root.walk():
            found = (
                _FOOTNOTE_BACK.match(anchor.attrs.get("href", "")) if anchor.tag == "a" else None
            )
            if found is None:
                continue
            holder = _footnote_holder(anchor)
            anchor.remove()
            if holder is None:
                continue
            holder.remove()
            self.footnotes.setdefault(found.group(1) or found.group(2), holder.children)

    def footnote_lines(self) -> list[str]:
        lines = []
        for label, number in enumerate(self.used_notes, start=1):
            holder = Node("div", {}, list(self.footnotes[number]))
            text = " ".join(" ".join(self.blocks(holder)).split())
            lines.append(f"[^{label}]: {text}")
        return lines


def _is_quote(node: Node) -> bool:
    """A paragraph styled as a quote, whatever the case (Word writes ``MsoQuote``)."""
    return any(c.lower() in _QUOTE_CLASSES for c in node.classes())


def _footnote_holder(anchor: Node) -> Node | None:
    node = anchor.parent
    paragraph = None
    while node is not None and node.tag != "#root":
        if node.tag == "li" or (node.tag == "div" and node.attrs.get("id")):
            return node
        if paragraph is None and node.tag == "p":
            paragraph = node
        node = node.parent
    return paragraph


def _is_block(node: Node) -> bool:
    if node.tag in BLOCKS:
        return True
    if is_fallback(node):
        return False
    # Google Docs wraps the whole copy in <b style="font-weight:normal">: a container.
    return any(isinstance(c, Node) and _is_block(c) for c in node.children)


def _styled(node: Node, fmt: _Fmt) -> _Fmt:
    """``fmt`` as ``node`` changes it: by its tag, or by a style that says otherwise
    (Google Docs writes every run as a span with its weight and slant spelled out)."""
    tag = node.tag
    style = node.style()
    weight = style.get("font-weight", "")
    if weight:
        fmt = fmt._replace(bold=bool(_BOLD_WEIGHT.match(weight)))
    elif tag in {"b", "strong"}:
        fmt = fmt._replace(bold=True)
    slant = style.get("font-style", "")
    if slant:
        fmt = fmt._replace(italic=slant in {"italic", "oblique"})
    elif tag in {"i", "em", "cite", "dfn"}:
        fmt = fmt._replace(italic=True)
    if tag in _CODE_TAGS or _MONO.search(style.get("font-family", "")):
        fmt = fmt._replace(code=True)
    return fmt


def _escape(text: str) -> str:
    """Plain text as Markdown that reads as the same text (never as markup)."""
    text = re.sub(r"\s+", " ", text)
    return _ESCAPE.sub(
        lambda m: "&lt;" if m.group(2) else "&amp;" if m.group(3) else "\\" + m.group(0), text
    )


def _escape_line_starts(paragraph: str) -> str:
    """A paragraph whose lines start as a heading, quote or list would read as one."""
    return _LINE_START.sub(_escaped_start, paragraph)


def _escaped_start(match: re.Match[str]) -> str:
    lead = match["lead"]
    if match["mark"]:
        return f"{lead}\\{match['mark']}"
    if match["number"]:
        return f"{lead}{match['number']}\\{match['dot']}"  # "1984\. A year": not a list
    return f"{lead}&#61;"  # Python-Markdown has no escape for "="


def _next_is_break(runs: list[_Run], index: int) -> bool:
    for run in runs[index + 1 :]:
        if run.kind == "break":
            return True
        if run.kind != "text" or run.text.strip():
            return False
    return False


def _render(runs: list[_Run]) -> str:
    """Inline runs as Markdown: white space collapsed, emphasis and links around words."""
    runs = _tidy(runs)
    return _group(runs, 0).strip(" ")


def _tidy(runs: list[_Run]) -> list[_Run]:
    """Runs with white space collapsed across them and line breaks at the edges dropped."""
    out: list[_Run] = []
    space_before = True
    for run in runs:
        if run.kind == "break":
            if out:
                out.append(run)
            space_before = True
            continue
        text = run.text
        if run.kind == "text" and not run.fmt.code:
            text = re.sub(r"\s+", " ", text)
            if space_before:
                text = text.lstrip(" ")
            if not text:
                continue
            space_before = text.endswith(" ")
        else:
            space_before = False
        out.append(_Run(text, run.fmt, run.kind))
    while out and out[-1].kind == "break":
        out.pop()
    return out


_LEVELS: tuple[Callable[[_Fmt], object], ...] = (
    lambda f: f.href,
    lambda f: f.bold,
    lambda f: f.italic,
    lambda f: f.code,
)


def _group(runs: list[_Run], level: int) -> str:
    """Runs grouped by link, then bold, then italic, then code, each group wrapped once."""
    if level == len(_LEVELS):
        return "".join("  \n" if r.kind == "break" else r.text for r in runs)
    key = _LEVELS[level]
    out: list[str] = []
    index = 0
    while index < len(runs):
        value = key(runs[index].fmt)
        end = index
        while end < len(runs) and key(runs[end].fmt) == value:
            end += 1
        inner = _group(runs[index:end], level + 1)
        out.append(_wrap(inner, level, value, runs[index:end]))
        index = end
    return "".join(out)


def _wrap(inner: str, level: int, value: object, runs: list[_Run]) -> str:
    if not value:
        return inner
    stripped = inner.strip(" ")
    if not stripped:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip(" "))]
    trail = inner[len(inner.rstrip(" ")) :]
    if level == 0:
        text = stripped
        if text.replace("\\", "") == str(value):
            return f"{lead}<{value}>{trail}"
        return f"{lead}[{text}]({value}){trail}"
    if level == 3:
        raw = "".join(r.text for r in runs if r.kind == "text").strip(" ")
        ticks = "`" * (max((len(t) for t in re.findall(r"`+", raw)), default=0) + 1)
        pad = " " if raw.startswith("`") or raw.endswith("`") else ""
        return f"{lead}{ticks}{pad}{raw}{pad}{ticks}{trail}"
    marker = "**" if level == 1 else "*"
    return f"{lead}{marker}{stripped}{marker}{trail}"


def _prefix(text: str, prefix: str, empty: str) -> str:
    return "\n".join(prefix + line if line.strip() else empty for line in text.split("\n"))


def _item(marker: str, blocks: list[str]) -> str:
    first, *rest = blocks
    lines = [f"{marker} " + _prefix(first, _INDENT, "")[len(_INDENT) :]]
    for block in rest:
        nested = block.startswith(("- ", "1.")) or re.match(r"^\d+\. ", block)
        lines.append(("" if nested else "\n") + _prefix(block, _INDENT, ""))
    return "\n".join(lines)


def _fenced(code: str) -> str:
    code = code.strip("\n")
    longest = max((len(t) for t in re.findall(r"`{3,}", code)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}\n{code}\n{fence}" if code.strip() else ""


def _rows(table: Node) -> list[Node]:
    rows: list[Node] = []
    for child in table.children:
        if not isinstance(child, Node):
            continue
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in {"thead", "tbody", "tfoot"}:
            rows += [c for c in child.children if isinstance(c, Node) and c.tag == "tr"]
    return rows


def _span(cell: Node) -> int:
    try:
        return max(1, min(int(cell.attrs.get("colspan", "1")), 50))
    except ValueError:
        return 1


def _table_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _lift(root: Node, classes: Collection[str], converter: _Converter) -> dict[str, str]:
    lifted: dict[str, str] = {}
    for node in root.walk():
        found = node.classes() & set(classes)
        for name in found:
            if name not in lifted:
                text = " ".join(_render(converter.runs_of(node)).split())
                lifted[name] = text
                node.remove()
    return lifted


_RICH = re.compile(
    r"<(?:b|strong|i|em|h[1-6]|ul|ol|table|blockquote|sup)[\s>]|<a\s[^>]*href|"
    r"font-(?:weight|style)\s*:",
    re.IGNORECASE,
)


def worth_converting(html: str) -> bool:
    """Whether pasted HTML carries more than plain text (emphasis, links, lists...); if it
    does not, the clipboard's plain text is pasted as it is."""
    return bool(_RICH.search(html))


def html_to_markdown(
    html: str,
    *,
    base_url: str = "",
    pictures: PictureHook | None = None,
    lift: Collection[str] = (),
) -> Converted:
    """Convert ``html`` to clean Markdown.

    ``base_url`` resolves relative links (without one they become plain text);
    ``pictures`` decides which pictures stay (none by default: pasted pictures are never
    fetched); ``lift`` names classes whose first element is taken out of the body and
    returned in ``Converted.lifted`` (a Word document's title and subtitle).
    """
    root, noted = parse(html)
    base = next((n.attrs.get("href", "") for n in root.walk() if n.tag == "base"), "")
    converter = _Converter(base_url or base, pictures)
    lifted = _lift(root, lift, converter) if lift else {}
    converter.take_footnotes(root)
    blocks = converter.blocks(root)
    notes = converter.footnote_lines()
    markdown = "\n\n".join(blocks + (["\n".join(notes)] if notes else []))
    dropped = Counter(noted)
    dropped.update(converter.dropped)
    return Converted(
        markdown.strip("\n") + "\n" if markdown.strip() else "",
        tuple(f"{what} ({count}×)" if count > 1 else what for what, count in dropped.items()),
        lifted,
    )
