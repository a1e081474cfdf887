"""The stream hub over Redis pub/sub (`TOWNSQUARE_REDIS_URL`), for several workers.

Each worker publishes its committed events on one channel, `<prefix>:stream`, and a thread
of its own, started by the first subscription, reads that channel and hands each event to
this worker's listeners. Pub/sub keeps nothing: a worker that is not listening misses what
is said meanwhile, as a client that is not connected misses it (Mastodon's streaming API
promises no more; clients catch up through the timelines).
"""

import logging
import threading
from collections.abc import Sequence

from redis import Redis, RedisError

from townsquare.microblog._stream_events import StreamEvent, UnreadableStreamEventError
from townsquare.microblog._stream_hub import Listener, StreamSubscription, _Listeners

__all__ = ["RedisStreamHub"]

_log = logging.getLogger(__name__)
_POLL_SECONDS = 1.0  # how often the reading thread checks whether it should stop
_RETRY_SECONDS = 1.0  # the wait before reconnecting after Redis failed
_READY_SECONDS = 5.0  # how long `subscribe` waits for the channel to be listened to


class RedisStreamHub:
    def __init__(self, client: Redis, *, prefix: str) -> None:
        self._redis = client
        self._channel = f"{prefix}:stream"
        self._listeners = _Listeners()
        self._lock = threading.Lock()
        self._reader: threading.Thread | None = None
        self._listening = threading.Event()
        self._stopping = threading.Event()

    def publish(self, events: Sequence[StreamEvent]) -> None:
        try:
            with self._redis.pipeline(transaction=False) as pipe:
                for event in events:
                    pipe.publish(self._channel, event.encode())
                pipe.execute()
        except RedisError:  # the write has committed: its subscribers miss it, no more
            _log.exception("could not publish %d stream events", len(events))

    def subscribe(self, listener: Listener) -> StreamSubscription:
        """Deliver to `listener`, once the channel is listened to (at most a few seconds'
        wait, on the first subscription of this worker)."""
        subscription = self._listeners.add(listener)
        with self._lock:
            if self._reader is None:
                self._reader = threading.Thread(target=self._read, name="stream hub", daemon=True)
                self._reader.start()
        self._listening.wait(_READY_SECONDS)
        return subscription

    def close(self) -> None:
        self._stopping.set()
        with self._lock:
            reader = self._reader
        if reader is not None:
            reader.join(_POLL_SECONDS * 3)

    def _read(self) -> None:
        while not self._stopping.is_set():
            try:
                self._listen()
            except RedisError:
                self._listening.clear()
                _log.exception("the stream channel failed; listening again shortly")
                self._stopping.wait(_RETRY_SECONDS)

    def _listen(self) -> None:
        with self._redis.pubsub() as pubsub:  # type: ignore[no-untyped-call]
            pubsub.subscribe(self._channel)
            # The subscription is confirmed by its first message: only then is a publish
            # elsewhere sure to reach this worker.
            while not self._stopping.is_set() and not self._listening.is_set():
                confirmed = pubsub.get_message(timeout=_POLL_SECONDS)
                if confirmed is not None and confirmed.get("type") == "subscribe":
                    self._listening.set()
            while not self._stopping.is_set():
                message = pubsub.get_message(timeout=_POLL_SECONDS)
                if message is not None and message.get("type") == "message":
                    self._deliver(message["data"])

    def _deliver(self, data: bytes) -> None:
        try:
            event = StreamEvent.decode(data)
        except UnreadableStreamEventError:
            _log.warning("ignored an unreadable stream message %r", data[:100])
            return
        self._listeners.deliver(event)
