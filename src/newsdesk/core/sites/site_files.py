"""The Markdown files of a Hugo or Jekyll site, found the way its generator looks for them,
never following a link out of the site's folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from newsdesk.core.sites.site_config import SiteConfig
from newsdesk.core.sites.site_defaults import MARKDOWN

# Folders a generator writes or installs into: never content.
_NOT_CONTENT = {"_site", ".jekyll-cache", ".sass-cache", "vendor", "node_modules", "public"}
_OTHER_PAGES = {".html", ".htm", ".org", ".adoc", ".asciidoc", ".rst", ".pdc", ".textile"}


@dataclass(frozen=True, slots=True)
class Found:
    """A Markdown file of the site (``reason`` empty), or one left out and why."""

    path: Path
    rel: PurePosixPath  # below the content folder
    reason: str = ""


def site_files(config: SiteConfig) -> list[Found]:
    """Every Markdown file below the site's content folder, in a stable order, and the
    files left out (links leading out of the site, pages in another format)."""
    root = config.root.resolve()
    content = config.content
    if not content.is_dir():
        return []
    found: list[Found] = []
    for folder, dirs, files in os.walk(content, followlinks=False):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if _walked(here / d, content, root, found, config))
        for name in sorted(files):
            path = here / name
            if name.startswith("."):
                continue
            rel = PurePosixPath(path.relative_to(content).as_posix())
            suffix = path.suffix.lower()
            if suffix in MARKDOWN:
                outside = _outside(path, root)
                found.append(Found(path, rel, outside))
            elif suffix in _OTHER_PAGES and _is_page(rel, config):
                found.append(
                    Found(path, rel, f"a {suffix[1:].upper()} page: only Markdown is imported")
                )
    return found


def _walked(path: Path, content: Path, root: Path, found: list[Found], config: SiteConfig) -> bool:
    """Whether to go into the folder ``path``; a link out of the site is said, not followed."""
    name = path.name
    if name.startswith(".") or (config.generator == "jekyll" and name in _NOT_CONTENT):
        return False
    if path.is_symlink():
        rel = PurePosixPath(path.relative_to(content).as_posix())
        reason = _outside(path, root) or (
            f"a link to the folder {os.readlink(path)} of the site: read there, not twice"
        )
        found.append(Found(path, rel, reason))
        return False
    return True


def _outside(path: Path, root: Path) -> str:
    """Why a link is not followed ("" for a plain file or a link that stays inside)."""
    if not path.is_symlink():
        return ""
    target = path.resolve()
    if target.is_relative_to(root):
        return ""
    return f"a link to {target}, outside the site folder {root}: not followed"


def _is_page(rel: PurePosixPath, config: SiteConfig) -> bool:
    """An HTML or other page where the generator finds posts (not a layout or asset)."""
    return config.generator == "hugo" or "_posts" in rel.parts or "_drafts" in rel.parts
