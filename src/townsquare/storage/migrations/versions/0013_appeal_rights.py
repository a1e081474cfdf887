"""A notification may be about a moderation decision: it names the decision's action.

A moderation notification says that a decision concerns the reader (their post or account,
their report, their appeal) and links to the notice; the notice is found by the action's id.
No foreign key: the microblog's table does not depend on moderation's.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("action_id", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_column("action_id")
