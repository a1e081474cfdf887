"""Outside requests and their items; each item names the case it joined.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 07:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "external_requests",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("requester_kind", sa.String(length=20), nullable=False),
        sa.Column("requester", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("legal_basis", sa.String(length=500), nullable=False),
        sa.Column("ground", sa.String(length=40), nullable=False),
        sa.Column("requested_action", sa.String(length=20), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("release_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("logged_by", sa.BigInteger(), nullable=True),
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("commitment", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("reasons", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by", sa.BigInteger(), nullable=True),
        sa.Column("intake_leaf_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("answer_leaf_hash", sa.LargeBinary(length=32), nullable=True),
        sa.CheckConstraint(
            "state IN ('received', 'answered', 'withdrawn')",
            name=op.f("ck_external_requests_state"),
        ),
        sa.ForeignKeyConstraint(
            ["logged_by"],
            ["accounts.id"],
            name=op.f("fk_external_requests_logged_by_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_external_requests")),
    )
    op.create_table(
        "external_request_items",
        sa.Column("request_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("target_kind", sa.String(length=10), nullable=False),
        sa.Column("post_id", sa.BigInteger(), nullable=True),
        sa.Column("account_id", sa.BigInteger(), nullable=True),
        sa.Column("case_id", sa.BigInteger(), nullable=False),
        sa.Column("action_id", sa.BigInteger(), nullable=True),
        sa.CheckConstraint(
            "target_kind IN ('post', 'account')",
            name=op.f("ck_external_request_items_target_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["external_requests.id"],
            name=op.f("fk_external_request_items_request_id_external_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["moderation_cases.id"],
            name=op.f("fk_external_request_items_case_id_moderation_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", "position", name=op.f("pk_external_request_items")),
    )
    op.create_index(
        op.f("ix_external_request_items_case_id"), "external_request_items", ["case_id"]
    )
    op.create_index(
        op.f("ix_external_request_items_post_id"), "external_request_items", ["post_id"]
    )


def downgrade() -> None:
    op.drop_table("external_request_items")
    op.drop_table("external_requests")
