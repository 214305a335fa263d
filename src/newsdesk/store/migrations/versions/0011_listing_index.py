"""The stories an export plans are listed from an index, not from the table.

``store.listed_versions`` reads the uri, version, time of last save and status of every
story of some statuses: what an export compares with the folder's record. Answered from
``ix_article_status_updated`` it read every story's row besides, bodies and all (40 MB
for 10,000 stories, 52 ms on SQLite, each time a story is handed off). The new index
holds every column that query reads, so both engines answer it from the index alone:
1 MB, 11 ms. It is ordered by status then id, the order the listing is sorted in: the rows
come sorted (by uri, sorting them again cost more than the index saved).

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
    # In the order the listing is sorted in (status, then id): the rows come sorted.
    op.create_index(INDEX, "article", ["status", "id", "uri", "version", "updated_at"])


def downgrade() -> None:
    op.drop_index(INDEX, "article")
