"""The pictures a site's posts show (page-bundle files beside the post, the site's static
files) brought into the media library through the import's own intake; a picture that
cannot be brought in is flagged and left as written, never silently dropped."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path

from newsdesk.core.errors import ImportFileError
from newsdesk.core.intake.import_media import (
    FoundFile,
    MediaCollector,
    PendingMedia,
    Reference,
    attach,
    body_references,
    is_local,
)
from newsdesk.core.media.media import MediaAsset, MediaLimits, key_of
from newsdesk.core.ports import ArticleStore
from newsdesk.core.sites.site_config import SiteConfig
from newsdesk.core.sites.site_posts import Post


def collect_media(
    posts: Sequence[Post], config: SiteConfig, store: ArticleStore, limits: MediaLimits
) -> tuple[PendingMedia, list[MediaAsset]]:
    """Every picture the posts use, each file read once and stored once (or found in the
    store already); the posts' articles then refer to them as ``media:KEY``."""
    collector = MediaCollector(limits)
    root = config.root.resolve()
    uses: list[list[tuple[Reference, FoundFile | None]]] = []
    for post in posts:
        used: list[tuple[Reference, FoundFile | None]] = []
        for written in _references(post):
            if not is_local(written.src):
                if key_of(written.src) is not None:
                    post.flagged.append(
                        f"line {written.line}: {written.src} is another store's file"
                    )
                continue
            ref = _from_static(written, post.found.path, config)
            try:
                used.append((ref, collector.take(ref, post.found.path, root)))
            except ImportFileError as exc:
                post.flagged.append(f"line {exc.line}: {exc.problem}; left as written")
        uses.append(used)
    stored = store.media_by_sha(collector.shas) if collector.shas else {}
    by_sha, pending = collector.assets(stored)
    for post, used in zip(posts, uses, strict=True):
        assert post.article is not None
        post.article = attach(post.article, used, by_sha)
    return pending, list(stored.values())


def _references(post: Post) -> list[Reference]:
    article = post.article
    assert article is not None
    refs: list[Reference] = []
    lines = post.front.key_lines
    for label, media in (("image", article.image), ("audio", article.audio)):
        if media is not None:
            key = "images" if label == "image" and "image" not in lines else label
            refs.append(
                Reference(
                    post.name,
                    lines.get(key),
                    label,
                    media.src,
                    alt=media.alt,
                    title=media.caption,
                    credit=media.credit,
                )
            )
    return refs + body_references(post.name, article.body, post.body_line)


def _from_static(ref: Reference, markdown: Path, config: SiteConfig) -> Reference:
    """``/images/x.jpg`` is a file of the site's static folder (Hugo's ``static/``, the
    site itself for Jekyll): named relative to the post, as the import reads files."""
    src = ref.src.strip()
    if not src.startswith("/") or src.startswith("//"):
        return ref
    for folder in config.static_dirs:
        candidate = config.root / folder / src.lstrip("/")
        if candidate.is_file():
            relative = os.path.relpath(candidate, markdown.parent)
            return dataclasses.replace(ref, src=Path(relative).as_posix())
    return ref
