"""The engine's SQLite tuning, transactions that roll back, and insert-if-absent."""

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from townsquare.storage import (
    Database,
    create_database_engine,
    insert_ignoring_conflicts,
    is_sqlite,
)
from townsquare.storage.tables import follows, tags

NOW = datetime(2026, 1, 1, tzinfo=UTC)
_NAME = ("name",)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(create_database_engine(database_url))
    yield database
    database.dispose()


def _tag(tag_id: int, name: str) -> dict[str, object]:
    return {"id": tag_id, "name": name, "search_text": name}


def _tag_names(db: Database) -> list[str]:
    with db.read() as conn:
        return list(conn.scalars(select(tags.c.name).order_by(tags.c.id)))


def test_sqlite_pragmas_are_set_on_every_connection(tmp_path: Path) -> None:
    db = Database(create_database_engine(f"sqlite:///{tmp_path / 'pragmas.db'}"))
    assert db.is_sqlite
    for _ in range(2):  # a new connection as well as the first
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        db.engine.pool.dispose()
    db.dispose()


def test_sqlite_engine_creates_the_data_folder(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "town.db"
    engine = create_database_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        conn.exec_driver_sql("SELECT 1")
    engine.dispose()
    assert path.exists()


def test_plain_postgresql_urls_use_psycopg_3() -> None:
    engine = create_database_engine("postgresql://nobody@127.0.0.1:1/none")
    assert engine.dialect.driver == "psycopg"
    assert not is_sqlite(engine)
    engine.dispose()


def test_write_commits_on_success(db: Database) -> None:
    with db.write() as conn:
        conn.execute(tags.insert().values(_tag(1, "kept")))
    assert _tag_names(db) == ["kept"]


class _BoomError(Exception):
    pass


def _insert_then_fail(db: Database, failure: Exception | None) -> None:
    with db.write() as conn:
        conn.execute(tags.insert().values(_tag(1, "lost")))
        if failure is not None:
            raise failure
        conn.execute(tags.insert().values(_tag(2, "lost")))  # a duplicate name


def test_write_rolls_back_when_the_block_raises(db: Database) -> None:
    with pytest.raises(_BoomError):
        _insert_then_fail(db, _BoomError())
    assert _tag_names(db) == []


def test_write_rolls_back_on_a_database_error(db: Database) -> None:
    with pytest.raises(IntegrityError):
        _insert_then_fail(db, None)
    assert _tag_names(db) == []


def test_foreign_keys_are_enforced(db: Database) -> None:
    row = {"account_id": 1, "target_id": 2, "created_at": NOW, "id": 3}
    with pytest.raises(IntegrityError), db.write() as conn:
        conn.execute(follows.insert().values(row))


def test_insert_ignoring_conflicts_skips_duplicates_and_counts_inserts(db: Database) -> None:
    with db.write() as conn:
        assert insert_ignoring_conflicts(conn, tags, [], on=_NAME) == 0
        assert insert_ignoring_conflicts(conn, tags, [_tag(1, "a"), _tag(2, "b")], on=_NAME) == 2
        # Same name (the key named) under a new id, and one new row.
        again = [_tag(3, "a"), _tag(4, "d")]
        assert insert_ignoring_conflicts(conn, tags, again, on=_NAME) == 1
    assert _tag_names(db) == ["a", "b", "d"]


def test_regression_an_id_collision_was_ignored_as_if_the_row_existed(db: Database) -> None:
    # Two workers minting one id made a favourite "already there": 200, nothing stored.
    # Only the key named is ignored; a clash on any other (the primary key) is an error.
    with db.write() as conn:
        insert_ignoring_conflicts(conn, tags, [_tag(1, "a")], on=_NAME)
    with pytest.raises(IntegrityError), db.write() as conn:
        insert_ignoring_conflicts(conn, tags, [_tag(1, "b")], on=_NAME)
    assert _tag_names(db) == ["a"]


def test_insert_ignoring_conflicts_single_row(db: Database) -> None:
    with db.write() as conn:
        assert insert_ignoring_conflicts(conn, tags, [_tag(1, "a")], on=_NAME) == 1
        assert insert_ignoring_conflicts(conn, tags, [_tag(1, "a")], on=_NAME) == 0


def test_a_reader_sees_a_snapshot_while_a_writer_works(db: Database) -> None:
    with db.write() as conn:
        conn.execute(tags.insert().values(_tag(1, "before")))
    with db.read() as reader:
        assert reader.scalar(select(func.count()).select_from(tags)) == 1
        with db.write() as writer:
            writer.execute(tags.insert().values(_tag(2, "during")))
        # Neither blocked; whether the reader sees the new row depends on the isolation
        # level, but a fresh read does.
    assert _tag_names(db) == ["before", "during"]


def test_concurrent_writers_queue_instead_of_failing(db: Database) -> None:
    """Read-then-write transactions from many threads: BEGIN IMMEDIATE on SQLite (and row
    locks on PostgreSQL) must serialise them without 'database is locked' errors."""
    with db.write() as conn:
        conn.execute(tags.insert().values(_tag(1, "0")))
    errors: list[BaseException] = []

    def increment() -> None:
        try:
            for _ in range(10):
                with db.write() as conn:
                    if db.is_sqlite:
                        current = int(conn.scalar(select(tags.c.name).where(tags.c.id == 1)) or 0)
                    else:
                        query = select(tags.c.name).where(tags.c.id == 1).with_for_update()
                        current = int(conn.scalar(query) or 0)
                    conn.execute(tags.update().where(tags.c.id == 1).values(name=str(current + 1)))
        except BaseException as error:  # reported below, with the others
            errors.append(error)

    threads = [threading.Thread(target=increment) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _tag_names(db) == ["40"]


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_regression_in_memory_sqlite_url_crashed_on_pool_arguments(url: str) -> None:
    db = Database(create_database_engine(url))
    with db.write() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
    with db.read() as conn:
        assert conn.exec_driver_sql("SELECT x FROM t").scalar() == 1
    db.dispose()


def test_regression_insert_ignoring_conflicts_counted_minus_one_on_postgresql(
    db: Database,
) -> None:
    # SQLAlchemy 2.1 drops an INSERT's rowcount on psycopg unless told to keep it; the
    # microblog compares the count with 0 to decide whether to bump counters and notify.
    with db.write() as conn:
        assert insert_ignoring_conflicts(conn, tags, [_tag(1, "a")], on=_NAME) == 1
        assert insert_ignoring_conflicts(conn, tags, [_tag(1, "a")], on=_NAME) == 0
