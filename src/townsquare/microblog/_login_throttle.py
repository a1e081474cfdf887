"""Throttling sign-in attempts per account and per client address, before any hashing.

A wrong password costs the server one argon2id verification (about 0.7 s of a core with the
default parameters), so a flood of guesses slows everyone down long before it finds a
password. The throttle answers from a counter store — in process memory, or Redis shared by
every worker — without hashing anything. See docs/design/sessions-and-throttling.md.
"""

import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerSecond, parse_many
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter

from townsquare.microblog._errors import LoginThrottledError

__all__ = ["LoginThrottle", "ThrottleLimits", "ThrottleTier", "counter_storage"]


@dataclass(frozen=True)
class ThrottleTier:
    """At most `attempts` counted attempts in any `seconds`-long moving window."""

    attempts: int
    seconds: int


_MINUTE, _HOUR, _DAY = 60, 3600, 86400


@dataclass(frozen=True)
class ThrottleLimits:
    """The tiers for one account and for one client address. Each tier is longer and more
    generous than the one before, so a guesser who keeps going waits longer each time:
    a minute after 5 failures, about a quarter of an hour after 10, a day after 20."""

    per_account: tuple[ThrottleTier, ...] = (
        ThrottleTier(5, _MINUTE),
        ThrottleTier(10, 15 * _MINUTE),
        ThrottleTier(20, _DAY),
    )
    # Wider: a school or a mobile carrier puts many people behind one address.
    per_address: tuple[ThrottleTier, ...] = (
        ThrottleTier(20, _MINUTE),
        ThrottleTier(100, _HOUR),
        ThrottleTier(500, _DAY),
    )

    @classmethod
    def parse(cls, per_account: str, per_address: str) -> "ThrottleLimits":
        """Tiers in the `limits` library's notation, several separated by `;`
        (`"5/minute;10/15 minutes;20/day"`); an empty string sets none."""
        return cls(per_account=_tiers(per_account), per_address=_tiers(per_address))


def _tiers(spec: str) -> tuple[ThrottleTier, ...]:
    items = parse_many(spec) if spec.strip() else []
    return tuple(ThrottleTier(item.amount, item.get_expiry()) for item in items)


def counter_storage(url: str, *, key_prefix: str = "townsquare") -> Storage:
    """Where counts are kept: this process's memory when `url` is empty, else the Redis
    server at `url`, under `key_prefix` (shared by every worker process that names it)."""
    if not url:
        return MemoryStorage()
    return RedisStorage(url, key_prefix=key_prefix)


def login_key(login: str) -> str:
    """The account key of a login as typed: trimmed, without a leading @, lower-cased (as
    `Accounts.authenticate` looks it up), then hashed, so the store holds no e-mail address
    and a key's length does not depend on what was typed."""
    normalised = login.strip().lstrip("@").lower()
    return hashlib.sha256(normalised.encode("utf-8", "surrogatepass")).hexdigest()


def address_key(address: str) -> str:
    """The key of a client address: an IPv4 address as it is, an IPv6 address's /64 (one
    subscriber usually holds a whole /64), anything else (a Unix socket…) as given."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:100]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


def _items(namespace: str, tiers: tuple[ThrottleTier, ...]) -> tuple[RateLimitItem, ...]:
    return tuple(
        RateLimitItemPerSecond(tier.attempts, tier.seconds, namespace=namespace) for tier in tiers
    )


class LoginThrottle:
    """Counts sign-in attempts and refuses them, with how long to wait, once a tier is used up.

    The contract, for `Accounts.authenticate`:
    (1) `admit` MUST be called before the password is hashed; it raises LoginThrottledError
        while the account or the address is throttled — whatever the password — and
        otherwise counts the attempt against the account at once, so that many guesses
        arriving together cannot all pass before the first failure is counted;
    (2) `failed` counts a wrong password against the address;
    (3) `succeeded` forgets the account's attempts (not the address's: one good password
        must not reset a guesser who holds it).
    """

    def __init__(self, storage: Storage | None = None, limits: ThrottleLimits | None = None):
        limits = limits or ThrottleLimits()
        self._limiter = MovingWindowRateLimiter(storage or MemoryStorage())
        self._account_items = _items("townsquare-login-account", limits.per_account)
        self._address_items = _items("townsquare-login-address", limits.per_address)

    @classmethod
    def from_url(
        cls, url: str, *, key_prefix: str = "townsquare", limits: ThrottleLimits | None = None
    ) -> "LoginThrottle":
        """In process memory when `url` is empty, else the Redis server at `url`."""
        return cls(counter_storage(url, key_prefix=key_prefix), limits)

    def admit(self, login: str, address: str | None) -> None:
        account = login_key(login)
        self._refuse_while_throttled(account, address)
        for item in self._account_items:
            if not self._limiter.hit(item, account):  # another attempt took the last slot
                raise _throttled(
                    self._blocks(self._account_items, account) or [self._block(item, account)]
                )

    def failed(self, address: str | None) -> None:
        if address is not None:
            for item in self._address_items:
                self._limiter.hit(item, address_key(address))

    def succeeded(self, login: str) -> None:
        account = login_key(login)
        for item in self._account_items:
            self._limiter.clear(item, account)

    def _refuse_while_throttled(self, account: str, address: str | None) -> None:
        blocks = self._blocks(self._account_items, account)
        if address is not None:
            blocks += self._blocks(self._address_items, address_key(address))
        if blocks:
            raise _throttled(blocks)

    def _blocks(self, items: tuple[RateLimitItem, ...], key: str) -> list["_Block"]:
        """Each used-up tier of `key`, with when it frees a slot (none: `key` may go on)."""
        return [self._block(item, key) for item in items if not self._limiter.test(item, key)]

    def _block(self, item: RateLimitItem, key: str) -> "_Block":
        return _Block(item.amount, self._limiter.get_window_stats(item, key).reset_time)


@dataclass(frozen=True)
class _Block:
    """A used-up tier: its allowance, and when (seconds since the epoch) it frees a slot."""

    limit: int
    reset_at: float


def _throttled(blocks: list[_Block]) -> LoginThrottledError:
    """The refusal for the tier that frees last (the wait is until every tier has a slot)."""
    last = max(blocks, key=lambda block: block.reset_at)
    seconds = max(1, math.ceil(last.reset_at - time.time()))
    return LoginThrottledError(
        f"Too many failed sign-ins; try again in {seconds} seconds.",
        retry_after=seconds,
        limit=last.limit,
        reset_at=last.reset_at,
    )
