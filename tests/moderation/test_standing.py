"""The notes' standing port over the restrictions projection: suspensions and limits in force
on the account, and nothing else."""

from datetime import timedelta

import pytest

from conftest import AccountFactory, PostFactory
from moderation.conftest import Decide
from townsquare.kernel import FixedClock
from townsquare.microblog import Account, Post
from townsquare.moderation import (
    AccountTarget,
    ActionKind,
    Moderation,
    ModerationStanding,
    PostTarget,
)


@pytest.fixture
def author(make_account: AccountFactory) -> Account:
    return make_account("author")


@pytest.fixture
def post(author: Account, make_post: PostFactory) -> Post:
    return make_post(author, "Something a moderator will remove.")


def _standing(moderation: Moderation, clock: FixedClock, account: Account) -> str:
    with moderation.db.read() as c:
        return ModerationStanding(clock).standing(c, account.id)


def test_an_account_with_nothing_against_it_is_in_good_standing(
    moderation: Moderation, clock: FixedClock, decide: Decide, author: Account, post: Post
) -> None:
    moderation.enforce(decide(ActionKind.REMOVE, PostTarget(post.id)))  # a post, not the account
    assert _standing(moderation, clock, author) == "good"


def test_a_limit_then_a_suspension(
    moderation: Moderation, clock: FixedClock, decide: Decide, author: Account
) -> None:
    moderation.enforce(decide(ActionKind.LIMIT, AccountTarget(author.id)))
    assert _standing(moderation, clock, author) == "limited"
    moderation.enforce(decide(ActionKind.SUSPEND, AccountTarget(author.id)))
    assert _standing(moderation, clock, author) == "suspended"


def test_a_suspension_that_has_ended_no_longer_counts(
    moderation: Moderation, clock: FixedClock, decide: Decide, author: Account
) -> None:
    ends = clock.now() + timedelta(days=3)
    moderation.enforce(decide(ActionKind.SUSPEND, AccountTarget(author.id), ends_at=ends))
    assert _standing(moderation, clock, author) == "suspended"
    clock.advance(timedelta(days=4))
    assert _standing(moderation, clock, author) == "good"
