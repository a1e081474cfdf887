"""Loading the demo world through the microblog, on every backend."""

import pytest
from sqlalchemy import Table, func, select

from townsquare.demo import (
    DEMO_PASSWORD,
    DatabaseNotEmptyError,
    DemoSizeError,
    Stage,
    demo_logins,
    load_demo_world,
    plan_world,
)
from townsquare.microblog import Microblog, Page, Role
from townsquare.storage import tables

SEED, ACCOUNTS, POSTS = 5, 30, 300


def _count(microblog: Microblog, table: Table) -> int:
    with microblog.db.read() as conn:
        return conn.scalar(select(func.count()).select_from(table)) or 0


def test_the_loaded_world_matches_its_plan(microblog: Microblog) -> None:
    seen: list[tuple[Stage, int, int]] = []
    world = load_demo_world(
        microblog,
        seed=SEED,
        accounts=ACCOUNTS,
        posts=POSTS,
        progress=lambda stage, done, total: seen.append((stage, done, total)),
    )
    plan = plan_world(SEED, accounts=ACCOUNTS, posts=POSTS)

    assert (world.accounts, world.posts) == (ACCOUNTS, POSTS)
    assert _count(microblog, tables.accounts) == ACCOUNTS
    assert _count(microblog, tables.follows) == world.follows == len(plan.follows)
    assert _count(microblog, tables.posts) == POSTS + world.reposts
    assert _count(microblog, tables.favourites) == world.likes
    with microblog.db.read() as conn:
        texts = conn.scalars(
            select(tables.posts.c.text)
            .where(tables.posts.c.reblog_of_id.is_(None))
            .order_by(tables.posts.c.id)
        ).all()
    assert texts == [p.text for p in plan.posts]
    started = [stage for stage, done, _ in seen if done == 0]
    assert started == [Stage.ACCOUNTS, Stage.FOLLOWS, Stage.ACTIVITY]
    assert seen[-1] == (Stage.ACTIVITY, len(plan.activity), len(plan.activity))


def test_demo_staff_can_sign_in(microblog: Microblog) -> None:
    assert demo_logins(microblog) == ()
    world = load_demo_world(microblog, seed=SEED, accounts=ACCOUNTS, posts=POSTS)
    logins = demo_logins(microblog)
    assert [login.role for login in logins] == [Role.ADMIN, Role.MODERATOR, Role.MODERATOR]
    assert set(logins) <= set(world.logins)
    admin = microblog.accounts.authenticate(logins[0].username, DEMO_PASSWORD)
    assert admin.role == Role.ADMIN
    assert microblog.timelines.home(admin.id, Page(limit=5))


def test_loading_into_a_populated_database_is_refused(microblog: Microblog) -> None:
    microblog.accounts.register("someone", "a long password")
    with pytest.raises(DatabaseNotEmptyError, match="already has 1 account"):
        load_demo_world(microblog, seed=SEED, accounts=ACCOUNTS, posts=POSTS)
    assert _count(microblog, tables.accounts) == 1


def test_too_small_a_world_is_refused(microblog: Microblog) -> None:
    with pytest.raises(DemoSizeError, match="at least"):
        load_demo_world(microblog, seed=SEED, accounts=2, posts=10)
