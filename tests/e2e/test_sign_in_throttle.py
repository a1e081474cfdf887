"""Sign-in throttling over real HTTP, at the three places a password is typed: the web form,
the OAuth password grant and the OAuth consent form.

Each client connects from its own loopback address (127.0.0.2, 127.0.0.3…), so the server
sees distinct client addresses as it would on the Internet.
"""

import dataclasses
import os
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import httpx
import pytest

from conftest import FAST_PASSWORDS, PASSWORD
from live_server import free_port_socket, serve_asgi
from townsquare.api._grants import Grants
from townsquare.api._scopes import parse_scopes
from townsquare.app import build_services, create_app
from townsquare.microblog import LoginThrottle, ThrottleLimits, ThrottleTier
from townsquare.settings import Settings

pytestmark = pytest.mark.e2e

CALLBACK = "https://client.example/callback"
REDIS_URL = os.environ.get("TOWNSQUARE_TEST_REDIS_URL", "")
LIMITS = ThrottleLimits(
    per_account=(ThrottleTier(3, 60), ThrottleTier(10, 3600)),
    per_address=(ThrottleTier(4, 60),),
)


@dataclasses.dataclass(frozen=True)
class Server:
    url: str
    client_id: str
    client_secret: str

    @contextmanager
    def client(self, address: str) -> Iterator[httpx.Client]:
        """An HTTP client whose connections come from `address` (a loopback address)."""
        transport = httpx.HTTPTransport(local_address=address)
        with httpx.Client(base_url=self.url, transport=transport, timeout=30) as http:
            yield http


@contextmanager
def serving(settings: Settings, throttle: LoginThrottle) -> Iterator[Server]:
    sock, url = free_port_socket()
    services = build_services(
        dataclasses.replace(settings, base_url=url),
        passwords=FAST_PASSWORDS,
        login_throttle=throttle,
    )
    for name in ("alice", "bob", "carol", "dave", "erin", "frank"):
        services.microblog.accounts.register(name, PASSWORD)
    grants = Grants(services.microblog)
    app = grants.register_app("tests", None, (CALLBACK,), parse_scopes("read write"))
    try:
        with serve_asgi(create_app(services), sock=sock):
            yield Server(url, app.client_id, app.client_secret)
    finally:
        services.db.dispose()


@pytest.fixture(params=["memory", *(["redis"] if REDIS_URL else [])])
def server(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Server]:
    if request.param == "memory":
        throttle = LoginThrottle(limits=LIMITS)
    else:
        prefix = f"townsquare-test-{uuid.uuid4().hex}"
        throttle = LoginThrottle.from_url(REDIS_URL, key_prefix=prefix, limits=LIMITS)
    with serving(settings, throttle) as running:
        yield running


# -- the three places, each answering: refused, throttled or signed in -------------------

SignIn = Callable[[Server, httpx.Client, str, str], httpx.Response]


def web_form(server: Server, http: httpx.Client, login: str, password: str) -> httpx.Response:
    http.get("/login")  # a browser loads the form first, and gets its CSRF cookie
    form = {"_csrf_token": http.cookies["csrftoken"], "login": login, "password": password}
    return http.post("/login", data=form)


def password_grant(server: Server, http: httpx.Client, login: str, password: str) -> httpx.Response:
    form = {
        "grant_type": "password",
        "client_id": server.client_id,
        "client_secret": server.client_secret,
        "username": login,
        "password": password,
        "scope": "read",
    }
    return http.post("/oauth/token", data=form)


def consent_form(server: Server, http: httpx.Client, login: str, password: str) -> httpx.Response:
    form = {
        "client_id": server.client_id,
        "response_type": "code",
        "redirect_uri": CALLBACK,
        "scope": "read",
        "state": "s",
        "login": login,
        "password": password,
        "decision": "approve",
    }
    return http.post("/oauth/authorize", data=form)


PLACES: dict[str, SignIn] = {
    "web form": web_form,
    "password grant": password_grant,
    "consent form": consent_form,
}
REFUSED: dict[SignIn, int] = {web_form: 422, password_grant: 400, consent_form: 422}
SIGNED_IN: dict[SignIn, int] = {web_form: 303, password_grant: 200, consent_form: 303}


def retry_after(response: httpx.Response) -> int:
    assert response.status_code == 429, response.text
    return int(response.headers["retry-after"])


@pytest.mark.parametrize("sign_in", PLACES.values(), ids=PLACES.keys())
def test_wrong_passwords_then_429_even_for_the_right_one(server: Server, sign_in: SignIn) -> None:
    with server.client("127.0.0.2") as guesser:
        for _ in range(3):
            assert (
                sign_in(server, guesser, "alice", "wrong password").status_code == REFUSED[sign_in]
            )
        assert 1 <= retry_after(sign_in(server, guesser, "alice", PASSWORD)) <= 60
    with server.client("127.0.0.3") as alice:  # the account waits, wherever it is typed
        assert 1 <= retry_after(sign_in(server, alice, "alice", PASSWORD)) <= 60
    with server.client("127.0.0.4") as bob:  # another account from another address
        assert sign_in(server, bob, "bob", PASSWORD).status_code == SIGNED_IN[sign_in]


@pytest.mark.parametrize("sign_in", PLACES.values(), ids=PLACES.keys())
def test_an_address_that_guessed_too_often_waits_for_every_account(
    server: Server, sign_in: SignIn
) -> None:
    with server.client("127.0.0.5") as guesser:
        for name in ("bob", "carol", "dave", "erin"):
            assert sign_in(server, guesser, name, "wrong password").status_code == REFUSED[sign_in]
        assert 1 <= retry_after(sign_in(server, guesser, "frank", PASSWORD)) <= 60
    with server.client("127.0.0.6") as frank:
        assert sign_in(server, frank, "frank", PASSWORD).status_code == SIGNED_IN[sign_in]


@pytest.mark.parametrize("sign_in", PLACES.values(), ids=PLACES.keys())
def test_the_wait_grows_tier_by_tier(settings: Settings, sign_in: SignIn) -> None:
    limits = ThrottleLimits(
        per_account=(ThrottleTier(2, 2), ThrottleTier(4, 60)), per_address=(ThrottleTier(50, 60),)
    )
    with (
        serving(settings, LoginThrottle(limits=limits)) as server,
        server.client("127.0.0.7") as http,
    ):
        for _ in range(2):
            sign_in(server, http, "alice", "wrong password")
        first = retry_after(sign_in(server, http, "alice", "wrong password"))
        time.sleep(first + 0.1)  # the two-second tier frees up; the minute tier holds 2
        for _ in range(2):
            assert sign_in(server, http, "alice", "wrong password").status_code == REFUSED[sign_in]
        second = retry_after(sign_in(server, http, "alice", PASSWORD))
    assert first <= 2
    assert 50 <= second <= 60


def test_the_web_form_says_when_to_try_again_in_french_and_english(server: Server) -> None:
    with server.client("127.0.0.8") as http:
        for _ in range(3):
            web_form(server, http, "alice", "wrong password")
        english = web_form(server, http, "alice", PASSWORD)
        http.headers["Accept-Language"] = "fr"
        french = web_form(server, http, "alice", PASSWORD)
    assert english.status_code == french.status_code == 429
    assert re.search(
        r"Too many failed sign-ins .* try again in \d+ (seconds?|minutes?)", english.text
    )
    assert re.search(
        r"Trop de connexions échouées .* réessayer dans \d+ (secondes?|minutes?)", french.text
    )
    assert 'value="alice"' in english.text  # the form comes back filled in


def test_the_consent_form_says_when_to_try_again(server: Server) -> None:
    with server.client("127.0.0.9") as http:
        for _ in range(3):
            consent_form(server, http, "alice", "wrong password")
        http.headers["Accept-Language"] = "fr"
        page = consent_form(server, http, "alice", PASSWORD)
    assert page.status_code == 429
    assert page.headers["content-type"].startswith("text/html")
    assert (page.headers["X-RateLimit-Limit"], page.headers["X-RateLimit-Remaining"]) == ("3", "0")
    assert "Trop de connexions échouées" in page.text


def test_the_password_grant_answers_a_mastodon_error_with_retry_after(server: Server) -> None:
    with server.client("127.0.0.10") as http:
        for _ in range(3):
            password_grant(server, http, "alice", "wrong password")
        throttled = password_grant(server, http, "alice", PASSWORD)
    assert 1 <= retry_after(throttled) <= 60
    assert "Too many failed sign-ins" in throttled.json()["error"]
    # Mastodon's counters, as on every other limited request: the used-up tier (3 a minute)
    assert throttled.headers["X-RateLimit-Limit"] == "3"
    assert throttled.headers["X-RateLimit-Remaining"] == "0"
    reset = datetime.fromisoformat(throttled.headers["X-RateLimit-Reset"])
    assert 0 < (reset - datetime.now(UTC)).total_seconds() <= 61
