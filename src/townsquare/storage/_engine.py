"""Engines for SQLite (the embedded default, in WAL mode) and PostgreSQL (psycopg 3)."""

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

__all__ = ["WRITE_OPTION", "create_database_engine", "is_sqlite"]

WRITE_OPTION = "townsquare_write"
"""Execution option marking a connection whose transaction will write."""


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def create_database_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for `url`, tuned for a small server.

    SQLite: WAL so readers never wait for the writer, `synchronous=NORMAL` (durable at each
    checkpoint of the WAL, the recommended pairing), foreign keys on, and a busy timeout so
    concurrent writers queue instead of failing.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, echo=echo)
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, echo=echo, pool_size=10, max_overflow=20, pool_pre_ping=True)


def _sqlite_engine(url: str, *, echo: bool) -> Engine:
    database = make_url(url).database
    in_memory = database in (None, "", ":memory:")
    if database and not in_memory:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    # An in-memory database lives in one connection per thread (SQLAlchemy's default
    # SingletonThreadPool), which takes no size arguments.
    pool: dict[str, int] = {} if in_memory else {"pool_size": 16, "max_overflow": 16}
    engine = create_engine(
        url,
        echo=echo,
        connect_args={"check_same_thread": False, "timeout": 30},
        **pool,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, open transactions (so BEGIN IMMEDIATE below works).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the write lock at BEGIN, so two writers never deadlock upgrading from
        # a read lock (SQLITE_BUSY mid-transaction); readers begin deferred and, in WAL mode,
        # read a snapshot without waiting for anyone.
        if connection.get_execution_options().get(WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")

    return engine
