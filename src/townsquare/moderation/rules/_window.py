"""The matchers' memory: the recent acts the windowed rules count, bounded in time and size.

A `Window` is a value: observing an act returns a new window holding the acts within its
`horizon` of the latest time seen (the longest window of the rules), at most `capacity` of
them, the oldest dropped first. Memory is bounded whatever the traffic; a burst larger than
the capacity is counted only as far as the capacity reaches.
"""

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

    def observe(self, sighting: Sighting) -> "Window":
        """This window after `sighting`: acts older than the horizon dropped (the clock never
        goes back, so a late act is kept only while it is inside the horizon), and an act
        already held not added again (an event delivered twice counts once)."""
        now = sighting.at if self.now is None else max(self.now, sighting.at)
        seen = sighting in self.sightings
        kept = self.sightings if seen else (*self.sightings, sighting)
        recent = tuple(s for s in kept if s.at > now - self.horizon)
        return replace(self, sightings=recent[-self.capacity :], now=now)

    def within(self, span: timedelta) -> tuple[Sighting, ...]:
        """The acts less than `span` before `now`, oldest seen first."""
        if self.now is None:
            return ()
        start = self.now - span
        return tuple(s for s in self.sightings if s.at > start)
