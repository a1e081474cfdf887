"""Election windows and second-moderator proposals; cases may await a second moderator.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 19:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_CASE_STATES = "state IN ('open', 'in_review', 'decided', 'closed')"
_CASE_STATES_WITH_APPROVAL = (
    "state IN ('open', 'in_review', 'awaiting_approval', 'decided', 'closed')"
)


def upgrade() -> None:
    op.create_table(
        "election_windows",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("territories", sa.String(length=800), nullable=False),
        sa.Column("hashtags", sa.String(length=2000), server_default="", nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("declared_by", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["declared_by"],
            ["accounts.id"],
            name=op.f("fk_election_windows_declared_by_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_election_windows")),
    )
    op.create_index(op.f("ix_election_windows_ends_at"), "election_windows", ["ends_at"])
    op.create_table(
        "moderation_proposals",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("case_id", sa.BigInteger(), nullable=True),
        sa.Column("proposer_id", sa.BigInteger(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("window_id", sa.BigInteger(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("action_id", sa.BigInteger(), nullable=True),
        sa.CheckConstraint(
            "state IN ('proposed', 'approved', 'rejected', 'withdrawn')",
            name=op.f("ck_moderation_proposals_state"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["moderation_cases.id"],
            name=op.f("fk_moderation_proposals_case_id_moderation_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposer_id"],
            ["accounts.id"],
            name=op.f("fk_moderation_proposals_proposer_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["window_id"],
            ["election_windows.id"],
            name=op.f("fk_moderation_proposals_window_id_election_windows"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_proposals")),
    )
    op.create_index(op.f("ix_moderation_proposals_case_id"), "moderation_proposals", ["case_id"])
    _replace_case_states(_CASE_STATES_WITH_APPROVAL)


def downgrade() -> None:
    cases = sa.table("moderation_cases", sa.column("state", sa.String()))
    waiting = cases.c.state == "awaiting_approval"
    op.execute(cases.update().where(waiting).values(state="in_review"))
    _replace_case_states(_CASE_STATES)
    op.drop_table("moderation_proposals")
    op.drop_table("election_windows")


def _replace_case_states(condition: str) -> None:
    # On SQLite, batch mode rebuilds the table to change a CHECK constraint.
    with op.batch_alter_table("moderation_cases") as batch:
        batch.drop_constraint(op.f("ck_moderation_cases_state"), type_="check")
        batch.create_check_constraint(op.f("ck_moderation_cases_state"), condition)
