"""Snowflake ids: layout, worker numbers, monotonicity across threads, a clock that goes
backwards, and a millisecond whose sequence is spent."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from townsquare.kernel import (
    MAX_WORKER,
    OFFLINE_WORKER,
    SEQUENCE_LIMIT,
    FixedClock,
    IdWorkerRetiredError,
    SnowflakeGenerator,
    snowflake_floor,
    snowflake_time,
)

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
moments = st.datetimes(
    min_value=datetime(1980, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
)


def mastodon_py_id(moment: datetime) -> int:
    """What Mastodon.py sends for a datetime paging argument (mastodon/internals.py)."""
    return (int(moment.timestamp()) << 16) * 1000


@given(moments)
def test_layout_matches_mastodon_py_for_whole_seconds(moment: datetime) -> None:
    whole = moment.replace(microsecond=0)
    assert snowflake_floor(whole) == mastodon_py_id(whole)


@given(moments)
def test_snowflake_time_recovers_the_millisecond(moment: datetime) -> None:
    truncated = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    assert snowflake_time(snowflake_floor(moment)) == truncated


def test_regression_snowflake_floor_lost_a_millisecond_to_float_rounding() -> None:
    # 1086300558.307 * 1000 is 1086300558306.9999 in binary floating point.
    moment = datetime(2004, 6, 3, 22, 9, 18, 307000, tzinfo=UTC)
    assert snowflake_floor(moment) >> 16 == 1086300558307
    assert snowflake_time(snowflake_floor(moment)) == moment


@given(moments, st.integers(min_value=0, max_value=SEQUENCE_LIMIT - 1))
def test_id_at_is_deterministic_and_keeps_its_moment(moment: datetime, sequence: int) -> None:
    generator = SnowflakeGenerator(FixedClock(START), worker=7)
    snowflake = generator.id_at(moment, sequence)
    assert snowflake == generator.id_at(moment, sequence)
    assert snowflake & 0xFFFF == sequence  # the offline worker's, whatever the generator's
    assert snowflake >> 16 == snowflake_floor(moment) >> 16


def test_id_at_refuses_a_sequence_that_would_spill_into_the_worker_bits() -> None:
    with pytest.raises(ValueError, match="sequence"):
        SnowflakeGenerator(FixedClock(START)).id_at(START, SEQUENCE_LIMIT)


@given(
    st.integers(min_value=1, max_value=MAX_WORKER),
    st.integers(min_value=0, max_value=SEQUENCE_LIMIT - 1),
)
def test_a_live_worker_never_mints_a_deterministic_id(worker: int, sequence: int) -> None:
    live = SnowflakeGenerator(FixedClock(START), worker=worker)
    minted = [live.next_id() for _ in range(3)]
    assert live.id_at(START, sequence) not in minted
    assert {(i >> 8) & 0xFF for i in minted} == {worker}


def test_two_workers_in_the_same_millisecond_mint_different_ids() -> None:
    clock = FixedClock(START)
    first, second = SnowflakeGenerator(clock, worker=1), SnowflakeGenerator(clock, worker=2)
    ones = [first.next_id() for _ in range(SEQUENCE_LIMIT * 3)]
    twos = [second.next_id() for _ in range(SEQUENCE_LIMIT * 3)]
    assert not set(ones) & set(twos)


def test_worker_numbers_outside_the_layout_are_refused() -> None:
    for worker in (-1, MAX_WORKER + 1):
        with pytest.raises(ValueError, match="worker"):
            SnowflakeGenerator(FixedClock(START), worker=worker)


def test_a_spent_millisecond_moves_on_to_the_next() -> None:
    generator = SnowflakeGenerator(FixedClock(START), worker=3)
    ids = [generator.next_id() for _ in range(SEQUENCE_LIMIT + 1)]
    assert ids == sorted(set(ids))
    assert {snowflake_time(i) for i in ids[:-1]} == {START}
    assert snowflake_time(ids[-1]) == START + timedelta(milliseconds=1)
    assert ids[-1] & 0xFF == 0


def test_not_before_starts_after_the_previous_holder_even_with_a_slow_clock() -> None:
    previous_lease_ended = START + timedelta(seconds=5)
    generator = SnowflakeGenerator(FixedClock(START), worker=4, not_before=previous_lease_ended)
    assert snowflake_time(generator.next_id()) > previous_lease_ended


def test_a_reassigned_generator_mints_after_everything_it_minted_before() -> None:
    generator = SnowflakeGenerator(FixedClock(START), worker=5)
    before = [generator.next_id() for _ in range(10)]
    generator.reassign(6)
    after = generator.next_id()
    assert after > max(before)
    assert (after >> 8) & 0xFF == 6


def test_a_retired_generator_refuses_to_mint_until_reassigned() -> None:
    generator = SnowflakeGenerator(FixedClock(START), worker=5)
    generator.retire("lease 5 was taken over")
    with pytest.raises(IdWorkerRetiredError, match="lease 5"):
        generator.next_id()
    generator.reassign(9)
    assert (generator.next_id() >> 8) & 0xFF == 9


def test_ids_increase_while_the_clock_stands_still() -> None:
    generator = SnowflakeGenerator(FixedClock(START))
    ids = [generator.next_id() for _ in range(1000)]
    assert ids == sorted(set(ids))
    assert ids[0] == snowflake_floor(START) | OFFLINE_WORKER


def test_ids_follow_the_clock_forward() -> None:
    clock = FixedClock(START)
    generator = SnowflakeGenerator(clock)
    first = generator.next_id()
    clock.advance(timedelta(seconds=1))
    second = generator.next_id()
    assert snowflake_time(first) == START
    assert snowflake_time(second) == START + timedelta(seconds=1)


def test_ids_keep_increasing_when_the_clock_goes_backwards() -> None:
    clock = FixedClock(START)
    generator = SnowflakeGenerator(clock)
    before = [generator.next_id() for _ in range(3)]
    clock.advance(timedelta(minutes=-10))
    after = [generator.next_id() for _ in range(3)]
    assert before + after == sorted(set(before + after))
    assert after[0] == before[-1] + 1


class _TickingClock:
    """A clock that advances a microsecond on every reading, from any thread."""

    def __init__(self) -> None:
        self._now = START
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            self._now += timedelta(microseconds=1)
            return self._now


def test_ids_are_unique_and_increasing_across_threads() -> None:
    generator = SnowflakeGenerator(_TickingClock())
    per_thread: list[list[int]] = [[] for _ in range(8)]
    barrier = threading.Barrier(len(per_thread))

    def mint(into: list[int]) -> None:
        barrier.wait()
        into.extend(generator.next_id() for _ in range(2000))

    threads = [threading.Thread(target=mint, args=(ids,)) for ids in per_thread]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [i for ids in per_thread for i in ids]
    assert len(set(everything)) == len(everything)
    for ids in per_thread:
        assert ids == sorted(ids)
