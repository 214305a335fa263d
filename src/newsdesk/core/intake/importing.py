"""Importing Markdown files and Word documents into the store, with the pictures and audio
they hold or refer to: all of them in one transaction, or none."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsdesk.core.errors import ImportFileError, NotFoundError
from newsdesk.core.intake.frontmatter import ParsedFile, PendingLink, parse_markdown_file
from newsdesk.core.intake.import_media import (
    FoundFile,
    MediaCollector,
    PendingMedia,
    Reference,
    attach,
    body_references,
    check_keys,
)
from newsdesk.core.intake.word_import import (
    PICTURE_SCHEME,
    WORD_SUFFIXES,
    WordStory,
    read_word_file,
)
from newsdesk.core.media.media import MediaAsset, MediaLimits
from newsdesk.core.models import Article, RelatedLink
from newsdesk.core.ports import ArticleStore, Progress, no_progress
from newsdesk.core.slugs import unique_slug

MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown"}
IMPORT_SUFFIXES = MARKDOWN_SUFFIXES | WORD_SUFFIXES
MAX_FILE_BYTES = 20 * 1024 * 1024


def find_sources(paths: Iterable[Path]) -> list[tuple[Path, Path]]:
    """``(file, root)`` for each Markdown or Word file named, or found below a named
    folder, in a stable order; ``root`` is the folder named (a named file's own folder),
    below which the pictures it refers to must be. Word's lock files (``~$name.docx``) are
    not documents."""
    return find_sources_noting(paths, [])


def find_sources_noting(paths: Iterable[Path], notes: list[str]) -> list[tuple[Path, Path]]:
    """``find_sources``, adding to ``notes`` each link below a named folder that leads out
    of it: not followed (a folder chosen is all an import reads)."""
    found: list[tuple[Path, Path]] = []
    for path in paths:
        if path.is_dir():
            found.extend((p, path) for p in _folder_sources(path, notes))
        elif path.is_file():
            found.append((path, path.parent))
        else:
            raise ImportFileError(str(path), None, "no such file or folder")
    return found


def _folder_sources(folder: Path, notes: list[str]) -> list[Path]:
    root = folder.resolve()
    files: list[Path] = []
    for where, dirs, names in os.walk(folder, followlinks=False):
        here = Path(where)
        for name in [d for d in dirs if (here / d).is_symlink()]:
            dirs.remove(name)
            if not (here / name).resolve().is_relative_to(root):
                notes.append(_left_out(here / name, root))
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            path = here / name
            if (
                path.suffix.lower() not in IMPORT_SUFFIXES
                or name.startswith(("~$", "."))
                or not path.is_file()
            ):
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                notes.append(_left_out(path, root))
                continue
            files.append(path)
    return sorted(files)


def _left_out(link: Path, root: Path) -> str:
    return (
        f"{link} is a link to {link.resolve()}, outside the folder {root}: not followed "
        "(copy the file into the folder to import it)"
    )


def find_markdown_files(paths: Iterable[Path]) -> list[Path]:
    """The Markdown files named, or found below named folders, in a stable order."""
    return [path for path, _ in find_sources(paths)]


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
        # datetime's own UTC: ZoneInfo("UTC") needs zone data too, and may have none.
        return UTC


def prepare_import(
    sources: Sequence[tuple[str, str]], store: ArticleStore, *, default_tz: tzinfo
) -> list[Article]:
    """Parse ``(name, text)`` sources into articles ready to insert, links resolved (their
    media references left as written).

    Raises ``ImportFileError`` for the first problem found; nothing is written.
    """
    parsed = _parse(sources, default_tz)
    return _settle(parsed, store)


def _parse(sources: Sequence[tuple[str, str]], default_tz: tzinfo) -> list[tuple[str, ParsedFile]]:
    return [
        (name, parse_markdown_file(text, name, default_tz=default_tz)) for name, text in sources
    ]


def _settle(parsed: Sequence[tuple[str, ParsedFile]], store: ArticleStore) -> list[Article]:
    """The parsed articles with unique slugs and their related links resolved."""
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


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What an import will write, in one transaction: the articles, their pictures and
    audio on stored files, and the files new to the store (read again only when written)."""

    articles: list[Article]
    media: PendingMedia
    reused: list[MediaAsset]
    notes: list[str] = field(default_factory=list)
    """What was dropped or changed on the way in (a Word file's macros, pictures left
    out, tracking removed from links), one line each."""


def plan_import(
    paths: Sequence[Path], store: ArticleStore, *, limits: MediaLimits | None = None
) -> ImportPlan:
    """Read and check every Markdown and Word file below ``paths`` and every picture and
    audio file they hold or refer to; raise ``ImportFileError`` (file, line, reason) for
    the first problem. Nothing is written: the store is only asked what it holds."""
    left_out: list[str] = []
    sources = find_sources_noting(paths, left_out)
    if not sources:
        raise ImportFileError(
            ", ".join(str(p) for p in paths),
            None,
            "no Markdown files found, nor Word documents" + "".join(f"; {n}" for n in left_out),
        )
    limits = limits or MediaLimits()
    words: dict[Path, WordStory] = {
        path: read_word_file(path, limits)
        for path, _ in sources
        if path.suffix.lower() in WORD_SUFFIXES
    }
    parsed = _parse(
        [
            (str(path), words[path].text if path in words else read_text_file(path))
            for path, _ in sources
        ],
        publication_tz(store),
    )
    articles = _settle(parsed, store)
    collector = MediaCollector(limits)
    uses = [
        _collect(collector, item, article, path, root.resolve(), word=words.get(path))
        for (_, item), article, (path, root) in zip(parsed, articles, sources, strict=True)
    ]
    check_keys(collector.keys, store.media_many(list(collector.keys)) if collector.keys else {})
    stored = store.media_by_sha(collector.shas) if collector.shas else {}
    by_sha, pending = collector.assets(stored)
    return ImportPlan(
        [attach(article, used, by_sha) for article, used in zip(articles, uses, strict=True)],
        pending,
        list(stored.values()),
        left_out + [note for story in words.values() for note in story.notes],
    )


def _collect(
    collector: MediaCollector,
    item: ParsedFile,
    article: Article,
    markdown: Path,
    root: Path,
    *,
    word: WordStory | None = None,
) -> list[tuple[Reference, FoundFile | None]]:
    """The media one file refers to (front matter, then body), each checked; a Word
    file's own pictures are already read and checked."""
    name = str(markdown)
    refs: list[Reference] = []
    for key, media in (("image", article.image), ("audio", article.audio)):
        if media is None:
            continue
        hugo = key == "image" and "image" not in item.key_lines and "images" in item.key_lines
        label = "images" if hugo else key
        refs.append(
            Reference(
                name,
                item.key_lines.get(label),
                label,
                media.src,
                alt=media.alt,
                title=media.caption,
                credit=media.credit,
            )
        )
    refs += body_references(name, article.body, item.body_line)
    held = {p.src: p for p in word.pictures} if word else {}
    return [
        (ref, collector.take_bytes(ref, held[ref.src].data, held[ref.src].info, held[ref.src].name))
        if ref.src.startswith(PICTURE_SCHEME) and ref.src in held
        else (ref, collector.take(ref, markdown, root))
        for ref in refs
    ]


def import_paths(
    paths: Sequence[Path],
    store: ArticleStore,
    progress: Progress = no_progress,
    *,
    limits: MediaLimits | None = None,
) -> list[Article]:
    """Import every Markdown and Word file below ``paths``, with the pictures and audio
    they hold or refer to, in one transaction; return the articles."""
    plan = plan_import(paths, store, limits=limits)
    store.create_many(plan.articles, progress, media=plan.media)
    return plan.articles
