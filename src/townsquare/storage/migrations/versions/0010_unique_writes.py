"""Unique writes: one appeal per person per decision, and the id worker leases.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _drop_duplicate_waiting_appeals()
    with op.batch_alter_table("moderation_appeals") as batch:
        batch.create_unique_constraint(
            op.f("uq_moderation_appeals_action_id_appellant_id"), ["action_id", "appellant_id"]
        )
    op.create_table(
        "id_workers",
        sa.Column("worker", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("holder", sa.String(length=64), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("worker", name=op.f("pk_id_workers")),
    )


def downgrade() -> None:
    op.drop_table("id_workers")
    with op.batch_alter_table("moderation_appeals") as batch:
        batch.drop_constraint(op.f("uq_moderation_appeals_action_id_appellant_id"), type_="unique")


def _drop_duplicate_waiting_appeals() -> None:
    """Appeals filed at once before this constraint existed could be stored twice: keep the
    first of each person's appeals of a decision, drop the later copies nobody has decided
    yet. (A decided copy is in the ledger and is kept; the constraint then refuses to be
    created, and an operator must look at it.)"""
    op.execute(
        """
        DELETE FROM moderation_appeals
        WHERE state IN ('filed', 'assigned')
          AND EXISTS (
            SELECT 1 FROM moderation_appeals AS earlier
            WHERE earlier.action_id = moderation_appeals.action_id
              AND earlier.appellant_id = moderation_appeals.appellant_id
              AND earlier.id < moderation_appeals.id
          )
        """
    )
