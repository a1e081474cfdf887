"""Reports and cases: reports join one open case per item; moderators comment on a case.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 03:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "moderation_cases",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("target_kind", sa.String(length=10), nullable=False),
        sa.Column("post_id", sa.BigInteger(), nullable=True),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("open_key", sa.String(length=40), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("clause", sa.String(length=200), nullable=True),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewer_id", sa.BigInteger(), nullable=True),
        sa.Column("action_id", sa.BigInteger(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "target_kind IN ('post', 'account')", name=op.f("ck_moderation_cases_target_kind")
        ),
        sa.CheckConstraint(
            "state IN ('open', 'in_review', 'decided', 'closed')",
            name=op.f("ck_moderation_cases_state"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_moderation_cases_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_cases")),
        sa.UniqueConstraint("open_key", name=op.f("uq_moderation_cases_open_key")),
    )
    op.create_index(op.f("ix_moderation_cases_state"), "moderation_cases", ["state"])
    op.create_table(
        "moderation_reports",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("case_id", sa.BigInteger(), nullable=False),
        sa.Column("reporter_id", sa.BigInteger(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("clause", sa.String(length=200), nullable=True),
        sa.Column("comment", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["moderation_cases.id"],
            name=op.f("fk_moderation_reports_case_id_moderation_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["accounts.id"],
            name=op.f("fk_moderation_reports_reporter_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_reports")),
    )
    op.create_index(op.f("ix_moderation_reports_case_id"), "moderation_reports", ["case_id"])
    op.create_table(
        "moderation_case_comments",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("case_id", sa.BigInteger(), nullable=False),
        sa.Column("moderator_id", sa.BigInteger(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["moderation_cases.id"],
            name=op.f("fk_moderation_case_comments_case_id_moderation_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["moderator_id"],
            ["accounts.id"],
            name=op.f("fk_moderation_case_comments_moderator_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_case_comments")),
    )
    op.create_index(
        op.f("ix_moderation_case_comments_case_id"), "moderation_case_comments", ["case_id"]
    )


def downgrade() -> None:
    op.drop_table("moderation_case_comments")
    op.drop_table("moderation_reports")
    op.drop_table("moderation_cases")
