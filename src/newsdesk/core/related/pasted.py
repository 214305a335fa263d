"""What a pasted list holds: links copied from a web page, or lines of text.

A list copied from a web page arrives as HTML (each link's text is its headline) and as
plain text, where a page's "Related articles" usually reads as pairs: the headline on
one line, its address on the next. Both become :class:`PastedEntry` items; which of them
become related links (and which are refused, and why) is decided where the archive is
known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\(\s*(\S+?)\s*\)")
_URL_IN_TEXT = re.compile(r"(?:https?://|www\.)[^\s<>\"“”‘’`]+", re.IGNORECASE)
_BULLET = "-*•·–—"
_AROUND_TITLE = " \t-–—|:<>()[]\"'“”‘’"


@dataclass(frozen=True, slots=True)
class PastedEntry:
    """One item of a pasted list: an address (with its title when one was given), or a
    headline alone, to look up in the archive. ``text`` is what was pasted for it."""

    text: str
    url: str = ""
    title: str = ""

    @property
    def is_url(self) -> bool:
        return bool(self.url)


def parse_pasted(block: str) -> list[PastedEntry]:
    """The entries of a pasted block of text, in order.

    ``[Title](https://...)`` and ``Title https://...`` keep their titles. An address alone
    on its line takes the line before it as its title when that line has no address of
    its own ("headline, then URL on the next line", as a web page's list copies); any
    other line without an address is a headline to look up in the archive.
    """
    lines = [_clean(raw) for raw in block.splitlines()]
    entries: list[PastedEntry] = []
    waiting: str | None = None  # a line without an address: a title, or a headline
    for line in lines:
        if not line:
            continue
        found = _entries_of(line)
        if found is None:
            if waiting is not None:
                entries.append(PastedEntry(waiting))
            waiting = line
            continue
        if waiting is not None and len(found) == 1 and found[0].url and not found[0].title:
            title = waiting.strip(_AROUND_TITLE)
            entries.append(PastedEntry(f"{waiting}\n{line}", found[0].url, title))
        else:
            if waiting is not None:
                entries.append(PastedEntry(waiting))
            entries.extend(found)
        waiting = None
    if waiting is not None:
        entries.append(PastedEntry(waiting))
    return entries


def _clean(raw: str) -> str:
    return " ".join(raw.split()).lstrip(_BULLET).strip()


def _entries_of(line: str) -> list[PastedEntry] | None:
    """The addresses of one line with their titles; None for a line with none."""
    markdown = _MARKDOWN_LINK.findall(line)
    if markdown:
        return [PastedEntry(line, url, title.strip()) for title, url in markdown]
    urls = _URL_IN_TEXT.findall(line)
    if not urls:
        return None
    rest = _URL_IN_TEXT.sub(" ", line).strip(_AROUND_TITLE)
    title = " ".join(rest.split()) if len(urls) == 1 else ""
    return [PastedEntry(line, trim_url(url), title) for url in urls]


def trim_url(url: str) -> str:
    """An address without the sentence's punctuation after it; a closing bracket stays when
    it closes one of the address's own (``.../Flood_(disambiguation)``)."""
    while url and url[-1] in ".,;:!?)]":
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        if url[-1] == "]" and url.count("[") >= url.count("]"):
            break
        url = url[:-1]
    return url


def parse_pasted_html(html: str) -> list[PastedEntry]:
    """The links of pasted HTML, in order, each titled by its text. One address linked
    twice (a picture and a headline, say) is one entry, titled by the text that has
    words; links within the page (``#top``) are not entries."""
    reader = _LinkReader()
    reader.feed(html)
    reader.close()
    entries: dict[str, PastedEntry] = {}
    for href, text in reader.links:
        if not href or href.startswith("#"):
            continue
        title = " ".join(text.split())
        if _URL_IN_TEXT.fullmatch(title):
            title = ""  # the address shown as its own text is no headline
        known = entries.get(href)
        if known is None or (title and not known.title):
            entries[href] = PastedEntry(title or href, href, title)
    return list(entries.values())


class _LinkReader(HTMLParser):
    """Collects ``(href, text)`` for every ``<a href>`` of a fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._finish()
            self._href = (dict(attrs).get("href") or "").strip()
            self._text = []
        elif tag in {"br", "p", "div", "li"} and self._href is not None:
            self._text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._finish()

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self._finish()

    def _finish(self) -> None:
        if self._href is not None:
            self.links.append((self._href, "".join(self._text)))
        self._href, self._text = None, []


def has_links(html: str) -> bool:
    """Whether pasted HTML holds at least one link (``<a href``): worth reading as a list."""
    return bool(re.search(r"<a\s[^>]*href", html, re.IGNORECASE))
