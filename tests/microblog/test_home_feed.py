"""The materialised home feed answers exactly what the posts table answers: after any mix of
posts, replies, reposts, deletions, follows and unfollows, every page of every reader's
home timeline is the same as `home_from_posts`, also when the feed was cut to a few posts."""

import itertools
import os
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redis import Redis
from sqlalchemy import func, select

from conftest import FAST_PASSWORDS, PASSWORD
from townsquare.app import Services
from townsquare.microblog import (
    Account,
    DatabaseFeeds,
    FeedLimits,
    FeedStore,
    Microblog,
    MicroblogError,
    Page,
    PostDraft,
    PostView,
    PostVisibility,
    RedisFeeds,
    claim_feeds,
)
from townsquare.storage.tables import home_feed_states, home_feeds

PEOPLE = 3
SMALL = FeedLimits(length=3, slack=5)
_worlds = itertools.count()


def _ids(views: list[PostView]) -> list[int]:
    return [v.post.id for v in views]


@dataclass
class World:
    microblog: Microblog
    people: list[Account]
    posts: list[int]


MakeWorld = Callable[[FeedLimits], World]
REDIS_URL = os.environ.get("TOWNSQUARE_TEST_REDIS_URL", "")


@pytest.fixture(params=["database", *(["redis"] if REDIS_URL else [])])
def make_store(request: pytest.FixtureRequest) -> Iterator[Callable[[FeedLimits], FeedStore]]:
    """The feed stores: the database's, and Redis's when a test Redis is given."""
    if request.param == "database":
        yield DatabaseFeeds
        return
    client = Redis.from_url(REDIS_URL)
    prefix = f"townsquare-test-{uuid.uuid4().hex}"
    yield lambda limits: RedisFeeds(client, limits, prefix=prefix)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


def _microblog(services: Services, feeds: FeedStore) -> Microblog:
    """The server's microblog over the same database, ids and clock, with `feeds`."""
    return Microblog(
        services.db,
        clock=services.microblog.context.clock,
        ids=services.microblog.context.ids,
        base_url="http://testserver",
        passwords=FAST_PASSWORDS,
        feeds=feeds,
    )


@pytest.fixture
def make_world(services: Services, make_store: Callable[[FeedLimits], FeedStore]) -> MakeWorld:
    def make(limits: FeedLimits) -> World:
        microblog = _microblog(services, make_store(limits))
        world = next(_worlds)  # Hypothesis runs many examples over one database
        people = [microblog.accounts.register(f"w{world}p{n}", PASSWORD) for n in range(PEOPLE)]
        return World(microblog, people, [])

    return make


def _every_page(microblog: Microblog, reader: int, limit: int) -> list[int]:
    paged: list[int] = []
    page = Page(limit=limit)
    while views := microblog.timelines.home(reader, page):
        paged.extend(_ids(views))
        page = Page(limit=limit, max_id=views[-1].post.id)
    return paged


def _check(world: World) -> None:
    """The invariant after each step: the feed's answer is the posts table's, page by page
    and in one go, and newer-than pages agree too."""
    timelines = world.microblog.timelines
    for person in world.people:
        expected = _ids(timelines.home_from_posts(person.id, Page(limit=80)))
        assert _ids(timelines.home(person.id, Page(limit=80))) == expected
        assert _every_page(world.microblog, person.id, 3) == expected
        if len(expected) > 2:
            since = Page(limit=80, since_id=expected[2])
            assert _ids(timelines.home(person.id, since)) == expected[:2]
            after = Page(limit=1, min_id=expected[2])
            assert _ids(timelines.home(person.id, after)) == expected[1:2]


Step = tuple[str, int, int, int]
steps = st.tuples(
    st.sampled_from(["post", "reply", "private", "repost", "delete", "follow", "unfollow", "read"]),
    st.integers(0, PEOPLE - 1),
    st.integers(0, PEOPLE - 1),
    st.integers(0, 30),
)


def _apply(world: World, step: Step) -> None:
    kind, actor, other, pick = step
    microblog, people = world.microblog, world.people
    me, them = people[actor].id, people[other].id
    target = world.posts[pick % len(world.posts)] if world.posts else None
    try:
        if kind == "post":
            world.posts.append(microblog.posts.create(me, PostDraft(text="a post")).id)
        elif kind == "private":
            draft = PostDraft(text="for followers", visibility=PostVisibility.PRIVATE)
            world.posts.append(microblog.posts.create(me, draft).id)
        elif kind == "reply" and target is not None:
            draft = PostDraft(text="a reply", in_reply_to_id=target)
            world.posts.append(microblog.posts.create(me, draft).id)
        elif kind == "repost" and target is not None:
            world.posts.append(microblog.posts.reblog(me, target).id)
        elif kind == "delete" and target is not None:
            microblog.posts.delete(me, target)
            world.posts.remove(target)
        elif kind == "follow" and me != them:
            microblog.graph.follow(me, them)
        elif kind == "unfollow":
            microblog.graph.unfollow(me, them)
        elif kind == "read":
            microblog.timelines.home(me, Page(limit=2))  # builds the reader's feed
    except MicroblogError:
        pass  # someone else's post, one they may not read or repost: the step is a no-op


@pytest.mark.parametrize("limits", [SMALL, FeedLimits()], ids=["cut-to-3", "default"])
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(script=st.lists(steps, min_size=1, max_size=24))
def test_the_feed_answers_what_the_posts_table_answers(
    make_world: MakeWorld, limits: FeedLimits, script: list[Step]
) -> None:
    world = make_world(limits)
    for person in world.people:  # every reader starts with a feed, so fan-out is exercised
        world.microblog.timelines.home(person.id, Page(limit=1))
    for number, step in enumerate(script):
        _apply(world, step)
        if number % 8 == 7:
            _check(world)
    _check(world)


def test_a_new_post_reaches_the_feeds_of_followers_who_read_home(
    make_world: MakeWorld, services: Services
) -> None:
    world = make_world(FeedLimits())
    microblog = world.microblog
    reader, writer, stranger = (p.id for p in world.people[:3])
    microblog.graph.follow(reader, writer)
    microblog.timelines.home(reader, Page())  # the reader's feed is built
    post = microblog.posts.create(writer, PostDraft(text="hello")).id
    aside = microblog.posts.create(writer, PostDraft(text="to a stranger")).id
    to_self = microblog.posts.create(writer, PostDraft(text="more", in_reply_to_id=aside)).id
    microblog.posts.create(stranger, PostDraft(text="hi", in_reply_to_id=aside))

    assert _ids(microblog.timelines.home(reader, Page())) == [to_self, aside, post]
    with services.db.read() as conn:
        assert microblog.context.feeds.floor(conn, writer) is None  # never read home: no feed


def test_a_follow_rebuilds_the_feed_with_the_new_account_s_posts(make_world: MakeWorld) -> None:
    world = make_world(SMALL)
    reader, writer = world.people[0].id, world.people[1].id
    older = [world.microblog.posts.create(writer, PostDraft(text=f"{n}")).id for n in range(5)]
    assert world.microblog.timelines.home(reader, Page()) == []
    world.microblog.graph.follow(reader, writer)
    assert _ids(world.microblog.timelines.home(reader, Page())) == older[::-1]
    world.microblog.graph.unfollow(reader, writer)
    assert world.microblog.timelines.home(reader, Page()) == []


def test_a_feed_is_cut_back_and_older_pages_come_from_the_posts_table(
    make_world: MakeWorld, services: Services
) -> None:
    world = make_world(SMALL)
    reader, writer = world.people[0].id, world.people[1].id
    world.microblog.graph.follow(reader, writer)
    world.microblog.timelines.home(reader, Page())
    written = [world.microblog.posts.create(writer, PostDraft(text=f"{n}")).id for n in range(9)]

    with services.db.read() as conn:
        floor = world.microblog.context.feeds.floor(conn, reader)
    assert floor is not None
    assert floor > 0
    assert _every_page(world.microblog, reader, 2) == written[::-1]


def test_the_database_feed_keeps_at_most_its_slack(services: Services) -> None:
    microblog = _microblog(services, DatabaseFeeds(SMALL))
    reader = microblog.accounts.register("reader", PASSWORD).id
    writer = microblog.accounts.register("writer", PASSWORD).id
    microblog.graph.follow(reader, writer)
    microblog.timelines.home(reader, Page())
    for n in range(12):
        microblog.posts.create(writer, PostDraft(text=f"{n}"))
    with services.db.read() as conn:
        kept: int = conn.scalar(select(func.count()).where(home_feeds.c.account_id == reader)) or 0
        length = conn.scalar(
            select(home_feed_states.c.length).where(home_feed_states.c.account_id == reader)
        )
    assert kept == length
    assert SMALL.length <= kept <= SMALL.slack


def _reader_with_a_feed(services: Services, store: FeedStore) -> int:
    blog = _microblog(services, store)
    reader, writer = (blog.accounts.register(f"s{next(_worlds)}", PASSWORD).id for _ in "ab")
    blog.graph.follow(reader, writer)
    blog.timelines.home(reader, Page())
    return reader


def test_claiming_the_store_again_keeps_its_feeds_and_another_store_empties_them(
    services: Services, make_store: Callable[[FeedLimits], FeedStore]
) -> None:
    database = DatabaseFeeds(FeedLimits())
    store = make_store(FeedLimits())
    with services.db.write() as conn:
        claim_feeds(conn, store, database)
    reader = _reader_with_a_feed(services, store)
    with services.db.write() as conn:
        claim_feeds(conn, store, database)  # a restart with the same settings
        assert store.floor(conn, reader) == 0

    with services.db.write() as conn:
        claim_feeds(conn, _Elsewhere(), database)  # the feeds move: none of these is kept up
    with services.db.write() as conn:
        claim_feeds(conn, store, database)  # and back: what it held is stale
        assert store.floor(conn, reader) is None


class _Elsewhere(DatabaseFeeds):
    """Another store, as far as `claim_feeds` can tell."""

    def __init__(self) -> None:
        super().__init__(FeedLimits())

    def name(self) -> str:
        return "elsewhere"


def test_posts_fanned_out_at_once_to_the_same_readers_do_not_deadlock(
    services: Services,
) -> None:
    """Regression: on PostgreSQL, two posts reaching overlapping readers locked their feed
    states in whatever order each plan chose, and one of them died of a deadlock
    (bench/posting_api.py under load). Six writers with overlapping audiences of different
    sizes post at once."""
    microblog = _microblog(services, DatabaseFeeds(FeedLimits(length=50, slack=60)))
    writers = [microblog.accounts.register(f"writer{n}", PASSWORD).id for n in range(6)]
    readers = [microblog.accounts.register(f"reader{n}", PASSWORD).id for n in range(60)]
    for n, reader in enumerate(readers):
        for k, writer in enumerate(writers):
            if (n * 7 + k * 13) % (k + 2) == 0 or n % 3 == 0:
                microblog.graph.follow(reader, writer)
        microblog.timelines.home(reader, Page())

    def write(writer: int) -> list[int]:
        return [microblog.posts.create(writer, PostDraft(text=f"{n}")).id for n in range(20)]

    with ThreadPoolExecutor(max_workers=len(writers)) as pool:
        written = [post for posts in pool.map(write, writers) for post in posts]

    assert len(written) == 120
    with services.db.read() as conn:
        states = select(home_feed_states.c.account_id, home_feed_states.c.length)
        lengths: dict[int, int] = dict(conn.execute(states).all())
        counted = select(home_feeds.c.account_id, func.count()).group_by(home_feeds.c.account_id)
        kept: dict[int, int] = dict(conn.execute(counted).all())
    assert all(lengths[r] == kept.get(r, 0) for r in readers)  # every post counted once
