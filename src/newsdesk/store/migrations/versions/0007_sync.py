"""Sync with a newsroom server: version ids, change sequence, outbox and tombstones.

Each article gets the id of the version it holds (``head_rev``), the server version its
laptop last agreed on (``base_rev``), the other side's version while a conflict waits
(``conflict_rev``) and the store clock's value at its last change (``sync_seq``). Each
revision gets its own id (a UUID), its parents, whether the server has it, and its clock
value. Existing rows get fresh ids here.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

from newsdesk.store.schema import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ID = 36  # a UUID as text


def upgrade() -> None:
    with op.batch_alter_table("article") as batch:
        batch.add_column(sa.Column("head_rev", sa.String(ID), nullable=True))
        batch.add_column(sa.Column("base_rev", sa.String(ID), nullable=True))
        batch.add_column(sa.Column("conflict_rev", sa.String(ID), nullable=True))
        batch.add_column(sa.Column("sync_seq", sa.BigInteger, nullable=True))
    op.create_index("ix_article_sync_seq", "article", ["sync_seq", "uri"])
    with op.batch_alter_table("revision") as batch:
        batch.add_column(sa.Column("rev_id", sa.String(ID), nullable=True))
        batch.add_column(sa.Column("parents", sa.JSON, nullable=True))
        batch.add_column(sa.Column("synced", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("sync_seq", sa.BigInteger, nullable=True))
    _backfill_ids("article", "head_rev")
    _backfill_ids("revision", "rev_id")
    # Rows from before sync are in every server feed from its start (cursors begin at -1).
    op.execute("UPDATE article SET sync_seq = 0")
    op.execute("UPDATE revision SET sync_seq = 0")
    op.create_index("ux_revision_rev_id", "revision", ["rev_id"], unique=True)
    op.create_index("ix_revision_sync_seq", "revision", ["sync_seq", "rev_id"])
    op.create_index("ix_revision_unsynced", "revision", ["synced", "id"])
    op.create_table(
        "sync_clock",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
        sa.Column("epoch", sa.String(ID), nullable=False),
    )
    op.bulk_insert(
        sa.table(
            "sync_clock",
            sa.column("id", sa.Integer),
            sa.column("value", sa.BigInteger),
            sa.column("epoch", sa.String),
        ),
        [{"id": 1, "value": 0, "epoch": str(uuid.uuid4())}],
    )
    op.create_table(
        "sync_outbox",
        sa.Column("uri", sa.String(200), primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("sent", sa.JSON, nullable=True),
    )
    op.create_index("ix_sync_outbox_seq", "sync_outbox", ["seq"])
    op.create_table(
        "sync_tombstone",
        sa.Column("uri", sa.String(200), primary_key=True),
        sa.Column("base_rev", sa.String(ID), nullable=True),
        sa.Column("head_rev", sa.String(ID), nullable=True),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("deleted_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_sync_tombstone_seq", "sync_tombstone", ["seq", "uri"])


def _backfill_ids(table: str, column: str) -> None:
    """A fresh UUID for every existing row (in batches: an archive may hold 100,000)."""
    bind = op.get_bind()
    rows = sa.table(table, sa.column("id", sa.Integer), sa.column(column, sa.String))
    ids = list(bind.execute(sa.select(rows.c.id)).scalars())
    statement = sa.update(rows).where(rows.c.id == sa.bindparam("key"))
    for start in range(0, len(ids), 1000):
        bind.execute(
            statement.values({column: sa.bindparam("value")}),
            [{"key": key, "value": str(uuid.uuid4())} for key in ids[start : start + 1000]],
        )


def downgrade() -> None:
    op.drop_table("sync_tombstone")
    op.drop_table("sync_outbox")
    op.drop_table("sync_clock")
    op.drop_index("ix_revision_unsynced", "revision")
    op.drop_index("ix_revision_sync_seq", "revision")
    op.drop_index("ux_revision_rev_id", "revision")
    with op.batch_alter_table("revision") as batch:
        for name in ("sync_seq", "synced", "parents", "rev_id"):
            batch.drop_column(name)
    op.drop_index("ix_article_sync_seq", "article")
    with op.batch_alter_table("article") as batch:
        for name in ("sync_seq", "conflict_rev", "base_rev", "head_rev"):
            batch.drop_column(name)
