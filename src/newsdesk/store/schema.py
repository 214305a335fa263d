"""The store's tables as SQLAlchemy 2.x typed ORM classes (used only inside ``store``)."""

# No ``from __future__ import annotations`` here: SQLAlchemy reads each ``Mapped[...]`` at
# class creation, and from a string it must parse and evaluate it first (a sixth of this
# module's import, every command's start-up). The two forward references are quoted.
import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from newsdesk.core.checks.spelling import MAX_DICTIONARY_WORD
from newsdesk.core.history import MAX_REASON_LENGTH


class UTCDateTime(TypeDecorator[datetime]):
    """Time-zone aware timestamps on every engine, stored as UTC.

    SQLite has no time zone type, so values are written as naive UTC and read back as
    aware UTC; PostgreSQL keeps ``timestamptz``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; attach a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def new_rev_id() -> str:
    """A new version id (random UUID: laptop clocks are not trusted, so no time in it)."""
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
    }


class ArticleRow(Base):
    __tablename__ = "article"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uri: Mapped[str] = mapped_column(String(200), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16))
    headline: Mapped[str] = mapped_column(Text, default="")
    kicker: Mapped[str] = mapped_column(Text, default="")
    standfirst: Mapped[str] = mapped_column(Text, default="")
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    slug_locked: Mapped[bool] = mapped_column(Boolean, default=False)
    byline: Mapped[str] = mapped_column(Text, default="")
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    dateline: Mapped[str] = mapped_column(Text, default="")
    section: Mapped[str] = mapped_column(String(120), default="")
    tags_text: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    char_count: Mapped[int] = mapped_column(Integer, default=0)
    language: Mapped[str] = mapped_column(String(35), default="en-GB")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    first_published_at: Mapped[datetime | None]
    display_date: Mapped[datetime | None]
    embargo_until: Mapped[datetime | None]
    seo_title: Mapped[str] = mapped_column(Text, default="")
    seo_description: Mapped[str] = mapped_column(Text, default="")
    canonical_url: Mapped[str] = mapped_column(Text, default="")
    editor_note: Mapped[str] = mapped_column(Text, default="")
    image: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    audio: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    corrections: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    aliases: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)  # 0008
    # Sync (store/sync*.py): the id of the version held, the server's version last agreed
    # on, the other side's version while a conflict waits, the store clock at the change.
    head_rev: Mapped[str | None] = mapped_column(String(36), nullable=True)
    base_rev: Mapped[str | None] = mapped_column(String(36), nullable=True)
    conflict_rev: Mapped[str | None] = mapped_column(String(36), nullable=True)
    sync_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)

    tags: Mapped[list["TagRow"]] = relationship(
        order_by="TagRow.position", cascade="all, delete-orphan", passive_deletes=True
    )
    related: Mapped[list["RelatedLinkRow"]] = relationship(
        order_by="RelatedLinkRow.position", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        Index("ix_article_updated", "updated_at"),
        Index("ix_article_status_updated", "status", "updated_at"),
        # What an export lists, in the order it is sorted in (migration 0011).
        Index("ix_article_status_listing", "status", "id", "uri", "version", "updated_at"),
        Index("ix_article_section_updated", "section", "updated_at"),
        Index("ix_article_display_date", "display_date"),
        Index("ix_article_created_id", "created_at", "id"),
        Index("ix_article_headline_id", "headline", "id"),
        Index("ix_article_byline_id", "byline", "id"),
        Index("ix_article_sync_seq", "sync_seq", "uri"),
    )


class TagRow(Base):
    __tablename__ = "article_tag"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    tag: Mapped[str] = mapped_column(String(200))

    __table_args__ = (Index("ix_article_tag_tag", "tag", "article_id"),)


class RelatedLinkRow(Base):
    __tablename__ = "related_link"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    target_uri: Mapped[str | None] = mapped_column(String(200), nullable=True)
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    title: Mapped[str] = mapped_column(Text, default="")
    relation: Mapped[str] = mapped_column(String(16), default="related")
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        UniqueConstraint("article_id", "position", name="uq_related_link_position"),
        Index("ix_related_link_target", "target_uri"),
    )


class RevisionRow(Base):
    __tablename__ = "revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_uri: Mapped[str] = mapped_column(String(200))
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(MAX_REASON_LENGTH))
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    # A revision's identity everywhere (``number`` is this store's own order).
    rev_id: Mapped[str] = mapped_column(String(36), default=new_rev_id)
    parents: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    synced: Mapped[bool] = mapped_column(Boolean, default=False)
    sync_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)

    __table_args__ = (
        UniqueConstraint("article_uri", "number", name="uq_revision_number"),
        Index("ux_revision_rev_id", "rev_id", unique=True),
        Index("ix_revision_sync_seq", "sync_seq", "rev_id"),
        Index("ix_revision_unsynced", "synced", "id"),
    )


class SyncClockRow(Base):
    """The store's one change clock: bumped once by each transaction that changes an
    article, just before it commits; its row lock makes the values commit-ordered. The
    epoch names this life of the store (a restored server gets a new one)."""

    __tablename__ = "sync_clock"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)
    epoch: Mapped[str] = mapped_column(String(36))


class SyncOutboxRow(Base):
    """An article changed here and not yet sent to the server (with the clock at its last
    change: cleared only if unchanged since it was sent)."""

    __tablename__ = "sync_outbox"

    uri: Mapped[str] = mapped_column(String(200), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, index=True)
    # The versions sent without an answer (the connection went): this laptop's own
    # ancestors of what it holds, so the server may take them as the base.
    sent: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)


class SyncTombstoneRow(Base):
    """A deleted article: so the delete reaches the other stores (kept for ever)."""

    __tablename__ = "sync_tombstone"

    uri: Mapped[str] = mapped_column(String(200), primary_key=True)
    base_rev: Mapped[str | None] = mapped_column(String(36), nullable=True)
    head_rev: Mapped[str | None] = mapped_column(String(36), nullable=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    deleted_at: Mapped[datetime]

    __table_args__ = (Index("ix_sync_tombstone_seq", "seq", "uri"),)


class SettingRow(Base):
    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)


class RenderCacheRow(Base):
    __tablename__ = "render_cache"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class LinkCheckRow(Base):
    """The last check of one external address, filed under its ``url_key``."""

    __tablename__ = "link_checks"

    url_key: Mapped[str] = mapped_column(String(2100), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    final_url: Mapped[str] = mapped_column(Text, default="")
    message: Mapped[str] = mapped_column(Text, default="")
    checked_at: Mapped[datetime]


class NewsroomWordRow(Base):
    """A word the whole newsroom's spelling check accepts (a name, a place, jargon)."""

    __tablename__ = "newsroom_word"

    word: Mapped[str] = mapped_column(String(MAX_DICTIONARY_WORD), primary_key=True)
    added_at: Mapped[datetime]


class MediaBlobRow(Base):
    """The bytes of one media file, once however many assets use them (by SHA-256)."""

    __tablename__ = "media_blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Deferred: listing or counting media never drags megabytes of pixels along.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class MediaRow(Base):
    """One picture or audio file of the media library (``core.media.MediaAsset``).

    ``id`` only orders the library (newest first, even within one clock tick); stories
    refer to the stable random ``key``.
    """

    __tablename__ = "media"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(12), unique=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("media_blob.sha256"))
    kind: Mapped[str] = mapped_column(String(8))
    mime_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    filename: Mapped[str] = mapped_column(Text, default="")
    width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    height: Mapped[int | None] = mapped_column(Integer, nullable=True)
    duration_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    alt: Mapped[str] = mapped_column(Text, default="")
    caption: Mapped[str] = mapped_column(Text, default="")
    credit: Mapped[str] = mapped_column(Text, default="")
    copyright: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_media_sha256", "sha256"),
        Index("ix_media_created_id", "created_at", "id"),
    )


class ArticleMediaRow(Base):
    """That an article's current text refers to ``media:KEY`` (featured image or audio,
    or its body): kept in step with every write of the article, so "where is this file
    used" is a query. ``key`` has no foreign key: a story may name a file not (yet) in the
    store, which the export then reports as missing."""

    __tablename__ = "article_media"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(12), primary_key=True)

    __table_args__ = (Index("ix_article_media_key", "key", "article_id"),)
