"""Published transparency reports: each period's report JSON as hashed, and the leaf hash of
the ledger entry that committed to it.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 07:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "transparency_reports",
        sa.Column("period_start", sa.String(length=10), nullable=False),
        sa.Column("period_end", sa.String(length=10), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("report_json", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("leaf_hash", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint(
            "period_start", "period_end", "sha256", name=op.f("pk_transparency_reports")
        ),
    )


def downgrade() -> None:
    op.drop_table("transparency_reports")
