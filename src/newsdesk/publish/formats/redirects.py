"""Redirect pages: each former address (alias) of a published story sends readers on to it.

A redirect page is a small HTML file at the old path (``index.html`` in that folder, or the
``.html`` file itself) with a zero-second ``meta refresh``, a canonical link, ``noindex``
and a visible link, and no script. Its path is checked like every exported file's, so an
alias can never write outside the site folder, and it may not be any other file of the
site: the address of a story's page, a section page, the home page, the feed, an asset.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsdesk.core.aliases import normalize_alias
from newsdesk.core.errors import ValidationError
from newsdesk.core.models import Article, PublicationProfile
from newsdesk.publish.paths import UnsafePathError, article_path, check_relative
from newsdesk.publish.related import site_url
from newsdesk.publish.renderer import ICONS, NOT_FOUND, STYLESHEET

SITE_FOLDER = "site/"
# Files and folders the site itself writes at its root: an alias may not take them.
_ROOT_FILES = {"index.html", NOT_FOUND, "robots.txt", "feed.xml", *ICONS}
_ROOT_FOLDERS = {STYLESHEET.split("/", 1)[0], "media"}
_SITEMAP = re.compile(r"sitemap(?:-\d+)?\.xml")
_LISTING = re.compile(r"[^/]+/(?:page/\d+/)?index\.html")


def redirect_path(alias: str) -> str:
    """The file below the site root that answers ``alias``; raises UnsafePathError."""
    try:
        path = normalize_alias(alias)
    except ValidationError as error:
        raise UnsafePathError(str(error)) from None
    relpath = path.lstrip("/")
    if relpath.endswith("/"):
        relpath += "index.html"
    check_relative(relpath)  # the export's own rule for every file it writes
    parts = relpath.split("/")
    if parts[0] in _ROOT_FILES or _SITEMAP.fullmatch(parts[0]) or parts[0] in _ROOT_FOLDERS:
        raise UnsafePathError(
            f"former address {path!r} is a file the site itself needs; remove it from the story"
        )
    if any(part.endswith((".html", ".htm")) for part in parts[:-1]):
        # A folder named like a page would stand where a page file may be.
        raise UnsafePathError(
            f"former address {path!r} has a page name as a folder; remove it from the story"
        )
    return relpath


def usable_redirect_paths(article: Article) -> list[str]:
    """The site paths of the story's redirect pages, in alias order, once each; an alias
    :func:`redirect_path` refuses is left out (a site export refuses such a story whole
    through :func:`redirect_problem`; another format's export still plans it)."""
    paths = []
    for alias in article.aliases:
        try:
            paths.append(redirect_path(alias))
        except UnsafePathError:
            continue
    return list(dict.fromkeys(paths))


def redirect_problem(article: Article) -> str | None:
    """Why the story's former addresses cannot all become redirect pages, or None."""
    own = article_path(article) + "index.html"
    for alias in article.aliases:
        try:
            path = redirect_path(alias)
        except UnsafePathError as error:
            return str(error)
        if path == own:
            return f"its former address {alias!r} is its own address; remove it"
    return None


def redirect_html(relpath: str, article: Article, profile: PublicationProfile) -> bytes:
    """The redirect page at ``relpath`` (below the site) for ``article``."""
    depth = relpath.count("/")
    target = "../" * depth + article_path(article) if depth else article_path(article)
    canonical = site_url(profile, article_path(article))
    title = html.escape(article.headline or "Moved", quote=True)
    to = html.escape(target, quote=True)
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(article.language or profile.language, quote=True)}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{title}</title>",
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">',
        '<meta name="robots" content="noindex">',
        f'<meta http-equiv="refresh" content="0; url={to}">',
        f'<link rel="canonical" href="{html.escape(canonical, quote=True)}">',
        "</head>",
        "<body>",
        f'<p>This page has moved: <a href="{to}">{title}</a>.</p>',
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(lines).encode()


def redirect_files(article: Article, profile: PublicationProfile) -> list[tuple[str, bytes]]:
    """The story's redirect pages as ``(path below the export folder, bytes)``."""
    return [
        (SITE_FOLDER + path, redirect_html(path, article, profile))
        for path in usable_redirect_paths(article)
    ]


@dataclass(frozen=True, slots=True)
class Claim:
    """One story's addresses: its page and its redirect pages (paths below the site)."""

    uri: str
    headline: str
    page: str
    redirects: tuple[str, ...]


def clashes(claims: Sequence[Claim], sections: Iterable[str] = ()) -> dict[str, str]:
    """The stories whose redirect pages would overwrite another file, with why (uri ->
    problem). Claims come oldest first: of two stories claiming one former address the
    older keeps it and the newer is named, with the older; an alias that is a story's
    page or a section page is always refused."""
    pages = {claim.page: claim for claim in claims}
    section_set = set(sections)
    taken: dict[str, Claim] = {}
    problems: dict[str, str] = {}
    for claim in claims:
        problem = _clash(claim, pages, section_set, taken)
        if problem is None:
            taken.update((path, claim) for path in claim.redirects)
        else:
            problems[claim.uri] = problem
    return problems


def _clash(
    claim: Claim, pages: dict[str, Claim], sections: set[str], taken: dict[str, Claim]
) -> str | None:
    for path in claim.redirects:
        shown = "/" + path.removesuffix("index.html")
        page = pages.get(path)
        holder = taken.get(path)
        if page is not None:
            return (
                f"its former address {shown} is the address of {page.headline!r}; "
                "remove the former address from it"
            )
        if _LISTING.fullmatch(path) and path.split("/", 1)[0] in sections:
            return f"its former address {shown} is a section page of the site; remove it"
        if holder is not None and holder.uri != claim.uri:
            return (
                f"its former address {shown} is also a former address of "
                f"{holder.headline!r}; keep it on one story only"
            )
    return None
