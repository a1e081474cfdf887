"""Policies: the clause versions already recorded in the ledger.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 03:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policy_versions",
        sa.Column("clause_id", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("clause_id", "version", name=op.f("pk_policy_versions")),
    )


def downgrade() -> None:
    op.drop_table("policy_versions")
