"""A connection's queue is bounded: a client too slow to read is dropped, not buffered."""

import asyncio

from townsquare.api._stream_feed import StreamFeed
from townsquare.microblog import LocalStreamHub, Stream, StreamEvent, StreamEventKind, StreamKind


def _created(post_id: int) -> StreamEvent:
    return StreamEvent(StreamEventKind.POST_CREATED, post_id, 1)


def test_a_full_queue_marks_the_connection_overflowed_and_unsubscribes_it() -> None:
    async def scenario() -> tuple[bool, list[int], int]:
        hub = LocalStreamHub()
        feed = StreamFeed(5, asyncio.get_running_loop(), capacity=2)
        feed.streams = frozenset({Stream(StreamKind.PUBLIC)})
        feed.attach(hub.subscribe(feed.offer))
        hub.publish([_created(n) for n in range(1, 6)])  # from this thread: queued via the loop
        await asyncio.sleep(0)  # let the loop run the queued puts
        taken = []
        while (event := await feed.next_event(0.05)) is not None:
            taken.append(event.subject_id)
        heard_after = len(taken)
        hub.publish([_created(6)])  # unsubscribed on overflow: nothing more is queued
        await asyncio.sleep(0)
        after = await feed.next_event(0.05)
        return feed.overflowed.is_set(), taken, heard_after + (after is not None)

    overflowed, taken, total = asyncio.run(scenario())
    assert overflowed
    assert taken == [1, 2]  # the queue held its capacity, no more
    assert total == 2


def test_events_no_stream_of_the_connection_concerns_are_not_queued() -> None:
    async def scenario() -> StreamEvent | None:
        feed = StreamFeed(5, asyncio.get_running_loop())
        feed.streams = frozenset({Stream(StreamKind.USER_NOTIFICATION)})
        feed.offer(_created(1))  # a post: not for a notifications stream
        feed.offer(StreamEvent(StreamEventKind.NOTIFICATION, 2, 6))  # someone else's
        feed.offer(StreamEvent(StreamEventKind.NOTIFICATION, 3, 5))  # theirs
        await asyncio.sleep(0)
        first = await feed.next_event(0.05)
        assert await feed.next_event(0.05) is None
        return first

    assert asyncio.run(scenario()) == StreamEvent(StreamEventKind.NOTIFICATION, 3, 5)
