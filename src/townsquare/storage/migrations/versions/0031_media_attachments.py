"""Media attachments: uploaded images, attached to at most one post each, and the bands of
their perceptual hashes that find copies of an image.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-06 22:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "media_attachments",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("post_id", sa.BigInteger(), nullable=True),
        sa.Column("position", sa.SmallInteger(), nullable=True),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("focus_x", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("focus_y", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("small_content_type", sa.String(length=40), nullable=False),
        sa.Column("small_width", sa.Integer(), nullable=False),
        sa.Column("small_height", sa.Integer(), nullable=False),
        sa.Column("small_size", sa.Integer(), nullable=False),
        sa.Column("blurhash", sa.String(length=100), nullable=False),
        sa.Column("phash", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_media_attachments_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_media_attachments_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_attachments")),
    )
    with op.batch_alter_table("media_attachments", schema=None) as batch_op:
        batch_op.create_index("ix_media_attachments_post_id", ["post_id"], unique=False)
        batch_op.create_index("ix_media_attachments_account_id", ["account_id"], unique=False)

    op.create_table(
        "media_hash_bands",
        sa.Column("band", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("bucket", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("media_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["media_id"],
            ["media_attachments.id"],
            name=op.f("fk_media_hash_bands_media_id_media_attachments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("band", "bucket", "media_id", name=op.f("pk_media_hash_bands")),
    )
    with op.batch_alter_table("media_hash_bands", schema=None) as batch_op:
        batch_op.create_index("ix_media_hash_bands_media_id", ["media_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("media_hash_bands", schema=None) as batch_op:
        batch_op.drop_index("ix_media_hash_bands_media_id")
    op.drop_table("media_hash_bands")
    with op.batch_alter_table("media_attachments", schema=None) as batch_op:
        batch_op.drop_index("ix_media_attachments_account_id")
        batch_op.drop_index("ix_media_attachments_post_id")
    op.drop_table("media_attachments")
