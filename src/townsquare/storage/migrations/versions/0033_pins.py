"""Pins: the posts an account shows at the top of its profile.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-06 23:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pins",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("post_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_pins_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_pins_post_id_posts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pins")),
        sa.UniqueConstraint("account_id", "post_id", name=op.f("uq_pins_account_id_post_id")),
    )
    with op.batch_alter_table("pins", schema=None) as batch_op:
        batch_op.create_index("ix_pins_post_id", ["post_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pins", schema=None) as batch_op:
        batch_op.drop_index("ix_pins_post_id")
    op.drop_table("pins")
