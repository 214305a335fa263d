"""Where each published file goes: URL paths built only from validated segments."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path, PurePosixPath

from newsdesk.core.models import Article
from newsdesk.core.slugs import DEFAULT_SECTION, is_safe_file_segment, is_safe_slug, section_segment
from newsdesk.publish.errors import ExportError


class UnsafePathError(ExportError):
    """A slug, section or file name that would put a file outside the export folder."""


@lru_cache(maxsize=4096)
def section_slug(section: str) -> str:
    """The URL segment of a section name; articles without a section go under ``news``."""
    slug = section_segment(section)
    if not is_safe_slug(slug):  # slugify's output always is; this guards future changes
        raise UnsafePathError(f"section {section!r} does not give a usable folder name")
    return slug


def section_name(section: str) -> str:
    """The section as readers see it."""
    return section.strip() or DEFAULT_SECTION.capitalize()


def article_segments(article: Article) -> tuple[str, str]:
    """``(section-slug, slug)`` of an article's page; refuses a slug that is not one segment."""
    if not is_safe_slug(article.slug):
        raise UnsafePathError(
            f"article {article.headline or article.uri!r} has the slug {article.slug!r}, which "
            "is not a single safe path segment (lowercase letters, digits and hyphens; no "
            "dots, slashes or drive letters)"
        )
    return section_slug(article.section), article.slug


def article_path(article: Article) -> str:
    """The article page's path below the site root, with a trailing slash: ``world/slug/``."""
    section, slug = article_segments(article)
    return f"{section}/{slug}/"


def check_relative(relpath: str) -> PurePosixPath:
    """``relpath`` as a path of validated segments; raises :class:`UnsafePathError` otherwise."""
    path = PurePosixPath(relpath)
    if path.is_absolute() or not path.parts or "\\" in relpath or ":" in relpath:
        raise UnsafePathError(f"refusing to write {relpath!r}: not a plain relative path")
    for part in path.parts:
        if not is_safe_file_segment(part):
            raise UnsafePathError(f"refusing to write {relpath!r}: unsafe name {part!r}")
    return path


def resolve_inside(root: Path, relpath: str) -> Path:
    """The absolute path of ``relpath`` below ``root``, proven to stay inside it.

    Every segment is validated, then the real path (symlinks followed) must still be below
    the real ``root``: a symlink placed inside the folder cannot lead a write outside it.
    """
    path = check_relative(relpath)
    real_root = os.path.realpath(root)
    target = os.path.realpath(os.path.join(real_root, *path.parts))
    if os.path.commonpath([real_root, target]) != real_root or target == real_root:
        raise UnsafePathError(f"refusing to write {relpath!r}: it resolves outside {root}")
    return Path(target)
