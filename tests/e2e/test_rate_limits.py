"""Rate limits over real HTTP, configured as an operator configures them (settings): posting,
following, reporting and registering through the Mastodon API (X-RateLimit-* headers, 429
in Mastodon's error shape) and the web pages (a 429 page in French and English), sign-in
throttling, and the switch that turns them off. Counters are in process memory, and in Redis
when `TOWNSQUARE_TEST_REDIS_URL` is set.

Each client connects from its own loopback address (127.0.0.2, 127.0.0.3…), so the server
sees distinct client addresses as it would on the Internet.
"""

import dataclasses
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from conftest import FAST_PASSWORDS, PASSWORD
from live_server import free_port_socket, serve_asgi
from townsquare.api._grants import Grants
from townsquare.api._scopes import parse_scopes
from townsquare.app import Services, build_services, create_app
from townsquare.settings import RateLimitSettings, Settings

pytestmark = pytest.mark.e2e

REDIS_URL = os.environ.get("TOWNSQUARE_TEST_REDIS_URL", "")
NAMES = ("alice", "bob", "carol", "dave", "erin")
# Hour-long windows: nothing ends while a test runs.
LIMITS = RateLimitSettings(
    posts_per_account="3/hour",
    posts_per_address="5/hour",
    follows_per_account="2/hour",
    reports_per_account="1/hour",
    registrations_per_address="2/hour",
    sign_ins_per_account="2/hour",
    sign_ins_per_address="50/hour",
)


@dataclasses.dataclass(frozen=True)
class Server:
    url: str
    services: Services
    tokens: dict[str, str]  # a bearer token per account name
    client_id: str
    client_secret: str

    @contextmanager
    def client(self, address: str, name: str | None = None) -> Iterator[httpx.Client]:
        """An HTTP client whose connections come from `address` (a loopback address),
        sending `name`'s bearer token if one is named."""
        transport = httpx.HTTPTransport(local_address=address)
        headers = {"Authorization": f"Bearer {self.tokens[name]}"} if name else {}
        with httpx.Client(
            base_url=self.url, transport=transport, headers=headers, timeout=30
        ) as http:
            yield http

    def account_id(self, name: str) -> int:
        return self.services.microblog.accounts.by_username(name).id


@contextmanager
def serving(settings: Settings, limits: RateLimitSettings) -> Iterator[Server]:
    sock, url = free_port_socket()
    configured = dataclasses.replace(settings, base_url=url, rate_limits=limits)
    services = build_services(configured, passwords=FAST_PASSWORDS)
    grants = Grants(services.microblog)
    app = grants.register_app(
        "tests", None, ("urn:ietf:wg:oauth:2.0:oob",), parse_scopes("read write follow")
    )
    tokens = {}
    for name in NAMES:
        account = services.microblog.accounts.register(name, PASSWORD)
        tokens[name] = grants.issue_token(app.id, account.id, app.scopes).access_token
    try:
        with serve_asgi(create_app(services), sock=sock):
            yield Server(url, services, tokens, app.client_id, app.client_secret)
    finally:
        services.id_worker.stop()
        services.db.dispose()


@pytest.fixture(params=["memory", *(["redis"] if REDIS_URL else [])])
def counting(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    """The settings with the counters in memory, or in Redis under a key prefix of this
    test's own (so tests never see each other's counters)."""
    if request.param == "memory":
        return settings
    prefix = f"townsquare-test-{uuid.uuid4().hex}"
    return dataclasses.replace(settings, redis_url=REDIS_URL, redis_key_prefix=prefix)


@pytest.fixture
def server(counting: Settings) -> Iterator[Server]:
    with serving(counting, LIMITS) as running:
        yield running


def rate_limit(response: httpx.Response) -> tuple[int, int, datetime]:
    """Mastodon's X-RateLimit-Limit, -Remaining and -Reset (an ISO 8601 time)."""
    reset = datetime.fromisoformat(response.headers["x-ratelimit-reset"])
    return (
        int(response.headers["x-ratelimit-limit"]),
        int(response.headers["x-ratelimit-remaining"]),
        reset,
    )


def refused(response: httpx.Response) -> int:
    """The seconds a 429 says to wait."""
    assert response.status_code == 429, response.text
    return int(response.headers["retry-after"])


def post_status(http: httpx.Client, text: str) -> httpx.Response:
    return http.post("/api/v1/statuses", data={"status": text})


# -- the Mastodon API --------------------------------------------------------------------


def test_posting_counts_down_in_the_headers_then_429_with_them(server: Server) -> None:
    start = datetime.now(UTC)
    with server.client("127.0.0.2", "alice") as alice:
        answers = [post_status(alice, f"post {n}") for n in range(3)]
        over = post_status(alice, "one too many")
        listed = alice.get(f"/api/v1/accounts/{server.account_id('alice')}/statuses").json()
    assert [a.status_code for a in answers] == [200, 200, 200]
    usages = [rate_limit(a) for a in answers]
    assert [(limit, remaining) for limit, remaining, _ in usages] == [(3, 2), (3, 1), (3, 0)]
    reset = usages[0][2]
    assert reset.tzinfo is not None
    assert start < reset <= start + timedelta(hours=1, seconds=5)
    assert answers[0].headers["x-ratelimit-reset"].endswith("Z")
    assert 3500 <= refused(over) <= 3600
    assert rate_limit(over)[:2] == (3, 0)
    assert over.json()["error"] == (
        f"You have posted too often; try again in {over.headers['retry-after']} seconds."
    )
    assert sorted(s["content"] for s in listed) == [f"<p>post {n}</p>" for n in range(3)]


def test_an_address_posting_for_several_accounts_waits_for_all_of_them(server: Server) -> None:
    for name in ("alice", "bob"):
        with server.client("127.0.0.3", name) as http:
            answers = [post_status(http, f"{name} {n}") for n in range(2)]
            assert [a.status_code for a in answers] == [200, 200]
    with server.client("127.0.0.3", "carol") as carol:
        fifth = post_status(carol, "carol 1")
        last = post_status(carol, "carol 2")
    assert fifth.status_code == 200
    assert rate_limit(fifth)[:2] == (5, 0)  # the tightest counter: the address's
    assert 1 <= refused(last) <= 3600
    assert rate_limit(last)[:2] == (5, 0)  # the address's counter, not carol's
    with server.client("127.0.0.4", "carol") as elsewhere:
        assert post_status(elsewhere, "carol from home").status_code == 200


def test_reposts_count_with_posts(server: Server) -> None:
    with server.client("127.0.0.5", "bob") as bob:
        original = post_status(bob, "worth sharing").json()["id"]
    with server.client("127.0.0.6", "dave") as dave:
        for n in range(2):
            assert post_status(dave, f"dave {n}").status_code == 200
        reblogged = dave.post(f"/api/v1/statuses/{original}/reblog")
        over = dave.post(f"/api/v1/statuses/{original}/unreblog")  # undoing is not counted
        again = post_status(dave, "dave 3")
    assert rate_limit(reblogged)[:2] == (3, 0)
    assert over.status_code == 200
    assert "x-ratelimit-limit" not in over.headers
    assert refused(again) >= 1


def test_following_is_limited_and_unfollowing_is_not(server: Server) -> None:
    with server.client("127.0.0.7", "alice") as alice:
        follows = [
            alice.post(f"/api/v1/accounts/{server.account_id(name)}/follow")
            for name in ("bob", "carol")
        ]
        unfollow = alice.post(f"/api/v1/accounts/{server.account_id('bob')}/unfollow")
        over = alice.post(f"/api/v1/accounts/{server.account_id('dave')}/follow")
        relationship = alice.get(
            "/api/v1/accounts/relationships", params={"id[]": server.account_id("dave")}
        ).json()
    assert [rate_limit(f)[:2] for f in follows] == [(2, 1), (2, 0)]
    assert unfollow.status_code == 200
    assert "x-ratelimit-limit" not in unfollow.headers
    assert refused(over) >= 1
    assert "You have followed accounts too often" in over.json()["error"]
    assert relationship[0]["following"] is False  # refused before anything was done


def test_reporting_is_limited(server: Server) -> None:
    with server.client("127.0.0.8", "erin") as erin:
        first = erin.post("/api/v1/reports", data={"account_id": server.account_id("bob")})
        second = erin.post("/api/v1/reports", data={"account_id": server.account_id("carol")})
    assert first.status_code == 200
    assert rate_limit(first)[:2] == (1, 0)
    assert refused(second) >= 1
    assert "You have filed reports too often" in second.json()["error"]
    assert rate_limit(second)[:2] == (1, 0)


def app_token(server: Server, http: httpx.Client) -> str:
    form = {
        "grant_type": "client_credentials",
        "client_id": server.client_id,
        "client_secret": server.client_secret,
        "scope": "read write",
    }
    token: str = http.post("/oauth/token", data=form).json()["access_token"]
    return token


def test_registration_is_limited_per_address(server: Server) -> None:
    with server.client("127.0.0.9") as http:
        http.headers["Authorization"] = f"Bearer {app_token(server, http)}"
        signups = [
            http.post(
                "/api/v1/accounts",
                data={"username": name, "password": PASSWORD, "agreement": "true"},
            )
            for name in ("newcomer1", "newcomer2", "newcomer3")
        ]
    with server.client("127.0.0.10") as other:
        other.headers["Authorization"] = f"Bearer {app_token(server, other)}"
        elsewhere = other.post(
            "/api/v1/accounts",
            data={"username": "newcomer4", "password": PASSWORD, "agreement": "true"},
        )
    assert [s.status_code for s in signups[:2]] == [200, 200]
    assert [rate_limit(s)[:2] for s in signups[:2]] == [(2, 1), (2, 0)]
    assert refused(signups[2]) >= 1
    assert "You have registered accounts too often" in signups[2].json()["error"]
    assert elsewhere.status_code == 200


# -- the web pages -----------------------------------------------------------------------


def web_sign_in(http: httpx.Client, login: str, password: str = PASSWORD) -> httpx.Response:
    http.get("/login")  # a browser loads the form first, and gets its CSRF cookie
    form = {"_csrf_token": http.cookies["csrftoken"], "login": login, "password": password}
    return http.post("/login", data=form)


def submit(http: httpx.Client, path: str, data: dict[str, str]) -> httpx.Response:
    return http.post(path, data={"_csrf_token": http.cookies["csrftoken"], **data})


def test_the_web_says_when_to_post_again_in_english_and_french(server: Server) -> None:
    with server.client("127.0.0.11") as http:
        assert web_sign_in(http, "bob").status_code == 303
        posted = [submit(http, "/compose", {"text": f"from the web {n}"}) for n in range(3)]
        english = submit(http, "/compose", {"text": "one too many"})
        http.headers["Accept-Language"] = "fr"
        french = submit(http, "/compose", {"text": "une de trop"})
    assert [p.status_code for p in posted] == [303, 303, 303]
    assert 3500 <= refused(english) <= 3600
    assert refused(french) >= 1
    assert english.headers["content-type"].startswith("text/html")
    assert "Too many requests; please wait a moment" in english.text
    assert re.search(
        r"You have done this too many times in a short while\. Please try again in \d+ "
        r"(hours?|minutes?)\.",
        english.text,
    )
    assert "Trop de requêtes" in french.text
    assert re.search(
        r"Vous avez fait cela trop souvent en peu de temps\. Veuillez réessayer dans \d+ "
        r"(heures?|minutes?)\.",
        french.text,
    )


def test_web_follows_reports_and_registrations_are_limited(server: Server) -> None:
    carol, dave, erin = (server.account_id(name) for name in ("carol", "dave", "erin"))
    with server.client("127.0.0.12") as http:
        web_sign_in(http, "alice")
        follows = [submit(http, f"/accounts/{a}/follow", {}) for a in (carol, dave, erin)]
        reports = [
            submit(http, f"/accounts/{a}/report", {"category": "spam", "comment": "ads"})
            for a in (carol, dave)
        ]
    with server.client("127.0.0.13") as stranger:
        stranger.get("/register")
        registrations = [
            submit(
                stranger,
                "/register",
                {"username": name, "password": PASSWORD, "password_confirmation": PASSWORD},
            )
            for name in ("webcomer1", "webcomer2", "webcomer3")
        ]
    assert [f.status_code for f in follows[:2]] == [303, 303]
    assert refused(follows[2]) >= 1
    assert reports[0].status_code == 200
    assert refused(reports[1]) >= 1
    assert [r.status_code for r in registrations[:2]] == [303, 303]
    assert refused(registrations[2]) >= 1
    assert "You have done this too many times" in registrations[2].text


# -- sign-in throttling, as configured ---------------------------------------------------


def password_grant(server: Server, http: httpx.Client, password: str) -> httpx.Response:
    form = {
        "grant_type": "password",
        "client_id": server.client_id,
        "client_secret": server.client_secret,
        "username": "carol",
        "password": password,
        "scope": "read",
    }
    return http.post("/oauth/token", data=form)


def test_sign_ins_follow_the_configured_tiers_and_a_success_starts_afresh(
    server: Server,
) -> None:
    with server.client("127.0.0.14") as http:
        assert password_grant(server, http, "wrong password").status_code == 400
        assert password_grant(server, http, PASSWORD).status_code == 200  # forgets the failure
        answers = [password_grant(server, http, "wrong password") for _ in range(2)]
        throttled = password_grant(server, http, PASSWORD)  # the right one, while throttled
        web = web_sign_in(http, "carol")
    assert [a.status_code for a in answers] == [400, 400]
    assert 3500 <= refused(throttled) <= 3600
    assert "Too many failed sign-ins" in throttled.json()["error"]
    assert refused(web) >= 1  # the account waits wherever the password is typed


# -- turned off --------------------------------------------------------------------------


def test_turned_off_nothing_is_limited_or_counted(counting: Settings) -> None:
    off = dataclasses.replace(LIMITS, enabled=False)
    with serving(counting, off) as server, server.client("127.0.0.15", "alice") as alice:
        answers = [post_status(alice, f"post {n}") for n in range(8)]
        sign_ins = [password_grant(server, alice, "wrong password") for _ in range(4)]
        signed_in = password_grant(server, alice, PASSWORD)
    assert {a.status_code for a in answers} == {200}
    assert not any("x-ratelimit-limit" in a.headers for a in answers)
    assert {s.status_code for s in sign_ins} == {400}
    assert signed_in.status_code == 200
