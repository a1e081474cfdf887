"""Insert-if-absent that is safe under concurrent writers on both databases."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite

__all__ = ["insert_ignoring_conflicts"]


def insert_ignoring_conflicts(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]]
) -> int:
    """Insert `rows`, silently skipping any that would violate a unique constraint.

    Returns how many rows were inserted.
    """
    if not rows:
        return 0
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    # SQLAlchemy 2.1 reports rowcount -1 for an INSERT on psycopg unless asked to keep it,
    # which made every insert look like a success (or, compared with `> 0`, a no-op).
    statement = (
        dialect.insert(table).on_conflict_do_nothing().execution_options(preserve_rowcount=True)
    )
    return conn.execute(statement, list(rows)).rowcount
