"""One sequencer works at a time: the lead is taken, held, given up, and taken over when its
holder's connection dies (as it does when the process is killed)."""

import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from townsquare.app import Services
from townsquare.ledger import (
    AdvisoryLockLeadership,
    Sequencer,
    SoleLeadership,
    encode_entry,
    leadership_for,
)
from townsquare.storage import create_database_engine

LEADER_LOCK = zlib.crc32(b"townsquare.ledger.leader")


@pytest.fixture
def engines(postgres_url: str) -> Iterator[list[Engine]]:
    """Three engines on one PostgreSQL database, as three server processes would hold."""
    made = [create_database_engine(postgres_url) for _ in range(3)]
    yield made
    for engine in made:
        engine.dispose()


def test_on_sqlite_every_process_leads(sqlite_template: Path) -> None:
    engine = create_database_engine(f"sqlite:///{sqlite_template}")
    try:
        first, second = leadership_for(engine), leadership_for(engine)
        assert isinstance(first, SoleLeadership)
        assert first.holds()
        assert second.holds()
    finally:
        engine.dispose()


def test_on_postgresql_the_lead_is_an_advisory_lock(engines: list[Engine]) -> None:
    assert isinstance(leadership_for(engines[0]), AdvisoryLockLeadership)


def test_one_leads_the_other_stands_by_until_it_gives_up(engines: list[Engine]) -> None:
    first = AdvisoryLockLeadership(engines[0])
    second = AdvisoryLockLeadership(engines[1])

    assert first.holds()
    assert not second.holds()
    assert first.holds()  # still, and without taking the lock twice
    first.release()
    assert second.holds()
    assert not first.holds()
    second.release()


def test_a_standby_takes_over_when_the_leaders_connection_dies(engines: list[Engine]) -> None:
    leader = AdvisoryLockLeadership(engines[0])
    standby = AdvisoryLockLeadership(engines[1])
    assert leader.holds()
    assert not standby.holds()

    # What a SIGKILL of the leader's process does to its session: PostgreSQL ends it.
    with engines[2].connect() as admin:
        pids = admin.exec_driver_sql(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = %s",
            (LEADER_LOCK,),
        ).scalars()
        for pid in list(pids):
            admin.exec_driver_sql("SELECT pg_terminate_backend(%s)", (pid,))
    deadline = time.monotonic() + 10
    while not standby.holds():
        assert time.monotonic() < deadline, "the standby never took the lead"
        time.sleep(0.05)

    assert not leader.holds()  # it notices it lost its connection, and the lead
    standby.release()


class _Switch:
    """A leadership a test turns on and off."""

    def __init__(self) -> None:
        self.on = threading.Event()
        self.released = False

    def holds(self) -> bool:
        return self.on.is_set()

    def release(self) -> None:
        self.released = True


def test_a_standby_sequencer_integrates_nothing_until_it_leads(services: Services) -> None:
    switch = _Switch()
    sequencer = Sequencer(services.ledger, period=0.02, leadership=switch)
    with services.db.write() as conn:
        services.ledger.append(conn, encode_entry("test.event", 1, {"n": 1}))
    sequencer.start()
    try:
        time.sleep(0.3)
        assert services.ledger.size() == 0
        switch.on.set()
        deadline = time.monotonic() + 10
        while services.ledger.size() == 0:
            assert time.monotonic() < deadline, "the leader never integrated"
            time.sleep(0.02)
    finally:
        sequencer.stop()
    assert services.ledger.size() == 1
    assert switch.released  # a stopping sequencer gives the lead up
