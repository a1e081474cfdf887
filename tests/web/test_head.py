"""`HEAD` answers like `GET` on every page: same status, same headers, no body."""

import asyncio
from typing import Any

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute

from conftest import AccountFactory, PostFactory
from townsquare.app import Services, create_app
from townsquare.microblog import Role
from web.forms import WebClient, sign_in

# Headers that describe the representation, which RFC 9110 §9.3.2 says HEAD should repeat.
_SAME_HEADERS = ("content-type", "content-length", "location", "allow")


def _pages_without_path_parameters(app: Litestar) -> list[str]:
    """Every GET route of the web pages whose path has no parameters, from the route table."""
    return sorted(
        route.path
        for route in app.routes
        if isinstance(route, HTTPRoute)
        and "GET" in route.methods
        and not route.path_parameters
        and not route.path.startswith(("/api", "/oauth", "/.well-known", "/ledger/"))
    )


def _assert_head_like_get(client: WebClient, path: str) -> None:
    got = client.get(path, follow_redirects=False)
    head = client.head(path, follow_redirects=False)
    assert head.status_code == got.status_code, path
    assert head.content == b"", path
    for name in _SAME_HEADERS:
        assert head.headers.get(name) == got.headers.get(name), (path, name)


@pytest.mark.parametrize("signed_in", [False, True])
def test_head_on_every_page_answers_like_get(
    client: WebClient, make_account: AccountFactory, signed_in: bool
) -> None:
    make_account("chief", role=Role.ADMIN)
    if signed_in:
        sign_in(client, "chief")
    pages = _pages_without_path_parameters(client.app)
    assert {"/", "/public", "/decisions", "/policies", "/ledger", "/login"} <= set(pages)
    for path in pages:
        _assert_head_like_get(client, path)


def test_head_on_pages_with_parameters(
    client: WebClient, make_account: AccountFactory, make_post: PostFactory
) -> None:
    alice = make_account("alice")
    post = make_post(alice, "hello")
    for path in ["/@alice", f"/@alice/{post.id}", "/tags/hello", "/@nobody", "/no/such/page"]:
        _assert_head_like_get(client, path)


def test_head_on_the_api_answers_like_get(client: WebClient) -> None:
    for path in ["/api/v1/instance", "/api/v1/timelines/public", "/ledger/checkpoint"]:
        _assert_head_like_get(client, path)


async def _call(app: Litestar, method: str, path: str) -> list[dict[str, Any]]:
    """The messages `app` sends for one request, straight over ASGI (no client in between
    that could drop a body on its own)."""
    sent: list[dict[str, Any]] = []
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)  # type: ignore[arg-type]
    return sent


@pytest.mark.parametrize("path", ["/public", "/api/v1/instance", "/no/such/page"])
def test_head_sends_the_get_headers_and_no_body_bytes(services: Services, path: str) -> None:
    app = create_app(services)
    got = asyncio.run(_call(app, "GET", path))
    head = asyncio.run(_call(app, "HEAD", path))
    assert [m["type"] for m in head] == [m["type"] for m in got]
    assert head[0]["status"] == got[0]["status"]
    assert b"".join(m.get("body", b"") for m in got) != b""
    assert b"".join(m.get("body", b"") for m in head) == b""
    length = dict(got[0]["headers"]).get(b"content-length")
    assert dict(head[0]["headers"]).get(b"content-length") == length
