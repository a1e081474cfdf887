"""Errors to statuses, and the two response shapes (Mastodon's and RFC 9457)."""

from typing import Any

import pytest
from litestar import Litestar, Request, Response, get
from litestar.exceptions import (
    InternalServerException,
    MethodNotAllowedException,
    NotFoundException,
    ValidationException,
)
from litestar.testing import TestClient

from townsquare.api import error_response, is_api_path, status_and_message
from townsquare.api._errors import MalformedRequestError, OAuthError
from townsquare.kernel import (
    AuthenticationRequiredError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
)
from townsquare.microblog import (
    HandleTakenError,
    InvalidPostError,
    LoginThrottledError,
    PostNotFoundError,
)

from .conftest import Client, UserFactory


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (InvalidInputError("bad"), 422),
        (InvalidPostError("too long"), 422),
        (MalformedRequestError("not JSON"), 400),
        (NotFoundError("gone"), 404),
        (PostNotFoundError("gone"), 404),
        (PermissionDeniedError("no"), 403),
        (AuthenticationRequiredError("who?"), 401),
        (ConflictError("taken"), 409),
        (HandleTakenError("taken"), 409),
        (NotFoundException(), 404),
        (MethodNotAllowedException(), 405),
        (OAuthError("invalid_grant", "nope"), 400),
        (InternalServerException("client disconnected prematurely"), 400),
        (InternalServerException("the disk is full"), 500),
        (RateLimitedError("wait", retry_after=5), 429),
        (LoginThrottledError("wait", retry_after=5, limit=5, reset_at=0.0), 429),
        (RuntimeError("secret internals"), 500),
        (KeyError("column"), 500),
    ],
)
def test_status_and_message_maps_each_kind(exc: Exception, status: int) -> None:
    assert status_and_message(exc)[0] == status


def test_unknown_errors_say_nothing_about_internals() -> None:
    _, message = status_and_message(RuntimeError("password=hunter2 at db.py:12"))
    assert "hunter2" not in message
    assert "went wrong" in message


def test_validation_errors_name_the_field() -> None:
    exc = ValidationException(
        detail="Validation failed for GET /x",
        extra=[{"key": "limit", "message": "Expected `int`", "source": "query"}],
    )
    status, message = status_and_message(exc)
    assert status == 422
    assert "limit" in message


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/v1/statuses", True),
        ("/oauth/token", True),
        ("/.well-known/oauth-authorization-server", True),
        ("/api/openapi.json", True),
        ("/@alice", False),
        ("/apiary", False),
        ("/", False),
    ],
)
def test_is_api_path(path: str, expected: bool) -> None:
    assert is_api_path(path) is expected


def _app_raising(exc: Exception) -> Litestar:
    @get(["/api/v1/boom", "/api/v1/townsquare/boom"], sync_to_thread=False)
    def boom() -> None:
        raise exc

    def on_error(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
        return error_response(request, error)

    return Litestar(
        [boom], exception_handlers={Exception: on_error}, logging_config=None, debug=False
    )


def test_an_unexpected_error_is_a_generic_500_and_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with TestClient(_app_raising(RuntimeError("internal detail"))) as c:
        mastodon = c.get("/api/v1/boom")
        problem = c.get("/api/v1/townsquare/boom")
    assert mastodon.status_code == 500
    assert "internal detail" not in mastodon.text
    assert set(mastodon.json()) == {"error"}
    assert problem.status_code == 500
    assert problem.headers["content-type"].startswith("application/problem+json")
    assert "internal detail" not in problem.text
    assert "internal detail" in caplog.text  # the traceback is logged for the operator


def test_a_conflict_is_422_on_mastodon_routes_and_409_on_townsquare_routes() -> None:
    with TestClient(_app_raising(ConflictError("That handle is taken."))) as c:
        assert c.get("/api/v1/boom").status_code == 422
        assert c.get("/api/v1/townsquare/boom").status_code == 409


def test_a_rate_limit_is_429_with_retry_after_in_both_shapes() -> None:
    with TestClient(_app_raising(RateLimitedError("Slow down.", retry_after=42))) as c:
        mastodon = c.get("/api/v1/boom")
        problem = c.get("/api/v1/townsquare/boom")
    assert (mastodon.status_code, mastodon.headers["retry-after"]) == (429, "42")
    assert mastodon.json() == {"error": "Slow down."}
    assert (problem.status_code, problem.headers["retry-after"]) == (429, "42")
    assert problem.headers["content-type"].startswith("application/problem+json")
    assert problem.json()["title"] == "Too Many Requests"
    assert problem.json()["detail"] == "Slow down."


def test_townsquare_routes_answer_problem_details(client: Client) -> None:
    response = client.get("/api/v1/townsquare/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": body["detail"],
    }


def test_mastodon_routes_answer_an_error_object(client: Client) -> None:
    response = client.get("/api/v1/statuses/not-a-number")
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}


def test_wrong_method_is_405_with_allow(client: Client) -> None:
    response = client.delete("/api/v1/instance")
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]
    assert "error" in response.json()


def test_oversized_body_is_413_and_writes_nothing(client: Client, make_user: UserFactory) -> None:
    alice = make_user()
    response = client.post(
        "/api/v1/statuses", headers=alice.headers, data={"status": "x" * 1_100_000}
    )
    assert response.status_code == 413
    assert "error" in response.json()
    home = client.get("/api/v1/timelines/home", headers=alice.headers)
    assert home.json() == []


def test_ping_is_cheap_and_open(client: Client) -> None:
    response = client.get("/api/v1/townsquare/ping")
    assert response.status_code == 200
    assert response.json() == {"ok": True}


def test_openapi_document_is_served(client: Client) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "Townsquare"
    assert "/api/v1/statuses" in document["paths"]
