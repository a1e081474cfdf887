"""Polls: a post's question, its options and the votes.

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-07 00:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0037"
down_revision = "0036"
branch_labels = None
depends_on = None


def _post_ref() -> sa.Column[int]:
    return sa.Column("post_id", sa.BigInteger(), nullable=False)


def upgrade() -> None:
    op.add_column(
        "posts",
        sa.Column("has_poll", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    op.create_table(
        "polls",
        _post_ref(),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("multiple", sa.Boolean(), nullable=False),
        sa.Column("hide_totals", sa.Boolean(), nullable=False),
        sa.Column("voters_count", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_polls_post_id_posts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("post_id", name=op.f("pk_polls")),
    )
    op.create_table(
        "poll_options",
        _post_ref(),
        sa.Column("position", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("votes_count", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_poll_options_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("post_id", "position", name=op.f("pk_poll_options")),
    )
    op.create_table(
        "poll_votes",
        _post_ref(),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_poll_votes_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_poll_votes_post_id_posts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("post_id", "account_id", "position", name=op.f("pk_poll_votes")),
    )


def downgrade() -> None:
    op.drop_table("poll_votes")
    op.drop_table("poll_options")
    op.drop_table("polls")
    op.execute("ALTER TABLE posts DROP COLUMN has_poll")  # in place: see 0032
