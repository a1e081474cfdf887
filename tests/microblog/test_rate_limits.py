"""Rate limits on posting, following, reporting and registering: per account and per client
address, with the tightest counter's usage for the X-RateLimit-* headers; in memory and in
Redis (when `TOWNSQUARE_TEST_REDIS_URL` is set)."""

import os
import time
import uuid
from collections.abc import Callable, Mapping

import pytest
from limits.storage import MemoryStorage, Storage

from townsquare.kernel import RateLimitedError
from townsquare.microblog import (
    ActionLimitedError,
    LimitedAction,
    RateLimitRule,
    RateLimits,
    counter_storage,
)

REDIS_URL = os.environ.get("TOWNSQUARE_TEST_REDIS_URL", "")
STORES = ["memory", *(["redis"] if REDIS_URL else [])]

# Hour-long windows: nothing ends while a test runs.
RULES = {
    LimitedAction.POST: RateLimitRule(per_account="3/hour", per_address="5/hour"),
    LimitedAction.FOLLOW: RateLimitRule(per_account="2/hour;4/day"),
    LimitedAction.REGISTER: RateLimitRule(per_address="2/hour"),
}

LimitsFactory = Callable[[Mapping[LimitedAction, RateLimitRule]], RateLimits]


@pytest.fixture(params=STORES)
def open_store(request: pytest.FixtureRequest) -> Callable[[], Storage]:
    """Opens the one store of this test again (as another worker process would): process
    memory, or Redis under a key prefix of this test's own (so tests never see each other's
    counters)."""
    if request.param == "memory":
        memory = MemoryStorage()
        return lambda: memory
    prefix = f"townsquare-test-{uuid.uuid4().hex}"
    return lambda: counter_storage(REDIS_URL, key_prefix=prefix)


@pytest.fixture
def make_limits(open_store: Callable[[], Storage]) -> LimitsFactory:
    return lambda rules: RateLimits(open_store(), rules)


def test_an_account_is_refused_once_its_allowance_is_spent(make_limits: LimitsFactory) -> None:
    limits = make_limits(RULES)
    remaining = []
    for _ in range(3):
        usage = limits.hit(LimitedAction.POST, account=1, address="192.0.2.1")
        assert usage is not None
        assert usage.limit == 3
        remaining.append(usage.remaining)
    with pytest.raises(ActionLimitedError) as refused:
        limits.hit(LimitedAction.POST, account=1, address="192.0.2.1")
    assert remaining == [2, 1, 0]
    assert isinstance(refused.value, RateLimitedError)
    assert 3590 <= refused.value.retry_after <= 3600
    assert refused.value.limit == 3
    assert str(refused.value) == (
        f"You have posted too often; try again in {refused.value.retry_after} seconds."
    )


def test_another_account_from_another_address_is_not_held_up(make_limits: LimitsFactory) -> None:
    limits = make_limits(RULES)
    for _ in range(3):
        limits.hit(LimitedAction.POST, account=1, address="192.0.2.1")
    usage = limits.hit(LimitedAction.POST, account=2, address="198.51.100.7")
    assert usage is not None
    assert usage.remaining == 2


def test_an_address_is_refused_for_every_account_behind_it(make_limits: LimitsFactory) -> None:
    limits = make_limits(RULES)
    for account in range(1, 6):
        limits.hit(LimitedAction.POST, account=account, address="192.0.2.1")
    with pytest.raises(ActionLimitedError) as refused:
        limits.hit(LimitedAction.POST, account=6, address="192.0.2.1")
    assert refused.value.limit == 5


def test_an_ipv6_subscriber_cannot_dodge_the_address_limit_by_rotating(
    make_limits: LimitsFactory,
) -> None:
    limits = make_limits(RULES)
    for n in range(1, 3):
        limits.hit(LimitedAction.REGISTER, account=None, address=f"2001:db8:1:2::{n}")
    with pytest.raises(ActionLimitedError):
        limits.hit(LimitedAction.REGISTER, account=None, address="2001:db8:1:2::ffff")


def test_the_usage_is_the_tightest_counter(make_limits: LimitsFactory) -> None:
    limits = make_limits(RULES)
    for account in (7, 8, 9):  # the address has 2 of its 5 left when account 10 comes
        limits.hit(LimitedAction.POST, account=account, address="192.0.2.9")
    first = limits.hit(LimitedAction.POST, account=10, address="192.0.2.9")
    assert first is not None
    assert (first.limit, first.remaining) == (5, 1)  # the address's 1 left, not the account's 2


def test_every_tier_counts_and_the_first_used_up_refuses(make_limits: LimitsFactory) -> None:
    limits = make_limits(RULES)
    usages = [limits.hit(LimitedAction.FOLLOW, account=1, address=None) for _ in range(2)]
    assert [(u.limit, u.remaining) for u in usages if u is not None] == [(2, 1), (2, 0)]
    with pytest.raises(ActionLimitedError) as refused:
        limits.hit(LimitedAction.FOLLOW, account=1, address=None)
    assert refused.value.limit == 2


def test_the_reset_time_is_the_end_of_the_window(make_limits: LimitsFactory) -> None:
    limits = make_limits(RULES)
    before = time.time()
    usage = limits.hit(LimitedAction.POST, account=1, address=None)
    assert usage is not None
    assert before + 3590 <= usage.reset_at <= time.time() + 3600


def test_actions_without_limits_are_not_counted(make_limits: LimitsFactory) -> None:
    limits = make_limits(RULES)
    for _ in range(10):
        assert limits.hit(LimitedAction.REPORT, account=1, address="192.0.2.1") is None
    assert RateLimits().hit(LimitedAction.POST, account=1, address="192.0.2.1") is None


def test_actions_are_counted_apart(make_limits: LimitsFactory) -> None:
    limits = make_limits(RULES)
    for _ in range(2):
        limits.hit(LimitedAction.FOLLOW, account=1, address=None)
    usage = limits.hit(LimitedAction.POST, account=1, address=None)
    assert usage is not None
    assert usage.remaining == 2


def test_limits_over_one_store_share_their_counts(make_limits: LimitsFactory) -> None:
    first, second = make_limits(RULES), make_limits(RULES)
    for _ in range(2):
        first.hit(LimitedAction.POST, account=1, address=None)
    second.hit(LimitedAction.POST, account=1, address=None)
    with pytest.raises(ActionLimitedError):
        first.hit(LimitedAction.POST, account=1, address=None)
