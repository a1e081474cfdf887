"""Publishing scheduled posts from several servers at once publishes each exactly once."""

import threading
from datetime import UTC, datetime, timedelta

import pytest

from conftest import AccountFactory
from townsquare.kernel import FixedClock
from townsquare.microblog import Microblog, PostDraft

START = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


def test_two_publishers_at_once_publish_each_draft_once(
    microblog: Microblog, make_account: AccountFactory, clock: FixedClock
) -> None:
    alice = make_account("alice")
    for n in range(30):
        microblog.scheduled.schedule(alice.id, PostDraft(f"draft {n}"), START + timedelta(hours=1))
    clock.advance(timedelta(hours=1))
    counts: list[int] = []
    barrier = threading.Barrier(2)

    def publish() -> None:
        barrier.wait()
        counts.append(microblog.scheduled.publish_due())

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(counts) == 30
    assert microblog.posts.count() == 30
    assert microblog.accounts.get(alice.id).statuses_count == 30
