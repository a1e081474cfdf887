"""What one part of the write costs a post: `Posts.create` with and without it.

    .venv/bin/python bench/posting.py                  # SQLite, the fingerprint
    .venv/bin/python bench/posting.py --part rule-event  # the rules' outbox row
    .venv/bin/python bench/posting.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench

Each round starts from a fresh database with one author and times `posts` posts of 8 to 40
words, each its own `Posts.create` (its own transaction). "Without" replaces the one call
that writes the part (`--part`: the fingerprint, or the automated rules' outbox row) with a
no-op for the round (a measurement only; the server always writes both). Reports the median
of `rounds` rounds of each, alternated.
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
PARTS = {
    "fingerprint": "townsquare.microblog._posts.record_fingerprint",
    "rule-event": "townsquare.microblog._posts.record_rule_event",
}


def say(message: str) -> None:
    print(message, flush=True)


def one_round(url: str, texts: list[str], part: str, written: bool) -> float:
    with tempfile.TemporaryDirectory() as folder:
        services = fresh_services(url, Path(folder), FixedClock(START))
        try:
            author = services.microblog.accounts.register("author", "correct horse battery")
            create: Callable[..., object] = services.microblog.posts.create
            patch = mock.patch(PARTS[part], return_value=None)
            with patch if not written else contextlib.nullcontext():
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
    parser.add_argument("--part", choices=sorted(PARTS), default="fingerprint")
    args = parser.parse_args()
    draw = random.Random(1)
    texts = [" ".join(draw.choices(WORDS, k=draw.randint(8, 40))) for _ in range(args.posts)]
    timings: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(args.rounds):
        for written in (False, True):
            timings[written].append(one_round(args.database_url, texts, args.part, written))
    for written, label in ((False, "without"), (True, "with")):
        median = statistics.median(timings[written])
        each = median * 1e3 / args.posts
        say(f"{label} {args.part}: {args.posts / median:,.0f} posts/s ({each:.2f} ms a post)")


if __name__ == "__main__":
    main()
