"""Second reviews as values: a drawn decision as its blind reviewer sees it, and a completed
review with whether it disagreed with the original decision."""

from dataclasses import dataclass
from datetime import datetime

from townsquare.moderation._blind_review import CaseItem
from townsquare.moderation._policies import ActionKind

__all__ = ["BlindReview", "CompletedReview", "ReviewedReport", "SecondReview", "disagrees"]


def disagrees(original: ActionKind, second: ActionKind) -> bool:
    """A second review disagrees when the action it would take differs from the action
    taken: another kind of action, or acting where the first decided not to (and the
    reverse). The clause cited is recorded but does not count: two moderators who would
    both remove a post, under different clauses, agree on what the post deserves."""
    return original != second


@dataclass(frozen=True)
class SecondReview:
    """A drawn decision waiting for, or under, its second review: nothing of its outcome,
    who took it, or whose post it is. `reviewer_id` is the moderator who took it, if any."""

    id: int
    drawn_at: datetime
    reviewer_id: int | None


@dataclass(frozen=True)
class ReviewedReport:
    """A report that led to the decision, as the reviewer sees it: its category and the
    clause it cited (None when it cited none). Not its comment, which may name the author."""

    category: str
    clause: str | None


@dataclass(frozen=True)
class BlindReview:
    """What the second reviewer decides on: the post's content (as kept for moderators,
    even if removed) and the reports behind the decision."""

    review: SecondReview
    item: CaseItem
    reports: tuple[ReviewedReport, ...]


@dataclass(frozen=True)
class CompletedReview:
    """A second review answered: the decision reviewed (`action_id`, on `post_id`), its
    action, the reviewer's action and clause, and when."""

    review_id: int
    action_id: int
    post_id: int
    original: ActionKind
    second: ActionKind
    clause: str
    reviewed_at: datetime

    @property
    def disagreed(self) -> bool:
        return disagrees(self.original, self.second)
