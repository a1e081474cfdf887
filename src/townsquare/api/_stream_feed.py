"""One streaming connection's side of the hub: a bounded queue, and its messages.

The hub calls `offer` on a worker's thread (the one that committed, or the Redis reader);
the connection's coroutine takes events from the queue and turns each into messages for
its viewer in a thread of its own (`messages`, which reads the database). A client that
reads too slowly fills the queue: it is then dropped (`overflowed`), rather than holding
ever more events in the server's memory. It reconnects, and its timeline catches it up.
"""

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass

import msgspec

from townsquare.api._filter_routes import filtered_notifications, filtered_statuses
from townsquare.microblog import (
    Delivery,
    DeliveryKind,
    FilterContext,
    Microblog,
    Stream,
    StreamEvent,
    StreamKind,
    Streams,
    StreamSubscription,
)

__all__ = ["QUEUE_CAPACITY", "StreamFeed", "StreamMessage", "messages"]

QUEUE_CAPACITY = 256
"""Events a connection may have waiting before it is dropped as too slow."""

_HOME = frozenset({StreamKind.USER, StreamKind.LIST})


@dataclass(frozen=True)
class StreamMessage:
    """One event for the client: on which stream, its name, and its payload (a status or
    notification as JSON text, or for `delete` the post's id)."""

    stream: Stream
    event: DeliveryKind
    payload: str

    def websocket_text(self) -> str:
        """Mastodon's WebSocket frame: the payload is itself a JSON string."""
        frame = {"stream": self.stream.names(), "event": self.event.value, "payload": self.payload}
        return msgspec.json.encode(frame).decode()

    def event_stream_text(self) -> str:
        """Mastodon's server-sent event (the payload holds no newline: it is compact JSON)."""
        return f"event: {self.event.value}\ndata: {self.payload}\n\n"


class StreamFeed:
    """The events that may concern one connection, waiting for it (at most `capacity`)."""

    def __init__(
        self,
        viewer_id: int | None,
        loop: asyncio.AbstractEventLoop,
        *,
        capacity: int = QUEUE_CAPACITY,
    ) -> None:
        self.viewer_id = viewer_id
        self.streams: frozenset[Stream] = frozenset()
        self.overflowed = asyncio.Event()
        self._loop = loop
        self._queue: asyncio.Queue[StreamEvent] = asyncio.Queue(capacity)
        self._subscription: StreamSubscription | None = None

    def attach(self, subscription: StreamSubscription) -> None:
        """The hub subscription feeding this queue: closed on overflow, so that even a
        connection whose coroutine never ran its clean-up stops taking events."""
        self._subscription = subscription

    def offer(self, event: StreamEvent) -> None:
        """The hub's listener (any thread): queue `event` if it may concern a stream of
        this connection, decided without the database (`Streams.concerns`)."""
        streams = self.streams  # one read: the connection may replace the set meanwhile
        if not any(Streams.concerns(self.viewer_id, stream, event) for stream in streams):
            return
        try:
            self._loop.call_soon_threadsafe(self._put, event)
        except RuntimeError:  # the loop has closed: the connection is gone
            return

    def close(self) -> None:
        """Stop taking events (the connection ended); idempotent."""
        if self._subscription is not None:
            self._subscription.close()

    def _put(self, event: StreamEvent) -> None:
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            self.overflowed.set()
            self.close()

    async def next_event(self, timeout: float) -> StreamEvent | None:
        """The next event, or None if none came within `timeout` seconds."""
        try:
            return await asyncio.wait_for(self._queue.get(), timeout)
        except TimeoutError:
            return None


def messages(
    microblog: Microblog, viewer_id: int | None, streams: Iterable[Stream], event: StreamEvent
) -> list[StreamMessage]:
    """What `event` sends this viewer on each of `streams`, rendered as the timelines and
    notifications render it: the same entities, under the viewer's filters (a status a
    `hide` filter matches is not sent). Blocking: it reads the database."""
    found = []
    for stream in streams:
        for delivery in microblog.streams.deliveries(viewer_id, stream, event):
            payload = _payload(microblog, viewer_id, stream, delivery)
            if payload is not None:
                found.append(StreamMessage(stream, delivery.kind, payload))
    return found


def _payload(
    microblog: Microblog, viewer_id: int | None, stream: Stream, delivery: Delivery
) -> str | None:
    if delivery.kind == DeliveryKind.DELETE:
        return str(delivery.subject_id)
    if delivery.notification is not None and viewer_id is not None:
        shown = filtered_notifications(microblog, viewer_id, [delivery.notification])
        return _json(shown[0]) if shown else None
    if delivery.post is not None:
        context = FilterContext.HOME if stream.kind in _HOME else FilterContext.PUBLIC
        statuses = filtered_statuses(microblog, viewer_id, context, [delivery.post])
        return _json(statuses[0]) if statuses else None
    return None


def _json(entity: msgspec.Struct) -> str:
    return msgspec.json.encode(entity).decode()
