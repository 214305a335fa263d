"""Related links kept clean: addresses validated and normalised, entries made from what was typed.

The rules the related-links panel, the command line and the published page share:

- an external link is ``http`` or ``https`` with a host, no user name or password, and is
  normalised (host case, default port, trailing slash, fragment and tracking parameters
  such as ``utm_*`` dropped) so that one page has one spelling;
- entries are made from what was typed, pasted or dropped: an address, a slug, a headline
  and its address on the line after, or a link copied from a web page.

Duplicates (the same article, page or story twice) are found by
:mod:`newsdesk.core.related.duplicates`.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

from newsdesk.core.errors import ValidationError
from newsdesk.core.models import Article, ArticleSummary, RelatedLink, RelationKind
from newsdesk.core.urls import url_scheme

MAX_URL_LENGTH = 2048

TRACKING_PARAMETERS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok",
        "oly_anon_id", "oly_enc_id", "vero_id", "wickedid", "ref_src", "s_cid", "cmpid",
    }
)  # fmt: skip
"""Query parameters that identify a campaign or a reader, never the page."""
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "ga_")

_DEFAULT_PORTS = {"http": 80, "https": 443}
_BARE_HOST = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)+(?::\d+)?(?:[/?#]|$)", re.UNICODE)
_JUNK = re.compile(r"[\x00-\x20\x7f-\x9f\\<>\"`{}|^]")
# Invisible characters: zero-width spaces, bidirectional overrides (which make an address
# read differently from where it goes), and every kind of space or line separator.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
_QUERY_SAFE = "/:@!$'()*,;"
_UNRESERVED_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def normalize_url(raw: str) -> str:
    """The one spelling of an external link, or :class:`ValidationError` saying why not.

    A bare ``www.example.com/page`` gets ``https://``. Only ``http`` and ``https`` pass.
    """
    url = raw.strip()
    if not url:
        raise ValidationError("the link is empty: paste an address starting with https://")
    if len(url) > MAX_URL_LENGTH:
        raise ValidationError(f"the link is longer than {MAX_URL_LENGTH:,} characters")
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    bare = scheme not in _DEFAULT_PORTS and bool(_BARE_HOST.match(url)) and url[:2] != "//"
    if scheme not in _DEFAULT_PORTS and not bare and re.fullmatch(r"[a-z][a-z0-9+.-]*", scheme):
        raise ValidationError(
            f"'{scheme}:' links are not allowed: only http:// and https:// pages can "
            "be published as related links"
        )
    invisible = not url.isascii() and any(  # ASCII has none beyond what _JUNK finds
        unicodedata.category(c) in _INVISIBLE_CATEGORIES for c in url
    )
    if _JUNK.search(url) or invisible:
        raise ValidationError(
            "the link contains spaces, quotes or control characters: copy the address again "
            "from the browser's address bar"
        )
    if bare:
        url, scheme = "https://" + url, "https"
    elif scheme not in _DEFAULT_PORTS:
        raise ValidationError("not a web address: a related link starts with http:// or https://")
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None:
        raise ValidationError("links with a user name or password in them are refused")
    host = (parts.hostname or "").rstrip(".")
    if not host or ("." not in host and ":" not in host):
        raise ValidationError(f"{raw.strip()!r} has no host name, such as www.example.com")
    try:
        port = parts.port
    except ValueError:
        raise ValidationError(f"{raw.strip()!r} has an invalid port number") from None
    if port == 0:
        raise ValidationError(f"{raw.strip()!r} has an invalid port number")
    netloc = _host_for_url(host)
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    path = _remove_dot_segments(parts.path) or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    return urlunsplit((scheme, netloc, path, _clean_query(parts.query), ""))


_DOT = frozenset({".", "%2e"})
_DOT_DOT = frozenset({"..", ".%2e", "%2e.", "%2e%2e"})


def _remove_dot_segments(path: str) -> str:
    """``/a/./b/../c`` as ``/a/c`` (RFC 3986, 5.2.4): one page, one spelling. A ``..`` above
    the root stays at the root, as browsers resolve it."""
    if "." not in path and "%2" not in path.lower():
        return path
    kept: list[str] = []
    segments = path.split("/")[1:]
    for segment in segments:
        folded = segment.lower()
        if folded in _DOT_DOT:
            if kept:
                kept.pop()
        elif folded not in _DOT:
            kept.append(segment)
    return "/" + "/".join(kept)


def _clean_query(query: str) -> str:
    """The query with tracking parameters dropped and escapes made uniform; a flag without
    a value (``?amp``) stays without one."""
    kept: list[str] = []
    for item in query.split("&"):
        if not item:
            continue
        raw_key, has_value, raw_value = item.partition("=")
        key = unquote_plus(raw_key)
        if key.lower() in TRACKING_PARAMETERS or key.lower().startswith(TRACKING_PREFIXES):
            continue
        value = quote(unquote_plus(raw_value), safe=_QUERY_SAFE)
        kept.append(quote(key, safe=_QUERY_SAFE) + (f"={value}" if has_value else ""))
    return "&".join(kept)


def _host_for_url(host: str) -> str:
    host = host.lower()
    if ":" in host:  # an IPv6 literal
        return f"[{host}]"
    return host


@lru_cache(maxsize=1 << 16)
def url_key(url: str) -> str:
    """What makes two addresses the same page: scheme and a leading ``www.`` ignored."""
    try:
        normal = normalize_url(url)
    except ValidationError:
        return url.strip()
    parts = urlsplit(normal)
    host = parts.netloc.removeprefix("www.")
    with contextlib.suppress(UnicodeError):  # bücher.example is xn--bcher-kva.example
        host = host.encode("idna").decode("ascii")
    path, query = _uniform_escapes(parts.path), _uniform_escapes(parts.query)
    return urlunsplit(("", host, path, query, "")).lstrip("/")


def _uniform_escapes(text: str) -> str:
    """``%7E`` and ``~``, ``é`` and ``%C3%A9`` spelled one way (RFC 3986, 6.2.2)."""

    def unescape(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else match.group(0).upper()

    return quote(_UNRESERVED_ESCAPE.sub(unescape, text), safe="!#$%&'()*+,/:;=?@[]~")


# -- headlines ------------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 16)
def title_key(title: str) -> str:
    """A headline with case, accents and punctuation ignored (the page shows a title once;
    two headlines for one story are found by :mod:`newsdesk.core.related.duplicates`)."""
    return " ".join(_WORD.findall(_fold(title)))


# -- making entries -------------------------------------------------------------------


def article_link(
    target: Article | ArticleSummary, relation: RelationKind = RelationKind.RELATED
) -> RelatedLink:
    """A link to a stored article, titled with its headline as it is now."""
    return RelatedLink(title=target.headline, target_uri=target.uri, relation=relation)


def external_link(
    url: str, title: str = "", relation: RelationKind = RelationKind.RELATED
) -> RelatedLink:
    """A link to an outside page; the URL is normalised or refused with the reason."""
    normal = normalize_url(url)
    title = " ".join(title.split())
    return RelatedLink(title=title or default_title(normal), url=normal, relation=relation)


@lru_cache(maxsize=1 << 14)
def default_title(url: str) -> str:
    """A readable stand-in title for a page whose headline was not given."""
    parts = urlsplit(url)
    tail = parts.path.rstrip("/").rsplit("/", 1)[-1]
    words = re.sub(r"\.\w{2,5}$", "", tail).replace("-", " ").replace("_", " ").strip()
    host = parts.netloc.removeprefix("www.")
    return f"{words[:1].upper()}{words[1:]} ({host})" if words else host


def looks_like_url(text: str) -> bool:
    text = text.strip()
    # "javascript:alert(1)" is an address (to refuse with its reason), never a slug.
    return "://" in text or (" " not in text and bool(_BARE_HOST.match(text) or url_scheme(text)))


def resolve_entry(
    text: str,
    find_slug: Callable[[str], Article | None],
    *,
    title: str = "",
    relation: RelationKind = RelationKind.RELATED,
) -> RelatedLink:
    """A link from what was typed: a URL, or the slug of a stored article."""
    text = text.strip()
    if looks_like_url(text):
        return external_link(text, title, relation)
    target = find_slug(text.strip("/").rsplit("/", 1)[-1])
    if target is None:
        raise ValidationError(
            f"no article has the slug {text!r}: give a slug from 'newsdesk list' or a full "
            "https:// address"
        )
    link = article_link(target, relation)
    return replace(link, title=" ".join(title.split())) if title.strip() else link
