"""The automated rules' runner: the write path's outbox (`rule_events`), the runner's one row
(`rule_runner`: events processed, the system account), each detection (`rule_detections`)
and the rule versions set aside after raising (`rule_quarantines`).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rule_events",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_seq", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_events")),
    )
    op.create_index("ix_rule_events_processed_seq", "rule_events", ["processed_seq"])
    op.create_index("ix_rule_events_at", "rule_events", ["at"])
    op.create_table(
        "rule_runner",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("processed_seq", sa.BigInteger(), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_rule_runner_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_rule_runner")),
    )
    op.create_table(
        "rule_detections",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("rule_id", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("target_kind", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.BigInteger(), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.BigInteger(), nullable=True),
        sa.Column("opened_case", sa.Boolean(), nullable=False),
        sa.Column("action_id", sa.BigInteger(), nullable=True),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_detections")),
    )
    op.create_index("ix_rule_detections_case_id", "rule_detections", ["case_id"])
    op.create_table(
        "rule_quarantines",
        sa.Column("rule_id", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=False),
        sa.Column("quarantined_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("rule_id", "version", name=op.f("pk_rule_quarantines")),
    )


def downgrade() -> None:
    op.drop_table("rule_quarantines")
    op.drop_index("ix_rule_detections_case_id", table_name="rule_detections")
    op.drop_table("rule_detections")
    op.drop_table("rule_runner")
    op.drop_index("ix_rule_events_at", table_name="rule_events")
    op.drop_index("ix_rule_events_processed_seq", table_name="rule_events")
    op.drop_table("rule_events")
