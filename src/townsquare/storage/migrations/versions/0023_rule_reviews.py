"""The blind review of rule detections: the draws (each with the checkpoint it was seeded by
and the leaf hash of its `rule.review_draw` entry), and one review per drawn detection, with
the verdict once given.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rule_review_draws",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tree_size", sa.BigInteger(), nullable=False),
        sa.Column("root_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("leaf_hash", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_review_draws")),
    )
    op.create_table(
        "rule_reviews",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("draw_id", sa.BigInteger(), nullable=False),
        sa.Column("detection_id", sa.BigInteger(), nullable=False),
        sa.Column("detection_index", sa.BigInteger(), nullable=False),
        sa.Column("rule", sa.String(length=220), nullable=False),
        sa.Column("target_kind", sa.String(length=10), nullable=False),
        sa.Column("target_id", sa.BigInteger(), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("case_id", sa.BigInteger(), nullable=True),
        sa.Column("action_id", sa.BigInteger(), nullable=True),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewer_id", sa.BigInteger(), nullable=True),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verdict", sa.String(length=20), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["draw_id"],
            ["rule_review_draws.id"],
            name=op.f("fk_rule_reviews_draw_id_rule_review_draws"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_reviews")),
        sa.UniqueConstraint("detection_id", name=op.f("uq_rule_reviews_detection_id")),
    )


def downgrade() -> None:
    op.drop_table("rule_reviews")
    op.drop_table("rule_review_draws")
