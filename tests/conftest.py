"""Shared fixtures. Every database test runs on SQLite, and again on PostgreSQL when
`TOWNSQUARE_TEST_POSTGRES_URL` is set (a server URL; a fresh database is created on it)."""

import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text
from sqlalchemy.engine import make_url

from townsquare.app import Services, build_services
from townsquare.kernel import Clock, SystemClock
from townsquare.microblog import Account, Microblog, Passwords, Post, PostDraft, Role
from townsquare.settings import Settings
from townsquare.storage import create_database_engine, migrate, tables

# Property tests check behaviour, not speed: a loaded machine must not fail them on a deadline
# or on slow input generation (benchmarks under bench/ measure speed).
hypothesis_settings.register_profile(
    "townsquare", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("townsquare")

POSTGRES_SERVER_URL = os.environ.get("TOWNSQUARE_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_SERVER_URL else [])]

# Cheap argon2id parameters: tests check behaviour, not the cost of hashing.
FAST_PASSWORDS = Passwords(time_cost=1, memory_cost_kib=8, parallelism=1)
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database, copied for each test (migrating once is the slow part)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = create_database_engine(f"sqlite:///{path}")
    migrate(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url(worker_id: str) -> Iterator[str]:  # worker_id comes from pytest-xdist
    """A migrated PostgreSQL database of this test process's own, dropped at the end."""
    if not POSTGRES_SERVER_URL:
        pytest.skip("TOWNSQUARE_TEST_POSTGRES_URL is not set")
    name = f"townsquare_test_{worker_id}_{os.getpid()}"
    server = create_database_engine(POSTGRES_SERVER_URL).execution_options(
        isolation_level="AUTOCOMMIT"
    )
    with server.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(POSTGRES_SERVER_URL).set(database=name).render_as_string(hide_password=False)
    engine = create_database_engine(url)
    migrate(engine)
    engine.dispose()
    yield url
    with server.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    server.dispose()


def _empty_postgres(url: str) -> None:
    engine = create_database_engine(url)
    names = ", ".join(f'"{t.name}"' for t in tables.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} CASCADE"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "townsquare.db"
        shutil.copyfile(sqlite_template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    _empty_postgres(url)
    return url


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        base_url="http://testserver",
    )


@pytest.fixture
def clock() -> Clock:
    """The services' clock: the system's, unless a test module overrides this fixture with a
    `FixedClock` it can move (election windows, appeal deadlines)."""
    return SystemClock()


@pytest.fixture
def services(settings: Settings, clock: Clock) -> Iterator[Services]:
    built = build_services(settings, passwords=FAST_PASSWORDS, clock=clock)
    yield built
    built.db.dispose()


@pytest.fixture
def microblog(services: Services) -> Microblog:
    return services.microblog


AccountFactory = Callable[..., Account]
PostFactory = Callable[..., Post]


@pytest.fixture
def make_account(microblog: Microblog) -> AccountFactory:
    """`make_account()` or `make_account("alice", role=Role.MODERATOR, email=...)`."""
    counter = itertools.count(1)

    def make(
        username: str | None = None,
        *,
        role: Role = Role.MEMBER,
        email: str | None = None,
        display_name: str = "",
    ) -> Account:
        name = username or f"user{next(counter)}"
        return microblog.accounts.register(
            name, PASSWORD, email=email, role=role, display_name=display_name
        )

    return make


@pytest.fixture
def make_post(microblog: Microblog) -> PostFactory:
    """`make_post(author)` or `make_post(author, "text", in_reply_to_id=..., ...)`."""
    counter = itertools.count(1)

    def make(author: Account, text: str | None = None, **draft: object) -> Post:
        body = text if text is not None else f"post number {next(counter)}"
        return microblog.posts.create(author.id, PostDraft(text=body, **draft))  # type: ignore[arg-type]

    return make
