"""Public timeline index: newest public originals first, read in index order.

Without it SQLite answered `visibility IN ('public') AND reblog_of_id IS NULL ORDER BY id
DESC LIMIT n` through `ix_posts_reblog_of_id` (IS NULL matches nearly every post) and then
sorted all of them: 1.4 s a page with a million posts (bench/README.md). With it, both
databases walk the index backwards from the page's upper bound and stop after n rows.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 00:45:00
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_posts_visibility_reblog_of_id_id", "posts", ["visibility", "reblog_of_id", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_posts_visibility_reblog_of_id_id", table_name="posts")
