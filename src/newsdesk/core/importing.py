"""Importing Markdown files into the store: all of them in one transaction, or none."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsdesk.core.errors import ImportFileError, NotFoundError
from newsdesk.core.frontmatter import ParsedFile, PendingLink, parse_markdown_file
from newsdesk.core.models import Article, RelatedLink
from newsdesk.core.ports import ArticleStore, Progress, no_progress
from newsdesk.core.slugs import unique_slug

MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown"}
MAX_FILE_BYTES = 20 * 1024 * 1024


def find_markdown_files(paths: Iterable[Path]) -> list[Path]:
    """The Markdown files named, or found below named folders, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.suffix.lower() in MARKDOWN_SUFFIXES
                    and p.is_file()
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        elif path.is_file():
            found.append(path)
        else:
            raise ImportFileError(str(path), None, "no such file or folder")
    return found


def read_text_file(path: Path) -> str:
    """A file's text as UTF-8, refusing binaries and invalid encodings with a clear reason."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportFileError(str(path), None, f"the file is {size:,} bytes; 20 MB at most")
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(str(path), None, f"cannot be read: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            str(path),
            line,
            f"the file is not UTF-8 text (byte {exc.start:,} is 0x{raw[exc.start]:02x}); "
            "save it as UTF-8 and import again",
        ) from None


def publication_tz(store: ArticleStore) -> tzinfo:
    try:
        return ZoneInfo(store.profile().time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def prepare_import(
    sources: Sequence[tuple[str, str]], store: ArticleStore, *, default_tz: tzinfo
) -> list[Article]:
    """Parse ``(name, text)`` sources into articles ready to insert, links resolved.

    Raises ``ImportFileError`` for the first problem found; nothing is written.
    """
    parsed: list[tuple[str, ParsedFile]] = [
        (name, parse_markdown_file(text, name, default_tz=default_tz)) for name, text in sources
    ]
    taken = store.slugs_taken(p.article.slug for _, p in parsed)
    explicit: dict[str, str] = {}
    articles: list[Article] = []
    for name, item in parsed:
        article = item.article
        if article.slug_locked:
            if article.slug in taken:
                raise ImportFileError(
                    name,
                    item.slug_line,
                    f"slug {article.slug!r} is already used by an article in the store; "
                    "change the slug or remove that article first",
                )
            if article.slug in explicit:
                raise ImportFileError(
                    name,
                    item.slug_line,
                    f"slug {article.slug!r} is also used by {explicit[article.slug]}",
                )
            explicit[article.slug] = name
        articles.append(article)
    used = set(taken) | set(explicit)
    for index, article in enumerate(articles):
        if not article.slug_locked:
            slug = unique_slug(article.slug, used)
            used.add(slug)
            articles[index] = dataclasses.replace(article, slug=slug)
    by_slug = {a.slug: a for a in articles}
    return [
        dataclasses.replace(article, related=_resolve(name, item, by_slug, store))
        for (name, item), article in zip(parsed, articles, strict=True)
    ]


def _resolve(
    name: str, item: ParsedFile, batch: dict[str, Article], store: ArticleStore
) -> tuple[RelatedLink, ...]:
    links: list[RelatedLink] = []
    for entry in item.pending:
        if isinstance(entry, RelatedLink):
            links.append(entry)
            continue
        assert isinstance(entry, PendingLink)
        target = batch.get(entry.slug)
        if target is None:
            try:
                target = store.get_by_slug(entry.slug)
            except NotFoundError:
                raise ImportFileError(
                    name,
                    None,
                    f"related: no article with slug {entry.slug!r} in this import or the store",
                ) from None
        if target.uri == item.article.uri:
            raise ImportFileError(name, None, "related: an article cannot be related to itself")
        links.append(
            RelatedLink(
                title=entry.title or target.headline,
                target_uri=target.uri,
                relation=entry.relation,
                pinned=entry.pinned,
            )
        )
    return tuple(links)


def import_paths(
    paths: Sequence[Path], store: ArticleStore, progress: Progress = no_progress
) -> list[Article]:
    """Import every Markdown file below ``paths`` in one transaction; return the articles."""
    files = find_markdown_files(paths)
    if not files:
        raise ImportFileError(", ".join(str(p) for p in paths), None, "no Markdown files found")
    sources = [(str(path), read_text_file(path)) for path in files]
    articles = prepare_import(sources, store, default_tz=publication_tz(store))
    store.create_many(articles, progress)
    return articles
