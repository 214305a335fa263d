"""Media: pictures and audio kept once by SHA-256, the library's assets, and which
articles use which file.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from newsdesk.core.media.media import article_keys
from newsdesk.store.schema import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "media_blob",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        # Pictures and audio are compressed already: store them out of line as they are,
        # without TOAST trying (and failing) to compress them again.
        op.execute("ALTER TABLE media_blob ALTER COLUMN data SET STORAGE EXTERNAL")
    op.create_table(
        "media",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(12), nullable=False, unique=True),
        sa.Column("sha256", sa.String(64), sa.ForeignKey("media_blob.sha256"), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("mime_type", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("width", sa.Integer, nullable=True),
        sa.Column("height", sa.Integer, nullable=True),
        sa.Column("duration_seconds", sa.Float, nullable=True),
        sa.Column("alt", sa.Text, nullable=False),
        sa.Column("caption", sa.Text, nullable=False),
        sa.Column("credit", sa.Text, nullable=False),
        sa.Column("copyright", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_media_sha256", "media", ["sha256"])
    op.create_index("ix_media_created_id", "media", ["created_at", "id"])
    op.create_table(
        "article_media",
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey("article.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("key", sa.String(12), primary_key=True),
    )
    op.create_index("ix_article_media_key", "article_media", ["key", "article_id"])
    _backfill_article_media()


def _backfill_article_media() -> None:
    """Record the ``media:KEY`` references already in articles (a store written before
    this version holds URLs and paths, which are not references: normally none)."""
    bind = op.get_bind()
    article = sa.table(
        "article",
        sa.column("id", sa.Integer),
        sa.column("image", sa.Text),
        sa.column("audio", sa.Text),
        sa.column("body", sa.Text),
    )
    rows = bind.execute(
        sa.select(
            article.c.id,
            sa.cast(article.c.image, sa.Text),
            sa.cast(article.c.audio, sa.Text),
            article.c.body,
        ).where(
            sa.or_(
                sa.cast(article.c.image, sa.Text).like("%media:%"),
                sa.cast(article.c.audio, sa.Text).like("%media:%"),
                article.c.body.like("%media:%"),
            )
        )
    )
    found = [
        {"article_id": article_id, "key": key}
        for article_id, image, audio, body in rows
        for key in article_keys(_src(image), _src(audio), body or "")
    ]
    if found:
        op.bulk_insert(
            sa.table("article_media", sa.column("article_id", sa.Integer), sa.column("key")),
            found,
        )


def _src(value: Any) -> str | None:
    """The ``src`` of a featured image or audio column, as the driver gives it."""
    data = json.loads(value) if isinstance(value, str) else value
    return data.get("src") if isinstance(data, dict) else None


def downgrade() -> None:
    op.drop_table("article_media")
    op.drop_table("media")
    op.drop_table("media_blob")
