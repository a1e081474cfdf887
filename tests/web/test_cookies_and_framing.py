"""Cookies are `Secure` behind https, and no response may be framed by another site."""

import dataclasses
from collections.abc import Iterator

import pytest
from httpx import Headers
from litestar.testing import TestClient

from conftest import AccountFactory
from townsquare.app import Services, create_app
from web.forms import WebClient, sign_in


def set_cookies(response_headers: list[tuple[str, str]], name: str) -> list[str]:
    return [v for k, v in response_headers if k == "set-cookie" and v.startswith(f"{name}=")]


@pytest.fixture
def https_client(services: Services) -> Iterator[WebClient]:
    served = dataclasses.replace(
        services,
        settings=dataclasses.replace(services.settings, base_url="https://testserver.local"),
    )
    with TestClient(app=create_app(served), base_url="https://testserver.local") as client:
        yield client


def _cookie_headers(client: WebClient) -> dict[str, list[str]]:
    """The Set-Cookie lines of the CSRF, session and language cookies, from signing in and
    switching language."""
    page = client.get("/login")
    token = client.cookies["csrftoken"]
    login = client.post(
        "/login",
        data={"_csrf_token": token, "login": "alice", "password": "correct horse battery"},
        follow_redirects=False,
    )
    language = client.post(
        "/language", data={"_csrf_token": token, "lang": "fr"}, follow_redirects=False
    )
    lines = [*page.headers.multi_items(), *login.headers.multi_items()]
    lines += language.headers.multi_items()
    return {name: set_cookies(lines, name) for name in ("csrftoken", "session", "lang")}


def test_cookies_are_secure_when_the_base_url_is_https(
    https_client: WebClient, make_account: AccountFactory
) -> None:
    make_account("alice")
    for name, lines in _cookie_headers(https_client).items():
        assert lines, f"no {name} cookie was set"
        assert all("secure" in line.lower().split("; ") for line in lines), lines


def test_cookies_are_not_secure_over_plain_http(
    client: WebClient, make_account: AccountFactory
) -> None:
    make_account("alice")
    for name, lines in _cookie_headers(client).items():
        assert lines, f"no {name} cookie was set"
        assert not any("secure" in line.lower().split("; ") for line in lines), lines


def assert_not_framable(headers: Headers) -> None:
    assert headers["x-frame-options"] == "DENY"
    policies = headers.get_list("content-security-policy")
    assert len(policies) == 1, policies
    assert "frame-ancestors 'none'" in policies[0]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/public", 200),  # a page
        ("/no/such/page", 404),  # an error page no route matched
        ("/@nobody", 404),  # an error raised by a page
        ("/api/v1/instance", 200),  # the API
        ("/api/v1/statuses/12", 404),  # an API error
        ("/static/style.css", 200),  # a static file
        ("/ledger/checkpoint", 200),  # the ledger's tiles and checkpoints
    ],
)
def test_no_response_can_be_framed(client: WebClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert_not_framable(response.headers)


def test_a_response_with_its_own_policy_keeps_it_and_gains_frame_ancestors(
    client: WebClient, make_account: AccountFactory
) -> None:
    app = client.post(
        "/api/v1/apps", data={"client_name": "x", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}
    ).json()
    page = client.get(
        "/oauth/authorize",
        params={"client_id": app["client_id"], "response_type": "code", "scope": "read"},
    )
    assert page.status_code == 200
    assert_not_framable(page.headers)
    assert page.headers["content-security-policy"].startswith("default-src 'none'")


def test_signed_in_pages_cannot_be_framed_either(
    client: WebClient, make_account: AccountFactory
) -> None:
    make_account("alice")
    sign_in(client, "alice")
    assert_not_framable(client.get("/").headers)
