"""The matchers' memory: the recent acts the windowed rules count, bounded in time and size.

A `Window` is a value: observing an act returns a new window holding the acts within its
`horizon` of the latest time seen (the longest window of the rules), in time order, at most
`capacity` of them, the oldest dropped first. Kept in time order, a rule's window is found
by bisection rather than a scan. Memory is bounded whatever the traffic; a burst larger than
the capacity is counted only as far as the capacity reaches.
"""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from townsquare.moderation.rules._errors import RuleError

__all__ = ["DEFAULT_CAPACITY", "Sighting", "Window"]

DEFAULT_CAPACITY = 10_000


@dataclass(frozen=True)
class Sighting:
    """One act, as the windowed rules need it: when, by whom (and how old the account was),
    the post it published if any, its links and mentions, what it aimed at (`account:<id>`
    or `post:<id>`), and its text's fingerprints and normalised length."""

    at: datetime
    account_id: int
    account_created_at: datetime
    post_id: int | None = None
    links: int = 0
    mentions: frozenset[int] = frozenset()
    aims: frozenset[str] = frozenset()
    fingerprints: frozenset[str] = frozenset()
    characters: int = 0


@dataclass(frozen=True)
class Window:
    """The acts seen within `horizon` of `now` (the latest act's time), at most `capacity`."""

    horizon: timedelta
    capacity: int = DEFAULT_CAPACITY
    sightings: tuple[Sighting, ...] = ()
    now: datetime | None = None

    def __post_init__(self) -> None:
        if self.capacity < 1 or self.horizon < timedelta(0):
            raise RuleError(
                f"window: expected a capacity from 1 and a horizon from 0, found "
                f"{self.capacity} and {self.horizon}"
            )

    def holds(self, sighting: Sighting) -> bool:
        """Whether this very act is already in the window (an event delivered twice)."""
        times = self.sightings
        low = bisect_left(times, sighting.at, key=_time)
        high = bisect_right(times, sighting.at, key=_time)
        return sighting in times[low:high]

    def observe(self, sighting: Sighting) -> "Window":
        """This window after `sighting`, in time order: acts older than the horizon dropped
        (the clock never goes back, so a late act is kept only while it is inside the
        horizon); an act already held is not added again (it counts once)."""
        if self.holds(sighting):
            return self
        now = sighting.at if self.now is None else max(self.now, sighting.at)
        held = self.sightings[self._start(now - self.horizon) :]
        if sighting.at > now - self.horizon:
            place = bisect_right(held, sighting.at, key=_time)
            held = (*held[:place], sighting, *held[place:])
        return replace(self, sightings=held[-self.capacity :], now=now)

    def within(self, span: timedelta) -> tuple[Sighting, ...]:
        """The acts less than `span` before `now`, oldest first."""
        if self.now is None:
            return ()
        return self.sightings[self._start(self.now - span) :]

    def _start(self, cutoff: datetime) -> int:
        """The index of the first act after `cutoff`."""
        return bisect_right(self.sightings, cutoff, key=_time)


def _time(sighting: Sighting) -> datetime:
    return sighting.at
