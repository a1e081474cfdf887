"""Prebuilt statements: a read or a write written once with SQLAlchemy Core, compiled once per
dialect, then run straight through the driver.

Building and compiling a statement costs SQLAlchemy about 0.15 ms each time it runs; a home
page asks a dozen of them. A `Prebuilt` statement keeps what SQLAlchemy is good at — one
portable expression, the columns' types — and pays for it once: the SQL text, the order of
its parameters and the converter of each result column are worked out at its first run on a
dialect, and every later run is one `exec_driver_sql` (docs/decisions/0004).

A list parameter is written `member_of(column, "name")`: `column IN (SELECT value FROM
json_each(?))` on SQLite, `column = ANY(%(name)s)` on PostgreSQL, so the SQL text stays the
same whatever the list's length (an expanding `IN` is re-rendered for every length).
"""

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Connection, bindparam
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import CompoundSelect, Delete, Insert, Select, Update
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import iterate
from sqlalchemy.types import Boolean

__all__ = ["Prebuilt", "member_of"]

Statement = Select[*tuple[Any, ...]] | CompoundSelect[Any] | Insert | Update | Delete


class _MemberOf(ColumnElement[bool]):
    """`column` is one of the values of the list parameter `name` (see `member_of`)."""

    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True  # a condition as it stands: no "= 1" on SQLite

    def __init__(self, column: ColumnElement[Any], name: str) -> None:
        self.column = column
        self.parameter: BindParameter[Any] = bindparam(name)


@compiles(_MemberOf)
def _member_of_default(element: _MemberOf, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    return f"{column} = ANY({compiler.process(element.parameter, **kw)})"


@compiles(_MemberOf, "sqlite")
def _member_of_sqlite(element: _MemberOf, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    parameter = compiler.process(element.parameter, **kw)
    return f"{column} IN (SELECT value FROM json_each({parameter}))"  # noqa: S608 (compiled names)


def member_of(column: ColumnElement[Any], name: str) -> ColumnElement[bool]:
    """A condition for prebuilt statements: `column` is in the list given as `name`."""
    return _MemberOf(column, name)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    positional: tuple[str, ...] | None  # parameter names in order, for qmark drivers
    constants: Mapping[str, Any]  # parameters the statement fixes itself, ready for the driver
    binds: tuple[tuple[str, Callable[[Any], Any]], ...]  # parameters a type converts
    lists: frozenset[str]
    columns: tuple[tuple[int, Callable[[Any], Any]], ...]  # result columns a type converts
    sqlite: bool

    def arguments(self, params: dict[str, Any]) -> Sequence[Any] | Mapping[str, Any]:
        """The driver's arguments for `params` (converted in place)."""
        for name, convert in self.binds:
            if params.get(name) is not None:
                params[name] = convert(params[name])
        for name in self.lists:
            wanted = list(params[name])
            params[name] = json.dumps(wanted) if self.sqlite else wanted
        values = {**self.constants, **params}
        if self.positional is None:
            return values
        return tuple(values[name] for name in self.positional)


class Prebuilt:
    """A statement compiled once per dialect: `rows(conn, **params)` runs a read,
    `run(conn, **params)` a write.

    Parameters are the statement's named `bindparam`s and `member_of` lists (of plain
    integers or strings); values go through their types' conversions, and rows come back
    as sequences in the order of the selected columns, each value converted by its column's
    type as SQLAlchemy would (aware datetimes from SQLite's text, for one).

    A statement that differs by dialect (an `INSERT … ON CONFLICT` is written with the
    dialect's own `insert`) is given as a function of the dialect's name.
    """

    def __init__(self, statement: Statement | Callable[[str], Statement]) -> None:
        self._build = statement if callable(statement) else lambda _: statement
        self._by_dialect: dict[str, _Compiled] = {}

    def rows(self, conn: Connection, **params: Any) -> list[Sequence[Any]]:
        """The rows a read selects, or a write returns (`RETURNING`)."""
        compiled = self._compiled(conn.dialect)
        found, _ = _execute(conn, compiled.sql, compiled.arguments(params))
        if not compiled.columns:
            return found
        rows: list[Sequence[Any]] = []
        for row in found:
            converted = list(row)
            for i, convert in compiled.columns:
                if converted[i] is not None:
                    converted[i] = convert(converted[i])
            rows.append(converted)
        return rows

    def run(self, conn: Connection, **params: Any) -> int:
        """Run a write; returns how many rows it inserted, changed or deleted."""
        compiled = self._compiled(conn.dialect)
        return _execute(conn, compiled.sql, compiled.arguments(params))[1]

    def run_many(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run a write once for each of `rows` (the driver's executemany)."""
        if not rows:
            return
        compiled = self._compiled(conn.dialect)
        _execute(conn, compiled.sql, [compiled.arguments(dict(row)) for row in rows])

    def scalars(self, conn: Connection, **params: Any) -> list[Any]:
        """The first column of every row."""
        return [row[0] for row in self.rows(conn, **params)]

    def _compiled(self, dialect: Dialect) -> _Compiled:
        found = self._by_dialect.get(dialect.name)
        if found is None:
            found = self._by_dialect[dialect.name] = self._compile(dialect)
        return found

    def _compile(self, dialect: Dialect) -> _Compiled:
        statement = self._build(dialect.name)
        lists = frozenset(e.parameter.key for e in iterate(statement) if isinstance(e, _MemberOf))
        compiled = statement.compile(dialect=dialect)
        if "POSTCOMPILE" in compiled.string:
            raise ValueError("a prebuilt statement takes lists through member_of, not in_()")
        binds = {
            name: convert
            for name, bind in compiled.binds.items()
            if name not in lists
            and (convert := bind.type._cached_bind_processor(dialect)) is not None
        }
        constants = {}
        for name, value in compiled.params.items():
            if value is not None:  # a parameter the caller gives
                constants[name] = binds[name](value) if name in binds else value
        selected = _selected_columns(statement)
        processors = (column.type._cached_result_processor(dialect, None) for column in selected)
        return _Compiled(
            sql=compiled.string,
            positional=None if compiled.positiontup is None else tuple(compiled.positiontup),
            constants=constants,
            binds=tuple(binds.items()),
            lists=lists,
            columns=tuple((i, f) for i, f in enumerate(processors) if f is not None),
            sqlite=dialect.name == "sqlite",
        )


def _selected_columns(statement: Statement) -> Sequence[ColumnElement[Any]]:
    """The columns a statement's rows hold: what it selects, or a write's RETURNING."""
    if isinstance(statement, Select | CompoundSelect):
        return list(statement.selected_columns)
    return list(statement.exported_columns)


_Arguments = Sequence[Any] | Mapping[str, Any]


def _execute(
    conn: Connection, sql: str, arguments: _Arguments | list[_Arguments]
) -> tuple[list[Sequence[Any]], int]:
    """Run `sql` (once per item when `arguments` is a list); its rows and its rowcount.

    Inside a transaction, on the driver's own cursor: SQLAlchemy's bookkeeping of an
    execution (its context, its result object) costs as much as a short SQLite statement,
    and a prebuilt statement needs none of it. A driver error still comes out as
    SQLAlchemy's (`IntegrityError`…) and a lost connection is still invalidated, by the
    connection's own handler. SQLAlchemy runs the statement itself when it must begin the
    transaction, or when someone listens to its cursor events (a benchmark listing the
    statements of a page)."""
    found: list[Sequence[Any]] = []
    if not conn.in_transaction() or _watched(conn):
        # psycopg's rowcount of an INSERT is kept only when asked (see storage._upsert).
        result = conn.exec_driver_sql(sql, arguments, {"preserve_rowcount": True})
        if result.returns_rows:
            found.extend(result)
        return found, result.rowcount
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        if isinstance(arguments, list):
            cursor.executemany(sql, arguments)  # type: ignore[arg-type]
        else:
            cursor.execute(sql, arguments)
        if cursor.description is not None:
            found.extend(cursor.fetchall())
        return found, cursor.rowcount
    except conn.dialect.loaded_dbapi.Error as error:
        conn._handle_dbapi_exception(error, sql, arguments, cursor, None)
    finally:
        cursor.close()


def _watched(conn: Connection) -> bool:
    dispatch = conn.dispatch
    return bool(dispatch.before_cursor_execute or dispatch.after_cursor_execute)
