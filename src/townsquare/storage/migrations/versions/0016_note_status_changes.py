"""The history of note statuses: one row per `notes.status` ledger entry (a post's receipt
and a note's history page list them), written with the entry and rebuilt from the ledger.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 18:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "note_status_changes",
        sa.Column("leaf_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("note_id", sa.BigInteger(), nullable=False),
        sa.Column("post_id", sa.BigInteger(), nullable=False),
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("old_status", sa.String(length=30), nullable=False),
        sa.Column("new_status", sa.String(length=30), nullable=False),
        sa.Column("intercept", sa.Float(), nullable=True),
        sa.Column("factor", sa.Float(), nullable=True),
        sa.Column("scorer_version", sa.String(length=40), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("rules", sa.String(length=200), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("leaf_hash", name=op.f("pk_note_status_changes")),
    )
    with op.batch_alter_table("note_status_changes", schema=None) as batch_op:
        batch_op.create_index("ix_note_status_changes_note_id", ["note_id"], unique=False)
        batch_op.create_index("ix_note_status_changes_post_id", ["post_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("note_status_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_note_status_changes_post_id")
        batch_op.drop_index("ix_note_status_changes_note_id")
    op.drop_table("note_status_changes")
