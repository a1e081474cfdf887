"""The demo plan is a pure function of the seed and sizes: check its shape without a database."""

import statistics
from collections import Counter

import pytest

from townsquare.demo import (
    Camp,
    PlannedLike,
    PlannedPost,
    PlannedRepost,
    Topic,
    WorldPlan,
    plan_world,
)
from townsquare.microblog import MAX_POST_CHARACTERS, PostVisibility, Role, count_characters


@pytest.fixture(scope="module")
def plan() -> WorldPlan:
    return plan_world(7, accounts=200, posts=2_000)


def test_the_same_seed_gives_the_same_world() -> None:
    first = plan_world(3, accounts=40, posts=400)
    again = plan_world(3, accounts=40, posts=400)
    assert [p.username for p in first.cast] == [p.username for p in again.cast]
    assert [p.text for p in first.posts] == [p.text for p in again.posts]
    assert first == again


def test_another_seed_gives_another_world() -> None:
    one = plan_world(1, accounts=40, posts=400)
    two = plan_world(2, accounts=40, posts=400)
    assert [p.username for p in one.cast] != [p.username for p in two.cast]
    assert [p.text for p in one.posts] != [p.text for p in two.posts]


def test_sizes_are_as_asked(plan: WorldPlan) -> None:
    assert len(plan.cast) == 200
    assert len(plan.posts) == 2_000
    assert len({p.username for p in plan.cast}) == 200
    reposts = [a for a in plan.activity if isinstance(a, PlannedRepost)]
    likes = [a for a in plan.activity if isinstance(a, PlannedLike)]
    assert 0 < len(reposts) <= 300
    assert 1_000 < len(likes) <= 2_000


def test_staff_come_first(plan: WorldPlan) -> None:
    roles = [p.role for p in plan.cast[:3]]
    assert roles == [Role.ADMIN, Role.MODERATOR, Role.MODERATOR]
    assert all(p.role == Role.MEMBER for p in plan.cast[3:])


def test_both_languages_are_spoken(plan: WorldPlan) -> None:
    languages = Counter(p.language for p in plan.posts)
    assert set(languages) == {"fr", "en"}
    assert min(languages.values()) > 0.2 * len(plan.posts)
    assert {p.language for p in plan.cast} == {"fr", "en"}


def test_both_camps_argue_and_neutral_people_exist(plan: WorldPlan) -> None:
    camps = Counter(p.camp for p in plan.cast)
    assert camps[Camp.HORIZON] > 0
    assert camps[Camp.SOCLE] > 0
    assert camps[Camp.NEUTRAL] > camps[Camp.HORIZON]
    topics = Counter(p.topic for p in plan.posts)
    assert topics[Topic.HORIZON] > 50
    assert topics[Topic.SOCLE] > 50
    assert topics[Topic.EVERYDAY] > topics[Topic.HORIZON]
    assert any("#Horizon2027" in p.text for p in plan.posts)
    assert any("#Socle2027" in p.text for p in plan.posts)


def test_the_follow_graph_is_skewed(plan: WorldPlan) -> None:
    followers = Counter(f.followed for f in plan.follows)
    counts = sorted(followers.get(i, 0) for i in range(len(plan.cast)))
    assert counts[-1] >= 4 * statistics.median(counts)
    pairs = [(f.follower, f.followed) for f in plan.follows]
    assert len(set(pairs)) == len(pairs)
    assert all(a != b for a, b in pairs)


def test_threads_quotes_and_mentions_refer_to_what_came_before(plan: WorldPlan) -> None:
    posts = plan.posts
    replies = [(i, p.reply_to) for i, p in enumerate(posts) if p.reply_to is not None]
    quotes = [(i, p.quote_of) for i, p in enumerate(posts) if p.quote_of is not None]
    assert len(replies) > 0.2 * len(posts)
    assert quotes
    assert all(parent < i for i, parent in replies)
    assert all(quoted < i for i, quoted in quotes)
    assert all(posts[q].visibility != PostVisibility.PRIVATE for _, q in quotes)
    # Some conversations go back and forth: replies to replies.
    assert any(posts[parent].reply_to is not None for _, parent in replies)
    assert any("@" in p.text for p in posts)


def test_activity_is_in_time_order_within_the_past_period(plan: WorldPlan) -> None:
    moments = [a.at for a in plan.activity]
    assert moments == sorted(moments)
    assert max(plan.joined_at) < min(f.at for f in plan.follows) <= moments[0]


def test_interactions_are_unique_and_never_on_ones_own_posts(plan: WorldPlan) -> None:
    posts = plan.posts
    for kind in (PlannedLike, PlannedRepost):
        done = [(a.actor, a.post) for a in plan.activity if isinstance(a, kind)]
        assert len(set(done)) == len(done)
        assert all(posts[post].author != actor for actor, post in done)


def test_every_text_fits_in_a_post(plan: WorldPlan) -> None:
    texts = [p.text for p in plan.posts] + [p.bio for p in plan.cast]
    assert all(count_characters(t) <= MAX_POST_CHARACTERS for t in texts)
    assert all("{" not in t and "  " not in t for t in texts)
    assert all(isinstance(a, PlannedPost) == bool(getattr(a, "text", "")) for a in plan.activity)


def test_too_small_a_world_is_refused() -> None:
    with pytest.raises(ValueError, match="at least"):
        plan_world(1, accounts=3, posts=10)
