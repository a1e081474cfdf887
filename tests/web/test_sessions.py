"""Web sessions live on the server: signing out (or a new password) ends them everywhere,
even for a copy of the cookie; they expire two weeks after their last use."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from litestar.testing import TestClient
from sqlalchemy import select

from conftest import AccountFactory
from townsquare.app import Services, create_app
from townsquare.kernel import Clock, FixedClock
from townsquare.microblog import Microblog
from townsquare.storage.tables import web_sessions
from web.forms import WebClient, sign_in, submit


@pytest.fixture
def clock() -> Clock:
    return FixedClock(datetime(2027, 3, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
def another_worker(services: Services) -> Iterator[WebClient]:
    """A second application over the same database and secret, as another worker process
    would be."""
    with TestClient(app=create_app(services)) as second:
        yield second


def signed_in(client: WebClient) -> bool:
    """Whether the page offers to sign out (anonymous visitors get the landing page at /,
    with a 200 too, so the status alone does not tell)."""
    return 'action="/logout"' in client.get("/", follow_redirects=False).text


def test_a_copied_cookie_stops_working_once_its_owner_signs_out(
    client: WebClient, another_worker: WebClient, make_account: AccountFactory
) -> None:
    make_account("alice")
    sign_in(client, "alice")
    another_worker.cookies.update(dict(client.cookies))  # the copy, used from another worker
    assert signed_in(another_worker)
    assert submit(client, "/logout").headers["location"] == "/public"
    assert not signed_in(client)
    assert not signed_in(another_worker)


def test_signing_out_ends_only_that_session(
    client: WebClient, another_worker: WebClient, make_account: AccountFactory
) -> None:
    make_account("alice")
    sign_in(client, "alice")
    sign_in(another_worker, "alice")  # the same person on a second device
    submit(client, "/logout")
    assert signed_in(another_worker)


def test_a_new_password_ends_every_session_of_the_account(
    client: WebClient, microblog: Microblog, make_account: AccountFactory
) -> None:
    alice = make_account("alice")
    sign_in(client, "alice")
    microblog.accounts.set_password(alice.id, "a brand new password")
    assert not signed_in(client)


def test_a_session_expires_two_weeks_after_its_last_use(
    client: WebClient, clock: FixedClock, make_account: AccountFactory
) -> None:
    make_account("alice")
    sign_in(client, "alice")
    clock.advance(timedelta(days=13))
    assert signed_in(client)  # used: it lasts two weeks from now
    clock.advance(timedelta(days=13))
    assert signed_in(client)
    clock.advance(timedelta(days=14, seconds=1))
    assert not signed_in(client)


def test_the_database_holds_only_a_digest_of_the_session_token(
    client: WebClient, microblog: Microblog, make_account: AccountFactory
) -> None:
    alice = make_account("alice")
    sign_in(client, "alice")
    with microblog.db.read() as conn:
        rows = conn.execute(select(web_sessions)).all()
    assert [row.account_id for row in rows] == [alice.id]
    assert len(rows[0].token_hash) == 64
    cookie = client.cookies["session"]
    assert rows[0].token_hash not in cookie


def test_ending_every_session_of_an_account_signs_it_out_everywhere(
    client: WebClient, microblog: Microblog, make_account: AccountFactory
) -> None:
    alice = make_account("alice")
    sign_in(client, "alice")
    microblog.sessions.end_all(alice.id)
    assert not signed_in(client)
