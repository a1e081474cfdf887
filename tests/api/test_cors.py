"""Browser clients on other origins (Elk, Phanpy) can call the API with a bearer token, and a
session cookie never authenticates a cross-origin request."""

import pytest

from api.conftest import Client, UserFactory
from conftest import PASSWORD
from townsquare.microblog import Microblog
from web.forms import sign_in

ELK = "https://elk.example"


def preflight(client: Client, path: str, method: str, headers: str = "") -> dict[str, str]:
    asked = {"Origin": ELK, "Access-Control-Request-Method": method}
    if headers:
        asked["Access-Control-Request-Headers"] = headers
    response = client.options(path, headers=asked)
    assert response.status_code == 204, response.text
    return dict(response.headers)


@pytest.mark.parametrize(
    "path", ["/api/v1/statuses", "/api/v2/instance", "/oauth/token", "/.well-known/nodeinfo"]
)
def test_a_preflight_allows_any_origin_the_api_methods_and_the_asked_headers(
    client: Client, path: str
) -> None:
    headers = preflight(client, path, "POST", "authorization, content-type, idempotency-key")

    assert headers["access-control-allow-origin"] == "*"
    assert "POST" in headers["access-control-allow-methods"]
    assert "DELETE" in headers["access-control-allow-methods"]
    assert headers["access-control-allow-headers"] == "authorization, content-type, idempotency-key"
    assert "access-control-allow-credentials" not in headers


def test_a_cross_origin_answer_exposes_paging_and_rate_limit_headers(
    client: Client, make_user: UserFactory
) -> None:
    alice = make_user("alice")
    posted = client.post(
        "/api/v1/statuses", json={"status": "hello"}, headers={**alice.headers, "Origin": ELK}
    )
    timeline = client.get("/api/v1/timelines/home", headers={**alice.headers, "Origin": ELK})

    assert posted.status_code == 200, posted.text
    assert posted.headers["access-control-allow-origin"] == "*"
    assert timeline.json()[0]["content"] == "<p>hello</p>"
    exposed = timeline.headers["access-control-expose-headers"]
    assert "Link" in exposed
    assert "X-RateLimit-Remaining" in exposed
    assert "access-control-allow-credentials" not in timeline.headers


def test_errors_are_readable_cross_origin_too(client: Client) -> None:
    response = client.get(
        "/api/v1/accounts/verify_credentials",
        headers={"Origin": ELK, "Authorization": "Bearer nope"},
    )

    assert response.status_code == 401
    assert response.headers["access-control-allow-origin"] == "*"


def test_a_session_cookie_never_authenticates_the_api(client: Client, microblog: Microblog) -> None:
    microblog.accounts.register("alice", PASSWORD, email="alice@example.com")
    sign_in(client, "alice")

    response = client.get("/api/v1/accounts/verify_credentials", headers={"Origin": ELK})
    posted = client.post("/api/v1/statuses", data={"status": "forged"}, headers={"Origin": ELK})

    assert response.status_code == 401
    assert posted.status_code == 401
    assert client.get("/api/v1/timelines/public").json() == []


@pytest.mark.parametrize("path", ["/oauth/authorize", "/login", "/public", "/settings"])
def test_pages_and_the_consent_form_stay_same_origin(client: Client, path: str) -> None:
    response = client.options(
        path, headers={"Origin": ELK, "Access-Control-Request-Method": "POST"}
    )
    page = client.get(path, headers={"Origin": ELK})

    assert "access-control-allow-origin" not in response.headers
    assert "access-control-allow-origin" not in page.headers


def test_every_api_answer_allows_any_origin_so_a_cache_cannot_mix_them_up(
    client: Client,
) -> None:
    response = client.get("/api/v2/instance")

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
