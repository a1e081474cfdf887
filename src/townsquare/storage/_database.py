"""The database: the engine and the two kinds of transaction, and what waits for a commit."""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection, Engine

from townsquare.kernel import TownsquareError
from townsquare.storage._engine import WRITE_OPTION, is_sqlite

__all__ = ["Committed", "Database", "NotInWriteTransactionError", "after_commit"]

Committed = Callable[[Sequence[object]], None]
"""What a `Database` hands the items deferred in a transaction to, once it has committed."""

# The key under which a write transaction keeps its deferred items in `Connection.info`.
# That dictionary belongs to the pooled DB-API connection and outlives the transaction, so
# `write()` puts a fresh list there and always takes it back out.
_DEFERRED = "townsquare.after_commit"


class NotInWriteTransactionError(TownsquareError):
    """Raised when `after_commit` is given a connection that no `Database.write()` opened."""


def after_commit(conn: Connection, item: object) -> None:
    """Hand `item` to the database's `committed` sink once the write transaction `conn`
    belongs to has committed; if it rolls back, the item is dropped with it.

    `conn` MUST come from `Database.write()` (directly or passed down to the caller): a
    connection from anywhere else has no commit this can wait for, and is refused rather
    than have the item silently lost or sent before the data it speaks of is visible."""
    deferred = conn.info.get(_DEFERRED)
    if deferred is None:
        raise NotInWriteTransactionError("after_commit needs a connection from Database.write()")
    deferred.append(item)


class Database:
    """The engine plus the two kinds of transaction the application uses.

    `write()` MUST be used for any transaction that may write: on SQLite it takes the write
    lock at BEGIN. `read()` gives a consistent snapshot and never blocks writers.
    Both commit on success and roll back if the block raises. Items deferred with
    `after_commit` in a `write()` transaction go to `committed` after it commits, and never
    when it rolls back (without `committed` they are dropped).
    """

    def __init__(self, engine: Engine, *, committed: Committed | None = None) -> None:
        self.engine = engine
        self.is_sqlite = is_sqlite(engine)
        self._committed = committed

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as connection, connection.begin():
            yield connection

    @contextmanager
    def write(self) -> Iterator[Connection]:
        deferred: list[object] = []
        with self.engine.connect() as connection:
            connection = connection.execution_options(**{WRITE_OPTION: True})
            connection.info[_DEFERRED] = deferred
            try:
                with connection.begin():
                    yield connection
            finally:
                connection.info.pop(_DEFERRED, None)
        # Reached only when the block and the commit succeeded.
        if deferred and self._committed is not None:
            self._committed(deferred)

    def dispose(self) -> None:
        self.engine.dispose()
