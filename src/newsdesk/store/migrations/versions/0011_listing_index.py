"""The stories an export plans are listed from an index, not from the table.

``store.listed_versions`` reads the uri, version, time of last save and status of every
story of some statuses: what an export compares with the folder's record. Answered from
``ix_article_status_updated`` it read every story's row besides, bodies and all (40 MB
for 10,000 stories, 52 ms on SQLite, each time a story is handed off). The new index
holds every column that query reads (SQLite's indexes hold the id by themselves;
PostgreSQL is given it as a last column), so both engines answer it from the index alone:
1 MB, 11 ms.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

INDEX = "ix_article_status_listing"


def upgrade() -> None:
    columns = ["status", "uri", "version", "updated_at"]
    if op.get_bind().dialect.name == "postgresql":
        columns.append("id")
    op.create_index(INDEX, "article", columns)


def downgrade() -> None:
    op.drop_index(INDEX, "article")
