"""A report's period: whole UTC days, half-open `[start, end)`.

Half-open so that consecutive periods (`2026-01-01 → 2026-07-01`, `2026-07-01 → 2027-01-01`)
count every event exactly once.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from townsquare.audits._transparency_errors import InvalidPeriodError

__all__ = ["MAX_PERIOD_DAYS", "ReportPeriod", "half_year_of", "parse_period"]

MAX_PERIOD_DAYS = 366
"""DSA Art. 15(1) asks for a report at least once a year; a longer period is refused."""
_EARLIEST = date(2000, 1, 1)


@dataclass(frozen=True)
class ReportPeriod:
    """The days from `start` (included) to `end` (excluded)."""

    start: date
    end: date

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.start, time(), tzinfo=UTC)

    @property
    def ends_at(self) -> datetime:
        return datetime.combine(self.end, time(), tzinfo=UTC)

    def holds(self, moment: datetime) -> bool:
        """Whether `moment` falls in `[start, end)`."""
        return self.starts_at <= moment < self.ends_at

    def is_over(self, now: datetime) -> bool:
        """Whether the period has ended at `now` (only then are its numbers final)."""
        return now >= self.ends_at


def parse_period(start: str, end: str) -> ReportPeriod:
    """The period between two `YYYY-MM-DD` dates, or `InvalidPeriodError` naming what is
    wrong: an unreadable date, an end not after the start, a period over a year."""
    first, after = _day("from", start), _day("to", end)
    if after <= first:
        raise InvalidPeriodError(
            f"period {start} → {end}: expected the --to date after the --from date "
            "(the period includes --from and excludes --to)"
        )
    if (after - first).days > MAX_PERIOD_DAYS:
        raise InvalidPeriodError(
            f"period {start} → {end}: expected at most {MAX_PERIOD_DAYS} days, "
            f"found {(after - first).days}"
        )
    return ReportPeriod(first, after)


def half_year_of(moment: datetime) -> ReportPeriod:
    """The calendar half-year holding `moment` (the DSA's harmonised reporting periods)."""
    day = moment.astimezone(UTC).date()
    if day.month <= 6:
        return ReportPeriod(date(day.year, 1, 1), date(day.year, 7, 1))
    return ReportPeriod(date(day.year, 7, 1), date(day.year + 1, 1, 1))


def _day(name: str, text: str) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidPeriodError(
            f"--{name} {text!r}: expected a date written YYYY-MM-DD, such as 2026-01-01"
        ) from None
    if day < _EARLIEST or day > date.max - timedelta(days=MAX_PERIOD_DAYS):
        raise InvalidPeriodError(f"--{name} {text}: expected a date from {_EARLIEST} onwards")
    return day
