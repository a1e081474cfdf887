"""Errors to HTTP responses: the one place a Townsquare error becomes a status.

Mastodon routes answer `{"error": "…"}` (plus `error_description` for OAuth, RFC 6749 §5.2);
Townsquare's own routes answer RFC 9457 problem details.
"""

import logging
from http import HTTPStatus
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, InternalServerException, ValidationException

from townsquare.api._errors import (
    MalformedRequestError,
    OAuthError,
    UnsupportedMediaTypeError,
    UserRequiredError,
)
from townsquare.api._ledger_routes import LEDGER_API_PATHS
from townsquare.api._rate_limits import rate_limit_headers
from townsquare.kernel import (
    AuthenticationRequiredError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
)
from townsquare.microblog import ActionLimitedError, LoginThrottledError

__all__ = [
    "error_response",
    "is_api_path",
    "is_mastodon_path",
    "logged_status_and_message",
    "status_and_message",
]

_log = logging.getLogger(__name__)

GENERIC_SERVER_ERROR = "Something went wrong on the server. The error has been logged."
INCOMPLETE_BODY = "The request body ended before the length its Content-Length announced."
# What Litestar raises (as a 500) when the client hangs up while it reads the body.
_CLIENT_LEFT_DETAIL = "client disconnected prematurely"

# First match wins: the specific kinds come before the general ones they derive from.
_STATUSES: tuple[tuple[type[Exception], int], ...] = (
    (MalformedRequestError, 400),
    (UnsupportedMediaTypeError, 415),
    (UserRequiredError, 422),
    (InvalidInputError, 422),
    (NotFoundError, 404),
    (PermissionDeniedError, 403),
    (AuthenticationRequiredError, 401),
    (ConflictError, 409),
    (RateLimitedError, 429),
)

_API_PREFIXES = ("/api/", "/oauth/", "/.well-known/", *LEDGER_API_PATHS)
_MASTODON_PREFIXES = ("/api/v1/", "/api/v2/", "/oauth/")
_TOWNSQUARE_PREFIX = "/api/v1/townsquare/"


def is_api_path(path: str) -> bool:
    """True for paths the JSON API serves (its errors are JSON, never HTML pages)."""
    return path.startswith(_API_PREFIXES) or path in ("/api", "/oauth")


def is_mastodon_path(path: str) -> bool:
    """True for the Mastodon-compatible routes, whose errors are `{"error": …}`."""
    return path.startswith(_MASTODON_PREFIXES) and not path.startswith(_TOWNSQUARE_PREFIX)


def status_and_message(exc: Exception) -> tuple[int, str]:
    """The HTTP status for `exc` and a message a person can act on (never internals)."""
    if _client_left(exc):
        return 400, INCOMPLETE_BODY
    if isinstance(exc, OAuthError):
        return exc.status, exc.description
    if isinstance(exc, HTTPException):
        return _litestar_status(exc)
    for kind, status in _STATUSES:
        if isinstance(exc, kind):
            return status, str(exc) or _phrase(status)
    return 500, GENERIC_SERVER_ERROR


def logged_status_and_message(request: Request[Any, Any, Any], exc: Exception) -> tuple[int, str]:
    """`status_and_message`, after logging what the operator needs and no more.

    A server error is logged with its traceback. A client that hung up mid-body gets one
    line (it is common and harmless: a closed tab, a lost connection). Any other refusal is
    the client's to fix, and the server's access log already has its line.
    """
    status, message = status_and_message(exc)
    if _client_left(exc):
        _log.warning(
            "%s %s: the client disconnected before sending the whole body",
            request.method,
            request.url.path,
        )
    elif status >= 500:
        _log.error("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return status, message


def _client_left(exc: Exception) -> bool:
    return isinstance(exc, InternalServerException) and exc.detail == _CLIENT_LEFT_DETAIL


def _litestar_status(exc: HTTPException) -> tuple[int, str]:
    if exc.status_code >= 500:
        return exc.status_code, GENERIC_SERVER_ERROR
    if isinstance(exc, ValidationException):
        return 422, _validation_message(exc)
    return exc.status_code, exc.detail or _phrase(exc.status_code)


def _validation_message(exc: ValidationException) -> str:
    """Litestar puts which parameter failed in `extra`; say it in the message."""
    problems = exc.extra if isinstance(exc.extra, list) else []
    parts = [
        f"{p.get('key', 'parameter')}: {p.get('message', 'invalid value')}"
        for p in problems
        if isinstance(p, dict)
    ]
    if parts:
        return "Invalid request parameters — " + "; ".join(parts)
    return (
        exc.detail
        if exc.detail and "Validation failed" not in exc.detail
        else ("The request has an invalid parameter.")
    )


def error_response(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """The JSON answer to a failed API request: Mastodon's shape on its routes, problem
    details (RFC 9457) on Townsquare's own."""
    status, message = logged_status_and_message(request, exc)
    headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else {}
    if isinstance(exc, RateLimitedError):
        headers["Retry-After"] = str(exc.retry_after)  # RFC 9110 §10.2.3: seconds to wait
    if isinstance(exc, ActionLimitedError | LoginThrottledError):  # as Mastodon reports it
        headers.update(rate_limit_headers(exc.limit, 0, exc.reset_at))
    path = request.url.path
    if not is_mastodon_path(path):
        return _problem(status, message, headers)
    if isinstance(exc, ConflictError):
        status = 422  # Mastodon answers 422 "Validation failed" for a taken username.
    if status == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer error="invalid_token"')
    body: dict[str, str] = {"error": message}
    if isinstance(exc, OAuthError):
        body = {"error": exc.code, "error_description": exc.description}
    return Response(content=body, status_code=status, headers=headers)


def _problem(status: int, detail: str, headers: dict[str, str]) -> Response[Any]:
    body = {
        "type": "about:blank",
        "title": _phrase(status),
        "status": status,
        "detail": detail,
    }
    return Response(
        content=body,
        status_code=status,
        headers=headers,
        media_type="application/problem+json",
    )


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
