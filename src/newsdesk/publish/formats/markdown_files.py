"""Markdown with YAML front matter, as Hugo and Jekyll read it (``content/<section>/<slug>.md``)."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import yaml

from newsdesk.core import text
from newsdesk.core.models import Article, Media, PublicationProfile
from newsdesk.publish.paths import article_path, section_name
from newsdesk.publish.related import ResolvedRelated, base_url
from newsdesk.publish.sanitize import absolute_url, url_scheme
from newsdesk.publish.views import (
    author_names,
    canonical_of,
    description_of,
    display_moment,
    modified_moment,
    release_moment,
)

# Only code every Markdown dialect agrees is code keeps its raw text: a fence at the start
# of a line with at most a plain language name, closed by the very same fence alone on its
# line. Python-Markdown and kramdown take an unclosed, indented or longer-closed fence as
# text, so raw HTML inside it would reach their output.
_FENCE = re.compile(r"^(`{3,}|~{3,})[ ]*\.?[\w#.+-]*[ ]*$")
# A code span kept as written stays on one line (a line starting with a tag is an HTML
# block to Python-Markdown before any span is seen), and its backtick runs are whole runs,
# not escaped with a backslash (else it is no code span at all).
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`)[^\n]+?(?<!`)\1(?!`)")
_RAW_TAG = re.compile(r"<(?=[A-Za-z/!?])")
# An attribute list (``{: onclick="..."}``, ``{#id .class}``, kramdown's ``{::...}``) sets
# attributes in Python-Markdown and kramdown; escaped, every dialect shows the brace.
_ATTRIBUTE_LIST = re.compile(r"\{(?=[ ]*(?::|[#.][\w-]|[^}\n]*=)[^}\n]*\})")
_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^\s<>]*>", re.IGNORECASE)
_INLINE_DEST = re.compile(r"(\]\(\s*<?)((?:[^()\s<>]|\([^()\s]*\))*)")
_REFERENCE_DEST = re.compile(r"^( {0,3}\[[^\]\n]+\]:\s*<?)(\S+?)(>?(?:\s|$))", re.MULTILINE)
_SAFE_SCHEMES = {None, "http", "https", "mailto"}
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]")


def _safe_destination(destination: str) -> bool:
    decoded = _INVISIBLE.sub("", html.unescape(destination))
    return url_scheme(decoded) in _SAFE_SCHEMES


def _neutralize_text(chunk: str) -> str:
    """Escape raw HTML and drop script-bearing link targets in prose (not in code spans)."""
    pieces: list[str] = []
    last = 0
    for match in _CODE_SPAN.finditer(chunk):
        pieces.append(_neutralize_prose(chunk[last : match.start()]))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(_neutralize_prose(chunk[last:]))
    return "".join(pieces)


def _neutralize_prose(prose: str) -> str:
    keep: list[str] = []

    def stash(match: re.Match[str]) -> str:
        keep.append(match.group(0))
        return f"\x00{len(keep) - 1}\x00"

    prose = _AUTOLINK.sub(stash, prose)
    prose = _RAW_TAG.sub("&lt;", prose)
    prose = _ATTRIBUTE_LIST.sub(r"\\{", prose)
    prose = _INLINE_DEST.sub(
        lambda m: m.group(1) + (m.group(2) if _safe_destination(m.group(2)) else "#"), prose
    )
    prose = _REFERENCE_DEST.sub(
        lambda m: m.group(1) + (m.group(2) if _safe_destination(m.group(2)) else "#") + m.group(3),
        prose,
    )
    return re.sub(r"\x00(\d+)\x00", lambda m: keep[int(m.group(1))], prose)


def _closing_line(lines: list[str], start: int, fence: str) -> int | None:
    """The line that closes the fence opened at ``start`` in every dialect, if one does.

    The first line made only of that fence's character decides: the same fence alone
    closes it everywhere; a longer or indented one closes it for CommonMark but not for
    Python-Markdown, so what follows would be code to one and HTML to the other.
    """
    for number in range(start + 1, len(lines)):
        stripped = lines[number].strip()
        if len(stripped) >= len(fence) and not stripped.strip(fence[0]):
            return number if lines[number].rstrip(" ") == fence else None
    return None


def neutralize_markdown(body: str) -> str:
    """The body as Markdown that no renderer can turn into script.

    Raw HTML and attribute lists are escaped (``<b>`` shows as text) outside fenced code
    and code spans, and link targets other than http(s), mailto and relative ones become
    ``#``. Hugo already
    refuses both by default; Jekyll's kramdown and most CMS importers do not.
    """
    lines = text.clean_body(body).split("\n")
    out: list[str] = []
    prose: list[str] = []
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        end = _closing_line(lines, index, match.group(1)) if match else None
        if end is None:
            prose.append(lines[index])
            index += 1
            continue
        if prose:
            out.append(_neutralize_text("\n".join(prose)))
            prose = []
        out.extend(lines[index : end + 1])
        index = end + 1
    if prose:
        out.append(_neutralize_text("\n".join(prose)))
    return "\n".join(out)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def _media(media: Media | None, profile: PublicationProfile) -> dict[str, Any] | None:
    if media is None:
        return None
    url = absolute_url(base_url(profile), media.src)
    if url is None:
        return None
    data: dict[str, Any] = {"src": url}
    for key in ("alt", "caption", "credit", "mime_type"):
        value = getattr(media, key)
        if value:
            data[key] = value
    if media.duration_seconds:
        data["duration_seconds"] = media.duration_seconds
    return data


def front_matter(
    article: Article, related: Sequence[ResolvedRelated], profile: PublicationProfile
) -> dict[str, Any]:
    """Front matter with the names Hugo and Jekyll use, and the article's own fields."""
    path = article_path(article)
    matter: dict[str, Any] = {
        "title": article.headline,
        "date": _utc(display_moment(article)),
        "lastmod": _utc(modified_moment(article)),
    }
    release = release_moment(article)
    if release is not None:
        matter["publishDate"] = _utc(release)  # Hugo holds it back until then
    matter.update(
        {
            "slug": article.slug,
            "url": f"/{path}",
            "permalink": f"/{path}",
            "draft": False,
            "description": description_of(article),
            "categories": [section_name(article.section)],
            "tags": list(article.tags),
            "section_name": section_name(article.section),
            "kicker": article.kicker,
            "standfirst": article.standfirst,
            "byline": article.byline,
            "authors": author_names(article),
            "dateline": article.dateline,
            "language": article.language or profile.language,
            "canonical": canonical_of(article, profile),
            "uri": article.uri,
            "version": article.version,
            "status": article.status.value,
            "word_count": article.word_count,
        }
    )
    image = _media(article.image, profile)
    if image:
        matter["image"] = image
    audio = _media(article.audio, profile)
    if audio:
        matter["audio"] = audio
    matter["related"] = [
        {"title": item.title, "url": item.url, "relation": item.relation.value}
        | ({"uri": item.target_uri} if item.target_uri else {})
        for item in related
    ]
    return matter


def markdown_bytes(
    article: Article,
    body_markdown: str,
    related: Sequence[ResolvedRelated],
    profile: PublicationProfile,
) -> bytes:
    matter = yaml.safe_dump(
        front_matter(article, related, profile),
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=4096,
    )
    body = body_markdown.rstrip("\n")
    return f"---\n{matter}---\n\n{body}\n".encode()
