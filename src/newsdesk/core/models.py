"""The newsroom's objects as plain, immutable dataclasses shared by every layer."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Self

from newsdesk.core import text
from newsdesk.core.aliases import normalize_aliases
from newsdesk.core.errors import ValidationError
from newsdesk.core.slugs import is_safe_slug, slugify


class Status(StrEnum):
    """Where an article stands in the newsroom's workflow."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    READY = "ready"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"
    ARCHIVED = "archived"

    @classmethod
    def parse(cls, value: str) -> Status:
        """Accept ``in_review``, ``in-review`` or ``In review``; refuse anything else clearly."""
        key = value.strip().lower().replace("-", "_").replace(" ", "_")
        try:
            return cls(key)
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise ValidationError(f"unknown status {value!r}; use one of: {choices}") from None

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


PUBLISHABLE = frozenset({Status.READY, Status.SCHEDULED, Status.PUBLISHED})


class RelationKind(StrEnum):
    """Why a related link sits under an article."""

    RELATED = "related"
    BACKGROUND = "background"
    FOLLOW_UP = "follow_up"

    @classmethod
    def parse(cls, value: str) -> RelationKind:
        key = value.strip().lower().replace("-", "_").replace(" ", "_")
        try:
            return cls(key)
        except ValueError:
            choices = ", ".join(k.value for k in cls)
            raise ValidationError(f"unknown relation {value!r}; use one of: {choices}") from None


def utcnow() -> datetime:
    """The current instant, time-zone aware."""
    return datetime.now(UTC)


def new_uri() -> str:
    """A stable, globally unique identifier for a new article."""
    return f"urn:newsdesk:article:{uuid.uuid4()}"


@dataclass(frozen=True, slots=True)
class Media:
    """A featured image or audio file with the credits a web team must publish with it."""

    src: str
    caption: str = ""
    credit: str = ""
    alt: str = ""
    mime_type: str = ""
    duration_seconds: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Media | None:
        if not data or not data.get("src"):
            return None
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass(frozen=True, slots=True)
class RelatedLink:
    """One entry of an article's ordered "Related articles" list.

    It points either at another article in the store (``target_uri``) or at an external
    ``url``; ``title`` is the headline as it was when the link was made.
    """

    title: str
    target_uri: str | None = None
    url: str | None = None
    relation: RelationKind = RelationKind.RELATED
    pinned: bool = False

    def __post_init__(self) -> None:
        if bool(self.target_uri) == bool(self.url):
            raise ValidationError("a related link points at an article or at a URL, not both")

    @property
    def is_external(self) -> bool:
        return self.url is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "target_uri": self.target_uri,
            "url": self.url,
            "relation": self.relation.value,
            "pinned": self.pinned,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RelatedLink:
        return cls(
            title=str(data.get("title") or ""),
            target_uri=data.get("target_uri") or None,
            url=data.get("url") or None,
            relation=RelationKind.parse(str(data.get("relation") or "related")),
            pinned=bool(data.get("pinned", False)),
        )


@dataclass(frozen=True, slots=True)
class Correction:
    """A published correction or clarification, shown at the foot of the article."""

    when: datetime
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"when": self.when.isoformat(), "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Correction:
        return cls(when=datetime.fromisoformat(str(data["when"])), text=str(data["text"]))


# The longest values the store's columns hold (SQLite would take more, PostgreSQL refuses).
MAX_LENGTHS = {"uri": 200, "section": 120, "tag": 200, "language": 35}


def _check_length(name: str, value: str) -> None:
    limit = MAX_LENGTHS[name]
    if len(value) > limit:
        raise ValidationError(
            f"the {name} {value[:40]!r}... is {len(value):,} characters long; "
            f"shorten it to {limit} at most"
        )


# A day inside the years datetime can hold, so that any time zone can show the moment.
_EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
_LATEST = datetime(9999, 12, 30, tzinfo=UTC)


def check_moment(name: str, value: datetime | None) -> None:
    """Refuse a moment no time zone could show (datetime holds years 1 to 9999 only)."""
    if value is None or value.tzinfo is None:
        return
    try:
        inside = _EARLIEST <= value.astimezone(UTC) <= _LATEST
    except OverflowError:
        inside = False
    if not inside:
        raise ValidationError(f"{name} {value.isoformat()} is out of range (years 1 to 9999)")


def _clean_media(media: Media | None) -> Media | None:
    """A media file's single-line fields cleaned like the article's own."""
    if media is None or not text.clean_line(media.src):
        return None  # what the store gives back for a file with no address
    return dataclasses.replace(
        media,
        src=text.clean_line(media.src),
        caption=text.clean_line(media.caption),
        credit=text.clean_line(media.credit),
        alt=text.clean_line(media.alt),
        mime_type=text.clean_line(media.mime_type),
    )


def _clean_link(link: RelatedLink) -> RelatedLink:
    url = text.clean_line(link.url) if link.url is not None else None
    if link.url is not None and not url:
        raise ValidationError(f"the related link {link.title!r} has no address")
    return dataclasses.replace(link, title=text.clean_line(link.title), url=url)


_DATETIME_FIELDS = (
    "created_at",
    "updated_at",
    "first_published_at",
    "display_date",
    "embargo_until",
)


@dataclass(frozen=True, slots=True)
class Article:
    """A news article with everything the page and the web team's formats need.

    ``id`` is the store's key (``None`` until stored); ``uri`` is the stable public
    identity; ``version`` increases with every save and guards against lost updates.
    """

    headline: str
    uri: str = field(default_factory=new_uri)
    id: int | None = None
    version: int = 0
    status: Status = Status.DRAFT
    kicker: str = ""
    standfirst: str = ""
    slug: str = ""
    slug_locked: bool = False
    byline: str = ""
    authors: tuple[str, ...] = ()
    dateline: str = ""
    section: str = ""
    tags: tuple[str, ...] = ()
    body: str = ""
    language: str = "en-GB"
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)
    first_published_at: datetime | None = None
    display_date: datetime | None = None
    embargo_until: datetime | None = None
    seo_title: str = ""
    seo_description: str = ""
    canonical_url: str = ""
    editor_note: str = ""
    image: Media | None = None
    audio: Media | None = None
    related: tuple[RelatedLink, ...] = ()
    corrections: tuple[Correction, ...] = ()
    # Former addresses (URL paths, core/aliases.py's rule): redirect pages in the site export.
    aliases: tuple[str, ...] = ()

    @property
    def word_count(self) -> int:
        return text.word_count(self.body)

    @property
    def char_count(self) -> int:
        return text.char_count(self.body)

    @property
    def reading_minutes(self) -> int:
        return text.reading_minutes(self.word_count)

    @property
    def slug_frozen(self) -> bool:
        """Once an article has been published its URL must never change."""
        return self.first_published_at is not None

    def edited(self, **changes: Any) -> Article:
        """A copy with ``changes`` applied and the newsroom's rules re-applied.

        The slug follows the headline while the article is a draft whose slug was not set
        by hand; a slug given explicitly locks it; a published article keeps its slug.
        """
        if "slug" in changes and changes["slug"] != self.slug:
            if self.slug_frozen:
                raise ValidationError(
                    f"the slug of a published article cannot change (it is {self.slug!r}); "
                    "its URL is already public"
                )
            changes.setdefault("slug_locked", True)
        updated = dataclasses.replace(self, **changes)
        return updated.normalized()

    def normalized(self) -> Article:
        """Clean every text field, dedupe tags, derive the slug; validate what must be.

        The one rule for text, wherever it comes from (the window, an import, an archive):
        single-line fields (media and related links included) get control characters, tabs
        and line breaks as single spaces and are trimmed; the body, the editor's note and
        corrections lose control characters other than tab and newline, with CRLF folded to
        LF. A lone UTF-16 surrogate becomes U+FFFD. Nothing else changes: right-to-left and
        bidirectional marks, combining characters, emoji and markup are kept exactly.
        """
        tags = tuple(dict.fromkeys(t for t in (text.clean_line(t) for t in self.tags) if t))
        authors = tuple(a for a in (text.clean_line(a) for a in self.authors) if a)
        cleaned: dict[str, Any] = {
            name: text.clean_line(getattr(self, name))
            for name in (
                "headline",
                "kicker",
                "byline",
                "dateline",
                "section",
                "seo_title",
                "canonical_url",
            )
        }
        cleaned["standfirst"] = text.clean_line(self.standfirst)
        cleaned["seo_description"] = text.clean_line(self.seo_description)
        cleaned["body"] = text.clean_body(self.body)
        cleaned["editor_note"] = text.clean_body(self.editor_note)
        cleaned["language"] = text.clean_line(self.language)
        cleaned["image"] = _clean_media(self.image)
        cleaned["audio"] = _clean_media(self.audio)
        cleaned["related"] = tuple(_clean_link(link) for link in self.related)
        cleaned["corrections"] = tuple(
            Correction(c.when, text.clean_body(c.text)) for c in self.corrections
        )
        _check_length("uri", self.uri)
        _check_length("section", cleaned["section"])
        _check_length("language", cleaned["language"])
        for tag in tags:
            _check_length("tag", tag)
        slug = self.slug
        follows_headline = (
            not self.slug_locked and not self.slug_frozen and self.status == Status.DRAFT
        )
        if follows_headline or not slug:
            slug = slugify(cleaned["headline"])
        if not is_safe_slug(slug):
            raise ValidationError(
                f"slug {slug!r} is not usable in a URL: use lowercase letters, digits and "
                "hyphens only (no dots, slashes or drive letters)"
            )
        if self.status in PUBLISHABLE and not cleaned["headline"]:
            raise ValidationError("an article needs a headline before it can be ready or published")
        for name in _DATETIME_FIELDS:
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValidationError(f"{name} must carry a time zone")
            check_moment(name, value)
        if any(c.when.tzinfo is None for c in self.corrections):
            raise ValidationError("correction dates must carry a time zone")
        for correction in self.corrections:
            check_moment("a correction's date", correction.when)
        first_published = self.first_published_at
        if self.status == Status.PUBLISHED and first_published is None:
            first_published = utcnow()
        return dataclasses.replace(
            self,
            **cleaned,
            tags=tags,
            authors=authors,
            aliases=normalize_aliases(self.aliases),
            slug=slug,
            first_published_at=first_published,
        )

    def summary(self) -> ArticleSummary:
        """What the library shows of this article."""
        return ArticleSummary(
            id=self.id or 0,
            uri=self.uri,
            slug=self.slug,
            headline=self.headline,
            status=self.status,
            section=self.section,
            byline=self.byline,
            updated_at=self.updated_at,
            display_date=self.display_date,
            word_count=self.word_count,
            tags=self.tags,
        )

    def duplicate(self) -> Article:
        """A new draft with this article's text: a fresh identity, slug and history."""
        now = utcnow()
        return dataclasses.replace(
            self,
            uri=new_uri(),
            id=None,
            version=0,
            status=Status.DRAFT,
            headline=f"{self.headline} (copy)",
            slug="",
            slug_locked=False,
            created_at=now,
            updated_at=now,
            first_published_at=None,
            canonical_url="",
            corrections=(),
            aliases=(),  # a former address belongs to one story only
        ).normalized()

    def to_dict(self, *, counts: bool = True) -> dict[str, Any]:
        """A JSON-ready dictionary; the inverse of :meth:`from_dict`.

        ``counts=False`` leaves out the word and character counts (derived, and the
        slow part for a long body: the local journal writes one per autosave).
        """
        data: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, datetime):
                value = value.isoformat()
            elif isinstance(value, Status):
                value = value.value
            elif isinstance(value, Media):
                value = value.to_dict()
            elif f.name in {"related", "corrections"}:
                value = [item.to_dict() for item in value]
            elif isinstance(value, tuple):
                value = list(value)
            data[f.name] = value
        if counts:
            data["word_count"] = self.word_count
            data["char_count"] = self.char_count
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Rebuild an article from :meth:`to_dict` output (unknown keys are ignored)."""
        known = {f.name for f in dataclasses.fields(cls)}
        values: dict[str, Any] = {k: v for k, v in data.items() if k in known}
        for name in _DATETIME_FIELDS:
            if values.get(name):
                values[name] = datetime.fromisoformat(values[name])
        if "status" in values:
            values["status"] = Status.parse(values["status"])
        for name in ("image", "audio"):
            if name in values:
                values[name] = Media.from_dict(values[name])
        for name in ("tags", "authors", "aliases"):
            if name in values:
                values[name] = tuple(values[name] or ())
        if "related" in values:
            values["related"] = tuple(RelatedLink.from_dict(r) for r in values["related"] or ())
        if "corrections" in values:
            values["corrections"] = tuple(
                Correction.from_dict(c) for c in values["corrections"] or ()
            )
        return cls(**values)


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """What the library shows of an article: no body, cheap to list by the thousand."""

    id: int
    uri: str
    slug: str
    headline: str
    status: Status
    section: str
    byline: str
    updated_at: datetime
    display_date: datetime | None
    word_count: int
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One ranked search result; a higher ``score`` is more relevant."""

    summary: ArticleSummary
    score: float


@dataclass(frozen=True, slots=True)
class Revision:
    """A full snapshot of an article at one moment, with why it was taken."""

    article_uri: str
    number: int
    created_at: datetime
    reason: str
    snapshot: dict[str, Any]
    id: int | None = None

    @property
    def word_count(self) -> int:
        return int(self.snapshot.get("word_count", 0))

    def article(self) -> Article:
        return Article.from_dict(self.snapshot)


@dataclass(frozen=True, slots=True)
class PublicationProfile:
    """The publication the pages are published under, and its house rules."""

    name: str = "London Daily"
    tagline: str = "Focus on the big picture."
    base_url: str = "https://example.com/"
    language: str = "en-GB"
    time_zone: str = "Europe/London"
    date_format: str = "%A, %b %-d, %Y"
    newsletter_text: str = (
        "The big picture, in your inbox every morning. Sign up for our free daily briefing."
    )
    related_cap: int = 6
    theme_dir: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PublicationProfile:
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})
