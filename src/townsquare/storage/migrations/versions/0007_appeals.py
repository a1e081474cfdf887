"""Appeals: one row per appeal of a moderation decision (DSA Art. 20).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 04:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "moderation_appeals",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("action_id", sa.BigInteger(), nullable=False),
        sa.Column("appellant_id", sa.BigInteger(), nullable=False),
        sa.Column("appellant_role", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewer_id", sa.BigInteger(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome_reasons", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("restore_action_id", sa.BigInteger(), nullable=True),
        sa.CheckConstraint(
            "state IN ('filed', 'assigned', 'upheld', 'reversed')",
            name=op.f("ck_moderation_appeals_state"),
        ),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["moderation_actions.id"],
            name=op.f("fk_moderation_appeals_action_id_moderation_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["appellant_id"],
            ["accounts.id"],
            name=op.f("fk_moderation_appeals_appellant_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_appeals")),
    )
    op.create_index(
        op.f("ix_moderation_appeals_action_id"),
        "moderation_appeals",
        ["action_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("moderation_appeals")
