"""API test fixtures: a test client over the real application, and signed-in users."""

import itertools
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from redis import Redis

from townsquare.api._grants import Grants
from townsquare.api._scopes import parse_scopes
from townsquare.app import Services, create_app
from townsquare.microblog import Account, Microblog, Role
from townsquare.settings import Settings

Client: TypeAlias = TestClient[Litestar]


@dataclass(frozen=True)
class User:
    """An account with a bearer token, ready to send requests as."""

    account: Account
    token: str

    @property
    def id(self) -> str:
        return str(self.account.id)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


UserFactory = Callable[..., User]
RoleUser = Callable[[str, Role], User]


@pytest.fixture
def client(services: Services) -> Iterator[Client]:
    with TestClient(create_app(services)) as test_client:
        yield test_client


@pytest.fixture
def make_user(microblog: Microblog) -> UserFactory:
    """`make_user()` or `make_user("alice", scopes="read")`: an account and a token."""
    counter = itertools.count(1)
    grants = Grants(microblog)
    app = grants.register_app(
        "tests", None, ("urn:ietf:wg:oauth:2.0:oob",), parse_scopes("read write follow push")
    )

    def make(username: str | None = None, *, scopes: str = "read write follow push") -> User:
        name = username or f"member{next(counter)}"
        account = microblog.accounts.register(
            name, "correct horse battery", email=f"{name}@example.com"
        )
        issued = grants.issue_token(app.id, account.id, parse_scopes(scopes))
        return User(account=account, token=issued.access_token)

    return make


@pytest.fixture
def make_staff(microblog: Microblog) -> RoleUser:
    grants = Grants(microblog)
    app = grants.register_app(
        "staff", None, ("urn:ietf:wg:oauth:2.0:oob",), parse_scopes("read write")
    )

    def make(name: str, role: Role) -> User:
        account = microblog.accounts.register(name, "correct horse battery", role=role)
        issued = grants.issue_token(app.id, account.id, parse_scopes("read write"))
        return User(account=account, token=issued.access_token)

    return make


TEST_REDIS_URL = os.environ.get("TOWNSQUARE_TEST_REDIS_URL", "")


@contextmanager
def redis_or_not(
    tmp_path: Path, database_url: str, *, redis: bool, **more: Any
) -> Iterator[Settings]:
    """Settings for an API test, with the test Redis under a key prefix of its own (emptied
    afterwards) when `redis`; `more` are further settings."""
    prefix = f"townsquare-test-{uuid.uuid4().hex}"
    yield Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        base_url="http://testserver",
        redis_url=TEST_REDIS_URL if redis else "",
        redis_key_prefix=prefix,
        **more,
    )
    if redis:
        client = Redis.from_url(TEST_REDIS_URL)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
        client.close()
