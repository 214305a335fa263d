"""Pasted or converted HTML as a small tree, forgiving as browsers are, with what Word and
Google Docs put on the clipboard straightened out (list paragraphs, fallback sections)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser

VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Elements whose content is never text of the story.
SKIPPED = frozenset(
    "script style head title template noscript iframe frame frameset object applet svg math "
    "canvas textarea select button xml v:shape v:shapetype v:imagedata o:smarttagtype "
    "video audio".split()
)
BLOCKS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 ul ol li blockquote pre table thead tbody tfoot tr td th hr "
    "section article header footer main aside nav figure figcaption dl dt dd address body "
    "html center details summary form fieldset caption".split()
)
_CLOSES_P = frozenset(
    "p div h1 h2 h3 h4 h5 h6 ul ol blockquote pre table hr section article header footer "
    "main aside nav figure dl address form".split()
)
# Reported when dropped: what the person pasting may wonder about.
NOTED = {
    "script": "a script (never run)",
    "iframe": "an embedded frame",
    "object": "an embedded object",
    "applet": "an embedded object",
    "video": "a video",
    "audio": "an audio player",
    "form": "a form",
}
MAX_DEPTH = 100  # the tree is walked recursively; hostile HTML nests thousands deep
_MSO_LIST = re.compile(r"mso-list:\s*l(\d+)\s+level(\d+)", re.IGNORECASE)
_ORDERED_MARK = re.compile(r"^\s*\(?(?:\d+|[a-zA-Z]|[ivxlcdmIVXLCDM]+)[.)]")


@dataclass(slots=True, eq=False)
class Node:
    """One element: its tag, attributes and children (elements or text)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)
    parent: Node | None = None

    def style(self) -> dict[str, str]:
        """The element's inline CSS as ``property -> value`` (lowercase; do not change it)."""
        return _style(self.attrs.get("style", ""))

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self) -> list[Node]:
        """This element and every element below it, in document order."""
        found = [self]
        for child in self.children:
            if isinstance(child, Node):
                found.extend(child.walk())
        return found

    def append(self, child: Node | str) -> None:
        if isinstance(child, Node):
            child.parent = self
        self.children.append(child)

    def remove(self) -> None:
        if self.parent is not None:
            self.parent.children = [c for c in self.parent.children if c is not self]
            self.parent = None


@lru_cache(maxsize=512)
def _style(css: str) -> dict[str, str]:
    # Google Docs repeats one long style on every span of a document: read it once.
    found: dict[str, str] = {}
    for part in css.split(";"):
        name, colon, value = part.partition(":")
        if colon:
            found[name.strip().lower()] = value.strip().lower()
    return found


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]
        self.skipping: list[str] = []  # open skipped elements
        self.noted: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag == self.skipping[-1] or (tag in SKIPPED and tag not in VOID):
                self.skipping.append(tag)
            return
        if tag in NOTED:
            self.noted.append(NOTED[tag])
        if tag in SKIPPED:
            self.skipping.append(tag)
            return
        self._close_implied(tag)
        if len(self.stack) > MAX_DEPTH and tag not in VOID:
            return  # deeper nesting than any document has: its words join the level above
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and not self.skipping and self.stack[-1].tag == tag:
            self.stack.pop()
        elif self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def _close_implied(self, tag: str) -> None:
        """``<p>a<p>b`` and ``<li>a<li>b``: the open paragraph or item ends, as in a browser."""
        if tag in _CLOSES_P:
            self._pop_to("p", stop={"li", "td", "th", "blockquote", "div"})
        if tag == "li":
            self._pop_to("li", stop={"ul", "ol"})
        if tag in {"td", "th"}:
            self._pop_to(("td", "th"), stop={"tr", "table"})
        if tag == "tr":
            self._pop_to("tr", stop={"table"})

    def _pop_to(self, tags: str | tuple[str, ...], stop: set[str]) -> None:
        names = (tags,) if isinstance(tags, str) else tags
        for index in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[index].tag
            if tag in names:
                del self.stack[index:]
                return
            if tag in stop:
                return

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.stack[-1].append(data)

    def unknown_decl(self, data: str) -> None:
        """Word's ``<![if !supportLists]>…<![endif]>``: fallback content for other programs
        (a list's bullet typed out, a footnote rule), kept aside as a ``#cond`` element."""
        if self.skipping:
            return
        words = data.strip()
        if words.lower().startswith("if"):
            node = Node("#cond", {"cond": words[2:].strip().lower()})
            self.stack[-1].append(node)
            self.stack.append(node)
        elif words.lower().startswith("endif"):
            for index in range(len(self.stack) - 1, 0, -1):
                if self.stack[index].tag == "#cond":
                    del self.stack[index:]
                    return


def parse(html: str) -> tuple[Node, list[str]]:
    """The tree of ``html`` (straightened out), and what was dropped while reading it."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    root = builder.root
    for node in root.walk():
        if any(isinstance(c, Node) and _MSO_LIST.search(c.attrs.get("style", "")) for c in
               node.children):  # fmt: skip
            node.children = _word_lists(node)
    return root, builder.noted


def is_fallback(node: Node) -> bool:
    """Word's fallback content for programs without lists or footnotes: never story text."""
    return node.tag == "#cond" and node.attrs.get("cond", "").startswith("!support")


def _word_lists(parent: Node) -> list[Node | str]:
    """Word's list paragraphs (``mso-list:l0 level2``) turned into nested real lists."""
    out: list[Node | str] = []
    stack: list[tuple[int, Node]] = []  # (level, list element) from outermost
    current = ""  # Word's list id (l0, l1...): another id starts another list
    for child in parent.children:
        match = _MSO_LIST.search(child.attrs.get("style", "")) if isinstance(child, Node) else None
        if match is None or not isinstance(child, Node):
            if isinstance(child, str) and not child.strip() and stack:
                continue  # white space between list paragraphs
            stack = []
            out.append(child)
            continue
        level = int(match.group(2))
        if match.group(1) != current:
            stack, current = [], match.group(1)
        while stack and stack[-1][0] > level:
            stack.pop()
        if not stack or stack[-1][0] < level:
            marker = "".join(n.text() for n in child.walk() if is_fallback(n))
            new = Node("ol" if _ORDERED_MARK.match(marker) else "ul")
            if stack:
                holder = stack[-1][1]
                items = [c for c in holder.children if isinstance(c, Node)]
                (items[-1] if items else holder).append(new)
            else:
                new.parent = parent
                out.append(new)
            stack.append((level, new))
        item = Node("li")
        for grandchild in child.children:
            item.append(grandchild)
        stack[-1][1].append(item)
    return out
