"""The materialised home feed: each reader's home candidates (`home_feeds`) and how far down
each feed is complete (`home_feed_states`).

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 03:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "home_feeds",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("post_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_home_feeds_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_home_feeds_post_id_posts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("account_id", "post_id", name=op.f("pk_home_feeds")),
    )
    with op.batch_alter_table("home_feeds", schema=None) as batch_op:
        batch_op.create_index("ix_home_feeds_post_id", ["post_id"], unique=False)
    op.create_table(
        "home_feed_states",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("floor", sa.BigInteger(), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_home_feed_states_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_home_feed_states")),
    )


def downgrade() -> None:
    op.drop_table("home_feed_states")
    op.drop_table("home_feeds")
