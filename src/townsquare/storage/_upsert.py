"""Insert-if-absent that is safe under concurrent writers on both databases."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite

__all__ = ["insert_ignoring_conflicts"]


def insert_ignoring_conflicts(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]], *, on: Sequence[str]
) -> int:
    """Insert `rows`, skipping any whose `on` columns (a unique key of `table`) match a
    row already stored. Returns how many rows were inserted.

    Only that key is ignored: any other conflict, such as two rows minted with one id,
    MUST raise `IntegrityError`, never pass as "already there" (an insert that ignored
    every conflict once answered 200 for a favourite it had not stored).
    """
    if not rows:
        return 0
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    # SQLAlchemy 2.1 reports rowcount -1 for an INSERT on psycopg unless asked to keep it,
    # which made every insert look like a success (or, compared with `> 0`, a no-op).
    statement = (
        dialect.insert(table)
        .on_conflict_do_nothing(index_elements=list(on))
        .execution_options(preserve_rowcount=True)
    )
    return conn.execute(statement, list(rows)).rowcount
