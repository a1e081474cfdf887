"""Migrations go up, down and up again on both backends, and create exactly `tables.metadata`."""

import string
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, inspect, select
from sqlalchemy.exc import IntegrityError

from townsquare.kernel import snowflake_floor
from townsquare.microblog._lookalikes import handle_skeleton
from townsquare.storage import current_revision, head_revision, migrate, tables
from townsquare.storage._migrate import alembic_config

# Full-text search is built by raw SQL in the first revision and has no Core definition.
_SEARCH_OBJECTS = {"posts_fts", "search_vector", "ix_posts_search_vector"}


def _downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def _table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def _is_search_object(name: str | None) -> bool:
    return name is not None and (name in _SEARCH_OBJECTS or name.startswith("posts_fts_"))


def _schema_differences(engine: Engine) -> list[Any]:
    def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
        return not _is_search_object(name)

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"include_name": include_name, "compare_type": True},
        )
        return list(compare_metadata(context, tables.metadata))


def test_upgrade_downgrade_upgrade(empty_engine: Engine) -> None:
    assert current_revision(empty_engine) is None
    migrate(empty_engine)
    assert current_revision(empty_engine) == head_revision()
    assert _table_names(empty_engine) >= set(tables.metadata.tables)

    _downgrade(empty_engine, "base")
    assert current_revision(empty_engine) is None
    assert _table_names(empty_engine) == set()

    migrate(empty_engine)
    assert current_revision(empty_engine) == head_revision()
    assert _schema_differences(empty_engine) == []


def test_migrate_is_idempotent(empty_engine: Engine) -> None:
    migrate(empty_engine)
    migrate(empty_engine)
    assert current_revision(empty_engine) == head_revision()


def test_migrated_schema_matches_the_core_tables(empty_engine: Engine) -> None:
    migrate(empty_engine)
    assert _schema_differences(empty_engine) == []


def test_search_objects_exist_after_migration(empty_engine: Engine) -> None:
    migrate(empty_engine)
    if empty_engine.dialect.name == "sqlite":
        assert "posts_fts" in inspect(empty_engine).get_table_names()
    else:
        columns = {c["name"] for c in inspect(empty_engine).get_columns("posts")}
        assert "search_vector" in columns


def test_0010_keeps_the_first_of_duplicate_appeals_and_refuses_new_ones(
    empty_engine: Engine,
) -> None:
    # Appeals filed at once before 0010 could be stored several times; the migration keeps
    # the first of each person's waiting copies, then the unique key refuses new ones.
    migrate(empty_engine, "0009")
    when = datetime(2026, 12, 1, tzinfo=UTC)
    account = {"id": 1, "username": "zoe", "username_key": "zoe", "password_hash": "x"}
    action = {"id": 10, "kind": "remove", "target_kind": "post", "post_id": 5, "account_id": 1}
    action |= {"actor_id": 2, "clause": "spam/1@1", "entry": b"e", "leaf_hash": b"h" * 32}
    appeal = {"action_id": 10, "appellant_id": 1, "appellant_role": "author", "reason": "r"}
    with empty_engine.begin() as conn:
        conn.execute(tables.accounts.insert(), {**account, "created_at": when})
        conn.execute(tables.moderation_actions.insert(), {**action, "created_at": when})
        conn.execute(
            tables.moderation_appeals.insert(),
            [{**appeal, "id": i, "state": "filed", "filed_at": when} for i in (100, 101, 102)],
        )
    migrate(empty_engine)
    with empty_engine.connect() as conn:
        kept = conn.scalars(select(tables.moderation_appeals.c.id)).all()
    assert kept == [100]
    row = {**appeal, "id": 103, "state": "filed", "filed_at": when}
    with pytest.raises(IntegrityError), empty_engine.begin() as conn:
        conn.execute(tables.moderation_appeals.insert(), row)


def test_existing_look_alike_handles_are_kept_the_younger_without_a_skeleton(
    empty_engine: Engine,
) -> None:
    """Accounts registered before look-alikes were refused stay; the older one's skeleton
    blocks new look-alikes (docs: 0012)."""
    migrate(empty_engine, "0009")
    with empty_engine.begin() as conn:
        for account_id, username in ((1, "alice"), (2, "aIice"), (3, "mod1")):
            conn.execute(
                tables.accounts.insert().values(
                    id=account_id,
                    username=username,
                    username_key=username.lower(),
                    password_hash="x",
                    created_at=datetime(2026, 1, account_id, tzinfo=UTC),
                )
            )
    migrate(empty_engine)
    with empty_engine.connect() as conn:
        query = select(tables.accounts.c.username, tables.accounts.c.username_skeleton)
        found = dict(conn.execute(query.order_by(tables.accounts.c.id)).all())
    assert found == {"alice": "alice", "aIice": None, "mod1": "rnodl"}


def test_0035_numbers_existing_follows_in_the_order_they_were_made(
    empty_engine: Engine,
) -> None:
    """Follows made before they had ids get ids in time order, unique even when several
    were made in the same millisecond, so lists of them page by Link like new ones."""
    migrate(empty_engine, "0034")
    early, late = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    with empty_engine.begin() as conn:
        for account_id in (1, 2, 3):
            name = f"user{account_id}"
            conn.execute(
                tables.accounts.insert(),
                {
                    "id": account_id,
                    "username": name,
                    "username_key": name,
                    "password_hash": "x",
                    "created_at": early,
                },
            )
        made = [(3, 1, late), (2, 1, late), (1, 2, early)]
        conn.execute(
            tables.follows.insert(),
            [{"account_id": a, "target_id": t, "created_at": at} for a, t, at in made],
        )
    migrate(empty_engine)
    with empty_engine.connect() as conn:
        query = select(tables.follows.c.account_id, tables.follows.c.target_id, tables.follows.c.id)
        ids = {(a, t): i for a, t, i in conn.execute(query)}
    assert ids[(1, 2)] == snowflake_floor(early)
    assert ids[(2, 1)] == snowflake_floor(late)
    assert ids[(3, 1)] == snowflake_floor(late) + 1


def test_0038_admits_direct_posts_and_keeps_the_rows(empty_engine: Engine) -> None:
    """The visibility constraint gains 'direct' in place: the posts and the rows that refer
    to them stay; other values are still refused; going back is refused while direct posts
    exist (they would become followers-only)."""
    migrate(empty_engine, "0037")
    when = datetime(2026, 12, 1, tzinfo=UTC)
    account = {"id": 1, "username": "zoe", "username_key": "zoe", "password_hash": "x"}
    post = {"account_id": 1, "created_at": when, "visibility": "private"}
    with empty_engine.begin() as conn:
        conn.execute(tables.accounts.insert(), {**account, "created_at": when})
        conn.execute(tables.posts.insert(), {**post, "id": 10, "search_text": "harbour"})
        conn.execute(
            tables.favourites.insert(),
            {"id": 20, "account_id": 1, "post_id": 10, "created_at": when},
        )
    migrate(empty_engine)
    with empty_engine.begin() as conn:
        conn.execute(tables.posts.insert(), {**post, "id": 11, "visibility": "direct"})
    with pytest.raises(IntegrityError), empty_engine.begin() as conn:
        conn.execute(tables.posts.insert(), {**post, "id": 12, "visibility": "secret"})
    with empty_engine.connect() as conn:
        assert conn.scalars(select(tables.favourites.c.post_id)).all() == [10]
        assert sorted(conn.scalars(select(tables.posts.c.id)).all()) == [10, 11]
    with pytest.raises(RuntimeError, match="direct posts exist"):
        _downgrade(empty_engine, "0037")


@cache
def _frozen_handle_skeleton() -> Callable[[str], str]:
    script = ScriptDirectory.from_config(alembic_config()).get_revision("0012")
    assert script is not None
    function: Callable[[str], str] = script.module._handle_skeleton
    return function


@settings(deadline=None)  # the first example reads the revision scripts
@given(st.from_regex(r"[A-Za-z0-9_]{1,30}", fullmatch=True))
def test_the_migration_computes_handle_skeletons_as_the_application_does(handle: str) -> None:
    """0012 carries its own copy of the skeleton for handle characters; it must agree with
    `handle_skeleton` on every handle, or existing accounts would get keys new ones miss."""
    assert _frozen_handle_skeleton()(handle) == handle_skeleton(handle)


@pytest.mark.parametrize("char", string.ascii_letters + string.digits + "_")
def test_the_migration_maps_each_handle_character_as_the_application_does(char: str) -> None:
    assert _frozen_handle_skeleton()(char) == handle_skeleton(char)
