"""`townsquare demo`: load the demo world into an empty database, saying how it goes.

On a terminal each stage has a Rich progress bar; in a log (piped, in CI, `make run > log`)
each stage gets plain lines as it starts and ends, so a first start never looks stuck.
"""

import math
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Annotated, Protocol

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from townsquare.cli._output import say
from townsquare.cli._services import migrated_services
from townsquare.demo import DemoModeration, DemoWorld, Stage, load_demo_world

__all__ = ["estimated_seconds", "load_demo"]

# Measured on a 2-core machine with the default world (300 accounts, 10,000 posts: 70 s):
# the follow graph grows with the accounts (about 19 follows each, 4 ms a follow) and the
# activity with the posts (about 2 events each, 2 ms an event).
_SECONDS_PER_ACCOUNT = 0.005
_SECONDS_PER_POST = 0.0013
_LOG_EVERY_SECONDS = 15.0


def load_demo(
    seed: Annotated[int, typer.Option(help="The same seed always gives the same world.")] = 1,
    accounts: Annotated[int, typer.Option(help="How many accounts.", min=1)] = 300,
    posts: Annotated[int, typer.Option(help="How many posts (with replies, quotes).", min=0)] = (
        10_000
    ),
) -> None:
    """Load the demo world (fictional people, FR/EN, an election) into an empty database."""
    estimate = estimated_seconds(accounts, posts)
    say(f"Loading the demo world (about {estimate} s on a 2-core machine)...")
    with migrated_services() as services, _progress_display() as display:
        started = time.monotonic()
        world = load_demo_world(
            services.microblog,
            seed=seed,
            accounts=accounts,
            posts=posts,
            progress=display.update,
            moderation=DemoModeration(services.ledger, services.policies, services.rules),
        )
        elapsed = time.monotonic() - started
        base_url = services.settings.base_url
    say(_summary(world, elapsed, base_url))


def estimated_seconds(accounts: int, posts: int) -> int:
    """How long loading a world of this size takes on a 2-core machine, rounded up to 10 s."""
    seconds = accounts * _SECONDS_PER_ACCOUNT + posts * _SECONDS_PER_POST
    return max(10, 10 * math.ceil(seconds / 10))


class _StageDisplay(Protocol):
    def update(self, stage: Stage, done: int, total: int) -> None: ...


def _progress_display() -> AbstractContextManager[_StageDisplay]:
    """Bars on a terminal, plain lines anywhere else (a live display shows nothing in a log)."""
    return _StageBars() if Console().is_terminal else _StageLines()


class _StageLines:
    """Plain lines for logs: one when a stage starts, one when it ends (with the time it took),
    and one every 15 s in between. Each is printed (and flushed) at once."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.started = clock()
        self.stage: Stage | None = None
        self.stage_started = self.last_line = self.started
        self.ended: set[Stage] = set()

    def __enter__(self) -> "_StageLines":
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, stage: Stage, done: int, total: int) -> None:
        now = self.clock()
        if stage != self.stage:
            self.stage, self.stage_started, self.last_line = stage, now, now
            say(f"  {stage}: {total} to load")
        if done == total and stage not in self.ended:
            self.ended.add(stage)
            say(
                f"  {stage}: {total} loaded in {now - self.stage_started:.1f} s "
                f"({now - self.started:.0f} s so far)"
            )
        elif done < total and now - self.last_line >= _LOG_EVERY_SECONDS:
            self.last_line = now
            say(f"  {stage}: {done} of {total} ({now - self.stage_started:.0f} s)")


class _StageBars:
    """One Rich progress bar per loading stage."""

    def __init__(self) -> None:
        self.progress = Progress(
            TextColumn("{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(),
        )
        self.tasks: dict[Stage, TaskID] = {}

    def __enter__(self) -> "_StageBars":
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def update(self, stage: Stage, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage.value, total=total)
        self.progress.update(self.tasks[stage], completed=done, total=total)


def _alerts(count: int) -> str:
    return "no alert" if count == 0 else f"{count} alert" + ("s" if count > 1 else "")


def _summary(world: DemoWorld, elapsed: float, base_url: str) -> str:
    logins = "\n".join(
        f"  @{login.username:<10} {login.role:<10} {login.display_name}" for login in world.logins
    )
    return (
        f"Loaded the demo world (seed {world.seed}) in {elapsed:.1f} s: "
        f"{world.accounts} accounts, {world.follows} follows, {world.posts} posts "
        f"({world.replies} replies, {world.quotes} quotes), {world.reposts} reposts, "
        f"{world.likes} likes, {world.moderation.reports} reports, "
        f"{world.moderation.decisions} moderation decisions, {world.moderation.appeals} appeals "
        f"({world.moderation.reversed} reversed), {world.moderation.requests} outside requests, "
        f"{world.notes.notes} community notes ({world.notes.helpful} rated helpful and shown, "
        f"{world.notes.not_helpful} rated not helpful, {world.notes.needs_more_ratings} needing "
        f"more ratings) with {world.notes.ratings} ratings, {world.notes.requests} note requests, "
        f"{world.audit.reviewed} blind second reviews ({world.audit.disagreed} disagreeing), "
        f"a published impartiality audit ({_alerts(world.audit.alerts)}), and the automated "
        f"rules at work: {world.rules.removed} posts removed at once, {world.rules.cases} "
        f"cases opened, a campaign decided with its {world.rules.copies} copies, "
        f"{world.rules.reversed} false positive reversed on appeal and "
        f"{world.rules.reviewed} detections reviewed blind.\n"
        f"Sign in at {base_url}/ with the password {world.password!r} as, for example:\n"
        f"{logins}"
    )
