"""Mastodon's streaming API: a WebSocket at `/api/v1/streaming` (what masto.js and the web
apps use) and the older server-sent events at `/api/v1/streaming/user` and its siblings
(what Mastodon.py's `stream_user` reads), over the microblog's stream hub.

Both forms take the token as Mastodon does: the `access_token` query parameter, the
`Sec-WebSocket-Protocol` header (a browser cannot set `Authorization` on a WebSocket), or
`Authorization: Bearer`. Public and hashtag streams need no token; a token given must be
valid, as on every other route.
"""

import asyncio
import json
from collections.abc import AsyncIterator, Mapping
from typing import Any

import anyio
from anyio import to_thread
from litestar import Response, WebSocket, get, websocket
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.exceptions import WebSocketDisconnect
from litestar.response import Stream as StreamResponse

from townsquare.api._auth import bearer_token, grant_of_token
from townsquare.api._errors import InsufficientScopeError, InvalidParameterError, InvalidTokenError
from townsquare.api._fields import AnyRequest, is_tag_name, parse_id
from townsquare.api._grants import Grant, Grants
from townsquare.api._scopes import covers
from townsquare.api._stream_feed import StreamFeed, StreamMessage, messages
from townsquare.kernel import TownsquareError
from townsquare.microblog import Microblog, Stream, StreamEvent, StreamKind

__all__ = ["streaming_routes", "streaming_url"]

HEARTBEAT_SECONDS = 15.0
"""How often an idle event stream sends its `:thump` comment, so proxies keep it open."""

_SCOPES = {
    StreamKind.USER: "read:statuses",
    StreamKind.USER_NOTIFICATION: "read:notifications",
    StreamKind.LIST: "read:lists",
}
AnySocket = WebSocket[Any, Any, Any]
_HASHTAG = frozenset({StreamKind.HASHTAG, StreamKind.HASHTAG_LOCAL})
_INVALID = "The access token is invalid"
# Mastodon's close code for a client that cannot keep up: try again later.
_TOO_SLOW = 1013
_REFUSED = 4001


def streaming_url(base_url: str) -> str:
    """The streaming API's base, as Mastodon names it (`wss://host`): the server's own."""
    scheme, _, rest = base_url.rstrip("/").partition("://")
    return f"{'wss' if scheme == 'https' else 'ws'}://{rest}"


@get("/api/v1/streaming/health", media_type="text/plain", sync_to_thread=False)
def streaming_health() -> str:
    return "OK"


# -- who is asking, and for what ------------------------------------------------------------


def _token(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    if token := connection.query_params.get("access_token"):
        return str(token)
    return _protocol(connection) or bearer_token(connection)


def _protocol(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The first WebSocket subprotocol the client offers: Mastodon's place for a token."""
    offered = connection.headers.get("sec-websocket-protocol", "").split(",")[0].strip()
    return offered or None


def _still_granted(microblog: Microblog, token: str | None) -> bool:
    """Whether a stream opened with `token` may go on: a revoked token (signed out, the
    account suspended) ends it at its next event (grants are cached a few seconds)."""
    return token is None or Grants(microblog).grant_for(token) is not None


def _stream(params: Mapping[str, Any]) -> Stream:
    """The stream `params` name (a query, or a subscribe message): 422 if it is unknown or
    lacks its tag or list."""
    name = str(params.get("stream"))
    try:
        kind = StreamKind(name)
    except ValueError:
        raise InvalidParameterError(f"Unknown stream type: {name!r}.") from None
    if kind in _HASHTAG:
        tag = params.get("tag")
        if not isinstance(tag, str) or not is_tag_name(tag.lstrip("#")):
            raise InvalidParameterError("A hashtag stream needs a tag, such as tag=cats.")
        return Stream(kind, tag=tag)
    if kind == StreamKind.LIST:
        list_id = parse_id(params.get("list"))
        if list_id is None:
            raise InvalidParameterError("A list stream needs the list's id, such as list=42.")
        return Stream(kind, list_id=list_id)
    return Stream(kind)


def _allow(microblog: Microblog, grant: Grant | None, stream: Stream) -> None:
    """Raise unless the grant may read `stream` (blocking: a list is looked up)."""
    if grant is None:
        if stream.needs_user:
            raise InvalidTokenError(f"The {stream.kind} stream needs an access token.")
        return
    scope = _SCOPES.get(stream.kind, "read:statuses")
    if not covers(grant.scopes, scope):
        raise InsufficientScopeError(f"This stream is outside the authorized scopes ({scope}).")
    microblog.streams.check(grant.account_id, stream)


def _viewer(grant: Grant | None) -> int | None:
    return None if grant is None else grant.account_id


# -- server-sent events ---------------------------------------------------------------------

_EVENT_STREAMS = {
    "/api/v1/streaming/user": StreamKind.USER,
    "/api/v1/streaming/user/notification": StreamKind.USER_NOTIFICATION,
    "/api/v1/streaming/public": StreamKind.PUBLIC,
    "/api/v1/streaming/public/local": StreamKind.PUBLIC_LOCAL,
    "/api/v1/streaming/hashtag": StreamKind.HASHTAG,
    "/api/v1/streaming/hashtag/local": StreamKind.HASHTAG_LOCAL,
    "/api/v1/streaming/list": StreamKind.LIST,
}


# Not in the OpenAPI document: an answer that never ends is no request/response operation
# (and the WebSocket is not there either); tests/api/test_streaming.py covers who may open one.
@get(list(_EVENT_STREAMS), include_in_schema=False)
async def event_stream(request: AnyRequest, microblog: NamedDependency[Microblog]) -> Response[Any]:
    """A long-lived `text/event-stream`: `event: update` / `data: {status}` pairs, and a
    `:thump` comment every `HEARTBEAT_SECONDS` when nothing happens."""
    kind = _EVENT_STREAMS[request.url.path.rstrip("/")]
    stream = _stream({**_query(request), "stream": kind.value})
    grant = await to_thread.run_sync(grant_of_token, microblog, _token(request))
    await to_thread.run_sync(_allow, microblog, grant, stream)
    feed = StreamFeed(_viewer(grant), asyncio.get_running_loop())
    feed.streams = frozenset({stream})
    # Subscribed before the answer starts: what is posted once the client has its 200 reaches it.
    feed.attach(await to_thread.run_sync(microblog.streams.subscribe, feed.offer))
    return StreamResponse(
        _events(microblog, feed, _token(request)),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def _query(connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, str]:
    """The query's first values (`stream`, `tag`, `list`), as a subscribe message has them."""
    return {key: values[0] for key, values in connection.query_params.dict().items() if values}


async def _events(microblog: Microblog, feed: StreamFeed, token: str | None) -> AsyncIterator[str]:
    try:
        yield ":)\n"
        while not feed.overflowed.is_set():
            event = await feed.next_event(HEARTBEAT_SECONDS)
            if event is None:
                yield ":thump\n"
                continue
            if not await to_thread.run_sync(_still_granted, microblog, token):
                return  # the token was revoked (signed out, suspended): the stream ends
            found = await to_thread.run_sync(
                messages, microblog, feed.viewer_id, feed.streams, event
            )
            for message in found:
                yield message.event_stream_text()
    finally:
        feed.close()


async def _messages(
    microblog: Microblog, feed: StreamFeed, event: StreamEvent
) -> list[StreamMessage]:
    """`messages`, off the event loop: it reads the database."""
    return await to_thread.run_sync(messages, microblog, feed.viewer_id, feed.streams, event)


# -- the WebSocket ----------------------------------------------------------------------


@websocket("/api/v1/streaming")
async def streaming_socket(socket: AnySocket, microblog: NamedDependency[Microblog]) -> None:
    """Mastodon's multiplexed stream: `stream=…` in the query subscribes at once, and
    `{"type": "subscribe", "stream": "hashtag", "tag": "cats"}` messages (and
    `unsubscribe`) change the streams later. A refused handshake closes before accepting
    (the client sees HTTP 403)."""
    try:
        grant = await to_thread.run_sync(grant_of_token, microblog, _token(socket))
        first = None
        if socket.query_params.get("stream"):
            first = _stream(_query(socket))
            await to_thread.run_sync(_allow, microblog, grant, first)
    except TownsquareError:
        await socket.close(code=_REFUSED)
        return
    feed = StreamFeed(_viewer(grant), asyncio.get_running_loop())
    feed.streams = frozenset({first} if first else ())
    # Subscribed before accepting: what is posted once the client is connected reaches it.
    feed.attach(await to_thread.run_sync(microblog.streams.subscribe, feed.offer))
    try:
        # A token sent as the subprotocol must be echoed back, or browsers drop the connection.
        await socket.accept(subprotocols=_protocol(socket))
        async with anyio.create_task_group() as group:
            group.start_soon(_send_events, socket, microblog, feed, _token(socket))
            await _take_commands(socket, microblog, grant, feed)
            group.cancel_scope.cancel()
    finally:
        feed.close()


async def _send_events(
    socket: AnySocket, microblog: Microblog, feed: StreamFeed, token: str | None
) -> None:
    try:
        while not feed.overflowed.is_set():
            event = await feed.next_event(HEARTBEAT_SECONDS)
            if event is None:
                continue
            if not await to_thread.run_sync(_still_granted, microblog, token):
                await socket.close(code=_REFUSED, reason="the access token was revoked")
                return
            for message in await _messages(microblog, feed, event):
                await socket.send_text(message.websocket_text())
        await socket.close(code=_TOO_SLOW, reason="too slow to read the stream")
    except _GONE:
        return  # the client left: `_take_commands` hears it and ends the connection


# What sending to a client that has left raises, depending on when it left.
_GONE = (WebSocketDisconnect, RuntimeError, OSError)


async def _take_commands(
    socket: AnySocket, microblog: Microblog, grant: Grant | None, feed: StreamFeed
) -> None:
    """Subscribe and unsubscribe messages, until the client leaves; a bad one is answered
    with `{"error": …, "status": …}`, as Mastodon does, and the connection stays open."""
    while True:
        try:
            text = await socket.receive_text()
        except WebSocketDisconnect:
            return
        try:
            await _command(microblog, grant, feed, text)
        except TownsquareError as error:
            status = 401 if isinstance(error, InvalidTokenError) else 400
            await socket.send_text(json.dumps({"error": str(error), "status": status}))


async def _command(microblog: Microblog, grant: Grant | None, feed: StreamFeed, text: str) -> None:
    try:
        command = json.loads(text)
    except ValueError:
        raise InvalidParameterError(
            'A message must be JSON, such as {"type": "subscribe", "stream": "public"}.'
        ) from None
    if not isinstance(command, dict) or command.get("type") not in ("subscribe", "unsubscribe"):
        raise InvalidParameterError("A message's type must be subscribe or unsubscribe.")
    stream = _stream(command)
    if command["type"] == "unsubscribe":
        feed.streams = feed.streams - {stream}
        return
    await to_thread.run_sync(_allow, microblog, grant, stream)
    feed.streams = feed.streams | {stream}


streaming_routes = [streaming_health, event_stream, streaming_socket]
