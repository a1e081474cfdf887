"""What fingerprinting costs a post: `Posts.create` with and without it.

    .venv/bin/python bench/posting.py                  # SQLite
    .venv/bin/python bench/posting.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench

Each round starts from a fresh database with one author and times `posts` posts of 8 to 40
words, each its own `Posts.create` (its own transaction). "Without" replaces the one call
that stores the fingerprint with a no-op for the round (a measurement only; the server
always fingerprints). Reports the median of `rounds` rounds of each, alternated.
"""

import argparse
import contextlib
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

from serving import fresh_services

from townsquare.kernel import FixedClock
from townsquare.microblog import PostDraft

START = datetime(2027, 4, 1, 8, 0, tzinfo=UTC)
WORDS = [f"word{n}" for n in range(3000)]


def say(message: str) -> None:
    print(message, flush=True)


def one_round(url: str, texts: list[str], fingerprint: bool) -> float:
    with tempfile.TemporaryDirectory() as folder:
        services = fresh_services(url, Path(folder), FixedClock(START))
        try:
            author = services.microblog.accounts.register("author", "correct horse battery")
            create: Callable[..., object] = services.microblog.posts.create
            patch = mock.patch("townsquare.microblog._posts.record_fingerprint", return_value=None)
            with patch if not fingerprint else contextlib.nullcontext():
                start = time.perf_counter()
                for text in texts:
                    create(author.id, PostDraft(text=text))
                return time.perf_counter() - start
        finally:
            services.db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    draw = random.Random(1)
    texts = [" ".join(draw.choices(WORDS, k=draw.randint(8, 40))) for _ in range(args.posts)]
    timings: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(args.rounds):
        for fingerprint in (False, True):
            timings[fingerprint].append(one_round(args.database_url, texts, fingerprint))
    for fingerprint, label in ((False, "without"), (True, "with")):
        median = statistics.median(timings[fingerprint])
        each = median * 1e3 / args.posts
        say(f"{label} fingerprints: {args.posts / median:,.0f} posts/s ({each:.2f} ms a post)")


if __name__ == "__main__":
    main()
