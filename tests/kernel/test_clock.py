"""The clock protocol's two implementations."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from townsquare.kernel import Clock, FixedClock, SystemClock


def test_fixed_clock_stands_still_until_advanced() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    clock = FixedClock(start)
    assert clock.now() == clock.now() == start
    clock.advance(timedelta(hours=2))
    assert clock.now() == start + timedelta(hours=2)


def test_fixed_clock_refuses_a_naive_start() -> None:
    with pytest.raises(ValueError, match="aware"):
        FixedClock(datetime(2026, 1, 1))


def test_regression_fixed_clock_returned_a_non_utc_zone() -> None:
    paris_winter = timezone(timedelta(hours=1))
    clock = FixedClock(datetime(2026, 1, 1, 13, 0, tzinfo=paris_winter))
    assert clock.now().utcoffset() == timedelta(0)
    assert clock.now() == datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def test_system_clock_is_aware_utc_and_current() -> None:
    clock: Clock = SystemClock()
    now = clock.now()
    assert now.utcoffset() == timedelta(0)
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=5)
