"""Storage tests start from an empty database on each backend, not the migrated template."""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from townsquare.storage import create_database_engine

POSTGRES_SERVER_URL = os.environ.get("TOWNSQUARE_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_SERVER_URL else [])]


def _fresh_postgres_database() -> Iterator[str]:
    name = f"townsquare_storage_{uuid.uuid4().hex[:12]}"
    server = create_database_engine(POSTGRES_SERVER_URL).execution_options(
        isolation_level="AUTOCOMMIT"
    )
    with server.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield make_url(POSTGRES_SERVER_URL).set(database=name).render_as_string(hide_password=False)
    with server.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    server.dispose()


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database with no tables at all."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
    else:
        yield from _fresh_postgres_database()


@pytest.fixture
def empty_engine(empty_database_url: str) -> Iterator[Engine]:
    engine = create_database_engine(empty_database_url)
    yield engine
    engine.dispose()
