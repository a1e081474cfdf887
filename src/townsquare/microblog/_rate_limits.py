"""Rate limits on what an account or a client address does: posting, following, reporting
and registering.

The HTTP edges count each attempt before they act (the services below them do not, so the
CLI and the demo loader are never held up). Counting is done by the `limits` library's
fixed-window strategy over the same store as the sign-in throttle: process memory, or Redis
shared by every worker. See docs/rate-limits.md.
"""

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, Storage
from limits.strategies import FixedWindowRateLimiter

from townsquare.microblog._errors import ActionLimitedError
from townsquare.microblog._login_throttle import address_key

__all__ = [
    "LimitUsage",
    "LimitedAction",
    "RateLimitRule",
    "RateLimits",
]


class LimitedAction(StrEnum):
    """What is counted. Reposts count as posts (Mastodon counts them among statuses)."""

    POST = "post"
    FOLLOW = "follow"
    REPORT = "report"
    REGISTER = "register"
    MEDIA = "media"  # image uploads


_DOING = {
    LimitedAction.POST: "posted",
    LimitedAction.FOLLOW: "followed accounts",
    LimitedAction.REPORT: "filed reports",
    LimitedAction.REGISTER: "registered accounts",
    LimitedAction.MEDIA: "uploaded images",
}


@dataclass(frozen=True)
class RateLimitRule:
    """The limits on one action, per account and per client address, in the `limits`
    library's notation: `"300/3 hours"`, several separated by `;` (`"10/minute;100/day"`);
    an empty string sets none."""

    per_account: str = ""
    per_address: str = ""


@dataclass(frozen=True)
class LimitUsage:
    """Where the tightest counter stands after an attempt: what it allows, how much is left,
    and when (seconds since the epoch) its window ends."""

    limit: int
    remaining: int
    reset_at: float

    def seconds_left(self, now: float) -> int:
        return max(1, math.ceil(self.reset_at - now))


def _items(action: LimitedAction, scope: str, spec: str) -> tuple[RateLimitItem, ...]:
    namespace = f"townsquare-{action.value}-{scope}"
    return tuple(
        type(item)(item.amount, item.multiples, namespace=namespace)
        for item in (parse_many(spec) if spec.strip() else ())
    )


class RateLimits:
    """Counts attempts per action against an account and a client address.

    The contract, for the edges:
    (1) `hit` MUST be called before the action is carried out, once per attempt; every
        attempt counts, whether it then succeeds or not;
    (2) it raises ActionLimitedError (a RateLimitedError) when any counter of the account or
        of the address is used up, saying how long to wait;
    (3) otherwise it answers the tightest counter's usage (None when the action has no
        limits), for the X-RateLimit-* headers.
    """

    def __init__(
        self,
        storage: Storage | None = None,
        rules: Mapping[LimitedAction, RateLimitRule] | None = None,
    ) -> None:
        self._limiter = FixedWindowRateLimiter(storage or MemoryStorage())
        self._per_account = {
            action: _items(action, "account", rule.per_account)
            for action, rule in (rules or {}).items()
        }
        self._per_address = {
            action: _items(action, "address", rule.per_address)
            for action, rule in (rules or {}).items()
        }

    def hit(
        self, action: LimitedAction, *, account: int | None, address: str | None
    ) -> LimitUsage | None:
        counters = []
        if account is not None:
            counters += [(item, str(account)) for item in self._per_account.get(action, ())]
        if address is not None:
            key = address_key(address)
            counters += [(item, key) for item in self._per_address.get(action, ())]
        if not counters:
            return None
        allowed = [self._limiter.hit(item, key) for item, key in counters]
        usages = [self._usage(item, key) for item, key in counters]
        if not all(allowed):
            refused = [usage for usage, ok in zip(usages, allowed, strict=True) if not ok]
            raise self._refusal(action, refused)
        return min(usages, key=lambda usage: (usage.remaining, -usage.reset_at))

    def _usage(self, item: RateLimitItem, key: str) -> LimitUsage:
        stats = self._limiter.get_window_stats(item, key)
        return LimitUsage(item.amount, max(0, stats.remaining), stats.reset_time)

    @staticmethod
    def _refusal(action: LimitedAction, refused: list[LimitUsage]) -> ActionLimitedError:
        # The longest wait: until then every used-up counter has a slot again.
        usage = max(refused, key=lambda usage: usage.reset_at)
        seconds = usage.seconds_left(time.time())
        return ActionLimitedError(
            f"You have {_DOING[action]} too often; try again in {seconds} seconds.",
            retry_after=seconds,
            limit=usage.limit,
            reset_at=usage.reset_at,
        )
