"""The materialised home feed, in process, on the timeline benchmark's world.

What it does, in order:

1. opens the world `bench/timelines.py` builds (10,000 accounts, 1,000,000 posts; cached);
2. picks `--readers` accounts that follow someone, and builds each one's feed (its first
   home read), timing the builds;
3. reads a first home page (20 posts) of a random reader, alternately from the feed
   (`Timelines.home`) and from the posts table alone (`Timelines.home_from_posts`), `--reads`
   times each, and reports both medians and their ratio — the same pages, which are
   checked to be equal;
4. posts as the account whose follower count is the median among posters, after building
   its followers' feeds, `--posts` times, and reports the median time of a post with its
   fan-out (each its own transaction and commit), then deletes those posts again.

Run: `.venv/bin/python bench/home_feed.py` (add `--database-url` for PostgreSQL, as
`bench/timelines.py` takes it).
"""

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial

from bulk_world import WorldSpec, ensure_world
from sqlalchemy import Engine, func, select
from timelines import build_feeds, default_sqlite_url, say

from townsquare.kernel import SystemClock
from townsquare.microblog import Microblog, Page, PostDraft
from townsquare.storage import Database, create_database_engine, migrate, tables


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="default: timelines.py's SQLite")
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--reads", type=int, default=300)
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    spec = WorldSpec()
    engine = create_database_engine(args.database_url or default_sqlite_url(spec))
    migrate(engine)
    ensure_world(engine, spec, say)
    microblog = Microblog(Database(engine), clock=SystemClock(), base_url="http://bench")
    rng = random.Random(args.seed)
    readers = _readers(engine, args.readers, rng)
    build_feeds(microblog, readers)
    _compare_reads(microblog, readers, args.reads, rng)
    _post(engine, microblog, args.posts)
    engine.dispose()


def _readers(engine: Engine, count: int, rng: random.Random) -> list[int]:
    with engine.connect() as conn:
        following = list(conn.scalars(select(tables.follows.c.account_id).distinct()))
    following.sort()
    return rng.sample(following, min(count, len(following)))


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def _compare_reads(
    microblog: Microblog, readers: Sequence[int], reads: int, rng: random.Random
) -> None:
    timelines = microblog.timelines
    feed, table = [], []
    for _ in range(reads):
        reader = rng.choice(readers)
        page = Page(limit=20)
        from_feed = timelines.home(reader, page)  # warm both paths' caches the same way
        from_table = timelines.home_from_posts(reader, page)
        if [v.post.id for v in from_feed] != [v.post.id for v in from_table]:
            sys.exit(f"reader {reader}: the feed's page differs from the posts table's")
        feed.append(_timed(partial(timelines.home, reader, page)))
        table.append(_timed(partial(timelines.home_from_posts, reader, page)))
    feed_ms, table_ms = statistics.median(feed), statistics.median(table)
    say(
        f"a home page of 20, {reads} reads each, alternating: from the feed {feed_ms:.2f} ms, "
        f"from the posts table {table_ms:.2f} ms (feed / table {feed_ms / table_ms:.2f})"
    )


def _post(engine: Engine, microblog: Microblog, count: int) -> None:
    accounts = tables.accounts
    with engine.connect() as conn:
        posters = list(
            conn.execute(
                select(accounts.c.id, accounts.c.followers_count)
                .where(accounts.c.statuses_count > 0, accounts.c.followers_count > 0)
                .order_by(accounts.c.followers_count, accounts.c.id)
            )
        )
        author, followers = posters[len(posters) // 2]
        their_followers = list(
            conn.scalars(
                select(tables.follows.c.account_id).where(tables.follows.c.target_id == author)
            )
        )
        fed_before = conn.scalar(select(func.count()).select_from(tables.home_feeds)) or 0
    build_feeds(microblog, their_followers)
    written: list[int] = []
    times = []
    for n in range(count):
        started = time.perf_counter()
        written.append(microblog.posts.create(author, PostDraft(text=f"bench post {n}")).id)
        times.append((time.perf_counter() - started) * 1000)
    with engine.connect() as conn:
        fed_after = conn.scalar(select(func.count()).select_from(tables.home_feeds)) or 0
    for post_id in written:  # the world stays as it was built, for the next run
        microblog.posts.delete(author, post_id)
    median = statistics.median(times)
    say(
        f"posting as an account with the median follower count ({followers}): median "
        f"{median:.2f} ms a post with its fan-out ({1000 / median:.0f} posts/s in one "
        f"process); feed rows {fed_before:,} → {fed_after:,}"
    )


if __name__ == "__main__":
    main()
