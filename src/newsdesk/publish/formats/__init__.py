"""One module per hand-off format; each turns rendered articles into files (path, bytes)."""

from __future__ import annotations

SITE = "site"
FRAGMENT = "fragment"
MARKDOWN = "markdown"
NINJS = "ninjs"
BUNDLE = "bundle"

FORMATS = (SITE, FRAGMENT, MARKDOWN, NINJS, BUNDLE)
FILE_FORMATS = (SITE, FRAGMENT, MARKDOWN, NINJS)  # the formats a bundle zips
