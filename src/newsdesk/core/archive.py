"""The portable JSON archive of a whole store: ``newsdesk dump`` and ``newsdesk load``.

The archive carries every article (with its uri, version and related links), every
revision, the publication profile, (since format 2) every media file, its bytes in base64,
and (since format 3) the newsroom dictionary, so it also moves a newsroom between engines.
Format 1 and 2 archives still load (with an empty newsroom dictionary).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from newsdesk import __version__
from newsdesk.core.atomic_files import writing
from newsdesk.core.checks.spelling import dictionary_word
from newsdesk.core.errors import NewsdeskError, ValidationError
from newsdesk.core.history import MAX_REASON_LENGTH
from newsdesk.core.media.media import MediaAsset
from newsdesk.core.models import MAX_LENGTHS, Article, PublicationProfile, Revision
from newsdesk.core.ports import ArticleStore, Progress, no_progress
from newsdesk.core.slugs import is_safe_slug
from newsdesk.core.text import clean_body

FORMAT = "newsdesk-archive"
FORMAT_VERSION = 3  # 2: media files; 3: the newsroom dictionary
EVERY_FILE = 2**31 - 1  # the whole media library, as list_media counts


class ArchiveError(NewsdeskError):
    """An archive file that cannot be written or read."""


@dataclass(frozen=True, slots=True)
class Contents:
    """What an archive holds, read and checked completely."""

    articles: list[Article]
    revisions: list[Revision]
    profile: PublicationProfile
    media: list[tuple[MediaAsset, bytes]] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    """The newsroom dictionary, sorted (empty from an archive older than format 3)."""


def dump(store: ArticleStore, target: Path, progress: Progress = no_progress) -> int:
    """Write the whole store to ``target`` atomically; return the number of articles."""
    total = store.info().article_count
    target = target.expanduser()
    if target.is_dir():
        raise ArchiveError(f"{target} is a folder; name the archive file to write")
    folder = target.resolve().parent
    if not folder.is_dir():
        raise ArchiveError(f"the folder {folder} does not exist")
    # Readable by its owner only: an archive holds drafts and embargoed stories.
    try:
        with writing(target, mode=0o600, encoding="utf-8") as out:
            return _write(store, out, total, progress)
    except OSError as exc:
        raise ArchiveError(f"cannot write {target}: {exc.strerror or exc}") from None


def _write(store: ArticleStore, out: IO[str], total: int, progress: Progress) -> int:
    header = {"format": FORMAT, "format_version": FORMAT_VERSION, "newsdesk": __version__}
    out.write("{\n")
    for key, value in header.items():
        out.write(f"{json.dumps(key)}: {json.dumps(value)},\n")
    out.write(f'"profile": {json.dumps(store.profile().to_dict(), ensure_ascii=False)},\n')
    words = sorted(store.newsroom_words())
    out.write(f'"newsroom_words": {json.dumps(words, ensure_ascii=False)},\n')
    out.write('"articles": [\n')
    count = 0
    for article in store.iter_articles():
        data = article.to_dict()
        data.pop("id", None)
        out.write(("" if count == 0 else ",\n") + json.dumps(data, ensure_ascii=False))
        count += 1
        progress(count, total)
    out.write('\n],\n"revisions": [\n')
    for index, revision in enumerate(store.all_revisions()):
        item = {
            "article_uri": revision.article_uri,
            "number": revision.number,
            "created_at": revision.created_at.isoformat(),
            "reason": revision.reason,
            "snapshot": revision.snapshot,
        }
        out.write(("" if index == 0 else ",\n") + json.dumps(item, ensure_ascii=False))
    out.write('\n],\n"media": [\n')
    # Oldest first, one file in memory at a time.
    assets = sorted(store.list_media(limit=EVERY_FILE), key=_age)
    for index, asset in enumerate(assets):
        entry = asset.to_dict()
        entry["data"] = base64.b64encode(store.media_data(asset.key)).decode("ascii")
        out.write(("" if index == 0 else ",\n") + json.dumps(entry, ensure_ascii=False))
    out.write("\n]\n}\n")
    return count


def _age(asset: MediaAsset) -> tuple[str, str]:
    return (asset.created_at.isoformat() if asset.created_at else "", asset.key)


def read(source: Path) -> Contents:
    """Read and check an archive completely before anything is written anywhere."""
    try:
        raw = source.expanduser().read_bytes()
        data = json.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        raise ArchiveError(f"{source} does not exist") from None
    except OSError as exc:
        raise ArchiveError(f"cannot read {source}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ArchiveError(
            f"{source}:{line}: not UTF-8 text (byte {exc.start:,} is 0x{raw[exc.start]:02x}); "
            "an archive written by 'newsdesk dump' is always UTF-8, so this one was damaged"
        ) from None
    except json.JSONDecodeError as exc:
        raise ArchiveError(
            f"{source}:{exc.lineno}: not a Newsdesk archive (invalid JSON: {exc.msg})"
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ArchiveError(f"{source} is not a Newsdesk archive (made by 'newsdesk dump')")
    if int(data.get("format_version", 0)) > FORMAT_VERSION:
        raise ArchiveError(
            f"{source} was written by a newer Newsdesk ({data.get('newsdesk')}); update to load it"
        )
    try:
        articles = [_article(item) for item in data.get("articles", [])]
        revisions = [_revision(item) for item in data.get("revisions", [])]
        profile = PublicationProfile.from_dict(data.get("profile") or {})
        media = _media_files(data.get("media") or [])
        words = _words(data.get("newsroom_words") or [])
    except (KeyError, TypeError, ValueError, AttributeError, ValidationError) as exc:
        raise ArchiveError(f"{source} is damaged: {exc}; nothing was loaded") from None
    return Contents(articles, revisions, profile, media, words)


def _words(items: Any) -> list[str]:
    """The archived newsroom dictionary, each word checked as adding it would check it."""
    if not isinstance(items, list):
        raise ValidationError("its newsroom_words is not a list of words")
    words: set[str] = set()
    for item in items:
        if not isinstance(item, str):
            raise ValidationError(f"the newsroom dictionary holds {item!r:.40}, not a word")
        try:
            word = dictionary_word(item)
        except ValidationError as exc:
            raise ValidationError(f"the newsroom dictionary: {exc}") from None
        words.add(word)
    return sorted(words)


_MEDIA_TYPES: dict[str, tuple[type, ...]] = {
    "key": (str,),
    "sha256": (str,),
    "mime_type": (str,),
    "filename": (str,),
    "width": (int, type(None)),
    "height": (int, type(None)),
    "duration_seconds": (int, float, type(None)),
    "alt": (str,),
    "caption": (str,),
    "credit": (str,),
    "copyright": (str,),
}


def _media_files(items: list[Any]) -> list[tuple[MediaAsset, bytes]]:
    files: list[tuple[MediaAsset, bytes]] = []
    keys: set[str] = set()
    for item in items:
        asset, data = _media_file(item)
        if asset.key in keys:
            raise ValidationError(f"the media file {asset.key} appears twice")
        keys.add(asset.key)
        files.append((asset, data))
    return files


def _media_file(item: Any) -> tuple[MediaAsset, bytes]:
    """One archived media file, its bytes checked against its SHA-256."""
    if not isinstance(item, dict):
        raise ValidationError(f"a media file is {type(item).__name__}, not an object")
    where = f"the media file {str(item.get('key'))[:20]} ({str(item.get('filename'))[:80]!r})"
    for name, kinds in _MEDIA_TYPES.items():
        value = item.get(name)
        if name in item and (not isinstance(value, kinds) or isinstance(value, bool)):
            raise ValidationError(f"{where}: its {name} is {value!r:.40}, not what Newsdesk wrote")
    try:
        asset = MediaAsset.from_dict(item).normalized()
        data = base64.b64decode(str(item["data"]), validate=True)
    except binascii.Error:
        raise ValidationError(f"{where}: its data is not valid base64") from None
    except (ValueError, ValidationError) as exc:
        raise ValidationError(f"{where}: {exc}") from None
    if any(t is not None and t.tzinfo is None for t in (asset.created_at, asset.updated_at)):
        raise ValidationError(f"{where}: its dates must carry a time zone")
    if hashlib.sha256(data).hexdigest() != asset.sha256:
        raise ValidationError(
            f"{where}: its bytes do not match its SHA-256 (the file was cut short or changed)"
        )
    return dataclasses.replace(asset, size=len(data)), data


def _article(item: dict[str, Any]) -> Article:
    """An archived article as the store keeps articles: text cleaned by the model's rule,
    the archived slug kept, but only if it is one safe path segment (an archive is a file
    anyone can edit, and the slug becomes a folder name on export)."""
    article = Article.from_dict(item)
    where = f"article {article.uri} ({article.headline[:60]!r})"
    if not is_safe_slug(article.slug):
        raise ValidationError(
            f"{where} has the slug {article.slug!r}, which is not a single safe path segment "
            "(lowercase letters, digits and hyphens); correct it in the archive"
        )
    try:
        cleaned = article.normalized()
    except ValidationError as exc:
        raise ValidationError(f"{where}: {exc}") from None
    return dataclasses.replace(cleaned, slug=article.slug, slug_locked=article.slug_locked)


def _clean_strings(value: Any) -> Any:
    """Every string inside a snapshot, cleaned like a body (a no-op on what dump wrote)."""
    if isinstance(value, str):
        return clean_body(value)
    if isinstance(value, list):
        return [_clean_strings(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _clean_strings(v) for k, v in value.items()}
    return value


def _revision(item: dict[str, Any]) -> Revision:
    revision = Revision(
        article_uri=str(item["article_uri"]),
        number=int(item["number"]),
        created_at=datetime.fromisoformat(item["created_at"]),
        reason=clean_body(str(item["reason"])),
        snapshot=_clean_strings(dict(item["snapshot"])),
    )
    where = f"revision {revision.number} of {revision.article_uri[:200]}"
    if revision.created_at.tzinfo is None:
        raise ValidationError(f"{where}: its date must carry a time zone")
    if len(revision.reason) > MAX_REASON_LENGTH or len(revision.article_uri) > MAX_LENGTHS["uri"]:
        raise ValidationError(f"{where}: its reason or article uri is too long")
    return revision


def load(store: ArticleStore, source: Path, progress: Progress = no_progress) -> int:
    """Load an archive into an empty store in one transaction; return the article count."""
    return fill(store, read(source), progress)


def fill(store: ArticleStore, contents: Contents, progress: Progress = no_progress) -> int:
    """Put what :func:`read` found into an empty store in one transaction; return the
    article count."""
    store.load_archive(
        contents.articles,
        contents.revisions,
        contents.profile,
        progress,
        media=contents.media,
        words=contents.words,
    )
    return len(contents.articles)
