"""Indexes for every library sort, so a page of 50 rows never sorts the whole archive.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# (name, columns) on both engines; SQLite adds the rowid to every index by itself, so the
# "id" tie-breaker matters for PostgreSQL only, but costs nothing on SQLite.
BOTH = [
    ("ix_article_created_id", ["created_at", "id"]),
    ("ix_article_headline_id", ["headline", "id"]),
    ("ix_article_byline_id", ["byline", "id"]),
]
POSTGRES = [
    ("ix_article_updated_id", ["updated_at", "id"]),
    ("ix_article_display_date_id", ["display_date", "id"]),
]


def _indexes() -> list[tuple[str, list[str]]]:
    return BOTH + (POSTGRES if op.get_bind().dialect.name == "postgresql" else [])


def upgrade() -> None:
    for name, columns in _indexes():
        op.create_index(name, "article", columns)


def downgrade() -> None:
    for name, _columns in _indexes():
        op.drop_index(name, table_name="article")
