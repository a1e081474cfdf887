"""The materialised home feed answers exactly what the posts table answers: after any mix of
posts, replies, reposts, deletions, follows and unfollows, every page of every reader's
home timeline is the same as `home_from_posts`, also when the feed was cut to a few posts."""

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from conftest import FAST_PASSWORDS, PASSWORD
from townsquare.app import Services
from townsquare.microblog import (
    Account,
    FeedLimits,
    Microblog,
    MicroblogError,
    Page,
    PostDraft,
    PostView,
    PostVisibility,
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


@pytest.fixture
def make_world(services: Services) -> MakeWorld:
    def make(limits: FeedLimits) -> World:
        microblog = Microblog(
            services.db,
            clock=services.microblog.context.clock,
            ids=services.microblog.context.ids,
            base_url="http://testserver",
            passwords=FAST_PASSWORDS,
            feed_limits=limits,
        )
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
    world: World = make_world(FeedLimits())
    reader, writer, stranger = (p.id for p in world.people[:3])
    world.microblog.graph.follow(reader, writer)
    world.microblog.timelines.home(reader, Page())  # the reader's feed is built
    post = world.microblog.posts.create(writer, PostDraft(text="hello")).id
    aside = world.microblog.posts.create(writer, PostDraft(text="to a stranger"))
    to_stranger = world.microblog.posts.create(
        writer, PostDraft(text="a reply", in_reply_to_id=aside.id)
    )
    other_reply = world.microblog.posts.create(
        stranger, PostDraft(text="hi", in_reply_to_id=aside.id)
    )

    with services.db.read() as conn:
        fed = set(
            conn.scalars(select(home_feeds.c.post_id).where(home_feeds.c.account_id == reader))
        )
        have_feeds = set(conn.scalars(select(home_feed_states.c.account_id)))
    assert {post, aside.id, to_stranger.id} <= fed  # a reply by the writer to themself counts
    assert other_reply.id not in fed  # not followed
    assert writer not in have_feeds  # no feed for who never read home: no fan-out to it


def test_a_follow_rebuilds_the_feed_with_the_new_account_s_posts(
    make_world: MakeWorld,
) -> None:
    world: World = make_world(SMALL)
    reader, writer = world.people[0].id, world.people[1].id
    older = [world.microblog.posts.create(writer, PostDraft(text=f"{n}")).id for n in range(5)]
    assert world.microblog.timelines.home(reader, Page()) == []
    world.microblog.graph.follow(reader, writer)
    assert _ids(world.microblog.timelines.home(reader, Page())) == older[::-1]
    world.microblog.graph.unfollow(reader, writer)
    assert world.microblog.timelines.home(reader, Page()) == []


def test_a_feed_is_cut_back_to_its_length_and_older_pages_come_from_the_posts_table(
    make_world: MakeWorld, services: Services
) -> None:
    world = make_world(SMALL)
    reader, writer = world.people[0].id, world.people[1].id
    world.microblog.graph.follow(reader, writer)
    world.microblog.timelines.home(reader, Page())
    written = [world.microblog.posts.create(writer, PostDraft(text=f"{n}")).id for n in range(9)]

    with services.db.read() as conn:
        kept = list(
            conn.scalars(select(home_feeds.c.post_id).where(home_feeds.c.account_id == reader))
        )
        floor = conn.scalar(
            select(home_feed_states.c.floor).where(home_feed_states.c.account_id == reader)
        )
    assert len(kept) <= SMALL.slack
    assert floor is not None
    assert floor > 0
    assert _every_page(world.microblog, reader, 2) == written[::-1]
