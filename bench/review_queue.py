"""How fast the moderators' review queue answers with a full backlog, before and after
outside requests join its cases.

    .venv/bin/python bench/review_queue.py                  # SQLite
    .venv/bin/python bench/review_queue.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench

From a fresh database: `cases` posts, each reported once (one open case each), then times
`Cases.queue` — the blind first page of 40, sorted by severity × reach × age over the newest
5,000 cases — `reads` times; then logs `requests` outside requests of two items each (their
items join those cases, and the queue counts them per case) and times it again.
Reports the medians and writes `bench/results/review-queue-<backend>-<date>.json`.
"""

import argparse
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from serving import fresh_services

from townsquare.app import Services
from townsquare.kernel import FixedClock
from townsquare.microblog import PostDraft, Role
from townsquare.moderation import (
    ActionKind,
    Ground,
    PostTarget,
    QueueFilter,
    ReportCategory,
    ReportDraft,
    RequestDraft,
    RequesterKind,
)

START = datetime(2027, 4, 1, 8, 0, tzinfo=UTC)
RESULTS = Path(__file__).parent / "results"


def say(message: str) -> None:
    print(message, flush=True)


def _backlog(services: Services, clock: FixedClock, cases: int) -> tuple[int, list[int]]:
    """A moderator, and `cases` posts each reported once; returns (moderator, post ids)."""
    accounts = services.microblog.accounts
    moderator = accounts.register("mod", "bench password", role=Role.MODERATOR).id
    author = accounts.register("author", "bench password").id
    reporter = accounts.register("reporter", "bench password").id
    posts = []
    for n in range(cases):
        clock.advance(timedelta(seconds=30))
        post = services.microblog.posts.create(author, PostDraft(text=f"post {n}")).id
        category = ReportCategory.SPAM if n % 3 else ReportCategory.VIOLATION
        services.moderation.cases.report(ReportDraft(reporter, PostTarget(post), category))
        posts.append(post)
    return moderator, posts


def _requests(services: Services, moderator: int, posts: list[int], count: int) -> None:
    for n in range(count):
        items = (PostTarget(posts[2 * n]), PostTarget(posts[2 * n + 1]))
        draft = RequestDraft(
            requester_kind=RequesterKind.GOVERNMENT,
            requester="Prefecture",
            legal_basis="Electoral code",
            ground=Ground.ILLEGAL_CONTENT,
            requested_action=ActionKind.REMOVE,
            items=items,
            summary=f"Request {n}.",
            country="FR",
        )
        services.moderation.requests.receive(draft, logged_by=moderator)


def _median_ms(services: Services, moderator: int, reads: int) -> float:
    timings = []
    for _ in range(reads):
        began = time.perf_counter()
        page = services.moderation.cases.queue(moderator, QueueFilter())
        timings.append((time.perf_counter() - began) * 1000)
        if len(page) != 40:
            raise RuntimeError(f"expected a full page of 40 cases, found {len(page)}")
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--reads", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        clock = FixedClock(START)
        services = fresh_services(args.database_url, Path(scratch), clock)
        backend = services.db.engine.dialect.name
        say(f"{backend}: {args.cases} open cases ...")
        began = time.perf_counter()
        moderator, posts = _backlog(services, clock, args.cases)
        say(f"  backlog built in {time.perf_counter() - began:.1f} s")
        before = _median_ms(services, moderator, args.reads)
        say(f"  queue page, no outside requests: median {before:.1f} ms")
        _requests(services, moderator, posts, args.requests)
        after = _median_ms(services, moderator, args.reads)
        say(
            f"  queue page, {args.requests} requests on {2 * args.requests} cases: "
            f"median {after:.1f} ms ({after / before:.2f}x)"
        )
        services.db.engine.dispose()
    result: dict[str, Any] = {
        "backend": backend,
        "cases": args.cases,
        "requests": args.requests,
        "reads": args.reads,
        "median_ms_without_requests": round(before, 2),
        "median_ms_with_requests": round(after, 2),
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"review-queue-{backend}-{datetime.now(UTC):%Y-%m-%d}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    say(f"  wrote {out}")


if __name__ == "__main__":
    main()
