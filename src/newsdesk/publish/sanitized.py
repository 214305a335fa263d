"""Telling, without sanitizing again, that HTML is already what the sanitizer gives.

Bodies come out of the render cache as HTML the sanitizer made, but the cache is a file
anyone may edit, so export checks them again before they reach a page. :func:`clean_cached`
keeps a body as it is only when :func:`is_sanitized` proves that the sanitizer would give
it back unchanged; anything else, however harmless, goes through :func:`clean_html`.

The proof is a strict grammar of the sanitizer's own output: allowed tags only, nested so
that an HTML parser builds exactly the tree the markup spells (no element that a parser
would close early, move or leave out), the attributes the allow-list keeps with values its
filters keep, and text escaped as its serializer escapes it. Checking is cheaper than
cleaning; tests hold it to ``is_sanitized(html)`` implying ``clean_html(html) == html`` on
generated and hostile input.
"""

from __future__ import annotations

import re

from newsdesk.core.urls import url_scheme
from newsdesk.publish.sanitize import (
    ALLOWED_CLASSES,
    KEYWORD_VALUES,
    RESERVED_ID_PREFIX,
    SIZES,
    clean_html,
    clean_srcset,
)

_TAG = re.compile(r'<(/?)([a-z][a-z0-9]*)((?: [a-z][a-z0-9-]*="[^"<>]*")*)>')
_ATTRIBUTE = re.compile(r' ([a-z][a-z0-9-]*)="([^"<>]*)"')
_SPACE = re.compile(r"[ \t\n]*")

# Nowhere: a character a parser drops or changes (NUL, CR, other C0 controls, a byte order
# mark; a lone surrogate does not even encode), a no-break space (written &nbsp;), or a
# character reference the serializer does not write.
_CONTROLS = bytes([*range(0x09), *range(0x0B, 0x20), 0x7F])
_NOT_CONTROLS = bytes(b for b in range(256) if b not in _CONTROLS)
_REFERENCES = ("&amp;", "&lt;", "&gt;", "&quot;", "&nbsp;")

_ID = re.compile(r"^[^\W\d][\w:.-]{0,127}$")  # as the sanitizer's attribute filter
_LANGUAGE_CLASS = re.compile(r"^language-[A-Za-z0-9+#_-]{1,32}$")
_NUMBERS = frozenset({"data-line", "colspan", "rowspan", "start", "value", "width", "height"})
_LINK_REL = "noopener noreferrer"  # the sanitizer adds it, last, to every link

# URLs kept as written: relative (no scheme), http(s) with a plain host name whose last
# label starts with a letter (a URL parser reads digits there as an IPv4 address), or
# mailto; only RFC 3986 characters, a percent sign only before two hex digits.
_URL_CHARS = r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_LAST_LABEL = r"[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ABSOLUTE = re.compile(
    rf"https?://(?:{_LABEL}\.)*{_LAST_LABEL}(?::[0-9]{{1,4}})?(?:[/?#]{_URL_CHARS}*)?"
    rf"|mailto:{_URL_CHARS}+",
    re.IGNORECASE,
)
_RELATIVE = re.compile(rf"{_URL_CHARS}*")

_PHRASING = frozenset(
    {
        "a", "abbr", "b", "br", "cite", "code", "del", "dfn", "em", "i", "img", "ins", "kbd",
        "mark", "picture", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time",
        "u", "var", "wbr",
    }
)  # fmt: skip
_BLOCKS = frozenset(
    {
        "blockquote", "details", "div", "dl", "figcaption", "figure", "h2", "h3", "h4", "h5",
        "h6", "hr", "ol", "p", "pre", "summary", "table", "ul",
    }
)  # fmt: skip
_VOID = frozenset({"br", "col", "hr", "img", "source", "wbr"})
# Content is phrasing only: a block start tag in any of them makes a parser close an
# element early (a <div> closes an open <p>, a heading another heading).
_PHRASING_ONLY = _PHRASING | {"p", "h2", "h3", "h4", "h5", "h6", "pre", "summary"}
# Elements that hold only these children (and white space between them), and elements
# allowed only right inside one of these parents: a parser adds or moves anything else.
_CHILDREN: dict[str, frozenset[str]] = {
    "ul": frozenset({"li"}),
    "ol": frozenset({"li"}),
    "dl": frozenset({"dt", "dd"}),
    "table": frozenset({"caption", "colgroup", "thead", "tbody", "tfoot"}),
    "thead": frozenset({"tr"}),
    "tbody": frozenset({"tr"}),
    "tfoot": frozenset({"tr"}),
    "tr": frozenset({"td", "th"}),
    "colgroup": frozenset({"col"}),
}
_PARENTS: dict[str, frozenset[str]] = {}
for _parent, _children in _CHILDREN.items():
    for _child in _children:
        _PARENTS[_child] = _PARENTS.get(_child, frozenset()) | {_parent}
# A picture holds its sources and one image (an image is allowed elsewhere too).
_CHILDREN["picture"] = frozenset({"source", "img"})
_PARENTS["source"] = frozenset({"picture"})
_KNOWN = _PHRASING | _BLOCKS | _PARENTS.keys()

_GLOBAL = frozenset({"id", "class", "title", "lang", "dir", "data-line"})
_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "img": frozenset(
        {"src", "alt", "width", "height", "srcset", "sizes", "loading", "decoding", "fetchpriority"}
    ),
    "source": frozenset({"type", "srcset", "sizes"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "th": frozenset({"colspan", "rowspan", "scope", "align"}),
    "ol": frozenset({"start", "reversed"}),
    "li": frozenset({"value"}),
    "time": frozenset({"datetime"}),
    "details": frozenset({"open"}),
}
_ALIGN = frozenset({"left", "right", "center"})

# Attribute lists already judged, by (tag, attributes): bodies repeat the same few.
_JUDGED: dict[tuple[str, str], bool] = {}
_JUDGED_SIZE = 4096


def clean_cached(html: str) -> str:
    """``html`` as the sanitizer gives it: as it is when it provably is that already."""
    return html if is_sanitized(html) else clean_html(html)


def is_sanitized(html: str) -> bool:
    """True only when ``clean_html(html)`` returns ``html`` unchanged."""
    if not _characters_ok(html):
        return False
    pieces = _TAG.split(html)  # text, then (closing, name, attributes, text) per tag
    tags = len(pieces) // 4
    # Every < and > belongs to a tag (attribute values hold neither): text holds none.
    if html.count("<") != tags or html.count(">") != tags:
        return False
    if "&quot;" in html and any("&quot;" in text for text in pieces[::4]):
        return False  # the serializer writes " in text as it is
    stack: list[str] = []
    for at in range(1, len(pieces), 4):
        closing, name, attributes, text = pieces[at : at + 4]
        if closing:
            if attributes or not stack or stack[-1] != name:
                return False
            stack.pop()
        else:
            if not _element_ok(name, stack):
                return False
            if attributes or name == "a":
                judged = _JUDGED.get((name, attributes))
                if judged is None:
                    if len(_JUDGED) >= _JUDGED_SIZE:
                        _JUDGED.clear()
                    judged = _JUDGED[name, attributes] = _attributes_ok(name, attributes)
                if not judged:
                    return False
            if name not in _VOID:
                stack.append(name)
        if text and stack and not _text_ok(text, stack[-1]):
            return False
    return not stack


def _characters_ok(html: str) -> bool:
    try:
        data = html.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    if data.translate(None, _NOT_CONTROLS) or b"\xc2\xa0" in data or b"\xef\xbb\xbf" in data:
        return False  # a control, a no-break space or a byte order mark
    at = html.find("&")
    while at != -1:
        if not html.startswith(_REFERENCES, at):
            return False
        at = html.find("&", at + 1)
    return True


def _text_ok(text: str, parent: str) -> bool:
    """Text right inside ``parent`` (its characters are checked already)."""
    if parent in _CHILDREN:  # between items, rows, cells: white space only
        return _SPACE.fullmatch(text) is not None
    # A parser drops a line feed right after <pre>; the serializer writes it back only
    # when another follows: leave that to the sanitizer.
    return not (parent == "pre" and text[0] == "\n")


def _element_ok(name: str, stack: list[str]) -> bool:
    if name not in _KNOWN:
        return False
    parent = stack[-1] if stack else None
    parents = _PARENTS.get(name)
    if parents is not None:
        return parent in parents
    if parent is not None:
        if parent in _CHILDREN:
            return name in _CHILDREN[parent]
        if parent in _PHRASING_ONLY and name not in _PHRASING:
            return False
    return not (name == "a" and "a" in stack)  # a parser takes a link in a link apart


def _attributes_ok(name: str, attributes: str) -> bool:
    items = _ATTRIBUTE.findall(attributes)
    if name == "a":
        if not items or items[-1] != ("rel", _LINK_REL):
            return False
        items = items[:-1]
    allowed = _ATTRIBUTES.get(name, frozenset())
    seen: set[str] = set()
    for attribute, value in items:
        if attribute in seen or (attribute not in _GLOBAL and attribute not in allowed):
            return False
        seen.add(attribute)
        if not _value_ok(attribute, value):
            return False
    return True


def _value_ok(attribute: str, value: str) -> bool:
    if attribute == "id":
        return (
            "&" not in value
            and _ID.match(value) is not None
            and not value.lower().startswith(RESERVED_ID_PREFIX)
        )
    if attribute == "class":
        classes = value.split()
        return (
            "&" not in value
            and " ".join(classes) == value
            and all(c in ALLOWED_CLASSES or _LANGUAGE_CLASS.match(c) for c in classes)
        )
    if attribute in _NUMBERS:
        return value.isdigit() and len(value) <= 7
    if attribute == "align":
        return value in _ALIGN
    if attribute in {"href", "src"}:
        return _url_ok(value)
    if attribute in KEYWORD_VALUES:
        return value in KEYWORD_VALUES[attribute]
    if attribute == "sizes":
        return "&" not in value and SIZES.match(value) is not None
    if attribute == "srcset":
        return _srcset_ok(value)
    return True


def _srcset_ok(value: str) -> bool:
    """As the sanitizer writes it, with each URL one this grammar keeps as written."""
    if "&" in value or clean_srcset(value) != value:
        return False
    return all(_url_ok(candidate.split(" ")[0]) for candidate in value.split(", "))


def _url_ok(value: str) -> bool:
    if value.count("&") != value.count("&amp;"):  # no reference but &amp; in a URL
        return False
    url = value.replace("&amp;", "&")
    if url_scheme(url) is not None:
        return _ABSOLUTE.fullmatch(url) is not None and "xn--" not in url.lower()
    return _RELATIVE.fullmatch(url) is not None
