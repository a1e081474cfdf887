"""Blind second reviews: the draws of decisions to review again (each with the checkpoint it
was seeded by and the leaf hash of its `audit.review_draw` entry), and the reviews, one per
drawn decision, with the second moderator's answer once given.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_draws",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tree_size", sa.BigInteger(), nullable=False),
        sa.Column("root_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("candidates", sa.Integer(), nullable=False),
        sa.Column("leaf_hash", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_draws")),
    )
    op.create_table(
        "second_reviews",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("draw_id", sa.BigInteger(), nullable=False),
        sa.Column("action_id", sa.BigInteger(), nullable=False),
        sa.Column("decision_index", sa.BigInteger(), nullable=False),
        sa.Column("reviewer_id", sa.BigInteger(), nullable=True),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=True),
        sa.Column("clause", sa.String(length=200), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["moderation_actions.id"],
            name=op.f("fk_second_reviews_action_id_moderation_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["draw_id"],
            ["review_draws.id"],
            name=op.f("fk_second_reviews_draw_id_review_draws"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_second_reviews")),
        sa.UniqueConstraint("action_id", name=op.f("uq_second_reviews_action_id")),
    )


def downgrade() -> None:
    op.drop_table("second_reviews")
    op.drop_table("review_draws")
