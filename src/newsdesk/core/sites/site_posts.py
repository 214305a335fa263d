"""One post of a Hugo or Jekyll site read into an article, with its generator's defaults
(title and date from the file name, drafts, publish and expiry dates, the section of
its folder) and the addresses the old site published it at."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

from newsdesk.core.intake.frontmatter import FrontMatter, build_article
from newsdesk.core.models import Article, Status
from newsdesk.core.sites.site_config import SiteConfig
from newsdesk.core.sites.site_defaults import (
    Role,
    date_value,
    former_address,
    moment,
    safe_slug,
    title_from_name,
    url_path,
    words,
)
from newsdesk.core.sites.site_files import Found

_HUGO_PUBLISH = ("publishdate", "pubdate", "published")
_HUGO_EXPIRY = ("expirydate", "unpublishdate")


@dataclass(slots=True)
class Post:
    """A post as read: its file, its role, then its article and what the import did to it."""

    found: Found
    role: Role
    front: FrontMatter
    name: str  # the file as the report names it (below the site's folder)
    mtime: datetime
    article: Article | None = None
    former: str = ""  # the address the old site published it at ("" for a draft)
    aliases: tuple[str, ...] = ()
    body_line: int = 1  # the file line of the body's first line
    converted: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)


def skip_reason(post: Post, generator: str) -> str:
    """Why the generator publishes no page for this post ("" when it does)."""
    data = post.front.data
    build = data.get("_build") or data.get("build")
    if generator == "hugo" and post.role.name and post.role.key:
        if data.get("headless") is True:
            return "a headless bundle: Hugo publishes no page for it"
        if isinstance(build, dict) and build.get("render") in {False, "never", "false"}:
            return "Hugo publishes no page for it (build: render: never)"
    return ""


def read_post(post: Post, config: SiteConfig, sections: dict[str, str], tz: tzinfo) -> Article:
    """The article ``post`` becomes; ``ImportFileError`` naming the line for a bad value."""
    front, status = _prepared(post, config, sections, tz)
    parsed = build_article(front, post.name, default_tz=tz, undated=post.mtime, status=status)
    article = parsed.article
    post.body_line = parsed.body_line
    given = next((v for k, v in post.front.data.items() if k.lower() == "slug" and v), None)
    explicit = safe_slug(str(given)) if given else ""  # the front matter's own, if any
    when = article.display_date or article.first_published_at
    if article.status in {Status.PUBLISHED, Status.WITHDRAWN}:
        post.former = former_address(config, post.role, front.data, explicit, when)
    post.aliases = tuple(
        dict.fromkeys(
            url_path(str(a), config.base_url)
            for key in ("aliases", "redirect_from")
            for a in _listed(front.data.get(key))
        )
    )
    return article


def _listed(value: Any) -> list[Any]:
    if isinstance(value, str):
        return [value] if value.strip() else []
    return [v for v in value if isinstance(v, str) and v.strip()] if isinstance(value, list) else []


def _prepared(
    post: Post, config: SiteConfig, sections: dict[str, str], tz: tzinfo
) -> tuple[FrontMatter, Status]:
    """The front matter in Newsdesk's terms, the generator's defaults filled in."""
    front, item = post.front, post.role
    hugo = config.generator == "hugo"
    data = {k.lower(): v for k, v in front.data.items()} if hugo else dict(front.data)
    lines = {k.lower(): v for k, v in front.key_lines.items()} if hugo else front.key_lines
    data.pop("related", None)  # a site's own parameter, not Newsdesk's related list
    for key in ("date", "lastmod", "last_modified_at", *_HUGO_PUBLISH, *_HUGO_EXPIRY):
        if key in data and not (key == "published" and not hugo):
            data[key] = date_value(data[key])
    if "last_modified_at" in data:
        data.setdefault("lastmod", data.pop("last_modified_at"))
    if not hugo:
        for key in ("tags", "categories"):
            if key in data:
                data[key] = words(data[key])
        if "category" in data and "categories" not in data:
            data["categories"] = words(data["category"])
    author = data.get("author")
    if isinstance(author, dict):
        data["author"] = str(author.get("name") or "")
    image = data.get("image")
    if isinstance(image, dict) and "src" not in image and isinstance(image.get("path"), str):
        data["image"] = {**image, "src": image["path"]}
    if not _has_title(data, front.body):
        data["title"] = title_from_name(item.name)
    if "date" not in data and item.file_date is not None:
        data["date"] = item.file_date
    data["slug"] = safe_slug(str(data.get("slug") or item.name))
    if not data.get("section") and not data.get("categories"):
        top = item.folder.split("/")[0] if item.folder else ""
        data["section"] = sections.get(top) or (title_from_name(top) if top else "")
    status = _status(data, item, hugo, tz, post)
    return dataclasses.replace(front, data=data, key_lines=lines), status


def _has_title(data: dict[str, Any], body: str) -> bool:
    if data.get("title") not in (None, "") or data.get("headline") not in (None, ""):
        return True
    return body.lstrip("\n").startswith("# ")


def _status(data: dict[str, Any], item: Role, hugo: bool, tz: tzinfo, post: Post) -> Status:
    """Published unless the generator would not publish it (a draft, ``published: false``,
    a date to come, an expiry past); the dates that decide it become Newsdesk's."""
    now = datetime.now(UTC)
    if hugo:
        draft = data.pop("draft", False)
        status = Status.DRAFT if draft is True or str(draft).lower() == "true" else Status.PUBLISHED
        publish = next((moment(data.pop(k), tz) for k in _HUGO_PUBLISH if k in data), None)
        expiry = next((moment(data.pop(k), tz) for k in _HUGO_EXPIRY if k in data), None)
    else:
        published = data.pop("published", True)
        status = item.status or Status.PUBLISHED
        if published is False or str(published).lower() == "false":
            status = Status.DRAFT
            post.converted.append("published: false → a draft")
        publish, expiry = None, None
    date = moment(data.get("date"), tz)
    if status is Status.PUBLISHED:
        if publish is None and date is not None and date > now:
            publish = date
        if publish is not None and publish > now:
            data["embargo"], status = publish, Status.SCHEDULED
            post.converted.append(f"publish date {publish:%Y-%m-%d} to come → scheduled")
        elif publish is not None:
            data["published"] = publish
    if expiry is not None and expiry <= now and status is Status.PUBLISHED:
        post.converted.append(f"expired on {expiry:%Y-%m-%d} → withdrawn")
        return Status.WITHDRAWN
    if expiry is not None and expiry > now:
        note = f"The old site took this page down on {expiry:%Y-%m-%d} (expiryDate)."
        data["editor_note"] = f"{data.get('editor_note') or ''}\n{note}".strip()
        post.converted.append(f"expiry date {expiry:%Y-%m-%d} → the editor's note")
    return status
