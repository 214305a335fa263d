"""Importing a whole Hugo or Jekyll site: every post read first, internal links resolved
once all are known, page-bundle pictures brought into the media library, and a report of
what will be imported, skipped, converted and flagged before anything is stored.

An imported post's identity is a name-based UUID (uuid5) of the site and the post: the
site is its base URL from the config (the folder's name when it has none), the post its
path in the content folder without the extension (a page bundle's folder; a Jekyll post's
name without its date, so a draft that moved to ``_posts`` stays the same story). Importing
the site again finds the same identities and updates those stories instead of adding
copies; a story whose text did not change is left as it is.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

from newsdesk.core.errors import ImportFileError, NewsdeskError
from newsdesk.core.intake.frontmatter import read_front_matter
from newsdesk.core.intake.import_media import PendingMedia
from newsdesk.core.intake.importing import publication_tz, read_text_file
from newsdesk.core.media.media import MediaAsset, MediaLimits
from newsdesk.core.models import Article, PublicationProfile, Status
from newsdesk.core.ports import ArticleStore, Progress, no_progress
from newsdesk.core.sites.site_config import (
    ProfileChange,
    SiteConfig,
    proposed_profile,
    read_site_config,
)
from newsdesk.core.sites.site_defaults import role
from newsdesk.core.sites.site_files import Found, site_files
from newsdesk.core.sites.site_links import address_of, convert_bodies, settle_slugs
from newsdesk.core.sites.site_media import collect_media
from newsdesk.core.sites.site_posts import Post, read_post, skip_reason

SITE_NAMESPACE = uuid.UUID("5b0e7a5e-2c1d-4f51-9a52-6e657773646b")
IN_CHUNK = 500

NEW, UPDATED, UNCHANGED, SKIPPED, LISTED, PROBLEM = (
    "new",
    "updated",
    "unchanged",
    "skipped",
    "list page",
    "problem",
)


@dataclass(frozen=True, slots=True)
class FileReport:
    """What the import does with one file of the site, and why."""

    path: str  # below the site's folder
    outcome: str  # NEW, UPDATED, UNCHANGED, SKIPPED, LISTED or PROBLEM
    headline: str = ""
    reason: str = ""
    converted: tuple[str, ...] = ()
    flagged: tuple[str, ...] = ()


@dataclass(slots=True)
class SitePlan:
    """Everything a site import would store, and the report to read before it is."""

    config: SiteConfig
    files: list[FileReport]
    new: list[Article] = field(default_factory=list)
    updates: list[Article] = field(default_factory=list)
    media: PendingMedia = field(default_factory=lambda: PendingMedia([]))
    reused: list[MediaAsset] = field(default_factory=list)
    profile: PublicationProfile = field(default_factory=PublicationProfile)
    profile_changes: list[ProfileChange] = field(default_factory=list)

    @property
    def problems(self) -> list[FileReport]:
        return [f for f in self.files if f.outcome == PROBLEM]

    def count(self, outcome: str) -> int:
        return sum(1 for f in self.files if f.outcome == outcome)

    def check(self) -> None:
        """Refuse to store anything while a file has a problem, naming every one."""
        problems = self.problems
        if problems:
            listed = "\n".join(f"  {p.reason}" for p in problems)
            raise ImportFileError(
                str(self.config.root),
                None,
                f"{len(problems)} file(s) cannot be imported, so nothing was stored:\n{listed}\n"
                "Correct them (or move them out of the site) and import again.",
            )


def site_identity(config: SiteConfig) -> str:
    """What names the site in its posts' identities: its base URL, else its folder."""
    base = config.base_url.strip().lower().rstrip("/")
    return base.split("://", 1)[-1] if base else f"folder:{config.root.resolve().name}"


def post_uri(site: str, key: str) -> str:
    return f"urn:newsdesk:article:{uuid.uuid5(SITE_NAMESPACE, f'{site}#{key}')}"


def plan_site(
    root: Path,
    store: ArticleStore,
    *,
    limits: MediaLimits | None = None,
    progress: Progress = no_progress,
) -> SitePlan:
    """Read the site in ``root`` and work out what importing it would store. Nothing is
    written; a file that cannot be read is a PROBLEM in the report (see ``check``)."""
    config = read_site_config(root)
    found = site_files(config)
    if not any(not f.reason for f in found):
        raise ImportFileError(
            str(root),
            None,
            f"the site has no content: no Markdown file below {config.content}; "
            "name the folder that holds the site's config and its content",
        )
    tz = ZoneInfo(config.time_zone) if config.time_zone else publication_tz(store)
    reports: dict[str, FileReport] = {}
    posts, sections = _read(config, found, reports, progress)
    _build(posts, config, sections, tz, reports)
    site = site_identity(config)
    ready = _identify([p for p in posts if p.article is not None], site, reports)
    existing = _existing(store, [p.article.uri for p in ready if p.article])
    settle_slugs(ready, existing, store)
    convert_bodies(ready, config)
    ready = _one_story_per_alias(ready, reports)
    media, reused = collect_media(ready, config, store, limits or MediaLimits())
    plan = SitePlan(config, [], media=media, reused=reused)
    plan.profile, plan.profile_changes = proposed_profile(config, store.profile())
    for post in ready:
        _sort(post, existing.get(post.article.uri) if post.article else None, plan, reports)
    plan.files = [reports[f.path.as_posix()] for f in found if f.path.as_posix() in reports]
    return plan


def _read(
    config: SiteConfig, found: Sequence[Found], reports: dict[str, FileReport], progress: Progress
) -> tuple[list[Post], dict[str, str]]:
    """Each file read and split; the section names list pages give."""
    posts: list[Post] = []
    sections: dict[str, str] = {}
    root = config.root
    total = len(found)
    bundles = _leaf_bundles(config, found)
    for done, listed in enumerate(found, start=1):
        if done % 200 == 0 or done == total:
            progress(done, total)
        item = listed
        key = item.path.as_posix()
        name = item.path.relative_to(root).as_posix()
        bundle = next((b for b in item.rel.parents if b in bundles), None)
        if bundle is not None and item.rel.name != "index.md":
            item = dataclasses.replace(
                item, reason=f"a file of the page bundle {bundle}/ (Hugo publishes no page for it)"
            )
        if item.reason:
            reports[key] = FileReport(name, SKIPPED, reason=item.reason)
            continue
        what = role(config, item.rel)
        try:
            front = read_front_matter(read_text_file(item.path), name)
        except ImportFileError as exc:
            reports[key] = FileReport(name, PROBLEM, reason=str(exc))
            continue
        if what.kind == "list":
            title = front.data.get("title")
            if isinstance(title, str) and title.strip():
                sections[what.folder] = title.strip()
            reports[key] = FileReport(name, LISTED, title if isinstance(title, str) else "",
                                      reason=what.reason)  # fmt: skip
        elif what.kind == "skip":
            reports[key] = FileReport(name, SKIPPED, reason=what.reason)
        elif config.generator == "jekyll" and front.form == "":
            reports[key] = FileReport(
                name, SKIPPED, reason="no front matter: Jekyll copies such a file as it is"
            )
        else:
            mtime = datetime.fromtimestamp(item.path.stat().st_mtime, UTC)
            posts.append(Post(item, what, front, name, mtime))
    return posts, sections


def _leaf_bundles(config: SiteConfig, found: Sequence[Found]) -> set[PurePosixPath]:
    """Hugo's leaf bundles: folders with an ``index.md``, whose other files are its own."""
    if config.generator != "hugo":
        return set()
    return {f.rel.parent for f in found if f.rel.stem == "index" and f.rel.parent.parts}


def _build(
    posts: list[Post],
    config: SiteConfig,
    sections: dict[str, str],
    tz: tzinfo,
    reports: dict[str, FileReport],
) -> None:
    for post in posts:
        key = post.found.path.as_posix()
        reason = skip_reason(post, config.generator)
        if reason:
            reports[key] = FileReport(post.name, SKIPPED, reason=reason)
            continue
        try:
            post.article = read_post(post, config, sections, tz)
        except NewsdeskError as exc:
            reports[key] = FileReport(post.name, PROBLEM, reason=str(exc))


def _identify(posts: list[Post], site: str, reports: dict[str, FileReport]) -> list[Post]:
    """Each post with its identity; two posts with one identity or one former address are
    a problem naming both (the generator would publish one over the other)."""
    by_key: dict[str, Post] = {}
    by_address: dict[str, Post] = {}
    ready: list[Post] = []
    # Jekyll's published posts first: a draft left beside its post is another story.
    for post in sorted(posts, key=lambda p: p.role.status is Status.DRAFT):
        key = post.role.key
        if key in by_key and post.role.status is Status.DRAFT:
            key = f"drafts/{post.role.name}"
        other = by_key.get(key) or (by_address.get(post.former) if post.former else None)
        if other is not None:
            address = post.former if post.former and post.former == other.former else key
            for one, two in ((post, other), (other, post)):
                reports[one.found.path.as_posix()] = FileReport(
                    one.name,
                    PROBLEM,
                    reason=f"{one.name}: {two.name} has the same address ({address}); give "
                    "one of them another slug, url or permalink, or remove one",
                )
            if other in ready:
                ready.remove(other)
            continue
        by_key[key] = post
        if post.former:
            by_address[post.former] = post
        assert post.article is not None
        post.article = dataclasses.replace(post.article, uri=post_uri(site, key))
        ready.append(post)
    return ready


def _one_story_per_alias(posts: list[Post], reports: dict[str, FileReport]) -> list[Post]:
    """A former address leads to one story: two posts claiming one are both named."""
    owner: dict[str, Post] = {}
    clashing: set[int] = set()
    for post in posts:
        for alias in post.aliases:
            other = owner.setdefault(alias, post)
            if other is not post:
                for one, two in ((post, other), (other, post)):
                    clashing.add(id(one))
                    reports[one.found.path.as_posix()] = FileReport(
                        one.name,
                        PROBLEM,
                        reason=f"{one.name}: {two.name} has the same former address ({alias}); "
                        "remove it from one of them",
                    )
    return [p for p in posts if id(p) not in clashing]


def _existing(store: ArticleStore, uris: list[str]) -> dict[str, Article]:
    found: dict[str, Article] = {}
    for start in range(0, len(uris), IN_CHUNK):
        found.update((a.uri, a) for a in store.read_many(uris[start : start + IN_CHUNK]))
    return found


_SAME_FIELDS = ("id", "version", "updated_at")


def _comparable(article: Article) -> dict[str, object]:
    """The article's words and settings, moments as instants (the store keeps UTC)."""
    data = article.to_dict(counts=False)
    for name in _SAME_FIELDS:
        data.pop(name, None)
    for name in ("created_at", "first_published_at", "display_date", "embargo_until"):
        if data.get(name):
            data[name] = datetime.fromisoformat(data[name]).astimezone(UTC)
    return data


def _sort(
    post: Post, stored: Article | None, plan: SitePlan, reports: dict[str, FileReport]
) -> None:
    """The post as new, an update of what an earlier import stored, or unchanged."""
    article = post.article
    assert article is not None
    if stored is not None:
        article = dataclasses.replace(
            article, id=stored.id, version=stored.version, slug=stored.slug, slug_locked=True
        )
    outcome = NEW
    if stored is None:
        plan.new.append(article)
    elif _comparable(article) == _comparable(stored):
        outcome = UNCHANGED
    else:
        outcome = UPDATED
        plan.updates.append(article)
    reports[post.found.path.as_posix()] = FileReport(
        post.name,
        outcome,
        article.headline,
        reason=address_of(article)
        + (f" (was {post.former})" if post.former in post.aliases else ""),
        converted=tuple(post.converted),
        flagged=tuple(post.flagged),
    )


def import_site(plan: SitePlan, store: ArticleStore, progress: Progress = no_progress) -> int:
    """Store what ``plan`` holds in one transaction (all or nothing); refused while any
    file has a problem. Returns how many articles were written."""
    plan.check()
    store.create_many(plan.new, progress, media=plan.media, updates=plan.updates)
    return len(plan.new) + len(plan.updates)
