"""Per-article files of every format, produced in this process or in worker processes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsdesk.core.models import Article, PublicationProfile
from newsdesk.publish.counts import RenderedBody
from newsdesk.publish.formats import FRAGMENT, MARKDOWN, NINJS, SITE
from newsdesk.publish.formats.markdown_files import markdown_bytes, neutralize_markdown
from newsdesk.publish.formats.ninjs import ninjs_bytes, ninjs_document
from newsdesk.publish.paths import article_segments
from newsdesk.publish.related import ResolvedRelated
from newsdesk.publish.renderer import Renderer
from newsdesk.publish.sanitize import without_source_lines
from newsdesk.publish.sanitized import clean_cached
from newsdesk.publish.transaction import write_staged


def article_relpaths(article: Article, formats: Sequence[str]) -> dict[str, str]:
    """Format -> path below the export folder, for each of ``formats``."""
    return relpaths(*article_segments(article), formats)


def relpaths(section: str, slug: str, formats: Sequence[str]) -> dict[str, str]:
    """Format -> path below the export folder of the article at ``section``/``slug``."""
    paths = {
        SITE: f"site/{section}/{slug}/index.html",
        FRAGMENT: f"fragment/{section}/{slug}.html",
        MARKDOWN: f"markdown/{section}/{slug}.md",
        NINJS: f"ninjs/{section}/{slug}.json",
    }
    return {f: paths[f] for f in formats if f in paths}


@dataclass(frozen=True, slots=True)
class ArticleJob:
    """Render ``article`` in ``formats``; ``cached_body`` is the cache's entry, if any."""

    article: Article
    related: tuple[ResolvedRelated, ...]
    formats: tuple[str, ...]
    cached_body: str | None = None


@dataclass(frozen=True, slots=True)
class JobResult:
    uri: str
    fresh_body: str | None  # rendered here: the cache entry for the caller to store
    files: tuple[tuple[str, str, int], ...]  # (path, sha256, size)


def article_files(
    renderer: Renderer, job: ArticleJob, body: RenderedBody
) -> list[tuple[str, bytes]]:
    """The bytes of each requested format for one article."""
    article, related = job.article, list(job.related)
    paths = article_relpaths(article, job.formats)
    files: list[tuple[str, bytes]] = []
    handoff_html = ""
    if FRAGMENT in paths or NINJS in paths:
        handoff_html = without_source_lines(body.html)
    body_markdown = ""
    if MARKDOWN in paths or NINJS in paths:
        body_markdown = neutralize_markdown(article.body)
    for fmt, path in paths.items():
        if fmt == SITE:
            data = renderer.page_html(article, related, body=body).encode()
        elif fmt == FRAGMENT:
            data = (handoff_html + "\n").encode()
        elif fmt == MARKDOWN:
            data = markdown_bytes(article, body_markdown, related, renderer.profile)
        else:
            doc = ninjs_document(
                article,
                body=body,
                body_html=handoff_html,
                body_markdown=body_markdown,
                related=related,
                profile=renderer.profile,
            )
            data = ninjs_bytes(doc)
        files.append((path, data))
    return files


def run_job(renderer: Renderer, staging: Path, job: ArticleJob) -> JobResult:
    cached = RenderedBody.from_cache(job.cached_body)
    fresh: str | None = None
    if cached is not None:  # checked again: the cache is a file anyone may edit
        body = RenderedBody(clean_cached(cached.html), cached.words, cached.chars)
    else:
        body = renderer.render_body(job.article)
        fresh = body.to_cache()
    written = []
    for path, data in article_files(renderer, job, body):
        sha, size = write_staged(staging, path, data)
        written.append((path, sha, size))
    return JobResult(job.article.uri, fresh, tuple(written))


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
