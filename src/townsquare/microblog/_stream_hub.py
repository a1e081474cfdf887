"""The stream hub: how events published after a commit reach every streaming connection.

Several worker processes serve one server, and a connection lives in one of them while the
post it should hear of may be written in another. The hub is the port between them: this
process's own (`LocalStreamHub`), or Redis pub/sub shared by every worker
(`RedisStreamHub`), chosen by `app.py` from the settings.
"""

import itertools
import logging
import threading
from collections.abc import Callable, Sequence
from typing import Protocol

from townsquare.microblog._stream_events import StreamEvent

__all__ = [
    "Listener",
    "LocalStreamHub",
    "StreamHub",
    "StreamSubscription",
    "publishing_to",
]

_log = logging.getLogger(__name__)

Listener = Callable[[StreamEvent], None]
"""Called with each event, on the publishing thread or the hub's own. It MUST return at
once (hand the event to its connection's queue) and MUST NOT raise."""


class StreamSubscription(Protocol):
    def close(self) -> None:
        """Stop delivering to the listener; idempotent."""


class StreamHub(Protocol):
    """The contract. `publish` MUST be called only after the events' transaction committed
    (`announce` sees to it) and MUST NOT raise: the write it follows has succeeded, and a
    lost stream message must not turn it into an error. `subscribe` MUST deliver every event
    published after it returns, from any worker sharing the hub, until `close`."""

    def publish(self, events: Sequence[StreamEvent]) -> None: ...

    def subscribe(self, listener: Listener) -> StreamSubscription: ...

    def close(self) -> None:
        """Release what the hub holds (a thread, connections); the server's shutdown."""


class _Subscription:
    def __init__(self, listeners: "_Listeners", key: int) -> None:
        self._listeners = listeners
        self._key = key

    def close(self) -> None:
        self._listeners.remove(self._key)


class _Listeners:
    """The listeners of this process, safe to change while another thread delivers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_key: dict[int, Listener] = {}
        self._keys = itertools.count()

    def add(self, listener: Listener) -> _Subscription:
        with self._lock:
            key = next(self._keys)
            self._by_key[key] = listener
        return _Subscription(self, key)

    def remove(self, key: int) -> None:
        with self._lock:
            self._by_key.pop(key, None)

    def __len__(self) -> int:
        return len(self._by_key)

    def deliver(self, event: StreamEvent) -> None:
        with self._lock:
            listeners = list(self._by_key.values())
        for listener in listeners:
            try:
                listener(event)
            except Exception:  # one broken connection must not starve the others
                _log.exception("a stream listener failed on %s", event)


class LocalStreamHub:
    """The hub of a single process: what one worker publishes, its own connections hear."""

    def __init__(self) -> None:
        self._listeners = _Listeners()

    def publish(self, events: Sequence[StreamEvent]) -> None:
        for event in events:
            self._listeners.deliver(event)

    def subscribe(self, listener: Listener) -> StreamSubscription:
        return self._listeners.add(listener)

    def close(self) -> None:
        """Nothing to release."""


def publishing_to(hub: StreamHub) -> Callable[[Sequence[object]], None]:
    """The `committed` sink of a `Database` (storage's `after_commit`) that publishes the
    stream events among the items a transaction deferred."""

    def publish(items: Sequence[object]) -> None:
        events = [item for item in items if isinstance(item, StreamEvent)]
        if events:
            hub.publish(events)

    return publish
