"""Items deferred in a write transaction reach the committed sink after the commit, only."""

from collections.abc import Iterator, Sequence

import pytest
from sqlalchemy import Connection, insert, select

from townsquare.storage import (
    Database,
    NotInWriteTransactionError,
    after_commit,
    create_database_engine,
    tables,
)


@pytest.fixture
def sink() -> list[list[object]]:
    return []


@pytest.fixture
def db(database_url: str, sink: list[list[object]]) -> Iterator[Database]:
    def committed(items: Sequence[object]) -> None:
        # What a reader sees at the moment the sink is called: the write must be visible.
        with database.read() as conn:
            seen = conn.scalars(select(tables.tags.c.name)).all()
        sink.append([*items, tuple(seen)])

    database = Database(create_database_engine(database_url), committed=committed)
    yield database
    database.dispose()


def _tag(conn: Connection, name: str, tag_id: int) -> None:
    conn.execute(insert(tables.tags).values(id=tag_id, name=name, search_text=name))


def test_deferred_items_arrive_after_the_commit_with_the_write_visible(
    db: Database, sink: list[list[object]]
) -> None:
    with db.write() as conn:
        _tag(conn, "first", 1)
        after_commit(conn, "one")
        after_commit(conn, "two")
        assert sink == []  # not before the commit
    assert sink == [["one", "two", ("first",)]]


def test_a_rolled_back_transaction_sends_nothing(db: Database, sink: list[list[object]]) -> None:
    def fail_after_writing() -> None:
        with db.write() as conn:
            _tag(conn, "never", 2)
            after_commit(conn, "lost")
            raise ValueError("the write fails after announcing")

    with pytest.raises(ValueError, match="fails after announcing"):
        fail_after_writing()
    assert sink == []
    with db.write() as conn:  # the same pooled connection: nothing carried over
        after_commit(conn, "next")
    assert sink == [["next", ()]]


def test_a_connection_not_from_write_is_refused(db: Database) -> None:
    with db.read() as conn, pytest.raises(NotInWriteTransactionError):
        after_commit(conn, "item")
    with db.engine.begin() as conn, pytest.raises(NotInWriteTransactionError):
        after_commit(conn, "item")
