"""Sign-in throttling: per account and per address, decided before any hashing, with waits
that grow; in memory and in Redis (when `TOWNSQUARE_TEST_REDIS_URL` is set)."""

import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from conftest import FAST_PASSWORDS, PASSWORD, AccountFactory
from townsquare.kernel import RateLimitedError
from townsquare.microblog import (
    InvalidCredentialsError,
    LoginThrottle,
    LoginThrottledError,
    Microblog,
    Passwords,
    ThrottleLimits,
    ThrottleTier,
)

REDIS_URL = os.environ.get("TOWNSQUARE_TEST_REDIS_URL", "")
STORES = ["memory", *(["redis"] if REDIS_URL else [])]

# Minute-long windows: nothing slides out of them while a test runs.
LIMITS = ThrottleLimits(
    per_account=(ThrottleTier(3, 60), ThrottleTier(6, 3600)),
    per_address=(ThrottleTier(5, 60),),
)

ThrottleFactory = Callable[[ThrottleLimits], LoginThrottle]


@pytest.fixture(params=STORES)
def make_throttle(request: pytest.FixtureRequest) -> ThrottleFactory:
    """Throttles over one store: process memory, or Redis under a key prefix of this test's
    own (so tests never see each other's counters)."""
    if request.param == "memory":
        return lambda limits: LoginThrottle(limits=limits)
    prefix = f"townsquare-test-{uuid.uuid4().hex}"
    return lambda limits: LoginThrottle.from_url(REDIS_URL, key_prefix=prefix, limits=limits)


def fail(throttle: LoginThrottle, login: str, address: str | None, times: int = 1) -> None:
    """`times` wrong passwords for `login` from `address`, as `authenticate` reports them."""
    for _ in range(times):
        throttle.admit(login, address)
        throttle.failed(address)


def test_an_account_waits_after_its_failures_whatever_the_address(
    make_throttle: ThrottleFactory,
) -> None:
    throttle = make_throttle(LIMITS)
    fail(throttle, "alice", "192.0.2.1", times=3)
    with pytest.raises(LoginThrottledError) as refused:
        throttle.admit("alice", "198.51.100.7")
    assert 55 <= refused.value.retry_after <= 60
    assert isinstance(refused.value, RateLimitedError)  # the edge maps it to 429
    throttle.admit("bob", "198.51.100.7")  # another account from elsewhere is not held up


def test_the_account_key_is_the_login_as_typed_in_any_case(
    make_throttle: ThrottleFactory,
) -> None:
    throttle = make_throttle(LIMITS)
    for typed in ("Alice", "@alice", " ALICE "):
        fail(throttle, typed, None)
    with pytest.raises(LoginThrottledError):
        throttle.admit("alice", None)


def test_an_address_waits_after_failures_on_any_accounts(make_throttle: ThrottleFactory) -> None:
    throttle = make_throttle(LIMITS)
    for n in range(5):
        fail(throttle, f"user{n}", "203.0.113.9")
    with pytest.raises(LoginThrottledError) as refused:
        throttle.admit("someone-else", "203.0.113.9")
    assert 55 <= refused.value.retry_after <= 60
    throttle.admit("someone-else", "203.0.113.10")


def test_an_ipv6_client_is_counted_by_its_64(make_throttle: ThrottleFactory) -> None:
    throttle = make_throttle(LIMITS)
    for n in range(5):
        fail(throttle, f"user{n}", f"2001:db8:0:1::{n + 1}")
    with pytest.raises(LoginThrottledError):
        throttle.admit("another", "2001:db8:0:1::ffff")
    throttle.admit("another", "2001:db8:0:2::1")


def test_a_success_forgets_the_account_failures_not_the_address_ones(
    make_throttle: ThrottleFactory,
) -> None:
    throttle = make_throttle(LIMITS)
    fail(throttle, "alice", "192.0.2.1", times=2)
    throttle.admit("alice", "192.0.2.1")
    throttle.succeeded("alice")
    fail(throttle, "alice", "192.0.2.2", times=2)
    throttle.admit("alice", "192.0.2.2")  # 4 failures in all, but 2 since the success
    fail(throttle, "bob", "192.0.2.1", times=3)  # 2 + 3: the address's 5
    with pytest.raises(LoginThrottledError):
        throttle.admit("carol", "192.0.2.1")


def test_waits_grow_tier_by_tier(make_throttle: ThrottleFactory) -> None:
    limits = ThrottleLimits(
        per_account=(ThrottleTier(2, 1), ThrottleTier(4, 60)), per_address=(ThrottleTier(50, 60),)
    )
    throttle = make_throttle(limits)
    fail(throttle, "alice", "192.0.2.1", times=2)
    with pytest.raises(LoginThrottledError) as first:
        throttle.admit("alice", "192.0.2.1")
    assert first.value.retry_after == 1
    time.sleep(1.1)  # the one-second tier frees up; the minute tier still holds 2
    fail(throttle, "alice", "192.0.2.1", times=2)
    with pytest.raises(LoginThrottledError) as second:
        throttle.admit("alice", "192.0.2.1")
    assert 55 <= second.value.retry_after <= 60


@pytest.mark.skipif(
    not REDIS_URL,
    reason="sharing counts between processes needs a Redis server: set TOWNSQUARE_TEST_REDIS_URL "
    "(CI does; .ci/run starts Redis)",
)
def test_worker_processes_share_their_counts_through_redis() -> None:
    prefix = f"townsquare-test-{uuid.uuid4().hex}"
    first, second = (
        LoginThrottle.from_url(REDIS_URL, key_prefix=prefix, limits=LIMITS) for _ in range(2)
    )
    fail(first, "alice", "192.0.2.1", times=3)
    with pytest.raises(LoginThrottledError):
        second.admit("alice", "192.0.2.99")


# -- through Accounts.authenticate -----------------------------------------------------


@dataclass(frozen=True)
class CountingPasswords(Passwords):
    """Cheap argon2id that counts its verifications (the costly step the throttle spares)."""

    verifications: list[str] = field(default_factory=list)

    def matches(self, stored_hash: str, password: str) -> bool:
        self.verifications.append(password)
        return super().matches(stored_hash, password)


@pytest.fixture
def passwords() -> CountingPasswords:
    return CountingPasswords(
        time_cost=FAST_PASSWORDS.time_cost,
        memory_cost_kib=FAST_PASSWORDS.memory_cost_kib,
        parallelism=FAST_PASSWORDS.parallelism,
    )


@pytest.fixture
def throttled_microblog(microblog: Microblog, passwords: CountingPasswords) -> Microblog:
    """The same database, with counting passwords and the test's throttle limits."""
    return Microblog(
        microblog.db,
        clock=microblog.context.clock,
        base_url=microblog.links.base_url,
        passwords=passwords,
        login_throttle=LoginThrottle(limits=LIMITS),
    )


def test_while_throttled_even_the_right_password_waits_and_nothing_is_hashed(
    make_account: AccountFactory, throttled_microblog: Microblog, passwords: CountingPasswords
) -> None:
    make_account("alice")
    for _ in range(3):
        with pytest.raises(InvalidCredentialsError):
            throttled_microblog.accounts.authenticate("alice", "wrong", address="192.0.2.1")
    hashed = len(passwords.verifications)
    with pytest.raises(LoginThrottledError):
        throttled_microblog.accounts.authenticate("alice", PASSWORD, address="192.0.2.2")
    assert len(passwords.verifications) == hashed


def test_unknown_logins_are_throttled_like_real_ones(
    throttled_microblog: Microblog, passwords: CountingPasswords
) -> None:
    for _ in range(3):
        with pytest.raises(InvalidCredentialsError):
            throttled_microblog.accounts.authenticate("nobody", "wrong", address="192.0.2.1")
    with pytest.raises(LoginThrottledError):
        throttled_microblog.accounts.authenticate("nobody", "wrong", address="192.0.2.1")
    assert len(passwords.verifications) == 3  # one dummy verification each, then none


def test_signing_in_clears_the_account_failures(
    make_account: AccountFactory, throttled_microblog: Microblog
) -> None:
    alice = make_account("alice")
    accounts = throttled_microblog.accounts
    for _round in range(2):
        for _ in range(2):
            with pytest.raises(InvalidCredentialsError):
                accounts.authenticate("alice", "wrong")
        assert accounts.authenticate("alice", PASSWORD).id == alice.id
