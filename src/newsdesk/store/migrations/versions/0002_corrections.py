"""Corrections: the dated corrections and clarifications printed under an article.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: a batch "move and copy" on SQLite would drop the search triggers.
    op.add_column(
        "article",
        sa.Column("corrections", sa.JSON, nullable=False, server_default=sa.text("'[]'")),
    )


def downgrade() -> None:
    with op.batch_alter_table("article") as batch:
        batch.drop_column("corrections")
