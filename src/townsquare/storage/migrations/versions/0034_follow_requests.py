"""Locked accounts and follow requests: an account may approve each follower.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-07 00:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "accounts",
        sa.Column("locked", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    op.create_table(
        "follow_requests",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("target_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("account_id <> target_id", name=op.f("ck_follow_requests_not_self")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_follow_requests_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["accounts.id"],
            name=op.f("fk_follow_requests_target_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_requests")),
        sa.UniqueConstraint(
            "account_id", "target_id", name=op.f("uq_follow_requests_account_id_target_id")
        ),
    )
    with op.batch_alter_table("follow_requests", schema=None) as batch_op:
        batch_op.create_index("ix_follow_requests_target_id_id", ["target_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("follow_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_requests_target_id_id")
    op.drop_table("follow_requests")
    # In place, not a batch copy: see 0032.
    op.execute("ALTER TABLE accounts DROP COLUMN locked")
