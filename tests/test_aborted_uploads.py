"""A client that hangs up in the middle of its request body costs the operator one log line,
not a 6 KB traceback, and is answered 400 if anything still listens. The log is checked over
a real server (uvicorn on a loopback port), since only a real connection can be cut."""

import asyncio
import logging
import socket
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from live_server import serve_asgi
from townsquare.app import Services, create_app

_ANNOUNCED = 10_000  # the Content-Length each request claims, far more than it sends


@pytest.fixture
def server(services: Services) -> Iterator[str]:
    with serve_asgi(create_app(services)) as url:
        yield url


def _csrf_cookie(url: str) -> str:
    """A CSRF token the way a browser gets one (the web forms check it before the body)."""
    token = httpx.get(f"{url}/public").cookies.get("csrftoken")
    assert token
    return token


def _cut_off_requests(url: str) -> list[tuple[str, bytes]]:
    """(path, the head and the first part of a body) for each kind of upload."""
    token = _csrf_cookie(url)

    def head(path: str, content_type: str, *extra: str) -> bytes:
        lines = [
            f"POST {path} HTTP/1.1",
            f"Host: {urlsplit(url).netloc}",
            f"Content-Type: {content_type}",
            f"Content-Length: {_ANNOUNCED}",
            *extra,
        ]
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    form_headers = (f"Cookie: csrftoken={token}", f"X-CSRFToken: {token}")
    return [
        ("/api/v1/apps", head("/api/v1/apps", "application/json") + b'{"client_name": "ha'),
        (
            "/api/v1/apps",
            head("/api/v1/apps", "multipart/form-data; boundary=cut")
            + b'--cut\r\nContent-Disposition: form-data; name="client_name"\r\n\r\nha',
        ),
        (
            "/login",
            head("/login", "application/x-www-form-urlencoded", *form_headers) + b"login=al",
        ),
    ]


def _records_after(caplog: pytest.LogCaptureFixture, start: int) -> list[logging.LogRecord]:
    """The records logged since `start`, once a first one has come and a moment has passed
    for any other the same request would add."""
    deadline = time.monotonic() + 10
    while len(caplog.records) <= start and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    return [r for r in caplog.records[start:] if not r.name.startswith("httpx")]


@pytest.mark.parametrize("kind", [0, 1, 2], ids=["json", "multipart", "form"])
def test_a_client_hanging_up_mid_body_costs_one_log_line(
    server: str, caplog: pytest.LogCaptureFixture, kind: int
) -> None:
    path, partial = _cut_off_requests(server)[kind]
    with caplog.at_level(logging.INFO):
        start = len(caplog.records)
        address = urlsplit(server)
        with socket.create_connection((address.hostname or "", address.port or 80)) as sock:
            sock.sendall(partial)
            time.sleep(0.2)  # the server is now waiting for the rest
        logged = _records_after(caplog, start)
    assert len(logged) == 1, [r.getMessage() for r in logged]
    line = logged[0]
    assert line.exc_info is None
    assert "\n" not in line.getMessage()
    assert path in line.getMessage()
    assert "disconnected" in line.getMessage()


def test_the_answer_to_a_cut_off_body_is_a_400(services: Services) -> None:
    # Straight over ASGI: the server reports the hang-up while the app still can answer.
    app = create_app(services)
    incoming: list[dict[str, Any]] = [
        {"type": "http.request", "body": b'{"client_name": "ha', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[dict[str, Any]] = []
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/townsquare/moderation/requests",
        "raw_path": b"/api/v1/townsquare/moderation/requests",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }

    async def receive() -> dict[str, Any]:
        return incoming.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    assert sent[0]["status"] == 400
    body = b"".join(m.get("body", b"") for m in sent)
    assert b"ended before the length" in body
