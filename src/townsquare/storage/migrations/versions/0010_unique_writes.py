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
    appeals = sa.table(
        "moderation_appeals",
        sa.column("id", sa.BigInteger()),
        sa.column("action_id", sa.BigInteger()),
        sa.column("appellant_id", sa.BigInteger()),
        sa.column("state", sa.String()),
    )
    earlier = appeals.alias("earlier")
    copy = sa.exists().where(
        earlier.c.action_id == appeals.c.action_id,
        earlier.c.appellant_id == appeals.c.appellant_id,
        earlier.c.id < appeals.c.id,
    )
    op.execute(appeals.delete().where(appeals.c.state.in_(["filed", "assigned"]), copy))
