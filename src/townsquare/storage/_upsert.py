"""Insert-if-absent that is safe under concurrent writers on both databases."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Insert, Table, bindparam
from sqlalchemy.dialects import postgresql, sqlite

from townsquare.storage._prebuilt import Prebuilt

__all__ = ["insert_ignoring_conflicts", "prebuilt_insert_ignoring_conflicts"]


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


def prebuilt_insert_ignoring_conflicts(
    table: Table, columns: Sequence[str], *, on: Sequence[str]
) -> Prebuilt:
    """`insert_ignoring_conflicts` of one row as a prebuilt statement: `run(conn, **row)`
    with a value for each of `columns` (the others take their defaults) returns 1 if the
    row was inserted, 0 if its `on` key was already there."""

    def statement(dialect: str) -> Insert:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        return (
            insert(table)
            .values({name: bindparam(name, type_=table.c[name].type) for name in columns})
            .on_conflict_do_nothing(index_elements=list(on))
        )

    return Prebuilt(statement)
