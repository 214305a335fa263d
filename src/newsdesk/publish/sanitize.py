"""The allow-list every piece of HTML that came from content passes before it reaches a page.

It is the only one. Bodies taken from the render cache (a file anyone may edit) are
sanitized again with it on export, once, where the hand-off HTML is made
(:func:`without_source_lines`). A faster check that restated this allow-list to accept
cached bodies unchanged saved about 3 % of a full export from the cache and under 1 % of a
re-export after an edit; it was dropped (figures in bench/README.md).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import nh3

from newsdesk.core.urls import WEB_SCHEMES, url_scheme

# Ids the theme gives its own regions start with this; content may not borrow them, or a
# body could hide or replace the real headline or related list in the live preview.
RESERVED_ID_PREFIX = "nd-"

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
        "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
        "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
        "p", "picture", "pre", "q", "s", "samp", "small", "source", "span", "strong", "sub",
        "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u",
        "ul", "var", "wbr",
    }
)  # fmt: skip

# Removed together with everything inside them: their text is never meant to be read.
DROPPED_WITH_CONTENT = frozenset(
    {
        "script", "style", "template", "iframe", "object", "embed", "noscript", "svg",
        "math", "textarea", "select", "title", "xmp", "noembed", "noframes", "frameset",
        "frame", "applet", "canvas", "audio", "video", "head",
    }
)  # fmt: skip

_GLOBAL_ATTRIBUTES = {"id", "class", "title", "lang", "dir", "data-line"}
_ATTRIBUTES: dict[str, set[str]] = {
    "*": _GLOBAL_ATTRIBUTES,
    "a": {"href"},
    "img": {
        "src",
        "alt",
        "width",
        "height",
        "srcset",
        "sizes",
        "loading",
        "decoding",
        "fetchpriority",
    },
    "source": {"type", "srcset", "sizes"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "abbr": set(),
    "time": {"datetime"},
    "details": {"open"},
}
_ALIGN = {"left", "right", "center"}
# Attributes that hold a small whole number (the preview's source line, table spans, list
# numbers, picture sizes).
_NUMBERS = frozenset({"data-line", "colspan", "rowspan", "start", "value", "width", "height"})
_TAG_ATTRIBUTE_VALUES = {"td": {"align": _ALIGN}, "th": {"align": _ALIGN}}
# Attributes that take one word from a short list (the pictures' loading hints and types).
_KEYWORD_VALUES: dict[str, frozenset[str]] = {
    "loading": frozenset({"lazy", "eager"}),
    "decoding": frozenset({"async", "sync", "auto"}),
    "fetchpriority": frozenset({"high", "low", "auto"}),
    "type": frozenset({"image/webp", "image/jpeg", "image/png", "image/gif", "image/avif"}),
}
# A ``sizes`` value: media conditions and lengths, nothing that could hold a URL or quote.
_SIZES = re.compile(r"^[a-z0-9 ().,:%+*/-]{1,200}$")
_SRCSET_DESCRIPTOR = re.compile(r"^(?:[1-9][0-9]{0,4}w|[1-9](?:\.[0-9]{1,2})?x)$")

# Classes the footnotes and table-of-contents extensions emit, code-block languages, and
# those of the pictures placed from the media store.
_ALLOWED_CLASSES = frozenset(
    {
        "footnote", "footnote-ref", "footnote-backref", "toc", "toclink", "admonition",
        "body-figure", "caption", "credit", "media-missing",
    }
)  # fmt: skip
_LANGUAGE_CLASS = re.compile(r"^language-[A-Za-z0-9+#_-]{1,32}$")
_ID = re.compile(r"^[^\W\d][\w:.-]{0,127}$")
_URL_JUNK = re.compile(r"[\x00-\x20\x7f\\]")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "id":
        if _ID.match(value) and not value.lower().startswith(RESERVED_ID_PREFIX):
            return value
        return None
    if attribute == "class":
        kept = [c for c in value.split() if c in _ALLOWED_CLASSES or _LANGUAGE_CLASS.match(c)]
        return " ".join(kept) or None
    if attribute in _NUMBERS:
        return value if value.isdigit() and len(value) <= 7 else None
    if attribute in _KEYWORD_VALUES:
        return value if value in _KEYWORD_VALUES[attribute] else None
    if attribute == "sizes":
        return value if _SIZES.match(value) else None
    if attribute == "srcset":
        return _clean_srcset(value)
    return value


def _clean_srcset(value: str) -> str | None:
    """A ``srcset`` whose every URL a page may load (relative or http(s)), each with a
    width or density, written as ``url 480w, url 800w``; ``None`` when any is not."""
    candidates = []
    for candidate in value.split(","):
        parts = candidate.split()
        if len(parts) != 2 or not _SRCSET_DESCRIPTOR.match(parts[1]):
            return None
        url = safe_url(parts[0])
        if url is None:
            return None
        candidates.append(f"{url} {parts[1]}")
    return ", ".join(candidates) or None


def clean_html(html: str, *, keep_source_lines: bool = True) -> str:
    """Sanitize content HTML against the allow-list; the output is stable for a given input."""
    attributes = _ATTRIBUTES
    if not keep_source_lines:
        attributes = {**_ATTRIBUTES, "*": _GLOBAL_ATTRIBUTES - {"data-line"}}
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes=attributes,
        attribute_filter=_attribute_filter,
        strip_comments=True,
        link_rel="noopener noreferrer",
        tag_attribute_values=_TAG_ATTRIBUTE_VALUES,
        url_schemes=set(WEB_SCHEMES),
    )


def without_source_lines(html: str) -> str:
    """The same sanitized HTML without the preview's ``data-line`` markers (for hand-off files)."""
    return clean_html(html, keep_source_lines=False)


def safe_url(url: str, *, allow_relative: bool = True, allow_mailto: bool = False) -> str | None:
    """``url`` when a browser may follow or load it from a news page, else ``None``.

    Only ``http``/``https`` (and ``mailto`` when asked) are allowed; relative references pass
    when ``allow_relative``. Anything with control characters, spaces or backslashes is
    refused, which also rules out Windows paths and schemes hidden behind whitespace.
    """
    url = url.strip()
    if not url or _URL_JUNK.search(url) or len(url) > 2048:
        return None
    scheme = url_scheme(url)
    if scheme is None:
        if url.startswith("//"):
            return None  # protocol-relative: a remote load whose scheme we did not choose
        return url if allow_relative else None
    if scheme in {"http", "https"}:
        parts = urlsplit(url)
        return url if parts.netloc else None
    if scheme == "mailto" and allow_mailto:
        return url
    return None


def absolute_url(base_url: str, url: str) -> str | None:
    """``url`` made absolute against the publication's ``base_url`` (http/https only)."""
    checked = safe_url(url)
    if checked is None:
        return None
    joined = urljoin(base_url, checked)
    return joined if url_scheme(joined) in {"http", "https"} else None


def origin(url: str) -> str | None:
    """``scheme://host[:port]`` of an absolute http(s) URL, for the page's security policy."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc or _URL_JUNK.search(url):
        return None
    return f"{parts.scheme}://{parts.netloc}"
