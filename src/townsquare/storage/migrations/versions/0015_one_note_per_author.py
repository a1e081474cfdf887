"""Community notes: one note per author per post, as a unique key (docs/design/unique-writes.md).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 18:30:00
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("community_notes") as batch:
        batch.create_unique_constraint(
            op.f("uq_community_notes_post_id_author_id"), ["post_id", "author_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("community_notes") as batch:
        batch.drop_constraint(op.f("uq_community_notes_post_id_author_id"), type_="unique")
