"""A report's period: two dates in order, at most a year apart; errors name what is wrong."""

from datetime import UTC, date, datetime

import pytest

from townsquare.audits import InvalidPeriodError, ReportPeriod, half_year_of, parse_period


def test_a_period_is_half_open() -> None:
    period = parse_period("2026-01-01", "2026-07-01")
    assert period == ReportPeriod(date(2026, 1, 1), date(2026, 7, 1))
    assert period.holds(datetime(2026, 1, 1, tzinfo=UTC))
    assert not period.holds(datetime(2026, 7, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-13-01", "2026-07-01", "--from '2026-13-01': expected a date written YYYY-MM-DD"),
        ("2026-01-01", "July", "--to 'July': expected a date written YYYY-MM-DD"),
        ("2026-07-01", "2026-01-01", "expected the --to date after the --from date"),
        ("2026-01-01", "2026-01-01", "expected the --to date after the --from date"),
        ("2025-01-01", "2026-07-01", "expected at most 366 days, found 546"),
        ("1999-01-01", "1999-07-01", "expected a date from 2000-01-01 onwards"),
    ],
)
def test_a_bad_period_is_named_in_the_error(start: str, end: str, message: str) -> None:
    with pytest.raises(InvalidPeriodError, match=message):
        parse_period(start, end)


def test_the_half_year_of_a_moment() -> None:
    assert half_year_of(datetime(2026, 12, 5, tzinfo=UTC)) == ReportPeriod(
        date(2026, 7, 1), date(2027, 1, 1)
    )
    assert half_year_of(datetime(2026, 6, 30, 23, tzinfo=UTC)).end == date(2026, 7, 1)
