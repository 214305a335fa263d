"""Links copied from elsewhere, made fit for a story: web and mail addresses only, absolute,
without the tracking parameters marketing tools add, and out of redirect wrappers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

from newsdesk.core.urls import WEB_SCHEMES, url_scheme

# Parameters that only say where a click came from; removing them never changes the page.
_TRACKING = re.compile(
    r"^(?:utm_[a-z_]+|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|yclid|twclid|igshid|"
    r"mc_cid|mc_eid|_hsenc|_hsmi|mkt_tok|vero_id|oly_anon_id|oly_enc_id|rb_clickid|s_cid|"
    r"_ga|_gl)$",
    re.IGNORECASE,
)
# Google Docs and Search hand out links as https://www.google.com/url?q=<the real address>.
_GOOGLE_REDIRECT = re.compile(r"^https?://(?:www\.)?google\.[a-z.]+/url$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class CleanLink:
    """A link's address as it will be written, or ``""`` when the link is dropped, and why."""

    url: str
    tracking_removed: bool = False
    why_dropped: str = ""


def clean_link(href: str, base_url: str = "") -> CleanLink:
    """``href`` fit for a story: an absolute http(s) or mailto address without tracking."""
    href = "".join(href.split())  # addresses hold no white space; copies often break them
    if not href:
        return CleanLink("", why_dropped="empty link")
    if url_scheme(href) is None and not href.startswith("//"):
        if href.startswith("#"):
            return CleanLink("", why_dropped="a link within the page it came from")
        if not base_url:
            return CleanLink("", why_dropped=f"a relative link ({href}) with no page to resolve")
        href = urljoin(base_url, href)
    elif href.startswith("//"):
        href = "https:" + href
    scheme = url_scheme(href)
    if scheme not in WEB_SCHEMES:
        return CleanLink("", why_dropped=f"a {scheme}: link (only web and mail addresses)")
    if scheme == "mailto":
        return CleanLink(href)
    href = _unwrap(href)
    return _without_tracking(href)


def _unwrap(href: str) -> str:
    parts = urlsplit(href)
    if _GOOGLE_REDIRECT.match(f"{parts.scheme}://{parts.netloc}{parts.path}"):
        target = dict(parse_qsl(parts.query)).get("q", "")
        if target.lower().startswith(("http://", "https://")):
            return target
    return href


def _without_tracking(href: str) -> CleanLink:
    try:
        parts = urlsplit(href)
    except ValueError:
        return CleanLink("", why_dropped="a malformed address")
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not _TRACKING.match(k)]
    removed = len(kept) != len(pairs)
    query = urlencode(kept, quote_via=quote, safe="/:@,;!$'*") if removed else parts.query
    url = urlunsplit((parts.scheme.lower(), parts.netloc, parts.path, query, parts.fragment))
    # Markdown ends a link's address at a space or an unbalanced bracket.
    url = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    url = url.replace("<", "%3C").replace(">", "%3E")
    return CleanLink(url, tracking_removed=removed)
