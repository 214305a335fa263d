"""Per-article files of every format, produced in this process or in worker processes."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsdesk.core.errors import NewsdeskError
from newsdesk.core.media.media import MediaAsset
from newsdesk.core.models import Article, PublicationProfile
from newsdesk.publish.counts import RenderedBody
from newsdesk.publish.folder.transaction import staged_path, write_staged
from newsdesk.publish.formats import FRAGMENT, MARKDOWN, NINJS, SITE
from newsdesk.publish.formats.markdown_files import (
    FRAGMENT_MEDIA,
    bundle_body,
    markdown_bytes,
    neutralize_markdown,
    sidecar_bytes,
)
from newsdesk.publish.formats.ninjs import ninjs_bytes, ninjs_document
from newsdesk.publish.formats.site import story_site_files
from newsdesk.publish.media.renditions import Rendition, encode_many, relocate_media
from newsdesk.publish.paths import article_segments
from newsdesk.publish.related import ResolvedRelated, base_url
from newsdesk.publish.renderer import Renderer
from newsdesk.publish.sanitize import without_source_lines


def fragment_sidecar(fragment_path: str) -> str:
    """The metadata file beside a fragment: ``fragment/<section>/<slug>.json``."""
    return fragment_path.removesuffix(".html") + ".json"


def article_relpaths(
    article: Article, formats: Sequence[str], *, bundle: bool = False
) -> dict[str, str]:
    """Format -> path below the export folder, for each of ``formats``."""
    return relpaths(*article_segments(article), formats, bundle=bundle)


def relpaths(
    section: str, slug: str, formats: Sequence[str], *, bundle: bool = False
) -> dict[str, str]:
    """Format -> path below the export folder of the article at ``section``/``slug``.

    With ``bundle`` (an article with stored media) the Markdown is a Hugo leaf bundle,
    ``<slug>/index.md`` with its pictures beside it.
    """
    paths = {
        SITE: f"site/{section}/{slug}/index.html",
        FRAGMENT: f"fragment/{section}/{slug}.html",
        MARKDOWN: f"markdown/{section}/{slug}{'/index' if bundle else ''}.md",
        NINJS: f"ninjs/{section}/{slug}.json",
    }
    return {f: paths[f] for f in formats if f in paths}


@dataclass(frozen=True, slots=True)
class ArticleJob:
    """Render ``article`` in ``formats``; ``cached_body`` is the cache's entry, if any.

    ``media`` holds the stored files the article uses, ``sizes`` the byte size of each
    rendition (by path below the site, for ninjs), and ``pictures`` the files of its
    Markdown bundle as ``(path below the export folder, file holding the bytes)``.
    """

    article: Article
    related: tuple[ResolvedRelated, ...]
    formats: tuple[str, ...]
    cached_body: str | None = None
    media: Mapping[str, MediaAsset] = field(default_factory=dict)
    sizes: Mapping[str, int] = field(default_factory=dict)
    pictures: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class JobResult:
    uri: str
    fresh_body: str | None  # rendered here: the cache entry for the caller to store
    files: tuple[tuple[str, str, int], ...]  # (path, sha256, size)


def article_files(
    renderer: Renderer, job: ArticleJob, body: RenderedBody
) -> list[tuple[str, bytes]]:
    """The bytes of each requested format for one article.

    ``body.html`` may come from the render cache as it is (a file anyone may edit): no
    format takes it but through :func:`without_source_lines`, which sanitizes it.
    """
    article, related, media = job.article, list(job.related), job.media
    paths = article_relpaths(article, job.formats, bundle=bool(job.pictures))
    files: list[tuple[str, bytes]] = []
    # No format hands the web team the preview's ``data-line`` markers, the site included;
    # this is also the one sanitizing pass of a cached body.
    handoff_html = without_source_lines(body.html) if paths.keys() - {MARKDOWN} else ""
    body_markdown = ""
    if MARKDOWN in paths or NINJS in paths:
        body_markdown = neutralize_markdown(article.body)
    for fmt, path in paths.items():
        if fmt == SITE:
            clean = RenderedBody(handoff_html, body.words, body.chars)
            data = renderer.page_html(article, related, body=clean, media=media).encode()
            files += story_site_files(article, renderer.profile)  # its redirect pages
        elif fmt == FRAGMENT:
            data = (relocate_media(handoff_html, FRAGMENT_MEDIA) + "\n").encode()
            sidecar = sidecar_bytes(article, related, renderer.profile, media=media)
            files.append((fragment_sidecar(path), sidecar))
        elif fmt == MARKDOWN:
            text = bundle_body(article, media) if job.pictures else article.body
            data = markdown_bytes(
                article,
                neutralize_markdown(text) if job.pictures else body_markdown,
                related,
                renderer.profile,
                media=media if job.pictures else None,
            )
        else:
            doc = ninjs_document(
                article,
                body=body,
                body_html=relocate_media(handoff_html, base_url(renderer.profile) + "media/"),
                body_markdown=body_markdown,
                related=related,
                profile=renderer.profile,
                media=media,
                sizes=job.sizes,
            )
            data = ninjs_bytes(doc)
        files.append((path, data))
    return files


def run_job(renderer: Renderer, staging: Path, job: ArticleJob) -> JobResult:
    cached = RenderedBody.from_cache(job.cached_body)
    fresh: str | None = None
    if cached is not None:  # sanitized in article_files, as every body is
        body = cached
    else:
        body = renderer.render_body(job.article, job.media)
        fresh = body.to_cache()
    written = []
    for path, data in article_files(renderer, job, body):
        sha, size = write_staged(staging, path, data)
        written.append((path, sha, size))
    if MARKDOWN in job.formats:
        for path, source in job.pictures:  # a rendition made or checked by the export
            sha, size = write_staged(staging, path, Path(source).read_bytes())
            written.append((path, sha, size))
    return JobResult(job.article.uri, fresh, tuple(written))


# -- media ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MediaJob:
    """Encode renditions of one stored file: each written to its paths in the staging
    folder (below the export folder), or to a scratch path when no format keeps it but
    its bytes are needed (a Markdown bundle's picture, a zip)."""

    key: str
    data: bytes
    renditions: tuple[Rendition, ...]
    targets: tuple[tuple[str, ...], ...]  # per rendition, the relpaths to write


@dataclass(frozen=True, slots=True)
class MediaResult:
    key: str
    made: tuple[tuple[str, str, int, str], ...]  # (rendition path, sha256, size, a copy)
    error: str = ""


def run_media_job(staging: Path, job: MediaJob) -> MediaResult:
    """Encode one file's renditions (the original decoded once per scale) and stage them."""
    try:
        encoded = encode_many(job.data, job.renditions)
    except NewsdeskError as error:
        return MediaResult(job.key, (), str(error))
    made = []
    for rendition, targets, data in zip(job.renditions, job.targets, encoded, strict=True):
        sha = hashlib.sha256(data).hexdigest()
        for target in targets:
            write_staged(staging, target, data)
        made.append((rendition.path, sha, len(data), str(staged_path(staging, targets[0]))))
    return MediaResult(job.key, tuple(made))


# -- worker processes -------------------------------------------------------------------

_worker: tuple[Renderer, Path] | None = None


def init_worker(profile: dict[str, Any], staging: str) -> None:
    """Build this worker's renderer once (the cache stays with the parent process).

    ``profile["theme_dir"]`` is the theme folder the parent's renderer actually uses.
    """
    global _worker  # noqa: PLW0603 (one renderer per worker process)
    renderer = Renderer(PublicationProfile.from_dict(profile))
    _worker = (renderer, Path(staging))


def run_chunk(jobs: list[ArticleJob]) -> list[JobResult]:
    if _worker is None:
        raise RuntimeError("worker not initialised")
    renderer, staging = _worker
    return [run_job(renderer, staging, job) for job in jobs]


def run_media(job: MediaJob) -> MediaResult:
    if _worker is None:
        raise RuntimeError("worker not initialised")
    return run_media_job(_worker[1], job)
