"""The site's Atom feed (RFC 4287): the latest articles, newest first."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from newsdesk.core.models import PublicationProfile
from newsdesk.publish.dates import iso
from newsdesk.publish.related import base_url

FEED_SIZE = 50
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: str) -> str:
    return escape_xml(_NOT_XML.sub("", value))


def xml_attr(value: str) -> str:
    return _quote_xml_attr(_NOT_XML.sub("", value))


# xml.sax.saxutils's escape and quoteattr, to the byte: importing that module loads
# urllib.request, http.client and email, about 1 % of the command line's start-up.
def escape_xml(value: str) -> str:
    """``value`` with ``&``, ``<`` and ``>`` escaped (``xml.sax.saxutils.escape``)."""
    return value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _quote_xml_attr(value: str) -> str:
    """``value`` escaped and quoted as an attribute value (``xml.sax.saxutils.quoteattr``):
    line breaks and tabs as character references, in single quotes when it holds a
    double quote but no single one."""
    text = escape_xml(value).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"' + text.replace('"', "&quot;") + '"'


@dataclass(frozen=True, slots=True)
class FeedEntry:
    uri: str
    title: str
    url: str
    published: datetime
    updated: datetime
    authors: Sequence[str]
    summary: str
    content_html: str
    categories: Sequence[str]


def atom_feed(
    entries: Sequence[FeedEntry], profile: PublicationProfile, *, updated: datetime | None
) -> bytes:
    """The feed document; ``updated`` is the newest article change, never the clock."""
    base = base_url(profile)
    newest = updated or max((e.updated for e in entries), default=None)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={xml_attr(profile.language)}>',
        f"<id>{xml_text(base)}</id>",
        f"<title>{xml_text(profile.name)}</title>",
    ]
    if profile.tagline:
        lines.append(f"<subtitle>{xml_text(profile.tagline)}</subtitle>")
    lines += [
        f'<link rel="self" type="application/atom+xml" href={xml_attr(base + "feed.xml")}/>',
        f'<link rel="alternate" type="text/html" href={xml_attr(base)}/>',
        f"<updated>{iso(newest) if newest else '1970-01-01T00:00:00Z'}</updated>",
        f"<author><name>{xml_text(profile.name)}</name></author>",
        "<generator>Newsdesk</generator>",
    ]
    for entry in entries:
        lines.append("<entry>")
        lines.append(f"<id>{xml_text(entry.uri)}</id>")
        lines.append(f'<title type="text">{xml_text(entry.title)}</title>')
        lines.append(f'<link rel="alternate" type="text/html" href={xml_attr(entry.url)}/>')
        lines.append(f"<published>{iso(entry.published)}</published>")
        lines.append(f"<updated>{iso(max(entry.updated, entry.published))}</updated>")
        for name in entry.authors:
            lines.append(f"<author><name>{xml_text(name)}</name></author>")
        for term in entry.categories:
            lines.append(f"<category term={xml_attr(term)}/>")
        if entry.summary:
            lines.append(f'<summary type="text">{xml_text(entry.summary)}</summary>')
        lines.append(f'<content type="html">{xml_text(entry.content_html)}</content>')
        lines.append("</entry>")
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")
