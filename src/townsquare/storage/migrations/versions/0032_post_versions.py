"""Edits: a post's earlier versions, and when its current one was written.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-06 23:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("posts", sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "post_versions",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("post_id", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_html", sa.Text(), nullable=False),
        sa.Column("spoiler_text", sa.Text(), nullable=False),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_post_versions_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_versions")),
    )
    with op.batch_alter_table("post_versions", schema=None) as batch_op:
        batch_op.create_index("ix_post_versions_post_id_id", ["post_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("post_versions", schema=None) as batch_op:
        batch_op.drop_index("ix_post_versions_post_id_id")
    op.drop_table("post_versions")
    # Not a batch operation: on SQLite that would copy the table and lose its search
    # triggers. SQLite drops a plain column in place since 3.35.
    op.execute("ALTER TABLE posts DROP COLUMN edited_at")
