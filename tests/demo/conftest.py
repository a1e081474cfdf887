"""The demo world the stage tests read, loaded once per backend in each test process.

Loading it (seed 7, 40 accounts, 400 posts, every stage) takes seconds; the tests that only read
it share one world instead of loading their own. Tests that write load their own world on the
`services` fixture's empty database.
"""

import shutil
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import BACKENDS, FAST_PASSWORDS, postgres_schema
from townsquare.app import Services, build_services
from townsquare.demo import DemoModeration, DemoWorld, Stage, load_demo_world
from townsquare.kernel import SystemClock
from townsquare.settings import Settings

SEED, ACCOUNTS, POSTS = 7, 40, 400


@dataclass(frozen=True)
class LoadedDemo:
    """A loaded demo world: the services over its database, what the loader returned, and the
    progress it reported as (stage, done, total)."""

    services: Services
    world: DemoWorld
    progress: tuple[tuple[Stage, int, int], ...]


def _database(request: pytest.FixtureRequest, directory: Path) -> AbstractContextManager[str]:
    """SQLite: a copy of the migrated template. PostgreSQL: a schema of the process's database
    (its tables are apart from those the other tests empty before each)."""
    if request.param == "sqlite":
        path = directory / "townsquare.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return nullcontext(f"sqlite:///{path}")
    return postgres_schema(request.getfixturevalue("postgres_url"), "shared_demo")


@pytest.fixture(scope="session", params=BACKENDS)
def shared_demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LoadedDemo]:
    """The demo world (seed 7, 40 accounts, 400 posts) with every stage, for tests that MUST
    NOT write to it."""
    directory = tmp_path_factory.mktemp(f"demo_{request.param}")
    with _database(request, directory) as url:
        settings = Settings(
            data_dir=directory / "data", database_url=url, base_url="http://testserver"
        )
        services = build_services(settings, passwords=FAST_PASSWORDS, clock=SystemClock())
        seen: list[tuple[Stage, int, int]] = []
        world = load_demo_world(
            services.microblog,
            seed=SEED,
            accounts=ACCOUNTS,
            posts=POSTS,
            progress=lambda stage, done, total: seen.append((stage, done, total)),
            moderation=DemoModeration(services.ledger, services.policies, services.rules),
        )
        yield LoadedDemo(services, world, tuple(seen))
        services.db.dispose()
