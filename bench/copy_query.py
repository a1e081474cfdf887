"""The copy query in the database: `copies_of` a post among 100,000 fingerprinted posts.

    .venv/bin/python bench/copy_query.py                  # SQLite
    .venv/bin/python bench/copy_query.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench

Fills a fresh database with `posts` posts from `fingerprints.make_posts` (one in ten a near
copy of an earlier one), written in bulk: the post rows and their fingerprints through
`record_fingerprint`, 1,000 a transaction (not through `Posts.create`, whose cost
`posting.py` measures), then, on PostgreSQL, `ANALYZE` (what autovacuum does after such a
load; without statistics the planner hash-joins all 2,000,000 band rows: 150 ms a query).
Then times `copies_of` (the band lookup, the candidates' texts, the
exact similarity, the restrictions in force) on `queries` posts drawn at random: the
median and 99th percentile, and how many copies were found on average.
"""

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from fingerprints import make_posts
from serving import fresh_services
from sqlalchemy import insert, text

from townsquare.app import Services
from townsquare.kernel import FixedClock
from townsquare.microblog._post_fingerprints import record_fingerprint
from townsquare.moderation._copies import copies_of
from townsquare.storage.tables import posts

START = datetime(2027, 4, 1, 8, 0, tzinfo=UTC)
BATCH = 1000


def say(message: str) -> None:
    print(message, flush=True)


def fill(services: Services, texts: list[str]) -> list[int]:
    author = services.microblog.accounts.register("author", "correct horse battery")
    ids = services.microblog.context.ids
    made: list[int] = []
    for start in range(0, len(texts), BATCH):
        with services.db.write() as conn:
            for text in texts[start : start + BATCH]:
                post_id = ids.next_id()
                row = {"id": post_id, "account_id": author.id, "text": text, "created_at": START}
                conn.execute(insert(posts), row)
                record_fingerprint(conn, post_id, text)
                made.append(post_id)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    args = parser.parse_args()
    texts = make_posts(args.posts, seed=1)
    with tempfile.TemporaryDirectory() as folder:
        services = fresh_services(args.database_url, Path(folder), FixedClock(START))
        try:
            start = time.perf_counter()
            made = fill(services, texts)
            say(f"{len(made):,} posts written in {time.perf_counter() - start:.0f} s")
            if services.db.engine.dialect.name == "postgresql":
                with services.db.write() as conn:
                    conn.execute(text("ANALYZE"))
            draw = random.Random(7)
            times, found = [], []
            for _ in range(args.queries):
                post_id = draw.choice(made)
                begin = time.perf_counter()
                with services.db.read() as conn:
                    found.append(len(copies_of(conn, post_id, START)))
                times.append(time.perf_counter() - begin)
        finally:
            services.db.dispose()
    times.sort()
    median, p99 = statistics.median(times), times[int(0.99 * len(times))]
    say(f"copies_of: median {median * 1e3:.2f} ms, p99 {p99 * 1e3:.2f} ms")
    say(f"copies found: {statistics.mean(found):.2f} on average, at most {max(found)}")


if __name__ == "__main__":
    main()
