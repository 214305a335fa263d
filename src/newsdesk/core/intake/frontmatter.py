"""Markdown files with front matter in every form Hugo reads (YAML ``---``, TOML ``+++``,
JSON ``{ }``) and Hugo's, Jekyll's and Newsdesk's own keys."""

from __future__ import annotations

import dataclasses
import json
import re
import tomllib
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any
from urllib.parse import urlsplit

import yaml

from newsdesk.core.errors import ImportFileError, ValidationError
from newsdesk.core.models import (
    Article,
    Media,
    RelatedLink,
    RelationKind,
    Status,
    check_moment,
)
from newsdesk.core.slugs import is_safe_slug
from newsdesk.core.text import clean_line

FENCE = "---"
# Control characters YAML refuses outright. In front matter they read as a space, as they
# do in any single-line field (the model's rule), instead of failing the whole import.
_YAML_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")


@dataclasses.dataclass(frozen=True, slots=True)
class PendingLink:
    """A related item naming an article by slug, resolved once the whole import is read."""

    slug: str
    title: str
    relation: RelationKind
    pinned: bool
    line: int | None


@dataclasses.dataclass(frozen=True, slots=True)
class ParsedFile:
    """One file read: its article, the related items still to resolve, and where things are
    in the file (so a later check can name the line)."""

    article: Article
    pending: tuple[PendingLink | RelatedLink, ...]
    slug_line: int | None
    key_lines: dict[str, int] = dataclasses.field(default_factory=dict)
    """The file line of each top-level front matter key."""
    body_line: int = 1
    """The file line holding the first line of ``article.body``."""


def split_front_matter(text: str, path: str) -> tuple[str, str, int]:
    """Return (front matter, body, line number where the body starts)."""
    _, front, body, body_line = _split(text, path)
    return front, body, body_line


_FENCES = {"---": "YAML", "+++": "TOML"}


def _split(text: str, path: str) -> tuple[str, str, str, int]:
    """``(form, front matter, body, body line)``; form is "yaml", "toml", "json" or ""."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    opening = lines[0].strip() if lines else ""
    if opening.startswith("{") and not opening.startswith(("{{", "{%")):  # not a shortcode
        return _split_json(text, path)
    if opening not in _FENCES:
        return "", "", text, 1
    closers = {opening, "..."} if opening == FENCE else {opening}
    for index in range(1, len(lines)):
        line = lines[index].strip()
        if line in closers:
            return (
                _FENCES[opening].lower(),
                "\n".join(lines[1:index]),
                "\n".join(lines[index + 1 :]),
                index + 2,
            )
        if line in _FENCES and line != opening:
            raise _mixed(path, index + 1, opening, line)
    raise ImportFileError(path, 1, f"the front matter opened with '{opening}' is never closed")


def _mixed(path: str, line: int, opening: str, other: str) -> ImportFileError:
    return ImportFileError(
        path,
        line,
        f"the front matter mixes forms: it opens with '{opening}' ({_FENCES[opening]}) and "
        f"this line is '{other}' ({_FENCES[other]}); write it all in one form and close it "
        f"with '{opening}'",
    )


def _split_json(text: str, path: str) -> tuple[str, str, str, int]:
    """Hugo's JSON front matter: one object at the top of the file, then the body."""
    try:
        _, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            path, exc.lineno, f"the front matter is not valid JSON: {exc.msg}"
        ) from None
    rest = text[end:]
    newline = rest.find("\n")
    if rest[: max(newline, 0)].strip() if newline >= 0 else rest.strip():
        line = text[:end].count("\n") + 1
        raise ImportFileError(
            path, line, "the JSON front matter must end with '}' alone on its line"
        )
    body = rest[newline + 1 :] if newline >= 0 else ""
    return "json", text[:end], body, text[: end + max(newline, 0)].count("\n") + 2


def _key_lines(front: str) -> dict[str, int]:
    """The 1-based file line of each top-level key (front matter starts on line 2)."""
    try:
        node = yaml.compose(front, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        str(key.value): key.start_mark.line + 2
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode)
    }


class _Loader(yaml.SafeLoader):
    """YAML's safe loader, but a date that does not exist (0000-00-00, 2026-02-30) stays the
    text it is, for the field's reader to refuse naming the key, line and value (YAML's own
    loader raises a bare ValueError: a traceback instead of a message)."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> object:  # type: ignore[override]
        try:
            return super().construct_yaml_timestamp(node)  # type: ignore[arg-type]
        except (ValueError, OverflowError):
            return str(node.value)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _load_yaml(front: str, path: str) -> dict[Any, Any]:
    """The front matter's keys and values, or ``ImportFileError`` naming the line."""
    try:
        data = yaml.load(front, Loader=_Loader) if front.strip() else {}
    except RecursionError:
        raise ImportFileError(
            path, 2, "the front matter is not valid YAML: it is nested too deeply"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        if isinstance(exc, yaml.reader.ReaderError):  # a character YAML cannot carry
            line = front[: exc.position].count("\n") + 2
            code = exc.character if isinstance(exc.character, int) else ord(exc.character)
            problem = f"the character U+{code:04X} is not allowed there"
        raise ImportFileError(
            path, line, f"the front matter is not valid YAML: {problem}"
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ImportFileError(path, 2, "the front matter must be a set of 'key: value' lines")
    return data


@dataclasses.dataclass(frozen=True, slots=True)
class FrontMatter:
    """A Markdown file split: its front matter's keys, the body, and where things are."""

    data: dict[str, Any]
    body: str
    body_line: int
    key_lines: dict[str, int]
    form: str  # "yaml", "toml", "json", or "" for a file without front matter


def read_front_matter(text: str, path: str) -> FrontMatter:
    """The front matter in whichever form the file uses; ``ImportFileError`` naming the
    line for one that does not parse or mixes forms."""
    form, front, body, body_line = _split(text, path)
    if form == "toml":
        data, lines = _load_toml(front, path), _toml_key_lines(front)
    elif form == "json":
        data, lines = _load_json(front, path), _json_key_lines(front)
    else:
        front = _YAML_CONTROLS.sub(" ", front)
        _refuse_toml_lines(front, path)
        data, lines = _load_yaml(front, path), _key_lines(front)
    return FrontMatter({str(k): v for k, v in data.items()}, body, body_line, lines, form)


_TOML_KEY = re.compile(r'^\s*("[^"]+"|[A-Za-z0-9_-]+)\s*=')
_YAML_KEY = re.compile(r"^[A-Za-z_][\w-]*:(\s|$)")
_TOML_ERROR_LINE = re.compile(r"\(at line (\d+)")


def _toml_key_lines(front: str) -> dict[str, int]:
    """The file line of each top-level TOML key (those before the first ``[table]``)."""
    lines: dict[str, int] = {}
    for number, line in enumerate(front.split("\n"), start=2):
        if line.lstrip().startswith("["):
            break
        match = _TOML_KEY.match(line)
        if match:
            lines.setdefault(match.group(1).strip('"'), number)
    return lines


def _load_toml(front: str, path: str) -> dict[str, Any]:
    try:
        return tomllib.loads(front)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_ERROR_LINE.search(str(exc))
        line = int(found.group(1)) + 1 if found else 2
        for number, text in enumerate(front.split("\n"), start=2):
            if _YAML_KEY.match(text) and not _TOML_KEY.match(text):
                raise ImportFileError(
                    path,
                    number,
                    "the front matter mixes forms: it opens with '+++' (TOML) but this line "
                    "is YAML ('key: value'); write it as key = \"value\", or use '---' "
                    "around YAML",
                ) from None
        problem = _TOML_ERROR_LINE.sub("(", str(exc)).replace(" ()", "")
        raise ImportFileError(
            path, line, f"the front matter is not valid TOML: {problem}"
        ) from None


def _refuse_toml_lines(front: str, path: str) -> None:
    """A ``key = value`` line in YAML front matter is TOML, not a YAML key."""
    for number, text in enumerate(front.split("\n"), start=2):
        if text[:1].isalpha() and _TOML_KEY.match(text) and not _YAML_KEY.match(text):
            raise ImportFileError(
                path,
                number,
                "the front matter mixes forms: it opens with '---' (YAML) but this line is "
                "TOML ('key = value'); write it as key: value, or use '+++' around TOML",
            )


def _json_key_lines(front: str) -> dict[str, int]:
    lines: dict[str, int] = {}
    for number, line in enumerate(front.split("\n"), start=1):
        match = re.match(r'^\s{0,4}[{,]?\s*"([^"]+)"\s*:', line)
        if match:
            lines.setdefault(match.group(1), number)
    return lines


def _load_json(front: str, path: str) -> dict[str, Any]:
    data = json.loads(front)
    if not isinstance(data, dict):
        raise ImportFileError(path, 1, "the JSON front matter must be an object { ... }")
    return data


def parse_markdown_file(text: str, path: str, *, default_tz: tzinfo = UTC) -> ParsedFile:
    """Read one Markdown file into an article; raise ``ImportFileError`` naming the line."""
    return build_article(read_front_matter(text, path), path, default_tz=default_tz)


def build_article(
    front: FrontMatter,
    path: str,
    *,
    default_tz: tzinfo = UTC,
    undated: datetime | None = None,
    status: Status | None = None,
) -> ParsedFile:
    """The article ``front`` describes. ``undated`` stands in for a missing date (a site
    import passes the file's own time, so that importing it again gives the same article);
    ``status`` overrides the file's own (a site's rules decide it)."""
    data, lines = front.data, front.key_lines
    raw_body = body = front.body
    body_line = front.body_line

    def fail(key: str, problem: str) -> ImportFileError:
        return ImportFileError(path, lines.get(key), f"{key}: {problem}")

    reader = FieldReader(data, fail, default_tz)
    headline = reader.text("headline") or reader.text("title")
    if not headline:
        headline, body = _headline_from_body(body)
    if not headline:
        raise ImportFileError(
            path, 1, "no headline: add 'headline:' or 'title:' to the front matter"
        )
    status = status or reader.status()
    slug = reader.text("slug")
    if slug and not is_safe_slug(slug):
        raise fail(
            "slug",
            f"{slug!r} is not a safe slug: use lowercase letters, digits and hyphens only",
        )
    authors = reader.string_list("authors") or reader.string_list("author")
    byline = reader.text("byline") or " and ".join(authors)
    section = reader.text("section") or next(iter(reader.string_list("categories")), "")
    display = reader.datetime("date")
    created = reader.datetime("created") or display
    updated = reader.datetime("lastmod") or reader.datetime("updated")
    now = datetime.now(UTC)
    undated = min(undated or now, now)
    values: dict[str, Any] = {
        "headline": headline,
        "kicker": reader.text("kicker"),
        "standfirst": reader.text("standfirst")
        or reader.text("description")
        or reader.text("summary")
        or reader.text("excerpt"),
        "byline": byline,
        "authors": tuple(authors),
        "dateline": reader.text("dateline"),
        "section": section,
        "tags": tuple(reader.string_list("tags")),
        "status": status,
        "body": body.strip("\n") + "\n" if body.strip() else "",
        "language": reader.text("language") or reader.text("lang") or "en-GB",
        "display_date": display,
        # A date in the future (a scheduled piece) is not when the text was written.
        "created_at": min(created or undated, now),
        "updated_at": min(updated or created or undated, now),
        "embargo_until": reader.datetime("embargo"),
        "seo_title": reader.text("seo_title"),
        "seo_description": reader.text("seo_description"),
        "canonical_url": reader.text("canonical_url") or reader.text("canonical"),
        "editor_note": reader.text("editor_note"),
        "image": reader.media("image") or reader.first_image("images"),
        "audio": reader.media("audio"),
    }
    if status == Status.PUBLISHED:
        values["first_published_at"] = reader.datetime("published") or display or undated
    if slug:
        values["slug"] = slug
        values["slug_locked"] = True
    try:
        article = Article(**values).normalized()
    except ValidationError as exc:
        raise ImportFileError(path, None, str(exc)) from None
    # The line the stored body starts on: after a '# Heading' taken as the headline and
    # the blank lines the body loses (a body is a suffix of the raw one).
    body_line += raw_body[: len(raw_body) - len(body.lstrip("\n"))].count("\n")
    return ParsedFile(article, reader.related(), lines.get("slug"), lines, body_line)


def _not_a_date(value: str, exc: ValueError) -> str:
    """Why ``value`` is no date: not written as one, or a day that does not exist."""
    advice = "write it like 2026-11-14T07:30:00+00:00"
    if re.match(r"\d{4}-\d{2}-\d{2}", value) and "Invalid isoformat" not in str(exc):
        return f"{value!r} is not a date that exists ({exc}); {advice}"
    return f"{value!r} is not a date; {advice}"


def _headline_from_body(body: str) -> tuple[str, str]:
    """Use a leading '# Heading' as the headline when the front matter has none."""
    stripped = body.lstrip("\n")
    first, _, rest = stripped.partition("\n")
    if first.startswith("# "):
        return first[2:].strip(), rest
    return "", body


class FieldReader:
    """Typed access to front matter values, failing with the key's line."""

    def __init__(self, data: dict[Any, Any], fail: Any, default_tz: tzinfo) -> None:
        self.data = {str(k): v for k, v in data.items()}
        self.fail = fail
        self.default_tz = default_tz

    def text(self, key: str) -> str:
        value = self.data.get(key)
        if value is None:
            return ""
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value).strip()
        raise self.fail(key, f"expected text, found {type(value).__name__}")

    def string_list(self, key: str) -> list[str]:
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
            return [str(v).strip() for v in value if str(v).strip()]
        raise self.fail(key, "expected a list of text items, e.g. [flooding, transport]")

    def status(self) -> Status:
        if "status" in self.data:
            try:
                return Status.parse(self.text("status"))
            except ValidationError as exc:
                raise self.fail("status", str(exc)) from None
        draft = self.data.get("draft")
        if draft is None:
            return Status.DRAFT
        if not isinstance(draft, bool):
            raise self.fail("draft", "expected true or false")
        return Status.DRAFT if draft else Status.PUBLISHED

    def datetime(self, key: str) -> datetime | None:
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, datetime):
            result = value
        elif isinstance(value, date):
            result = datetime.combine(value, time(0, 0))
        elif isinstance(value, str):
            try:
                result = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError as exc:
                raise self.fail(key, _not_a_date(value.strip(), exc)) from None
        else:
            raise self.fail(key, "expected a date like 2026-11-14T07:30:00+00:00")
        if result.tzinfo is None:
            result = result.replace(tzinfo=self.default_tz)
        try:
            check_moment("the date", result)
        except ValidationError as exc:
            raise self.fail(key, str(exc)) from None
        return result

    def media(self, key: str) -> Media | None:
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return Media(src=value)
        if isinstance(value, dict) and isinstance(value.get("src"), str):
            duration = value.get("duration_seconds")
            if isinstance(duration, int | float) and not 0 <= duration < float("inf"):
                raise self.fail(
                    key, f"duration_seconds must be a number of seconds, not {duration}"
                )
            return Media(
                src=value["src"],
                caption=str(value.get("caption", "")),
                credit=str(value.get("credit", "")),
                alt=str(value.get("alt", "")),
                mime_type=str(value.get("mime_type", "")),
                duration_seconds=int(duration) if isinstance(duration, int | float) else None,
            )
        raise self.fail(key, "expected a file name or {src, caption, credit, alt}")

    def first_image(self, key: str) -> Media | None:
        """Hugo's ``images: [a.jpg, b.jpg]``: the first is the featured image."""
        value = self.data.get(key)
        if value is None or value in ("", []):
            return None
        if isinstance(value, str):
            return Media(src=value)
        if isinstance(value, list) and isinstance(value[0], str):
            return Media(src=value[0])
        raise self.fail(key, "expected a list of file names, e.g. [photo.jpg]")

    def related(self) -> tuple[PendingLink | RelatedLink, ...]:
        value = self.data.get("related")
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail("related", "expected a list of {slug: ...} or {url: ..., title: ...}")
        items: list[PendingLink | RelatedLink] = []
        for number, item in enumerate(value, start=1):
            if not isinstance(item, dict):
                raise self.fail("related", f"item {number} must be {{slug: ...}} or {{url: ...}}")
            try:
                relation = RelationKind.parse(str(item.get("relation") or "related"))
            except ValidationError as exc:
                raise self.fail("related", f"item {number}: {exc}") from None
            pinned = bool(item.get("pinned", False))
            title = clean_line(str(item.get("title") or ""))  # the model's rule, as for fields
            if item.get("slug"):
                items.append(PendingLink(str(item["slug"]), title, relation, pinned, None))
            elif item.get("url"):
                url = clean_line(str(item["url"]))
                if urlsplit(url).scheme not in {"http", "https"} or not urlsplit(url).netloc:
                    raise self.fail(
                        "related", f"item {number}: {url!r} is not an http or https address"
                    )
                items.append(
                    RelatedLink(title=title or url, url=url, relation=relation, pinned=pinned)
                )
            else:
                raise self.fail("related", f"item {number} has neither 'slug' nor 'url'")
        return tuple(items)
