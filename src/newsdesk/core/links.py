"""Related links kept clean: URLs validated and normalised, duplicates and near-duplicates found.

The rules the related-links panel, the command line and the published page share:

- an external link is ``http`` or ``https`` with a host, no user name or password, and is
  normalised (host case, default port, trailing slash, fragment and tracking parameters
  such as ``utm_*`` dropped) so that one page has one spelling;
- two entries are duplicates when they point at the same stored article, at the same page
  (scheme and a leading ``www.`` do not count), or carry two headlines for the same story.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache
from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

from newsdesk.core.errors import ValidationError
from newsdesk.core.models import Article, ArticleSummary, RelatedLink, RelationKind
from newsdesk.core.search import STOP_WORDS

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
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\(\s*(\S+?)\s*\)")
_URL_IN_TEXT = re.compile(r"(?:https?://|www\.)[^\s<>\"“”‘’`]+", re.IGNORECASE)
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.IGNORECASE)
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
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    return urlunsplit((scheme, netloc, path, _clean_query(parts.query), ""))


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
_SUFFIXES = ("ings", "ing", "ied", "ies", "ed", "es", "s")
# Stop words that turn a headline round: "votes to raise tax" and "votes against raising
# tax" are two stories (a follow-up), not two headlines for one.
_POLARITY_WORDS = frozenset({"no", "not", "nor", "against", "up", "down", "off"})
NEAR_DUPLICATE_SIMILARITY = 0.6
"""Share of content words two headlines must have in common to be the same story."""


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _stem(word: str) -> str:
    """Crude, but the same for every form: raise, raises, raising -> rais."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix in {"ies", "ied"} else "")
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def title_words(title: str) -> frozenset[str]:
    """The content words of a headline, folded and crudely stemmed, stop words out."""
    words = (w for w in _WORD.findall(_fold(title)) if w not in STOP_WORDS)
    return frozenset(_stem(w) for w in words if len(w) > 1 or w.isalpha())


@lru_cache(maxsize=1 << 16)
def title_key(title: str) -> str:
    """A headline with case, accents and punctuation ignored."""
    return " ".join(_WORD.findall(_fold(title)))


def title_similarity(a: str, b: str) -> float:
    """How alike two headlines are, from 0 (no content word shared) to 1 (same words)."""
    words_a, words_b = title_words(a), title_words(b)
    if not words_a or not words_b:
        return 1.0 if title_key(a) == title_key(b) and title_key(a) else 0.0
    return len(words_a & words_b) / len(words_a | words_b)


def near_duplicate_titles(a: str, b: str) -> bool:
    """Two headlines for the same story: the same words, or mostly the same content words."""
    if title_key(a) and title_key(a) == title_key(b):
        return True
    if _polarity(a) != _polarity(b):
        return False
    words_a, words_b = title_words(a), title_words(b)
    if min(len(words_a), len(words_b)) < 3:
        return bool(words_a) and words_a == words_b
    return title_similarity(a, b) >= NEAR_DUPLICATE_SIMILARITY


def _polarity(title: str) -> frozenset[str]:
    return frozenset(_WORD.findall(_fold(title))) & _POLARITY_WORDS


# -- duplicates in a list -------------------------------------------------------------


class DuplicateKind(StrEnum):
    SAME_ARTICLE = "same article"
    SAME_URL = "same address"
    SAME_STORY = "same story"


@dataclass(frozen=True, slots=True)
class Duplicate:
    """Entry ``index`` repeats entry ``original`` (which comes first in the list)."""

    index: int
    original: int
    kind: DuplicateKind

    def describe(self, links: Sequence[RelatedLink]) -> str:
        first = links[self.original]
        return f"{self.kind.value} as #{self.original + 1} “{first.title}”"


def link_title(link: RelatedLink, titles: Mapping[str, str] | None = None) -> str:
    """The title to compare: a linked article's current headline when known."""
    if link.target_uri and titles and titles.get(link.target_uri):
        return titles[link.target_uri]
    return link.title


def duplicate_kind(
    a: RelatedLink, b: RelatedLink, titles: Mapping[str, str] | None = None
) -> DuplicateKind | None:
    """Why ``b`` repeats ``a``, or ``None`` when they are different stories."""
    if a.target_uri and a.target_uri == b.target_uri:
        return DuplicateKind.SAME_ARTICLE
    if a.url and b.url and url_key(a.url) == url_key(b.url):
        return DuplicateKind.SAME_URL
    given = _headline_given(a) and _headline_given(b)
    if given and near_duplicate_titles(link_title(a, titles), link_title(b, titles)):
        return DuplicateKind.SAME_STORY
    return None


def _headline_given(link: RelatedLink) -> bool:
    """A title that is a headline, not the stand-in made from the address (two pages of
    one site are not one story because their stand-ins share the site's name)."""
    return not (link.url and link.title == default_title(link.url))


def find_duplicates(
    links: Sequence[RelatedLink], titles: Mapping[str, str] | None = None
) -> list[Duplicate]:
    """Every entry that repeats an earlier one, in list order, each named once."""
    found: list[Duplicate] = []
    for index in range(1, len(links)):
        for original in range(index):
            if any(d.index == original for d in found):
                continue  # compare with the entry that stays, not with another repeat
            kind = duplicate_kind(links[original], links[index], titles)
            if kind is not None:
                found.append(Duplicate(index, original, kind))
                break
    return found


def duplicate_of(
    links: Sequence[RelatedLink], candidate: RelatedLink, titles: Mapping[str, str] | None = None
) -> Duplicate | None:
    """The entry of ``links`` that ``candidate`` would repeat, if any."""
    for index, link in enumerate(links):
        kind = duplicate_kind(link, candidate, titles)
        if kind is not None:
            return Duplicate(len(links), index, kind)
    return None


def merge(links: Sequence[RelatedLink], duplicate: Duplicate) -> list[RelatedLink]:
    """The list with ``duplicate.index`` folded into its original.

    The original keeps its place; it becomes pinned if either was, and takes the other's
    title if it had none. A link to a stored article wins over a URL for the same story.
    """
    original, repeat = links[duplicate.original], links[duplicate.index]
    kept = original
    if original.url and repeat.target_uri:
        kept = replace(repeat, relation=original.relation)
    kept = replace(
        kept,
        pinned=original.pinned or repeat.pinned,
        title=kept.title or original.title or repeat.title,
    )
    merged = list(links)
    merged[duplicate.original] = kept
    del merged[duplicate.index]
    return merged


def merge_all(
    links: Sequence[RelatedLink], titles: Mapping[str, str] | None = None
) -> tuple[list[RelatedLink], list[Duplicate]]:
    """The list with every duplicate merged into the entry it repeats; and what was merged,
    numbered as in ``links``.

    All the repeats found in one pass are folded in together (the last first, so the
    positions hold): merging one at a time could turn an address into an article link
    before the address's own repeat was seen.
    """
    merged = list(links)
    positions = list(range(len(links)))  # where each entry of ``merged`` was in ``links``
    done: list[Duplicate] = []
    while found := find_duplicates(merged, titles):
        for duplicate in sorted(found, key=lambda d: d.index, reverse=True):
            merged = merge(merged, duplicate)
        done.extend(Duplicate(positions[d.index], positions[d.original], d.kind) for d in found)
        gone = {d.index for d in found}
        positions = [p for i, p in enumerate(positions) if i not in gone]
    done.sort(key=lambda d: d.index)
    return merged, done


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
    return "://" in text or (
        " " not in text and bool(_BARE_HOST.match(text) or _SCHEME.match(text))
    )


@dataclass(frozen=True, slots=True)
class PastedEntry:
    """One line of a pasted block: an address (with a title if given) or a headline."""

    text: str
    url: str = ""
    title: str = ""

    @property
    def is_url(self) -> bool:
        return bool(self.url)


def parse_pasted(block: str) -> list[PastedEntry]:
    """Split a pasted block into entries: one per line, or per address on a line.

    ``[Title](https://...)`` Markdown links and ``Title https://...`` lines keep their
    titles; a line with no address is a headline to look up in the archive.
    """
    entries: list[PastedEntry] = []
    for raw in block.splitlines():
        line = raw.strip().lstrip("-*•·").strip()
        if not line:
            continue
        markdown = _MARKDOWN_LINK.findall(line)
        if markdown:
            entries.extend(PastedEntry(line, url, title.strip()) for title, url in markdown)
            continue
        urls = _URL_IN_TEXT.findall(line)
        if not urls:
            entries.append(PastedEntry(line))
            continue
        rest = _URL_IN_TEXT.sub(" ", line).strip(" \t-–—|:<>()[]\"'“”‘’")
        title = " ".join(rest.split()) if len(urls) == 1 else ""
        entries.extend(PastedEntry(line, _trim_url(url), title) for url in urls)
    return entries


def _trim_url(url: str) -> str:
    """An address without the sentence's punctuation after it; a closing bracket stays when
    it closes one of the address's own (``.../Flood_(disambiguation)``)."""
    while url and url[-1] in ".,;:!?)]":
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        if url[-1] == "]" and url.count("[") >= url.count("]"):
            break
        url = url[:-1]
    return url


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
