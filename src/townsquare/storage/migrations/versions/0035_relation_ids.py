"""Follows, blocks and mutes get an id, so the lists of them page by Link as Mastodon's do.

Existing rows get ids in the order they were made: the smallest snowflake of their time,
or one more than the previous row's when several share a millisecond.

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-07 00:10:00
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None

_RELATIONS = ("follows", "blocks", "mutes")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_BATCH = 5000


def _snowflake_floor(moment: datetime) -> int:
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return ((moment - _EPOCH) // timedelta(milliseconds=1)) << 16


def _number_rows(name: str) -> None:
    conn = op.get_bind()
    table = sa.table(
        name,
        sa.column("account_id", sa.BigInteger()),
        sa.column("target_id", sa.BigInteger()),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("id", sa.BigInteger()),
    )
    rows = conn.execute(
        sa.select(table.c.account_id, table.c.target_id, table.c.created_at).order_by(
            table.c.created_at, table.c.account_id, table.c.target_id
        )
    ).all()
    update = (
        sa.update(table)
        .where(table.c.account_id == sa.bindparam("a"), table.c.target_id == sa.bindparam("t"))
        .values(id=sa.bindparam("new_id"))
    )
    numbered, last = [], 0
    for account_id, target_id, created_at in rows:
        last = max(_snowflake_floor(created_at), last + 1)
        numbered.append({"a": account_id, "t": target_id, "new_id": last})
        if len(numbered) == _BATCH:
            conn.execute(update, numbered)
            numbered = []
    if numbered:
        conn.execute(update, numbered)


def upgrade() -> None:
    for name in _RELATIONS:
        op.add_column(name, sa.Column("id", sa.BigInteger(), nullable=True))
        _number_rows(name)
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.alter_column("id", existing_type=sa.BigInteger(), nullable=False)
            batch_op.drop_index(f"ix_{name}_target_id")
            batch_op.create_index(f"ix_{name}_target_id_id", ["target_id", "id"], unique=False)
            batch_op.create_index(f"ix_{name}_account_id_id", ["account_id", "id"], unique=False)


def downgrade() -> None:
    for name in _RELATIONS:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{name}_account_id_id")
            batch_op.drop_index(f"ix_{name}_target_id_id")
            batch_op.create_index(f"ix_{name}_target_id", ["target_id"], unique=False)
            batch_op.drop_column("id")
