"""The drift guard: a run that would flip an unusual share of statuses waits for a person.

A scorer bug, a parameter change or a coordinated rating campaign shows up as many statuses
changing at once; ordinary runs change a few notes. The share is taken over the notes the
run could really decide (at least `min_ratings` ratings: below the Core scorer's minimum of
5, every note needs more ratings anyway), and a run is held only when that share exceeds
`max_share` AND at least `min_changes` notes change, so a community with a handful of notes
is not held every time one of them is decided.

Defaults: 20 %, because the reference's published status history changes well under a tenth
of rated notes a day and a fifth is then clearly unusual; 10 changes, so a new server's first
helpful notes go out without waiting for a moderator. A first run that decides ten or more
notes is held, by design: every decided note is a change from "needs more ratings", and a
moderator releases it (docs/design/notes-statuses.md).
"""

from dataclasses import dataclass

__all__ = ["DriftGuard", "DriftReading"]


@dataclass(frozen=True)
class DriftReading:
    """What the guard saw: `changes` among `eligible` notes, their share, and whether the
    run is held (`reason` says why, for the run's record)."""

    changes: int
    eligible: int
    share: float
    holds: bool
    reason: str


@dataclass(frozen=True)
class DriftGuard:
    """Hold a run changing more than `max_share` of the notes with at least `min_ratings`
    ratings, when it changes at least `min_changes` notes."""

    max_share: float = 0.2
    min_ratings: int = 5
    min_changes: int = 10

    def __post_init__(self) -> None:
        if not 0 < self.max_share <= 1:
            raise ValueError(f"max_share: expected a share in (0, 1], found {self.max_share}")
        if self.min_ratings < 0 or self.min_changes < 1:
            raise ValueError("min_ratings must be at least 0 and min_changes at least 1")

    def reading(self, changes: int, eligible: int) -> DriftReading:
        share = changes / eligible if eligible else (1.0 if changes else 0.0)
        holds = changes >= self.min_changes and share > self.max_share
        reason = (
            f"{changes} status changes among {eligible} notes with at least "
            f"{self.min_ratings} ratings ({share:.0%}, more than {self.max_share:.0%})"
        )
        return DriftReading(changes, eligible, share, holds, reason if holds else "")
