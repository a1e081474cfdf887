"""`HEAD` answered as `GET` would be, without the body (RFC 9110 §9.3.2).

Litestar routes `HEAD` only to handlers declared for it, so a link checker or an uptime
probe asking `HEAD /` got 405 from every page. Wrapping the application once, ahead of its
router, covers every `GET` route there is and every one added later: the request is
routed and answered as a `GET` (same status, same headers, `Content-Length` included), and
the body is dropped on its way out.
"""

from litestar.enums import ScopeType
from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send

__all__ = ["answer_head_like_get"]


def answer_head_like_get(app: ASGIApp) -> ASGIApp:
    """`app`, answering each `HEAD` request as its `GET` with an empty body."""

    async def head_like_get(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] != "HEAD":
            await app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        as_get: HTTPScope = {**scope, "method": "GET"}
        await app(as_get, receive, send_without_body)

    return head_like_get
