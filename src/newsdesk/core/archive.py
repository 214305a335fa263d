"""The portable JSON archive of a whole store: ``newsdesk dump`` and ``newsdesk load``.

The archive carries every article (with its uri, version and related links), every
revision and the publication profile, so it also moves a newsroom between engines.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from newsdesk import __version__
from newsdesk.core.errors import NewsdeskError, ValidationError
from newsdesk.core.models import MAX_LENGTHS, Article, PublicationProfile, Revision
from newsdesk.core.ports import ArticleStore, Progress, no_progress
from newsdesk.core.slugs import is_safe_slug
from newsdesk.core.text import clean_body

FORMAT = "newsdesk-archive"
FORMAT_VERSION = 1
MAX_REASON_LENGTH = 32  # the store's revision.reason column


class ArchiveError(NewsdeskError):
    """An archive file that cannot be written or read."""


def dump(store: ArticleStore, target: Path, progress: Progress = no_progress) -> int:
    """Write the whole store to ``target`` atomically; return the number of articles."""
    total = store.info().article_count
    target = target.expanduser()
    if target.is_dir():
        raise ArchiveError(f"{target} is a folder; name the archive file to write")
    folder = target.resolve().parent
    if not folder.is_dir():
        raise ArchiveError(f"the folder {folder} does not exist")
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    count = 0
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            count = _write(store, out, total, progress)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, target)
    except OSError as exc:
        Path(temp_name).unlink(missing_ok=True)
        raise ArchiveError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return count


def _write(store: ArticleStore, out: IO[str], total: int, progress: Progress) -> int:
    header = {"format": FORMAT, "format_version": FORMAT_VERSION, "newsdesk": __version__}
    out.write("{\n")
    for key, value in header.items():
        out.write(f"{json.dumps(key)}: {json.dumps(value)},\n")
    out.write(f'"profile": {json.dumps(store.profile().to_dict(), ensure_ascii=False)},\n')
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
    out.write("\n]\n}\n")
    return count


def read(source: Path) -> tuple[list[Article], list[Revision], PublicationProfile]:
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
    except (KeyError, TypeError, ValueError, AttributeError, ValidationError) as exc:
        raise ArchiveError(f"{source} is damaged: {exc}") from None
    return articles, revisions, profile


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
    articles, revisions, profile = read(source)
    store.load_archive(articles, revisions, profile, progress)
    return len(articles)
