"""Prebuilt statements answer what SQLAlchemy's own execution of the same statement answers:
the same rows, the same Python values (aware datetimes, booleans), lists of any length."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import (
    Insert,
    bindparam,
    delete,
    event,
    func,
    insert,
    literal,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from townsquare.storage import Database, Prebuilt, create_database_engine, member_of
from townsquare.storage.tables import UtcDateTime, accounts, favourites, posts

NOW = datetime(2026, 1, 1, 12, 30, 15, 250_000, tzinfo=UTC)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(create_database_engine(database_url))
    with database.write() as conn:
        conn.execute(
            accounts.insert(),
            [
                {
                    "id": i,
                    "username": f"u{i}",
                    "username_key": f"u{i}",
                    "password_hash": "x",
                    "created_at": NOW + timedelta(minutes=i),
                }
                for i in range(1, 6)
            ],
        )
        conn.execute(
            posts.insert(),
            [
                {
                    "id": 100 + i,
                    "account_id": 1 + i % 5,
                    "text": f"post {i}",
                    "sensitive": i % 2 == 0,
                    "created_at": NOW + timedelta(seconds=i),
                }
                for i in range(20)
            ],
        )
    yield database
    database.dispose()


def test_rows_equal_sqlalchemys_with_the_same_types(db: Database) -> None:
    statement = (
        select(posts.c.id, posts.c.sensitive, posts.c.created_at, posts.c.text)
        .where(member_of(posts.c.id, "ids"), posts.c.account_id == bindparam("author"))
        .order_by(posts.c.id)
    )
    ids = [100, 101, 105, 106, 110, 111, 999]
    expected = (
        select(posts.c.id, posts.c.sensitive, posts.c.created_at, posts.c.text)
        .where(posts.c.id.in_(ids), posts.c.account_id == 2)
        .order_by(posts.c.id)
    )
    with db.read() as conn:
        found = Prebuilt(statement).rows(conn, ids=ids, author=2)
        wanted = [tuple(row) for row in conn.execute(expected)]
    assert [tuple(row) for row in found] == wanted
    assert wanted
    assert all(isinstance(row[1], bool) for row in wanted)
    assert wanted[0][2] == NOW + timedelta(seconds=wanted[0][0] - 100)
    assert wanted[0][2].tzinfo is UTC


def test_a_list_of_any_length_uses_the_same_statement(db: Database) -> None:
    prebuilt = Prebuilt(select(posts.c.id).where(member_of(posts.c.id, "ids")))
    with db.read() as conn:
        assert prebuilt.scalars(conn, ids=[]) == []
        assert prebuilt.scalars(conn, ids={104}) == [104]
        assert sorted(prebuilt.scalars(conn, ids=range(90, 130))) == list(range(100, 120))


def test_typed_parameters_are_converted_as_sqlalchemy_converts_them(db: Database) -> None:
    later = Prebuilt(
        select(func.count())
        .select_from(posts)
        .where(posts.c.created_at > bindparam("after", type_=UtcDateTime))
    )
    with db.read() as conn:
        # SQLite compares stored text: the bound datetime must be written the same way.
        assert later.scalars(conn, after=NOW + timedelta(seconds=14, microseconds=1)) == [5]
        assert later.scalars(conn, after=NOW - timedelta(days=1)) == [20]


def test_constants_of_the_statement_and_unions(db: Database) -> None:
    prebuilt = Prebuilt(
        union_all(
            select(literal(1), posts.c.id).where(posts.c.id == 100),
            select(literal(2), accounts.c.id).where(member_of(accounts.c.id, "ids")),
        )
    )
    with db.read() as conn:
        assert sorted(tuple(r) for r in prebuilt.rows(conn, ids=[3, 4])) == [
            (1, 100),
            (2, 3),
            (2, 4),
        ]


def test_an_expanding_in_is_refused_with_the_way_to_write_it(db: Database) -> None:
    prebuilt = Prebuilt(select(posts.c.id).where(posts.c.id.in_([1, 2])))
    with db.read() as conn, pytest.raises(ValueError, match="member_of"):
        prebuilt.rows(conn)


def test_writes_store_what_sqlalchemy_would_and_count_their_rows(db: Database) -> None:
    add = Prebuilt(
        insert(posts).values(
            id=bindparam("id"),
            account_id=bindparam("author"),
            text=bindparam("text"),
            created_at=bindparam("at", type_=UtcDateTime),
        )
    )
    bump = Prebuilt(
        update(posts)
        .where(member_of(posts.c.id, "ids"))
        .values(replies_count=posts.c.replies_count + bindparam("delta"))
    )
    forget = Prebuilt(delete(posts).where(posts.c.account_id == bindparam("author")))
    with db.write() as conn:
        assert add.run(conn, id=500, author=1, text="written", at=NOW) == 1
        assert bump.run(conn, ids=[500, 100, 12345], delta=2) == 2
        stored = conn.execute(select(posts).where(posts.c.id == 500)).one()
        assert (stored.text, stored.created_at, stored.replies_count) == ("written", NOW, 2)
        assert stored.sensitive is False  # the table's default for what the insert leaves out
        assert forget.run(conn, author=1) == 5
        assert forget.run(conn, author=1) == 0


def test_a_statement_written_per_dialect(db: Database) -> None:
    def like_once(dialect: str) -> Insert:
        insert_of = postgresql.insert if dialect == "postgresql" else sqlite.insert
        return insert_of(favourites).on_conflict_do_nothing(
            index_elements=["account_id", "post_id"]
        )

    like = Prebuilt(like_once)
    with db.write() as conn:
        row = {"id": 1, "account_id": 2, "post_id": 100, "created_at": NOW}
        assert like.run(conn, **row) == 1
        assert like.run(conn, **{**row, "id": 2}) == 0
        with pytest.raises(IntegrityError):  # only the key named is ignored
            like.run(conn, **{**row, "post_id": 101})


def test_statements_are_seen_by_whoever_listens_to_sqlalchemys_cursor_events(
    db: Database,
) -> None:
    seen: list[str] = []

    def record(*args: object) -> None:
        seen.append(str(args[2]))

    count = Prebuilt(select(func.count()).select_from(posts))
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        with db.read() as conn:
            conn.execute(select(1))  # the transaction has begun
            assert count.scalars(conn) == [20]
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert any("count(*)" in sql for sql in seen)
    with db.read() as conn:
        conn.execute(select(1))
        assert count.scalars(conn) == [20]  # on the driver's cursor, unwatched
