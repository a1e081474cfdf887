"""Lists: an account's lists of the accounts it follows, each read as a timeline.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06 20:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lists",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("replies_policy", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_lists_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lists")),
    )
    with op.batch_alter_table("lists", schema=None) as batch_op:
        batch_op.create_index("ix_lists_account_id", ["account_id"], unique=False)

    op.create_table(
        "list_accounts",
        sa.Column("list_id", sa.BigInteger(), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["lists.id"],
            name=op.f("fk_list_accounts_list_id_lists"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_list_accounts_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("list_id", "account_id", name=op.f("pk_list_accounts")),
    )
    with op.batch_alter_table("list_accounts", schema=None) as batch_op:
        batch_op.create_index("ix_list_accounts_account_id", ["account_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("list_accounts", schema=None) as batch_op:
        batch_op.drop_index("ix_list_accounts_account_id")
    op.drop_table("list_accounts")
    with op.batch_alter_table("lists", schema=None) as batch_op:
        batch_op.drop_index("ix_lists_account_id")
    op.drop_table("lists")
