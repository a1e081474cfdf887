"""Direct posts: a fourth visibility, for the author and the accounts it mentions only, and
the conversation each belongs to (the id of the post its thread began with).

The posts table's CHECK constraint changes only to allow one more value. On
PostgreSQL the constraint is replaced. SQLite cannot alter a constraint, and copying the
table (Alembic's batch mode) would drop its search triggers and, with foreign keys on,
delete the rows that refer to it; so the constraint's text is edited in place, the
procedure SQLite documents for loosening a CHECK (lang_altertable.html, "other kinds of
table schema changes"): the new constraint admits every row the old one did.

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-07 01:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0038"
down_revision = "0037"
branch_labels = None
depends_on = None

_OLD = "visibility IN ('public', 'unlisted', 'private')"
_NEW = "visibility IN ('public', 'unlisted', 'private', 'direct')"


def _replace_check(old: str, new: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE posts DROP CONSTRAINT ck_posts_visibility")
        op.execute(f"ALTER TABLE posts ADD CONSTRAINT ck_posts_visibility CHECK ({new})")
        return
    conn = op.get_bind()
    table_sql = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'posts'"
    if old not in conn.exec_driver_sql(table_sql).scalar_one():
        raise RuntimeError(f"the posts table's constraint is not {old!r}: not changed")
    version = conn.exec_driver_sql("PRAGMA schema_version").scalar_one()
    conn.exec_driver_sql("PRAGMA writable_schema=ON")
    conn.exec_driver_sql(
        "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'posts'",
        (old, new),
    )
    conn.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
    conn.exec_driver_sql("PRAGMA writable_schema=OFF")


def upgrade() -> None:
    _replace_check(_OLD, _NEW)
    op.add_column("posts", sa.Column("conversation_id", sa.BigInteger(), nullable=True))
    op.create_index("ix_posts_conversation_id", "posts", ["conversation_id"], unique=False)


def downgrade() -> None:
    conn = op.get_bind()
    direct = conn.exec_driver_sql("SELECT count(*) FROM posts WHERE visibility = 'direct'")
    if direct.scalar_one():
        # Made followers-only, they would reach people they were never meant for.
        raise RuntimeError(
            "direct posts exist: delete them before going back to a schema without them"
        )
    op.drop_index("ix_posts_conversation_id", table_name="posts")
    op.execute("ALTER TABLE posts DROP COLUMN conversation_id")  # in place: see 0032
    _replace_check(_NEW, _OLD)
