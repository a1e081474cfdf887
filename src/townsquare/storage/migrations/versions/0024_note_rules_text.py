"""The rules that acted on a note are kept whole: `note_run_scores.rule` (40 characters) and
`note_status_changes.rules` (200) become text, since the Core rules' names joined run to 261
characters and a run's `notes.status` entries were cut at 40.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 03:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("note_run_scores", schema=None) as batch_op:
        batch_op.alter_column(
            "rule", existing_type=sa.String(length=40), type_=sa.Text(), existing_nullable=False
        )
    with op.batch_alter_table("note_status_changes", schema=None) as batch_op:
        batch_op.alter_column(
            "rules", existing_type=sa.String(length=200), type_=sa.Text(), existing_nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("note_status_changes", schema=None) as batch_op:
        batch_op.alter_column(
            "rules", existing_type=sa.Text(), type_=sa.String(length=200), existing_nullable=False
        )
    with op.batch_alter_table("note_run_scores", schema=None) as batch_op:
        batch_op.alter_column(
            "rule", existing_type=sa.Text(), type_=sa.String(length=40), existing_nullable=False
        )
