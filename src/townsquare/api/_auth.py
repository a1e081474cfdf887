"""Who is asking: the bearer token in `Authorization`, checked against the route's scope.

A route that needs a user calls `require_user`; a public route calls `optional_user`, which
still refuses a token that is present but invalid (as Mastodon does), so a client never
silently reads as a stranger.
"""

from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection

from townsquare.api._errors import InsufficientScopeError, InvalidTokenError, UserRequiredError
from townsquare.api._grants import Grant, Grants
from townsquare.api._scopes import covers
from townsquare.microblog import Microblog

__all__ = ["bearer_token", "grant_of_token", "optional_user", "require_grant", "require_user"]

_INVALID = "The access token is invalid"


def bearer_token(request: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The token of `Authorization: Bearer`, on a request or a WebSocket handshake."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidTokenError(_INVALID)
    return token.strip()


def grant_of_token(microblog: Microblog, token: str | None) -> Grant | None:
    """What `token` allows; None without a token, 401 for one unknown or revoked."""
    if token is None:
        return None
    grant = Grants(microblog).grant_for(token)
    if grant is None:
        raise InvalidTokenError(_INVALID)
    return grant


def _grant(request: Request[Any, Any, Any], microblog: Microblog) -> Grant | None:
    return grant_of_token(microblog, bearer_token(request))


def _check_scope(grant: Grant, scope: str) -> None:
    if not covers(grant.scopes, scope):
        raise InsufficientScopeError(
            f"This action is outside the authorized scopes (it needs {scope})."
        )


def require_grant(request: Request[Any, Any, Any], microblog: Microblog, scope: str) -> Grant:
    """The request's grant (user or app-only) covering `scope`; else 401 or 403."""
    grant = _grant(request, microblog)
    if grant is None:
        raise InvalidTokenError(_INVALID)
    _check_scope(grant, scope)
    return grant


def require_user(request: Request[Any, Any, Any], microblog: Microblog, scope: str) -> int:
    """The signed-in account's id; 401 without a valid token, 403 without `scope`, 422 for
    an app-only token (Mastodon's "This method requires an authenticated user")."""
    grant = require_grant(request, microblog, scope)
    if grant.account_id is None:
        raise UserRequiredError("This method requires an authenticated user")
    return grant.account_id


def optional_user(request: Request[Any, Any, Any], microblog: Microblog, scope: str) -> int | None:
    """The signed-in account's id if a token is given (checked like `require_user`)."""
    grant = _grant(request, microblog)
    if grant is None:
        return None
    _check_scope(grant, scope)
    return grant.account_id
