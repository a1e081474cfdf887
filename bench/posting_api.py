"""Posting through the API under load, each post fanned out to the median follower count.

    python bench/posting_api.py                                 # SQLite
    python bench/posting_api.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench

Stages: (1) build or reuse `timelines.py`'s world, then work on a throwaway copy of it (a
copy of the SQLite file; `CREATE DATABASE … TEMPLATE` on PostgreSQL), so the world stays as
it was built; (2) choose the posters: the accounts whose follower count is nearest the median
among accounts that post; (3) build their followers' home feeds, so every post is fanned out
as a server's steady state fans it out; (4) issue the posters' bearer tokens; (5) start
`townsquare serve` and load `POST /api/v1/statuses` (JSON, a different text each time,
rotating the posters) with wrk, several rounds; (6) report req/s, p50, p99 and errors, then
check in the database that every acknowledged post was written and how many feed rows a post
added. Loopback only.

Rate limits stay on; the per-address ones are raised for the run (the whole load comes from
one loopback address, which a real server's posters do not share) and the per-account ones
too (a few dozen posters make thousands of posts). The counters are still kept, per post.
"""

import argparse
import hashlib
import os
import secrets
import shutil
import sqlite3
import statistics
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from bulk_world import WorldSpec, ensure_world
from serving import running_server
from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.engine import make_url
from timelines import (
    PING,
    TOKEN_SCOPES,
    Measurement,
    build_feeds,
    default_sqlite_url,
    run_wrk,
    say,
)

from townsquare.kernel import SystemClock, snowflake_floor
from townsquare.microblog import Microblog
from townsquare.storage import Database, create_database_engine, migrate, tables

STATUSES = "/api/v1/statuses"

# One JSON body per request, its text unique within the run (the round's tag, the
# request's counter) and long enough for fingerprinting, tags and mentions to work.
_REQUEST = """
  headers["Content-Type"] = "application/json"
  local body = string.format(
    '{"status": "bench %s post %%d from the load, about #weather and the long walk home"}',
    counter)
  return wrk.format("POST", path, headers, body)
"""

# Limits high enough that a run never meets them; the counters are still kept.
_RAISED_LIMITS = {
    "TOWNSQUARE_RATE_LIMIT_POSTS_PER_ACCOUNT": "1000000/3 hours",
    "TOWNSQUARE_RATE_LIMIT_POSTS_PER_ADDRESS": "1000000/3 hours",
}


def main(argv: Sequence[str] | None = None) -> None:
    args = _arguments(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install -y wrk")
    spec = WorldSpec(accounts=args.accounts, posts=args.posts, seed=args.seed)
    world_url = args.database_url or default_sqlite_url(spec)
    engine = create_database_engine(world_url)
    migrate(engine)
    ensure_world(engine, spec, say)
    engine.dispose()
    with _throwaway_copy(world_url) as url:
        engine = create_database_engine(url)
        posters, followers, median = _posters(engine, args.posters)
        microblog = Microblog(Database(engine), clock=SystemClock(), base_url="http://bench")
        readers = _followers_of(engine, posters)
        build_feeds(microblog, readers)
        tokens = _issue_tokens(engine, posters)
        before = _counts(engine)
        engine.dispose()
        say(
            f"{len(posters)} posters with {followers} followers each (the median among "
            f"accounts that post is {median}); {len(readers):,} feeds built"
        )
        os.environ.update(_RAISED_LIMITS)
        data_dir = Path(tempfile.mkdtemp(prefix="townsquare-bench-"))
        with running_server(url, data_dir, args.port, args.workers, ready_path=PING):
            results = _load(args, tokens)
        engine = create_database_engine(url)
        after = _counts(engine, newer_than=before["newest"])
        engine.dispose()
    _report(args, world_url, results, before, after)


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="", help="default: timelines.py's SQLite")
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--posters", type=int, default=40, help="accounts posting")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--duration", type=int, default=20, help="seconds per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    return parser.parse_args(argv)


# (1) a copy of the world --------------------------------------------------------------------


@contextmanager
def _throwaway_copy(url: str) -> Iterator[str]:
    """A copy of the world at `url` for the length of the block, then dropped."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        assert parsed.database is not None
        folder = Path(tempfile.mkdtemp(prefix="townsquare-bench-"))
        target = folder / "world.sqlite"
        say(f"copying the world to {target}")
        with sqlite3.connect(parsed.database) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        try:
            yield f"sqlite:///{target}"
        finally:
            shutil.rmtree(folder)
        return
    name = f"{parsed.database}_posting"
    admin = create_database_engine(parsed.set(database="postgres").render_as_string(False))
    with admin.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        say(f"copying the world to the database {name}")
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{parsed.database}"'))
    try:
        yield parsed.set(database=name).render_as_string(False)
    finally:
        with admin.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# (2) posters, (3) their followers' feeds, (4) tokens ----------------------------------------


def _posters(engine: Engine, count: int) -> tuple[list[int], str, int]:
    """The `count` accounts in the middle of the accounts that post, ordered by follower
    count; the range of their follower counts; the median follower count of all of them."""
    accounts = tables.accounts
    with engine.connect() as conn:
        rows = conn.execute(
            select(accounts.c.id, accounts.c.followers_count)
            .where(accounts.c.statuses_count > 0, accounts.c.followers_count > 0)
            .order_by(accounts.c.followers_count, accounts.c.id)
        ).all()
    middle = len(rows) // 2
    chosen = rows[max(0, middle - count // 2) :][:count]
    low, high = chosen[0].followers_count, chosen[-1].followers_count
    spread = str(low) if low == high else f"{low} to {high}"
    return [row.id for row in chosen], spread, rows[middle].followers_count


def _followers_of(engine: Engine, posters: Sequence[int]) -> list[int]:
    follows = tables.follows
    with engine.connect() as conn:
        return list(
            conn.scalars(
                select(follows.c.account_id)
                .where(follows.c.target_id.in_(posters))
                .distinct()
                .order_by(follows.c.account_id)
            )
        )


def _issue_tokens(engine: Engine, accounts: Sequence[int]) -> list[str]:
    """A bearer token for each of `accounts`, stored as the API stores them (SHA-256 hex)."""
    tokens = [secrets.token_urlsafe(32) for _ in accounts]
    first_id = snowflake_floor(datetime.now(UTC))
    now = datetime.now(UTC)
    rows = [
        {
            "id": first_id + i,
            "token_hash": hashlib.sha256(token.encode()).hexdigest(),
            "app_id": None,
            "account_id": account,
            "scopes": TOKEN_SCOPES,
            "created_at": now,
            "revoked_at": None,
        }
        for i, (token, account) in enumerate(zip(tokens, accounts, strict=True))
    ]
    with engine.begin() as conn:
        conn.execute(insert(tables.oauth_tokens), rows)
    return tokens


def _counts(engine: Engine, newer_than: int = 0) -> dict[str, int]:
    """How many posts there are, the newest one's id, and how many feed rows hold a post
    newer than `newer_than` (feeds are trimmed as they grow: their total says little)."""
    feeds = tables.home_feeds
    with engine.connect() as conn:
        return {
            "posts": conn.scalar(select(func.count()).select_from(tables.posts)) or 0,
            "newest": conn.scalar(select(func.max(tables.posts.c.id))) or 0,
            "feed rows": conn.scalar(
                select(func.count()).select_from(feeds).where(feeds.c.post_id > newer_than)
            )
            or 0,
        }


# (5) load -----------------------------------------------------------------------------------


def _load(args: argparse.Namespace, tokens: Sequence[str]) -> list[Measurement]:
    server = f"http://127.0.0.1:{args.port}"
    results = []
    for round_number in range(args.rounds + 1):  # round 0 is the warm-up
        tag = f"r{round_number}-{secrets.token_hex(3)}"
        measured = run_wrk(
            server,
            STATUSES,
            tokens,
            connections=args.connections,
            duration=args.duration if round_number else 3,
            name="post",
            request=_REQUEST % tag,
        )
        say(
            f"{'round ' + str(round_number) if round_number else 'warm-up':<8} "
            f"{measured.requests_per_second:6.0f} posts/s  p50 {measured.p50_ms:6.1f} ms  "
            f"p99 {measured.p99_ms:6.1f} ms  errors {measured.errors}"
        )
        if round_number:
            results.append(measured)
    return results


# (6) report ---------------------------------------------------------------------------------


def _report(
    args: argparse.Namespace,
    url: str,
    results: Sequence[Measurement],
    before: dict[str, int],
    after: dict[str, int],
) -> None:
    posts = after["posts"] - before["posts"]
    fed = after["feed rows"]
    print(
        f"\nmedians of {args.rounds} rounds x {args.duration} s, "
        f"{make_url(url).get_backend_name()}, {args.workers} workers, "
        f"{args.connections} connections, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    print(
        f"  post  {statistics.median(r.requests_per_second for r in results):6.0f} posts/s  "
        f"p50 {statistics.median(r.p50_ms for r in results):6.1f} ms  "
        f"p99 {statistics.median(r.p99_ms for r in results):6.1f} ms  "
        f"errors {sum(r.errors for r in results)}"
    )
    print(
        f"  {posts:,} posts written (acknowledged or abandoned by wrk at a round's end), "
        f"{fed:,} feed rows hold them: {fed / max(posts, 1):.1f} a post"
    )


if __name__ == "__main__":
    main()
