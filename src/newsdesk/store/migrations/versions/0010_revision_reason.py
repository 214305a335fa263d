"""A revision's reason may be a sentence: an editor's "go ahead anyway" is recorded with why.

``revision.reason`` held 32 characters, enough for "autosave" or "conflict: kept mine" but
not for "Marked ready with open problems: the picture desk has the credit" (PostgreSQL
refused the save; SQLite, which keeps no length on text, took it and the archive then
refused to load it). Now 300, the limit core/history.py states. SQLite needs nothing.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("revision", "reason", type_=sa.String(300))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("revision", "reason", type_=sa.String(32))
