"""Follows, blocks and mutes, and the relationships they add up to."""

import pytest

from conftest import AccountFactory
from townsquare.microblog import (
    AccountNotFoundError,
    Microblog,
    NotAllowedError,
    NotificationType,
    Page,
    Relationship,
)

from .fakes import counter_violations


def _counts(microblog: Microblog, account_id: int) -> tuple[int, int]:
    account = microblog.accounts.get(account_id)
    return account.followers_count, account.following_count


def test_follow_and_unfollow(make_account: AccountFactory, microblog: Microblog) -> None:
    alice, bob = make_account(), make_account()
    relationship = microblog.graph.follow(alice.id, bob.id)
    assert relationship == Relationship(
        id=bob.id,
        following=True,
        followed_by=False,
        blocking=False,
        blocked_by=False,
        muting=False,
    )
    assert microblog.graph.relationship(bob.id, alice.id).followed_by
    assert _counts(microblog, alice.id) == (0, 1)
    assert _counts(microblog, bob.id) == (1, 0)
    assert [a.id for _, a in microblog.graph.followers(bob.id, Page())] == [alice.id]
    assert [a.id for _, a in microblog.graph.following(alice.id, Page())] == [bob.id]
    notifications = microblog.notifications.list(bob.id, Page())
    assert [(n.type, n.account.id, n.post) for n in notifications] == [
        (NotificationType.FOLLOW, alice.id, None)
    ]
    assert not microblog.graph.unfollow(alice.id, bob.id).following
    assert _counts(microblog, bob.id) == (0, 0)
    assert counter_violations(microblog.db) == []


def test_follow_is_idempotent(make_account: AccountFactory, microblog: Microblog) -> None:
    alice, bob = make_account(), make_account()
    microblog.graph.follow(alice.id, bob.id)
    microblog.graph.follow(alice.id, bob.id)
    assert _counts(microblog, bob.id) == (1, 0)
    assert len(microblog.notifications.list(bob.id, Page())) == 1
    microblog.graph.unfollow(alice.id, bob.id)
    microblog.graph.unfollow(alice.id, bob.id)
    assert _counts(microblog, bob.id) == (0, 0)
    assert counter_violations(microblog.db) == []


def test_regression_follow_was_never_counted_on_postgresql(
    make_account: AccountFactory, microblog: Microblog
) -> None:
    # insert_ignoring_conflicts returned -1 there, so `> 0` said "already following".
    alice, bob = make_account(), make_account()
    microblog.graph.follow(alice.id, bob.id)
    assert _counts(microblog, bob.id) == (1, 0)
    assert [n.type for n in microblog.notifications.list(bob.id, Page())] == [
        NotificationType.FOLLOW
    ]


@pytest.mark.parametrize("action", ["follow", "block", "mute"])
def test_not_oneself(make_account: AccountFactory, microblog: Microblog, action: str) -> None:
    alice = make_account()
    with pytest.raises(NotAllowedError, match="yourself"):
        getattr(microblog.graph, action)(alice.id, alice.id)


@pytest.mark.parametrize("action", ["follow", "unfollow", "block", "unblock", "mute", "unmute"])
def test_unknown_target(make_account: AccountFactory, microblog: Microblog, action: str) -> None:
    with pytest.raises(AccountNotFoundError):
        getattr(microblog.graph, action)(make_account().id, 999)


def test_block_ends_follows_both_ways(make_account: AccountFactory, microblog: Microblog) -> None:
    alice, bob = make_account(), make_account()
    microblog.graph.follow(alice.id, bob.id)
    microblog.graph.follow(bob.id, alice.id)
    relationship = microblog.graph.block(alice.id, bob.id)
    assert (relationship.blocking, relationship.following, relationship.followed_by) == (
        True,
        False,
        False,
    )
    assert microblog.graph.relationship(bob.id, alice.id).blocked_by
    assert _counts(microblog, alice.id) == (0, 0)
    assert _counts(microblog, bob.id) == (0, 0)
    assert counter_violations(microblog.db) == []


def test_no_following_while_a_block_stands(
    make_account: AccountFactory, microblog: Microblog
) -> None:
    alice, bob = make_account(), make_account()
    microblog.graph.block(alice.id, bob.id)
    for follower, target in ((alice, bob), (bob, alice)):
        with pytest.raises(NotAllowedError, match="block"):
            microblog.graph.follow(follower.id, target.id)
    microblog.graph.unblock(alice.id, bob.id)
    assert microblog.graph.follow(bob.id, alice.id).following


def test_mute_is_one_way_and_keeps_follows(
    make_account: AccountFactory, microblog: Microblog
) -> None:
    alice, bob = make_account(), make_account()
    microblog.graph.follow(alice.id, bob.id)
    relationship = microblog.graph.mute(alice.id, bob.id)
    assert relationship.muting
    assert relationship.following
    assert not microblog.graph.relationship(bob.id, alice.id).muting
    assert not microblog.graph.unmute(alice.id, bob.id).muting


def test_relationships_for_many(make_account: AccountFactory, microblog: Microblog) -> None:
    alice, bob, carol = make_account(), make_account(), make_account()
    microblog.graph.follow(alice.id, bob.id)
    microblog.graph.mute(alice.id, carol.id)
    found = microblog.graph.relationships(alice.id, [bob.id, carol.id])
    assert [(r.id, r.following, r.muting) for r in found] == [
        (bob.id, True, False),
        (carol.id, False, True),
    ]
