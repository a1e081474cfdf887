"""Published impartiality audit runs: each run's result JSON as hashed, its dataset as the zip
of CSV files it was computed from, and the leaf hash of the `audit.impartiality` ledger entry
that committed to both.

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-05 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "impartiality_audits",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("audit_json", sa.Text(), nullable=False),
        sa.Column("dataset_sha256", sa.String(length=64), nullable=False),
        sa.Column("dataset_zip", sa.LargeBinary(), nullable=False),
        sa.Column("alert", sa.Boolean(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("leaf_hash", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_impartiality_audits")),
    )
    op.create_index(
        op.f("ix_impartiality_audits_published_at"), "impartiality_audits", ["published_at"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_impartiality_audits_published_at"), table_name="impartiality_audits")
    op.drop_table("impartiality_audits")
