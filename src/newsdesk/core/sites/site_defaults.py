"""What Hugo and Jekyll assume where a file says nothing: which files are posts, their
status, title, date and section, and the address readers knew them by."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from pathlib import PurePosixPath
from typing import Any

from newsdesk.core.models import Status
from newsdesk.core.sites.site_config import SiteConfig
from newsdesk.core.slugs import is_safe_slug, slugify

MARKDOWN = {".md", ".markdown", ".mdown", ".mkd", ".mkdn"}
_JEKYLL_NAME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)$")
_LOOSE_DATE = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_TOKEN = re.compile(r":[a-z_]+")
_JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}


@dataclass(frozen=True, slots=True)
class Role:
    """What a file is to its generator: a post, a list page (``_index.md``) or neither."""

    kind: str  # "post", "list" or "skip"
    reason: str = ""  # why a file is skipped
    key: str = ""  # the post's identity in the site, stable across imports
    name: str = ""  # the file's (or bundle's) name, a Jekyll post's date taken off
    folder: str = ""  # the content folder it is in ("posts"), "" at the top
    status: Status | None = None  # what its folder decides (Jekyll's _posts, _drafts)
    file_date: date | None = None  # a Jekyll post's date, from its file name


def role(config: SiteConfig, rel: PurePosixPath) -> Role:
    """The role of the Markdown file at ``rel`` (relative to the content folder)."""
    return _hugo_role(rel) if config.generator == "hugo" else _jekyll_role(rel)


def _hugo_role(rel: PurePosixPath) -> Role:
    folder = rel.parent.as_posix() if rel.parent.parts else ""
    if rel.stem == "_index":
        return Role("list", "a section's list page (its title names the section)", folder=folder)
    if rel.stem == "index":
        if not folder:
            return Role("skip", "the home page, not an article")
        parent = rel.parent.parent.as_posix() if len(rel.parts) > 2 else ""
        return Role("post", key=folder, name=rel.parent.name, folder=parent)
    key = (rel.parent / rel.stem).as_posix()
    return Role("post", key=key, name=rel.stem, folder=folder)


def _jekyll_role(rel: PurePosixPath) -> Role:
    parts = rel.parts
    for marker, status in (("_posts", Status.PUBLISHED), ("_drafts", Status.DRAFT)):
        if marker in parts:
            at = parts.index(marker)
            categories = "/".join(parts[:at])
            found = _JEKYLL_NAME.match(rel.stem)
            if found is None and status is Status.PUBLISHED:
                return Role(
                    "skip",
                    "Jekyll reads a post only from a file named YYYY-MM-DD-title.md; "
                    "rename it to import it",
                )
            name = found.group(4) if found else rel.stem
            try:
                day = date(*(int(found.group(i)) for i in (1, 2, 3))) if found else None
            except ValueError:
                return Role("skip", f"{rel.stem[:10]} in the file name is not a date that exists")
            key = "/".join(p for p in (categories, "posts", name) if p)
            return Role("post", key=key, name=name, folder=categories, status=status, file_date=day)
    if any(p.startswith("_") for p in parts[:-1]):
        return Role("skip", f"in {next(p for p in parts if p.startswith('_'))}/, not a post")
    if rel.stem == "index":
        folder = rel.parent.as_posix() if rel.parent.parts else ""
        return Role("list", "a list page (the home page or a section's index), not a post",
                    folder=folder)  # fmt: skip
    return Role("skip", "a page of the site, not a post (Jekyll's posts are in _posts)")


def title_from_name(name: str) -> str:
    """Jekyll's title for a post without one: ``welcome-to-jekyll`` -> ``Welcome To Jekyll``."""
    return " ".join(word.capitalize() for word in re.split(r"[-_\s]+", name) if word)


def date_value(value: Any) -> Any:
    """Jekyll's ``2016-05-20 21:18:27 +0200`` in the form every date reader takes."""
    if isinstance(value, str):
        found = _LOOSE_DATE.match(value.strip())
        if found:
            zone = found.group(3) or ""
            if zone and zone != "Z" and ":" not in zone:
                zone = f"{zone[:3]}:{zone[3:]}"
            return f"{found.group(1)}T{found.group(2)}{zone}"
    return value


def moment(value: Any, tz: tzinfo) -> datetime | None:
    """A front matter date as an aware moment, or ``None`` when it is no date at all
    (the article reader then says why, naming the line)."""
    value = date_value(value)
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tz)
    return None


def words(value: Any) -> Any:
    """Jekyll's ``tags: news politics`` (a space-separated string) as a list."""
    return value.split() if isinstance(value, str) and "," not in value else value


def safe_slug(value: str) -> str:
    return value if is_safe_slug(value) else slugify(value)


def former_address(
    config: SiteConfig, item: Role, data: dict[str, Any], slug: str, when: datetime | None
) -> str:
    """The path the old site published the post at; ``slug`` is the front matter's own
    ("" when it has none: the generator then uses the file's name or the title)."""
    given = data.get("url") or data.get("permalink")
    if isinstance(given, str) and given.strip() in _JEKYLL_STYLES and config.generator == "jekyll":
        pass  # a style name: expanded below
    elif isinstance(given, str) and given.strip() and not _TOKEN.search(given):
        return url_path(given, config.base_url)
    if config.generator == "hugo":
        pattern = config.permalinks.get(item.folder.split("/")[0] if item.folder else "")
        if not pattern:
            folder = "/".join(slugify(p) for p in item.folder.split("/") if p)
            return f"/{folder}/{slug or item.name}/".replace("//", "/").lower()
    else:
        style = given if isinstance(given, str) and given.strip() else config.permalinks.get("")
        pattern = _JEKYLL_STYLES.get(style or "date", style or "")
    return _expand(pattern, item, data=data, slug=slug, when=when, generator=config.generator)


def _expand(
    pattern: str,
    item: Role,
    *,
    data: dict[str, Any],
    slug: str,
    when: datetime | None,
    generator: str,
) -> str:
    when = when or datetime(1970, 1, 1, tzinfo=UTC)
    categories = data.get("categories") or data.get("category") or item.folder
    if isinstance(categories, str):
        categories = words(categories) if generator == "jekyll" else [categories]
    cats = "/".join(str(c).strip().lower().replace(" ", "-") for c in categories if str(c).strip())
    title = slugify(str(data.get("title") or item.name))
    tokens = {
        ":categories": cats,
        ":sections": item.folder,
        ":section": item.folder.split("/")[0],
        ":year": f"{when.year:04d}",
        ":month": f"{when.month:02d}",
        ":i_month": str(when.month),
        ":day": f"{when.day:02d}",
        ":i_day": str(when.day),
        ":y_day": f"{when.timetuple().tm_yday:03d}",
        ":short_day": when.strftime("%a"),
        ":week": when.strftime("%V"),
        ":title": (slug or item.name) if generator == "jekyll" else title,
        ":slug": slug or (item.name if generator == "jekyll" else title),
        ":filename": item.name,
        ":contentbasename": item.name,
        ":slugorfilename": slug or item.name,
        ":slugorcontentbasename": slug or item.name,
        ":output_ext": ".html",
    }
    path = _TOKEN.sub(lambda m: tokens.get(m.group(0), m.group(0)), pattern)
    path = re.sub(r"/{2,}", "/", "/" + path.strip("/") + ("/" if pattern.endswith("/") else ""))
    return path


def url_path(value: str, base_url: str = "") -> str:
    """An address as a path below the site: ``https://site/x/`` and ``x/`` give ``/x/``."""
    value = value.strip()
    if base_url and value.startswith(base_url):
        value = value[len(base_url) :]
    value = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]+", "", value, flags=re.IGNORECASE)
    return "/" + value.lstrip("/")
