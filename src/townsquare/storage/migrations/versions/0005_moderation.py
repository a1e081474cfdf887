"""Moderation: actions, the visibility projection (restrictions in force), notices.

Also indexes `ledger_entries.leaf_hash`, so a post's "why?" receipt finds its entries.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 02:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        op.f("ix_ledger_entries_leaf_hash"), "ledger_entries", ["leaf_hash"], unique=False
    )
    op.create_table(
        "moderation_actions",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target_kind", sa.String(length=10), nullable=False),
        sa.Column("post_id", sa.BigInteger(), nullable=True),
        sa.Column("account_id", sa.BigInteger(), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("actor_id", sa.BigInteger(), nullable=False),
        sa.Column("clause", sa.String(length=200), nullable=False),
        sa.Column("case_id", sa.BigInteger(), nullable=True),
        sa.Column("restores_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("entry", sa.LargeBinary(), nullable=False),
        sa.Column("leaf_hash", sa.LargeBinary(length=32), nullable=False),
        sa.CheckConstraint(
            "target_kind IN ('post', 'account', 'url')",
            name=op.f("ck_moderation_actions_target_kind"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_actions")),
    )
    op.create_index(
        op.f("ix_moderation_actions_post_id"), "moderation_actions", ["post_id"], unique=False
    )
    op.create_index(
        op.f("ix_moderation_actions_account_id"),
        "moderation_actions",
        ["account_id"],
        unique=False,
    )
    op.create_table(
        "moderation_restrictions",
        sa.Column("action_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("post_id", sa.BigInteger(), nullable=True),
        sa.Column("account_id", sa.BigInteger(), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("surfaces", sa.String(length=200), server_default="", nullable=False),
        sa.Column("territories", sa.String(length=800), server_default="", nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("content_warning", sa.Text(), nullable=True),
        sa.Column("clause", sa.String(length=200), nullable=False),
        sa.Column("clause_title", sa.String(length=300), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["moderation_actions.id"],
            name=op.f("fk_moderation_restrictions_action_id_moderation_actions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("action_id", name=op.f("pk_moderation_restrictions")),
    )
    for column in ("post_id", "account_id", "url"):
        op.create_index(
            op.f(f"ix_moderation_restrictions_{column}"),
            "moderation_restrictions",
            [column],
            unique=False,
        )
    op.create_table(
        "moderation_notices",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("action_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_moderation_notices_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["moderation_actions.id"],
            name=op.f("fk_moderation_notices_action_id_moderation_actions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_notices")),
    )
    op.create_index(
        op.f("ix_moderation_notices_account_id_id"),
        "moderation_notices",
        ["account_id", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("moderation_notices")
    op.drop_table("moderation_restrictions")
    op.drop_table("moderation_actions")
    op.drop_index(op.f("ix_ledger_entries_leaf_hash"), table_name="ledger_entries")
