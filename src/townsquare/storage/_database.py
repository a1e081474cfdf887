"""Transactions: every unit of work is `with db.read() as conn` or `with db.write() as conn`."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine

from townsquare.storage._engine import WRITE_OPTION, is_sqlite

__all__ = ["Database"]


class Database:
    """The engine plus the two kinds of transaction the application uses.

    `write()` MUST be used for any transaction that may write: on SQLite it takes the write
    lock at BEGIN. `read()` gives a consistent snapshot and never blocks writers.
    Both commit on success and roll back if the block raises.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_sqlite = is_sqlite(engine)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as connection, connection.begin():
            yield connection

    @contextmanager
    def write(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            connection = connection.execution_options(**{WRITE_OPTION: True})
            with connection.begin():
                yield connection

    def dispose(self) -> None:
        self.engine.dispose()
