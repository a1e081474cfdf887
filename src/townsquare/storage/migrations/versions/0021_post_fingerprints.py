"""Post fingerprints for finding copies: each post's MinHash signature and LSH band buckets
(looked up by band and bucket), and on moderation actions the action an action applied to
a copy of its post (`copy_of_id`, from the entry's `copy_of`).

Existing posts get their fingerprints from `townsquare fingerprints` (the backfill), not
here: computing them needs the application's fingerprinting code, which a migration must
not import (a migration is frozen, the code is not).

Revision ID: 0021
Revises: 0017
Create Date: 2026-12-05 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "post_fingerprints",
        sa.Column("post_id", sa.BigInteger(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_post_fingerprints_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("post_id", name=op.f("pk_post_fingerprints")),
    )
    op.create_table(
        "post_fingerprint_bands",
        sa.Column("band", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("bucket", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("post_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_post_fingerprint_bands_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "band", "bucket", "post_id", name=op.f("pk_post_fingerprint_bands")
        ),
    )
    with op.batch_alter_table("post_fingerprint_bands", schema=None) as batch_op:
        batch_op.create_index("ix_post_fingerprint_bands_post_id", ["post_id"], unique=False)
    with op.batch_alter_table("moderation_actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("copy_of_id", sa.BigInteger(), nullable=True))
        batch_op.create_index("ix_moderation_actions_copy_of_id", ["copy_of_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("moderation_actions", schema=None) as batch_op:
        batch_op.drop_index("ix_moderation_actions_copy_of_id")
        batch_op.drop_column("copy_of_id")
    op.drop_table("post_fingerprint_bands")
    op.drop_table("post_fingerprints")
