"""Cross-origin reads and writes of the API by browser clients (Elk, Phanpy, Pinafore…).

Such a client runs on its own origin and calls the API with a bearer token, so the API's
answers carry `Access-Control-Allow-Origin: *` — all of them, so that a cache between
cannot hand a browser a copy made without it — and preflights are answered ahead of the
router, as Mastodon does for `/api/*`, `/oauth/token` and `/oauth/revoke`. Two things keep
this safe:

1. `Access-Control-Allow-Credentials` is never sent: a browser refuses to hand a page an
   answer to a request made with cookies, and the API authenticates only by bearer token,
   never by the session cookie, so a cross-origin page learns nothing a stranger could not.
2. The consent page (`/oauth/authorize`) and every HTML page stay same-origin only: they
   use the session and its CSRF token.
"""

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Message,
    Receive,
    Scope,
    Send,
)

from townsquare.api._ledger_routes import LEDGER_API_PATHS

__all__ = ["allow_cross_origin"]

_PREFIXES = ("/api/", "/.well-known/", "/nodeinfo/", *LEDGER_API_PATHS)
_PATHS = frozenset({"/oauth/token", "/oauth/revoke"})
_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
# What a client reads from an answer besides the simple headers: paging and rate limits.
_EXPOSED = "Link, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After"
_PREFLIGHT_CACHE_SECONDS = "86400"


def _is_cross_origin_path(path: str) -> bool:
    return path in _PATHS or path.startswith(_PREFIXES)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None


def allow_cross_origin(app: ASGIApp) -> ASGIApp:
    """`app`, with the API open to other origins (see the module's docstring)."""

    async def serve(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or not _is_cross_origin_path(scope["path"]):
            await app(scope, receive, send)
            return
        requested = _header(scope, b"access-control-request-method")
        if scope["method"] == "OPTIONS" and requested is not None:
            await _answer_preflight(scope, send)
            return

        async def send_allowed(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                headers["Access-Control-Allow-Origin"] = "*"
                headers["Access-Control-Expose-Headers"] = _EXPOSED
            await send(message)

        await app(scope, receive, send_allowed)

    return serve


async def _answer_preflight(scope: Scope, send: Send) -> None:
    """204 allowing any origin, the API's methods and whatever headers were asked for
    (`Authorization`, `Content-Type`, `Idempotency-Key`…), cached for a day."""
    headers = [
        (b"access-control-allow-origin", b"*"),
        (b"access-control-allow-methods", _METHODS.encode()),
        (b"access-control-max-age", _PREFLIGHT_CACHE_SECONDS.encode()),
    ]
    asked = _header(scope, b"access-control-request-headers")
    if asked:
        headers.append((b"access-control-allow-headers", asked.encode("latin-1")))
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": 204,
        "headers": headers,
    }
    await send(start)
    body: HTTPResponseBodyEvent = {"type": "http.response.body", "body": b"", "more_body": False}
    await send(body)
