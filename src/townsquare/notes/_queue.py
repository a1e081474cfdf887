"""The order of the "needs your rating" list (pure).

Bridging needs ratings from both sides, so a rater is most useful on a note their usual side
has not rated much yet. A rater's usual side is the sign of their factor from the last scoring
run; a rater the run has not placed (too few ratings) has no side, and the list falls back to
the notes with the fewest ratings.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

__all__ = ["Side", "WaitingNote", "rating_queue_order", "usual_side"]


class Side(IntEnum):
    """Which side of the factor axis a rater sits on (the sign of their factor)."""

    NEGATIVE = -1
    POSITIVE = 1


@dataclass(frozen=True)
class WaitingNote:
    """A note that needs ratings, with the ratings it has by side."""

    note_id: int
    created_at: datetime
    ratings: int
    positive_side_ratings: int
    negative_side_ratings: int

    def ratings_from(self, side: Side) -> int:
        if side is Side.POSITIVE:
            return self.positive_side_ratings
        return self.negative_side_ratings


def usual_side(factor: float | None) -> Side | None:
    """The side a rater's factor puts them on; None without a factor (or at exactly zero)."""
    if factor is None or factor == 0:
        return None
    return Side.POSITIVE if factor > 0 else Side.NEGATIVE


def rating_queue_order(waiting: Iterable[WaitingNote], side: Side | None) -> list[WaitingNote]:
    """Fewest ratings from the rater's side first, then fewest ratings, then newest."""

    def key(note: WaitingNote) -> tuple[int, int, float]:
        from_side = note.ratings_from(side) if side is not None else 0
        return (from_side, note.ratings, -note.created_at.timestamp())

    return sorted(waiting, key=key)
