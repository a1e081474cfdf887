"""Submitting the web UI's forms from tests, with the CSRF token a browser would send."""

from typing import Any

from httpx import Response
from litestar import Litestar
from litestar.testing import TestClient

from conftest import PASSWORD

WebClient = TestClient[Litestar]


def csrf_token(client: WebClient) -> str:
    """This browser's CSRF token, obtained the way a browser gets it: by loading a page."""
    token = client.cookies.get("csrftoken")
    if token is None:
        client.get("/public")
        token = client.cookies.get("csrftoken")
    assert token, "the CSRF middleware set no cookie"
    return token


def submit(
    client: WebClient, path: str, data: dict[str, Any] | None = None, *, follow: bool = False
) -> Response:
    """POST a form of the web UI, with its CSRF token."""
    fields = {"_csrf_token": csrf_token(client), **(data or {})}
    return client.post(path, data=fields, follow_redirects=follow)


def sign_in(client: WebClient, login: str, password: str = PASSWORD) -> None:
    response = submit(client, "/login", {"login": login, "password": password})
    assert response.status_code == 303, response.text
