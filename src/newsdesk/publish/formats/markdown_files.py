"""Markdown with YAML front matter, as Hugo and Jekyll read it (``content/<section>/<slug>.md``).

An article with stored pictures or audio is a Hugo leaf bundle instead,
``<section>/<slug>/index.md`` with its files beside it (stripped renditions, never the
originals: Hugo publishes every file of a bundle), referred to by their names.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import yaml

from newsdesk.core import text
from newsdesk.core.media.media import KEY_PATTERN, MediaAsset, MediaKind, article_keys, key_of
from newsdesk.core.models import Article, Media, PublicationProfile
from newsdesk.core.urls import WEB_SCHEMES, url_scheme
from newsdesk.publish.dates import iso
from newsdesk.publish.media.renditions import Rendition, fallback, renditions_for
from newsdesk.publish.paths import article_path, section_name
from newsdesk.publish.related import ResolvedRelated, base_url, site_url
from newsdesk.publish.sanitize import absolute_url
from newsdesk.publish.views import (
    as_typed,
    author_names,
    canonical_of,
    display_text,
    modified_moment,
    published_moment,
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
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]")


def _safe_destination(destination: str) -> bool:
    decoded = _INVISIBLE.sub("", html.unescape(destination))
    scheme = url_scheme(decoded)
    return scheme is None or scheme in WEB_SCHEMES


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


# ``](media:KEY`` in a body: the destination of a stored picture's reference.
_MEDIA_DEST = re.compile(rf"(\]\(\s*<?)media:({KEY_PATTERN})\b")
# ``![alt](media:KEY "caption")``, as ``core.media.image_markdown`` writes it.
_MEDIA_IMAGE = re.compile(
    rf'!\[((?:\\.|[^\]\\])*)\]\(\s*<?media:({KEY_PATTERN})>?(?:\s+"((?:\\.|[^"\\])*)")?\s*\)'
)
_ESCAPED = re.compile(r"\\(.)")
_RESERVED_STEM = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)$", re.IGNORECASE)


def bundle_pictures(
    keys: Sequence[str], media: Mapping[str, MediaAsset]
) -> dict[str, tuple[str, Rendition]]:
    """``key -> (file name in the bundle, the rendition copied there)`` for each stored
    file of ``keys``: a picture's fallback rendition (a JPEG of at most 1200 px, a PNG or
    a GIF, which every Markdown tool shows), audio without its tags; named from the file's
    own name (``troops.jpg``), numbered when two share a name."""
    files: dict[str, tuple[str, Rendition]] = {}
    taken = {"index.md"}
    for key in keys:
        asset = media.get(key)
        if asset is None:
            continue
        rendition = fallback(renditions_for(asset))
        assert rendition is not None
        stem = rendition.name.split(f"-{key}-", 1)[0]
        if _RESERVED_STEM.match(stem):
            stem = f"{stem}-{key}"  # ``con.jpg`` cannot be written on Windows
        extension = rendition.name.rsplit(".", 1)[-1]
        name, number = f"{stem}.{extension}", 2
        while name in taken:
            name, number = f"{stem}-{number}.{extension}", number + 1
        taken.add(name)
        files[key] = (name, rendition)
    return files


def used_keys(article: Article) -> list[str]:
    """The stored files the article uses (featured image, audio, body pictures)."""
    image = article.image.src if article.image else None
    audio = article.audio.src if article.audio else None
    return article_keys(image, audio, article.body)


def bundle_body(article: Article, media: Mapping[str, MediaAsset]) -> str:
    """The body with each ``media:KEY`` reference pointing at the file beside it."""
    files = bundle_pictures(used_keys(article), media)
    names = {key: name for key, (name, _) in files.items()}
    return _MEDIA_DEST.sub(
        lambda m: m.group(1) + names[m.group(2)] if m.group(2) in names else m.group(0),
        article.body,
    )


def body_picture_words(body: str) -> dict[str, tuple[str, str]]:
    """``key -> (alt, caption)`` as the body first places each stored picture."""
    words: dict[str, tuple[str, str]] = {}
    for match in _MEDIA_IMAGE.finditer(body):
        alt = _ESCAPED.sub(r"\1", match.group(1))
        caption = _ESCAPED.sub(r"\1", match.group(3) or "")
        words.setdefault(match.group(2), (alt, caption))
    return words


def _bundle_media(
    article: Article, profile: PublicationProfile, media: Mapping[str, MediaAsset]
) -> dict[str, Any]:
    """Front matter naming the bundle's files: ``image``, ``audio``, ``images`` (absolute
    addresses, for sharing cards) and Hugo's ``resources`` with each picture's words."""
    files = bundle_pictures(used_keys(article), media)
    page = site_url(profile, article_path(article))
    matter: dict[str, Any] = {}
    featured = key_of(article.image.src) if article.image else None
    words = body_picture_words(article.body)
    resources: list[dict[str, Any]] = []
    images: list[str] = []
    for key, (name, rendition) in files.items():
        asset = media[key]
        if asset.kind == MediaKind.AUDIO:
            audio: dict[str, Any] = {"src": name, "mime_type": rendition.mime_type}
            story = article.audio if article.audio and key_of(article.audio.src) == key else None
            credit = (story.credit if story else "") or asset.credit
            if credit:
                audio["credit"] = credit
            seconds = (story.duration_seconds if story else None) or asset.duration_seconds
            if seconds:
                audio["duration_seconds"] = round(seconds, 3)
            matter.setdefault("audio", audio)
            resources.append({"src": name, "title": asset.caption or name})
            continue
        story_media = article.image if key == featured else None
        alt, caption = words.get(key, ("", ""))
        if story_media is not None:
            alt, caption = story_media.alt or alt, story_media.caption or caption
        alt = alt or asset.alt
        credit = (story_media.credit if story_media else "") or asset.credit
        params = {"alt": alt, "credit": credit}
        if key == featured:
            image = {"src": name, "alt": alt, "caption": caption, "credit": credit,
                     "mime_type": rendition.mime_type, "width": rendition.width,
                     "height": rendition.height}  # fmt: skip
            matter["image"] = {k: v for k, v in image.items() if v}
            images.insert(0, page + name)
        else:
            images.append(page + name)
        resources.append({"src": name, "title": caption or alt or name, "params": params})
    if images:
        matter["images"] = images
    matter["resources"] = resources
    return matter


def front_matter(
    article: Article,
    related: Sequence[ResolvedRelated],
    profile: PublicationProfile,
    *,
    media: Mapping[str, MediaAsset] | None = None,
    typeset: bool = False,
) -> dict[str, Any]:
    """Front matter with the names Hugo and Jekyll use, and the article's own fields.

    Markdown is source: its text fields are as typed, like its body (Hugo's typographer
    curls them, and Newsdesk imports the file back word for word); ``typeset`` gives them
    as the page shows them instead, for a fragment's sidecar (see ``publish.views``).
    """
    path = article_path(article)
    shown = display_text(article, profile) if typeset else as_typed(article)
    matter: dict[str, Any] = {
        "title": shown.headline,
        "date": _utc(published_moment(article)),  # stable: no edit moves it
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
            "description": shown.description,
            "categories": [section_name(article.section)],
            "tags": list(article.tags),
            "section_name": section_name(article.section),
            "kicker": shown.kicker,
            "standfirst": shown.standfirst,
            "byline": article.byline,
            # Markdown is source: the author list as typed (an import gives it back); the
            # names parsed from the byline only when there is no list.
            "authors": list(article.authors) or author_names(article),
            "dateline": article.dateline,
            "language": article.language or profile.language,
            "canonical": canonical_of(article, profile),
            "uri": article.uri,
            "version": article.version,
            "status": article.status.value,
            "word_count": article.word_count,
        }
    )
    if article.aliases:  # former addresses: Hugo's name, and jekyll-redirect-from's
        matter["aliases"] = list(article.aliases)
        matter["redirect_from"] = list(article.aliases)
    bundled = _bundle_media(article, profile, media) if media else {}
    image = bundled.pop("image", None) or _media(article.image, profile)
    if image:
        matter["image"] = image
    audio = bundled.pop("audio", None) or _media(article.audio, profile)
    if audio:
        matter["audio"] = audio
    matter.update(bundled)
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
    *,
    media: Mapping[str, MediaAsset] | None = None,
) -> bytes:
    """The Markdown file; with ``media`` (its stored files) as a leaf bundle's index."""
    matter = yaml.safe_dump(
        front_matter(article, related, profile, media=media),
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=4096,
    )
    body = body_markdown.rstrip("\n")
    return f"---\n{matter}---\n\n{body}\n".encode()


FRAGMENT_MEDIA = "../media/"  # from fragment/<section>/<slug>.json to fragment/media/


def _fragment_media(
    article: Article, profile: PublicationProfile, media: Mapping[str, MediaAsset]
) -> dict[str, Any]:
    """``image`` and ``audio`` of a fragment's sidecar: a stored file's fallback rendition
    beside the fragments (``../media/NAME``), else the story's own address."""
    out: dict[str, Any] = {}
    for field, story, kind in (("image", article.image, MediaKind.IMAGE),
                               ("audio", article.audio, MediaKind.AUDIO)):  # fmt: skip
        key = key_of(story.src) if story else None
        asset = media.get(key) if key else None
        if story is None:
            continue
        if asset is None or asset.kind != kind:
            found = _media(story, profile)  # a URL; a missing stored file is left out
            if found:
                out[field] = found
            continue
        rendition = fallback(renditions_for(asset, lead=field == "image"))
        assert rendition is not None
        item: dict[str, Any] = {
            "src": FRAGMENT_MEDIA + rendition.name,
            "alt": story.alt or asset.alt,
            "caption": story.caption,
            "credit": story.credit or asset.credit,
            "mime_type": rendition.mime_type,
            "width": rendition.width,
            "height": rendition.height,
            "duration_seconds": story.duration_seconds or asset.duration_seconds,
        }
        out[field] = {k: v for k, v in item.items() if v}
    return out


def sidecar_bytes(
    article: Article,
    related: Sequence[ResolvedRelated],
    profile: PublicationProfile,
    *,
    media: Mapping[str, MediaAsset] | None = None,
) -> bytes:
    """``fragment/<section>/<slug>.json``: the fragment's metadata, the very fields (and
    values) of the Markdown front matter, but its text typeset as the fragment's HTML is,
    dates as RFC 3339 UTC, pictures beside the fragments: a CMS importing a fragment needs
    nothing else."""
    matter = front_matter(article, related, profile, typeset=True)
    for name in ("image", "audio"):
        matter.pop(name, None)
    matter.pop("resources", None)
    matter.update(_fragment_media(article, profile, media or {}))
    data = {k: iso(v) if isinstance(v, datetime) else v for k, v in matter.items()}
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()
