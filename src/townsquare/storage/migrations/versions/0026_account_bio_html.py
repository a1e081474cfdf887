"""An account's bio is kept as HTML too, rendered when the bio changes, not on every read
(`accounts.bio_html`; NULL for a bio written before it, which readers render as before).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 07:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bio_html", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("bio_html")
