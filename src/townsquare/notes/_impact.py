"""A contributor's writing and rating impact, from their notes' and ratings' facts (pure).

Definitions (the reference's "Rating and Writing Impact" page and its "valid ratings"):
- writing impact = notes now rated helpful − notes now rated not helpful; notes that need
  more ratings do not count.
- a rating counts for rating impact only if it was made before the note's current status was
  reached (so it could not follow a status it had already seen); it is successful when it
  matches the status (helpful on a helpful note, not helpful on a not-helpful one) and
  unsuccessful when it is the opposite. Somewhat helpful is neither.
  rating impact = successful − unsuccessful.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from townsquare.notes._drafts import HelpfulnessLevel
from townsquare.notes.scoring import NoteStatus

__all__ = ["RatedNote", "RatingImpact", "WritingImpact", "rating_impact", "writing_impact"]

_MATCHES = {
    HelpfulnessLevel.HELPFUL: NoteStatus.CURRENTLY_RATED_HELPFUL,
    HelpfulnessLevel.NOT_HELPFUL: NoteStatus.CURRENTLY_RATED_NOT_HELPFUL,
}
_OPPOSES = {
    HelpfulnessLevel.HELPFUL: NoteStatus.CURRENTLY_RATED_NOT_HELPFUL,
    HelpfulnessLevel.NOT_HELPFUL: NoteStatus.CURRENTLY_RATED_HELPFUL,
}


@dataclass(frozen=True)
class WritingImpact:
    helpful: int
    not_helpful: int
    needs_more_ratings: int

    @property
    def score(self) -> int:
        return self.helpful - self.not_helpful


@dataclass(frozen=True)
class RatingImpact:
    successful: int  # before the status, matching it
    unsuccessful: int  # before the status, opposite to it
    pending: int  # on notes that still need more ratings

    @property
    def score(self) -> int:
        return self.successful - self.unsuccessful


@dataclass(frozen=True)
class RatedNote:
    """One of the contributor's ratings and what became of its note."""

    level: HelpfulnessLevel
    rated_at: datetime
    status: NoteStatus
    status_since: datetime | None  # when the current status was reached; None if never scored


def writing_impact(statuses: Iterable[NoteStatus]) -> WritingImpact:
    """Impact of notes whose statuses are `statuses` (one per note written)."""
    counted = list(statuses)
    return WritingImpact(
        helpful=counted.count(NoteStatus.CURRENTLY_RATED_HELPFUL),
        not_helpful=counted.count(NoteStatus.CURRENTLY_RATED_NOT_HELPFUL),
        needs_more_ratings=counted.count(NoteStatus.NEEDS_MORE_RATINGS),
    )


def rating_impact(rated: Iterable[RatedNote]) -> RatingImpact:
    successful = unsuccessful = pending = 0
    for r in rated:
        if r.status is NoteStatus.NEEDS_MORE_RATINGS:
            pending += 1
        elif r.status_since is not None and r.rated_at < r.status_since:
            successful += _MATCHES.get(r.level) is r.status
            unsuccessful += _OPPOSES.get(r.level) is r.status
    return RatingImpact(successful=successful, unsuccessful=unsuccessful, pending=pending)
