"""Shared fixtures. Every database test runs on SQLite, and again on PostgreSQL when
`TOWNSQUARE_TEST_POSTGRES_URL` is set (a server URL; a fresh database is created on it)."""

import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy.engine import make_url

from s3_server import s3_server
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


@contextmanager
def postgres_database(label: str) -> Iterator[str]:
    """A migrated PostgreSQL database of this test process's own, named after `label`; its URL
    is yielded and the database dropped on exit."""
    name = f"townsquare_test_{label}_{os.getpid()}"
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
    try:
        yield url
    finally:
        with server.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.dispose()


@contextmanager
def postgres_schema(url: str, schema: str) -> Iterator[str]:
    """A migrated schema of its own inside the PostgreSQL database at `url`, dropped on exit; the
    URL yielded puts it first on the search path.

    Cheaper than a database of its own: dropping a database waits for a checkpoint, which takes
    seconds on a busy machine; dropping a schema does not."""
    owner = create_database_engine(url)
    with owner.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    options = {"options": f"-csearch_path={schema}"}
    in_schema = make_url(url).update_query_dict(options).render_as_string(hide_password=False)
    engine = create_database_engine(in_schema)
    migrate(engine)
    engine.dispose()
    try:
        yield in_schema
    finally:
        with owner.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        owner.dispose()


@pytest.fixture(scope="session")
def postgres_url(worker_id: str) -> Iterator[str]:  # worker_id comes from pytest-xdist
    """The migrated PostgreSQL database the tests of this process share, emptied before each."""
    if not POSTGRES_SERVER_URL:
        pytest.skip("TOWNSQUARE_TEST_POSTGRES_URL is not set")
    with postgres_database(worker_id) as url:
        yield url


@pytest.fixture(scope="session")
def _postgres_emptier(postgres_url: str) -> Iterator[Callable[[], None]]:
    """Empties `postgres_url`'s tables through one connection kept for the whole session.

    DELETE, children first, rather than TRUNCATE: the tables hold a few rows at most, and
    TRUNCATE of some fifty tables costs far more (it replaces each table's files and takes an
    exclusive lock on each) than deleting those rows. One round trip for every statement."""
    engine = create_database_engine(postgres_url)
    children_first = reversed(tables.metadata.sorted_tables)
    statements = "; ".join(f'DELETE FROM "{table.name}"' for table in children_first)

    def empty() -> None:
        with engine.begin() as conn:
            conn.exec_driver_sql(statements)

    yield empty
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "townsquare.db"
        shutil.copyfile(sqlite_template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    request.getfixturevalue("_postgres_emptier")()
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
    built.stream_hub.close()
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


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A local S3-compatible server (moto) for the media store's tests, one per test run."""
    with s3_server() as url:
        yield url
