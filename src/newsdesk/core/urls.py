"""The one rule for telling an address from a path: a URL's scheme, and the ones a reader's
link may use. A leaf module: the article model and every reader and writer of links use it."""

from __future__ import annotations

import re

_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):", re.IGNORECASE)

WEB_SCHEMES = frozenset({"http", "https", "mailto"})
"""The schemes a reader's link may use: web pages and mail (never javascript:, data:, file:)."""


def url_scheme(url: str) -> str | None:
    """The lowercase scheme of ``url``, or ``None`` for a relative reference."""
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else None
