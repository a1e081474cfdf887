"""What the two-person rule costs `enforce`: decisions per second outside and inside a window.

    .venv/bin/python bench/enforce.py                  # SQLite
    .venv/bin/python bench/enforce.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench

Each round starts from a fresh database with `posts` posts (a third tagged with the window's
hashtag) and times `decisions` decisions, each its own `enforce` (or, where the rule applies,
its own proposal and approval), on the services' default policies:
(1) no window — a content warning under harassment/1 on an untagged post: `enforce` looks for
    an open window and finds none;
(2) window open, other content — the same decision during a window: `enforce` finds the window
    and reads the post's hashtags, which do not relate it to the election;
(3) window open, election content — a label under civic-integrity/1: `Proposals.decide`
    records a proposal and a second moderator approves it (two transactions, one decision).
Reports the median of `rounds` rounds, and writes `bench/results/enforce-<backend>-<date>.json`.
"""

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from serving import fresh_services

from townsquare.app import Services
from townsquare.kernel import FixedClock
from townsquare.microblog import PostDraft, Role
from townsquare.moderation import ActionKind, Decision, PostTarget, Proposal, WindowDraft

START = datetime(2027, 4, 1, 8, 0, tzinfo=UTC)
RESULTS = Path(__file__).parent / "results"


def say(message: str) -> None:
    print(message, flush=True)


class _World:
    """A moderator, a second one, an admin, and posts to decide on."""

    def __init__(self, services: Services, posts: int) -> None:
        accounts = services.microblog.accounts
        self.first = accounts.register("first", "bench password", role=Role.MODERATOR).id
        self.second = accounts.register("second", "bench password", role=Role.MODERATOR).id
        self.admin = accounts.register("chief", "bench password", role=Role.ADMIN).id
        author = accounts.register("author", "bench password").id
        create = services.microblog.posts.create
        self.untagged = [create(author, PostDraft(text=f"post {n}")).id for n in range(posts)]
        self.tagged = [
            create(author, PostDraft(text=f"#vote2027 {n}")).id for n in range(posts // 3)
        ]


def _warning(world: _World, post_id: int) -> Decision:
    return Decision(
        world.first,
        ActionKind.INTERSTITIAL,
        PostTarget(post_id),
        "harassment/1",
        "Insults a member.",
        content_warning="Insults",
    )


def _label(world: _World, post_id: int) -> Decision:
    return Decision(
        world.first,
        ActionKind.LABEL,
        PostTarget(post_id),
        "civic-integrity/1",
        "Gives the wrong date for the vote.",
        label="See the official election notice.",
    )


def _open_window(services: Services, world: _World, clock: FixedClock) -> None:
    draft = WindowDraft(
        "Bench election",
        START + timedelta(hours=2),
        START + timedelta(days=30),
        ("FR",),
        ("vote2027",),
    )
    services.moderation.elections.declare(draft, declared_by=world.admin)
    clock.advance(timedelta(hours=3))


def _timed(count: int, decide: Callable[[int], None]) -> float:
    started = time.perf_counter()
    for n in range(count):
        decide(n)
    return count / (time.perf_counter() - started)


def _round(args: argparse.Namespace, scenario: str) -> float:
    clock = FixedClock(START)
    with tempfile.TemporaryDirectory() as directory:
        services = fresh_services(args.database_url, Path(directory), clock)
        try:
            world = _World(services, args.posts)
            moderation = services.moderation
            if scenario != "no window":
                _open_window(services, world, clock)

            def warn(n: int) -> None:
                moderation.enforce(_warning(world, world.untagged[n % len(world.untagged)]))

            def propose_and_approve(n: int) -> None:
                done = moderation.proposals.decide(
                    _label(world, world.tagged[n % len(world.tagged)])
                )
                if not isinstance(done, Proposal):
                    raise SystemExit("expected a proposal inside the window")
                moderation.proposals.approve(done.id, world.second)

            election = scenario == "window open, election content"
            return _timed(args.decisions, propose_and_approve if election else warn)
        finally:
            services.db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--posts", type=int, default=600)
    parser.add_argument("--decisions", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    backend = "postgresql" if args.database_url else "sqlite"
    results: dict[str, Any] = {"backend": backend, "decisions": args.decisions, "rounds": {}}
    scenarios = ("no window", "window open, other content", "window open, election content")
    for scenario in scenarios:
        rates = [_round(args, scenario) for _ in range(args.rounds)]
        results["rounds"][scenario] = rates
        shown = " / ".join(f"{r:,.0f}" for r in rates)
        say(f"{scenario}: median {statistics.median(rates):,.0f} decisions/s ({shown})")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"enforce-{backend}-{datetime.now(UTC):%Y-%m-%d}.json"
    out.write_text(json.dumps(results, indent=2))
    say(f"wrote {out}")


if __name__ == "__main__":
    main()
