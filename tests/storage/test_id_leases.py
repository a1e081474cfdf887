"""Worker-number leases: distinct numbers for concurrent claimers, expiry, take-over, release,
a clear error when every number is held, and the keeper moving off a number it lost."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Connection, func, select
from sqlalchemy.exc import OperationalError

from townsquare.kernel import (
    MAX_WORKER,
    OFFLINE_WORKER,
    FixedClock,
    IdWorkerRetiredError,
)
from townsquare.storage import (
    LEASE_SECONDS,
    Database,
    IdWorker,
    IdWorkersExhaustedError,
    claim_worker,
    create_database_engine,
    release_worker,
    renew_worker,
)
from townsquare.storage.tables import id_workers

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(seconds=LEASE_SECONDS + 1)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(create_database_engine(database_url))
    yield database
    database.dispose()


def _fill_every_number(db: Database) -> None:
    with db.write() as conn:
        rows = [
            {"worker": w, "holder": f"h{w}", "claimed_at": NOW, "expires_at": LATER}
            for w in range(OFFLINE_WORKER + 1, MAX_WORKER + 1)
        ]
        conn.execute(id_workers.insert(), rows)


def test_numbers_start_at_one_and_are_never_the_offline_worker(db: Database) -> None:
    first, second = claim_worker(db, NOW), claim_worker(db, NOW)
    assert (first.worker, second.worker) == (1, 2)
    assert first.holder != second.holder
    assert first.not_before is None


def test_processes_claiming_at_once_get_distinct_numbers(database_url: str) -> None:
    claimers = 6
    barrier = threading.Barrier(claimers)
    got: list[int] = []

    def claim() -> None:
        own = Database(create_database_engine(database_url))  # a process's own connections
        try:
            barrier.wait()
            got.append(claim_worker(own, NOW).worker)
        finally:
            own.dispose()

    threads = [threading.Thread(target=claim) for _ in range(claimers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(got) == list(range(1, claimers + 1))


def test_a_live_lease_is_not_taken_an_expired_one_is(db: Database) -> None:
    crashed = claim_worker(db, NOW)
    assert claim_worker(db, NOW + timedelta(seconds=LEASE_SECONDS - 1)).worker == 2
    heir = claim_worker(db, LATER)
    assert heir.worker == crashed.worker
    # The heir mints no earlier than the moment the crashed holder's lease ended.
    assert heir.not_before == crashed.expires_at


def test_a_renewal_keeps_the_number_and_a_taken_over_lease_cannot_be_renewed(
    db: Database,
) -> None:
    lease = claim_worker(db, NOW)
    renewed = renew_worker(db, lease, NOW + timedelta(seconds=30))
    assert renewed is not None
    assert renewed.expires_at == NOW + timedelta(seconds=30 + LEASE_SECONDS)
    assert claim_worker(db, NOW + timedelta(seconds=LEASE_SECONDS + 1)).worker == 2
    heir = claim_worker(db, renewed.expires_at)
    assert heir.worker == lease.worker
    assert renew_worker(db, renewed, renewed.expires_at) is None


def test_a_released_number_is_free_at_once(db: Database) -> None:
    lease = claim_worker(db, NOW)
    release_worker(db, lease, NOW + timedelta(seconds=1))
    assert claim_worker(db, NOW + timedelta(seconds=1)).worker == lease.worker


def test_when_every_number_is_held_the_error_says_what_to_do(db: Database) -> None:
    _fill_every_number(db)
    with pytest.raises(IdWorkersExhaustedError, match=f"all {MAX_WORKER} worker numbers"):
        claim_worker(db, NOW)


def test_the_keeper_moves_to_a_new_number_when_its_lease_was_taken_over(db: Database) -> None:
    wall = FixedClock(NOW)
    worker = IdWorker(db, FixedClock(NOW), wall=wall)
    minted = worker.ids.next_id()
    wall.advance(timedelta(seconds=LEASE_SECONDS + 1))  # paused past its expiry...
    claim_worker(db, wall.now())  # ...and another process took its number
    worker.renew()
    assert worker.lease.worker == 2
    after = worker.ids.next_id()
    assert (after >> 8) & 0xFF == 2
    assert after > minted


def test_the_keeper_stops_minting_when_no_number_is_left(db: Database) -> None:
    wall = FixedClock(NOW)
    worker = IdWorker(db, FixedClock(NOW), wall=wall)
    with db.write() as conn:  # taken over, and every other number held
        conn.execute(id_workers.update().values(holder="someone else"))
        rows = [
            {"worker": w, "holder": f"h{w}", "claimed_at": NOW, "expires_at": LATER}
            for w in range(2, MAX_WORKER + 1)
        ]
        conn.execute(id_workers.insert(), rows)
    with pytest.raises(IdWorkersExhaustedError):
        worker.renew()
    with pytest.raises(IdWorkerRetiredError, match="worker 1 was taken over"):
        worker.ids.next_id()


def test_stopping_the_keeper_gives_the_number_back(db: Database) -> None:
    wall = FixedClock(NOW)
    worker = IdWorker(db, FixedClock(NOW), wall=wall)
    worker.start()
    worker.stop()
    with db.read() as conn:
        expiry = conn.scalar(select(func.max(id_workers.c.expires_at)))
    assert expiry == NOW
    assert claim_worker(db, NOW).worker == 1


class _Unreachable(Database):
    """A database that cannot be reached for writing (a fault hook for the keeper)."""

    def __init__(self, real: Database) -> None:
        super().__init__(real.engine)
        self.down = False

    @contextmanager
    def write(self) -> Iterator[Connection]:
        if self.down:
            raise OperationalError("UPDATE id_workers", {}, Exception("connection refused"))
        with super().write() as conn:
            yield conn


def test_the_keeper_stops_minting_once_its_lease_lapses_unrenewed_and_resumes_after(
    db: Database,
) -> None:
    wall, flaky = FixedClock(NOW), _Unreachable(db)
    worker = IdWorker(flaky, FixedClock(NOW), wall=wall)
    flaky.down = True
    wall.advance(timedelta(seconds=LEASE_SECONDS))
    with pytest.raises(OperationalError):
        worker.renew()
    with pytest.raises(IdWorkerRetiredError, match="lease on worker 1 expired"):
        worker.ids.next_id()
    flaky.down = False  # back, and no one took the number meanwhile
    worker.renew()
    assert (worker.ids.next_id() >> 8) & 0xFF == 1
