"""What Hugo's and Jekyll's body converters share: the scan's state and Markdown builders."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from newsdesk.core import text as text_rules

# The longest shortcode or Liquid tag read before it counts as unclosed: a bound that keeps
# a body full of stray "{{<" linear.
MAX_TAG = 4000


@dataclass(slots=True)
class Scan:
    """One body being converted: the text, what is written so far and the report."""

    text: str
    resolve: Callable[[str], str | None]
    out: list[str] = field(default_factory=list)
    converted: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    # The last place whose line was counted, and its line: lines are asked for in order.
    counted_to: int = 0
    counted_line: int = 1
    # Searches that found nothing to the end need not run again from a later place.
    no_run_after: dict[int, int] = field(default_factory=dict)
    no_close_after: dict[str, int] = field(default_factory=dict)
    paragraph_end: int = -1
    # Site shortcodes opened and not closed yet, innermost last, and how many of each
    # name (so a closing tag that matches none is told without walking the list).
    open_tags: list[str] = field(default_factory=list)
    open_count: Counter[str] = field(default_factory=Counter)

    def line(self, pos: int) -> int:
        """The 1-based line number of ``pos``."""
        if pos < self.counted_to:
            self.counted_to, self.counted_line = 0, 1
        self.counted_line += self.text.count("\n", self.counted_to, pos)
        self.counted_to = pos
        return self.counted_line

    def note(self, pos: int, what: str) -> None:
        self.converted.append(f"line {self.line(pos)}: {what}")

    def flag(self, pos: int, what: str) -> None:
        self.flagged.append(f"line {self.line(pos)}: {what}")

    def find_close(self, key: str, pattern: re.Pattern[str], pos: int) -> re.Match[str] | None:
        """``pattern``'s next match from ``pos``; remembers when there is none to the end."""
        if self.no_close_after.get(key, len(self.text) + 1) <= pos:
            return None
        found = pattern.search(self.text, pos)
        if found is None:
            self.no_close_after[key] = pos
        return found


def code_block(code: str, language: str) -> str:
    """A fenced code block holding ``code`` exactly, its fence longer than any inside."""
    body = code.removeprefix("\r\n").removeprefix("\n").rstrip("\n")
    runs = [len(m) for m in re.findall(r"`{3,}", body)]
    fence = "`" * max(3, *(n + 1 for n in runs)) if runs else "```"
    lang = re.sub(r"[^\w+#.-]", "", language)[:40]
    return f"{fence}{lang}\n{body}\n{fence}"


def link_text(words: str) -> str:
    """``words`` safe inside ``[...]``: one line, brackets and backslashes escaped."""
    line = text_rules.clean_line(words)
    return line.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def destination(url: str) -> str:
    """A link destination; angle brackets hold one with spaces or parentheses."""
    url = text_rules.clean_line(url)
    if re.search(r"[\s()<>]", url):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def link(words: str, url: str) -> str:
    """A Markdown link."""
    return f"[{link_text(words)}]({destination(url)})"


def image(src: str, alt: str, caption: str) -> str:
    """A Markdown picture; the caption is its title, as Newsdesk's bodies write it."""
    title = text_rules.clean_line(caption).replace("\\", "\\\\").replace('"', '\\"')
    title_part = f' "{title}"' if title else ""
    return f"![{link_text(alt)}]({destination(src)}{title_part})"


def block(scan: Scan, end: int, markdown: str) -> str:
    """``markdown`` as a block of its own: blank lines added where the text runs on."""
    before = _tail(scan.out)
    if not before or before.endswith("\n\n") or before == "\n":
        lead = ""
    else:
        lead = "\n" if before.endswith("\n") else "\n\n"
    after = scan.text[end : end + 2]
    if end >= len(scan.text) or after.startswith("\n\n"):
        trail = ""
    else:
        trail = "\n" if after.startswith("\n") else "\n\n"
    return f"{lead}{markdown}{trail}"


def _tail(pieces: list[str]) -> str:
    """The last two characters written ("" at the very start)."""
    tail = ""
    for piece in reversed(pieces):
        tail = piece + tail
        if len(tail) >= 2:
            return tail[-2:]
    return tail
