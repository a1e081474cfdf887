"""`townsquare demo`: load the demo world into an empty database, with a progress bar."""

import time
from typing import Annotated

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

__all__ = ["load_demo"]


def load_demo(
    seed: Annotated[int, typer.Option(help="The same seed always gives the same world.")] = 1,
    accounts: Annotated[int, typer.Option(help="How many accounts.", min=1)] = 300,
    posts: Annotated[int, typer.Option(help="How many posts (with replies, quotes).", min=0)] = (
        10_000
    ),
) -> None:
    """Load the demo world (fictional people, FR/EN, an election) into an empty database."""
    with migrated_services() as services, _StageBars() as bars:
        started = time.monotonic()
        world = load_demo_world(
            services.microblog,
            seed=seed,
            accounts=accounts,
            posts=posts,
            progress=bars.update,
            moderation=DemoModeration(services.ledger, services.policies),
        )
        elapsed = time.monotonic() - started
        base_url = services.settings.base_url
    say(_summary(world, elapsed, base_url))


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
        f"({world.moderation.reversed} reversed), {world.moderation.requests} outside requests.\n"
        f"Sign in at {base_url}/ with the password {world.password!r} as, for example:\n"
        f"{logins}"
    )
