"""Community notes: notes on posts, their ratings, requests for a note, scoring runs, and the
shown-notes projection that `enforce` writes from `notes.status` ledger entries.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 17:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "note_scoring_runs",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("scorer_version", sa.String(length=40), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), server_default="", nullable=False),
        sa.Column("notes_scored", sa.Integer(), server_default="0", nullable=False),
        sa.Column("changes", sa.Integer(), server_default="0", nullable=False),
        sa.Column("held_reason", sa.Text(), nullable=True),
        sa.Column("reviewed_by", sa.BigInteger(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_scoring_runs")),
    )
    op.create_table(
        "note_statuses",
        sa.Column("note_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("post_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("intercept", sa.Float(), nullable=True),
        sa.Column("factor", sa.Float(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("leaf_hash", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("note_id", name=op.f("pk_note_statuses")),
    )
    with op.batch_alter_table("note_statuses", schema=None) as batch_op:
        batch_op.create_index("ix_note_statuses_post_id", ["post_id"], unique=False)

    op.create_table(
        "note_rater_scores",
        sa.Column("rater_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("intercept", sa.Float(), nullable=True),
        sa.Column("factor", sa.Float(), nullable=True),
        sa.Column("above_threshold", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["rater_id"],
            ["accounts.id"],
            name=op.f("fk_note_rater_scores_rater_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("rater_id", name=op.f("pk_note_rater_scores")),
    )
    op.create_table(
        "note_run_scores",
        sa.Column("run_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("note_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("intercept", sa.Float(), nullable=True),
        sa.Column("factor", sa.Float(), nullable=True),
        sa.Column("num_ratings", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["note_scoring_runs.id"],
            name=op.f("fk_note_run_scores_run_id_note_scoring_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", "note_id", name=op.f("pk_note_run_scores")),
    )
    with op.batch_alter_table("note_run_scores", schema=None) as batch_op:
        batch_op.create_index("ix_note_run_scores_note_id", ["note_id"], unique=False)

    op.create_table(
        "community_notes",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("post_id", sa.BigInteger(), nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("classification", sa.String(length=40), nullable=False),
        sa.Column("believable", sa.String(length=30), nullable=True),
        sa.Column("harmful", sa.String(length=30), nullable=True),
        sa.Column("validation_difficulty", sa.String(length=30), nullable=True),
        sa.Column("reasons", sa.String(length=600), server_default="", nullable=False),
        sa.Column("trustworthy_sources", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sources", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "classification IN ('MISINFORMED_OR_POTENTIALLY_MISLEADING', 'NOT_MISLEADING')",
            name=op.f("ck_community_notes_classification"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["accounts.id"],
            name=op.f("fk_community_notes_author_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_community_notes_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_notes")),
    )
    with op.batch_alter_table("community_notes", schema=None) as batch_op:
        batch_op.create_index("ix_community_notes_author_id", ["author_id"], unique=False)
        batch_op.create_index("ix_community_notes_post_id", ["post_id"], unique=False)

    op.create_table(
        "note_requests",
        sa.Column("post_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("requester_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_note_requests_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["accounts.id"],
            name=op.f("fk_note_requests_requester_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("post_id", "requester_id", name=op.f("pk_note_requests")),
    )
    op.create_table(
        "note_ratings",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("note_id", sa.BigInteger(), nullable=False),
        sa.Column("rater_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("tags", sa.String(length=1000), server_default="", nullable=False),
        sa.CheckConstraint(
            "level IN ('HELPFUL', 'SOMEWHAT_HELPFUL', 'NOT_HELPFUL')",
            name=op.f("ck_note_ratings_level"),
        ),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["community_notes.id"],
            name=op.f("fk_note_ratings_note_id_community_notes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rater_id"],
            ["accounts.id"],
            name=op.f("fk_note_ratings_rater_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_ratings")),
        sa.UniqueConstraint("note_id", "rater_id", name=op.f("uq_note_ratings_note_id_rater_id")),
    )
    with op.batch_alter_table("note_ratings", schema=None) as batch_op:
        batch_op.create_index("ix_note_ratings_rater_id", ["rater_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("note_ratings", schema=None) as batch_op:
        batch_op.drop_index("ix_note_ratings_rater_id")

    op.drop_table("note_ratings")
    op.drop_table("note_requests")
    with op.batch_alter_table("community_notes", schema=None) as batch_op:
        batch_op.drop_index("ix_community_notes_post_id")
        batch_op.drop_index("ix_community_notes_author_id")

    op.drop_table("community_notes")
    with op.batch_alter_table("note_run_scores", schema=None) as batch_op:
        batch_op.drop_index("ix_note_run_scores_note_id")

    op.drop_table("note_run_scores")
    op.drop_table("note_rater_scores")
    with op.batch_alter_table("note_statuses", schema=None) as batch_op:
        batch_op.drop_index("ix_note_statuses_post_id")

    op.drop_table("note_statuses")
    op.drop_table("note_scoring_runs")
