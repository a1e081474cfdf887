"""Counting an API request against the rate limits, and Mastodon's X-RateLimit-* headers.

Mastodon sends `X-RateLimit-Limit` (what the window allows), `X-RateLimit-Remaining` (what is
left of it) and `X-RateLimit-Reset` (when it ends, an ISO 8601 time) on the requests it
limits; clients such as Mastodon.py read them to pace themselves. A refusal (429) carries
them too, with `Retry-After` (api/_problems.py).
"""

from datetime import UTC, datetime
from typing import Any

from litestar import Request

from townsquare.microblog import LimitedAction, Microblog

__all__ = ["client_address", "count_attempt", "rate_limit_headers"]


def client_address(request: Request[Any, Any, Any]) -> str | None:
    """The address the request came from, as the server saw it."""
    return request.client.host if request.client else None


def rate_limit_headers(limit: int, remaining: int, reset_at: float) -> dict[str, str]:
    reset = datetime.fromtimestamp(reset_at, UTC).isoformat(timespec="milliseconds")
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": reset.replace("+00:00", "Z"),
    }


def count_attempt(
    request: Request[Any, Any, Any],
    microblog: Microblog,
    action: LimitedAction,
    account: int | None,
) -> dict[str, str]:
    """Count this attempt at `action` by `account` (None: nobody signed in yet) from the
    request's address — before acting, so a refusal (ActionLimitedError, 429) leaves
    nothing done — and answer the headers for the response (none when nothing limits it)."""
    usage = microblog.rate_limits.hit(action, account=account, address=client_address(request))
    if usage is None:
        return {}
    return rate_limit_headers(usage.limit, usage.remaining, usage.reset_at)
