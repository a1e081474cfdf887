"""What the rate limits cost a post: the counter alone, and `POST /api/v1/statuses` with the
limits off, counted in process memory and counted in Redis.

    .venv/bin/python bench/rate_limits.py
    .venv/bin/python bench/rate_limits.py --redis-url redis://127.0.0.1:6379/13
    .venv/bin/python bench/rate_limits.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench

(1) The counter: `RateLimits.hit` for a post (one account counter and one address counter),
    `hits` times over 1,000 accounts, with the default limits (never refused).
(2) The route: each round starts from a fresh database with one author and sends `posts`
    posts through the application in process (Litestar's test client: no network, the same
    for every variant), with the limits off, in memory, and in Redis when a URL is given;
    rounds alternate. Reports medians.
"""

import argparse
import dataclasses
import logging
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from litestar.testing import TestClient
from serving import fresh_database

from townsquare.api._grants import Grants
from townsquare.api._scopes import parse_scopes
from townsquare.app import build_services, create_app
from townsquare.microblog import (
    LimitedAction,
    RateLimitRule,
    RateLimits,
    counter_storage,
)
from townsquare.settings import RateLimitSettings, Settings

DEFAULTS = RateLimitSettings()
POST_RULE = {
    LimitedAction.POST: RateLimitRule(DEFAULTS.posts_per_account, DEFAULTS.posts_per_address)
}


def say(message: str) -> None:
    print(message, flush=True)


def counter_cost(redis_url: str, hits: int) -> float:
    """Microseconds a `hit` for a post."""
    prefix = f"townsquare-bench-{uuid.uuid4().hex}"
    limits = RateLimits(counter_storage(redis_url, key_prefix=prefix), POST_RULE)
    start = time.perf_counter()
    for n in range(hits):
        account = n % 1000
        limits.hit(LimitedAction.POST, account=account, address=f"192.0.2.{account % 250}")
    return (time.perf_counter() - start) * 1e6 / hits


def route_round(url: str, redis_url: str | None, posts: int) -> float:
    """Milliseconds a post through the route; `redis_url` None turns the limits off."""
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        settings = Settings(
            data_dir=data_dir,
            database_url=fresh_database(url, data_dir),
            base_url="http://127.0.0.1",
            redis_url=redis_url or "",
            redis_key_prefix=f"townsquare-bench-{uuid.uuid4().hex}",
            # A generous allowance, so that no round is refused.
            rate_limits=dataclasses.replace(
                DEFAULTS,
                enabled=redis_url is not None,
                posts_per_account=f"{posts * 2}/hour",
                posts_per_address=f"{posts * 2}/hour",
            ),
        )
        services = build_services(settings)
        try:
            grants = Grants(services.microblog)
            app = grants.register_app(
                "bench", None, ("urn:ietf:wg:oauth:2.0:oob",), parse_scopes("write")
            )
            author = services.microblog.accounts.register("author", "correct horse battery")
            token = grants.issue_token(app.id, author.id, app.scopes).access_token
            headers = {"Authorization": f"Bearer {token}"}
            with TestClient(create_app(services)) as client:
                start = time.perf_counter()
                for n in range(posts):
                    answer = client.post(
                        "/api/v1/statuses", data={"status": f"post {n}"}, headers=headers
                    )
                    if answer.status_code != 200:
                        raise RuntimeError(f"post {n} answered {answer.status_code}: {answer.text}")
                return (time.perf_counter() - start) * 1e3 / posts
        finally:
            services.id_worker.stop()
            services.db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--hits", type=int, default=20_000)
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request otherwise

    stores = {"memory": "", **({"Redis": args.redis_url} if args.redis_url else {})}
    for label, store in stores.items():
        say(f"counter, {label}: {counter_cost(store, args.hits):.1f} µs a post")

    variants: dict[str, str | None] = {"off": None, **stores}
    timings: dict[str, list[float]] = {label: [] for label in variants}
    for _ in range(args.rounds):
        for label, store in variants.items():
            timings[label].append(route_round(args.database_url, store, args.posts))
    for label in variants:
        say(f"route, limits {label}: {statistics.median(timings[label]):.2f} ms a post")


if __name__ == "__main__":
    main()
