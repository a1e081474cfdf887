"""The stream hubs: events go to every listener until it closes, across workers with Redis."""

import os
import threading
import uuid

import pytest
from redis import Redis

from townsquare.microblog import (
    LocalStreamHub,
    RedisStreamHub,
    StreamEvent,
    StreamEventKind,
    UnreadableStreamEventError,
    publishing_to,
)

REDIS_URL = os.environ.get("TOWNSQUARE_TEST_REDIS_URL", "")
CREATED = StreamEvent(StreamEventKind.POST_CREATED, 7, 3)
DELETED = StreamEvent(StreamEventKind.POST_DELETED, 8, 3, public=True)


def test_an_event_reads_back_as_written() -> None:
    for event in (CREATED, DELETED, StreamEvent(StreamEventKind.ACCOUNT_CHANGED, 2**62)):
        assert StreamEvent.decode(event.encode()) == event
        assert StreamEvent.decode(event.encode().encode()) == event
    assert len(CREATED.encode()) < 64  # a small message on the posting path


@pytest.mark.parametrize("message", ["", "[]", '["post.created"]', '["nope", 1, null, false]', "{"])
def test_a_message_that_is_no_event_is_refused(message: str) -> None:
    with pytest.raises(UnreadableStreamEventError):
        StreamEvent.decode(message)


def test_the_local_hub_delivers_to_each_listener_until_it_closes() -> None:
    hub = LocalStreamHub()
    first: list[StreamEvent] = []
    second: list[StreamEvent] = []
    closing = hub.subscribe(first.append)
    hub.subscribe(second.append)
    hub.publish([CREATED])
    closing.close()
    closing.close()  # idempotent
    hub.publish([DELETED])
    assert first == [CREATED]
    assert second == [CREATED, DELETED]


def test_a_failing_listener_does_not_starve_the_others() -> None:
    hub = LocalStreamHub()
    heard: list[StreamEvent] = []

    def broken(event: StreamEvent) -> None:
        raise ValueError("a listener's bug")

    hub.subscribe(broken)
    hub.subscribe(heard.append)
    hub.publish([CREATED])
    assert heard == [CREATED]


def test_the_database_sink_publishes_only_stream_events() -> None:
    hub = LocalStreamHub()
    heard: list[StreamEvent] = []
    hub.subscribe(heard.append)
    publish = publishing_to(hub)
    publish(["something else", CREATED, 42, DELETED])
    publish(["nothing for the streams"])
    assert heard == [CREATED, DELETED]


@pytest.fixture
def redis_prefix() -> str:
    if not REDIS_URL:
        pytest.skip("the Redis hub needs a Redis server: set TOWNSQUARE_TEST_REDIS_URL")
    return f"townsquare-test-{uuid.uuid4().hex}"


def test_what_one_worker_publishes_another_workers_subscriber_receives(redis_prefix: str) -> None:
    """Two hubs on one Redis stand for two worker processes of one server."""
    publisher = RedisStreamHub(Redis.from_url(REDIS_URL), prefix=redis_prefix)
    subscriber = RedisStreamHub(Redis.from_url(REDIS_URL), prefix=redis_prefix)
    other_server = RedisStreamHub(Redis.from_url(REDIS_URL), prefix=f"{redis_prefix}-other")
    heard: list[StreamEvent] = []
    arrived = threading.Event()

    def listen(event: StreamEvent) -> None:
        heard.append(event)
        if len(heard) == 2:
            arrived.set()

    overheard: list[StreamEvent] = []
    try:
        subscriber.subscribe(listen)
        other_server.subscribe(overheard.append)
        publisher.publish([CREATED, DELETED])
        assert arrived.wait(5), f"heard only {heard}"
        assert heard == [CREATED, DELETED]
        assert overheard == []  # another server's prefix is another channel
    finally:
        for hub in (publisher, subscriber, other_server):
            hub.close()


def test_a_redis_hub_that_cannot_reach_redis_does_not_fail_the_write() -> None:
    """The write has committed when the hub publishes: a lost message is logged, not raised."""
    unreachable = RedisStreamHub(
        Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2), prefix="nowhere"
    )
    unreachable.publish([CREATED])
    unreachable.close()
