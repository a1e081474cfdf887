"""The second-review workflow's errors; all are `ModerationError`s (see `_policy_errors`)."""

from townsquare.kernel import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from townsquare.moderation._policy_errors import ModerationError

__all__ = [
    "InvalidReviewError",
    "MalformedReviewDrawError",
    "NoCheckpointError",
    "ReviewNotFoundError",
    "ReviewTakenError",
    "ReviewerInvolvedError",
]


class NoCheckpointError(ModerationError, ConflictError):
    """Raised when a draw is asked for before the ledger has signed a checkpoint holding a
    decision: the draw's seed is the latest checkpoint's root hash, and there is none yet."""


class ReviewNotFoundError(ModerationError, NotFoundError):
    """Raised when a second review id names no drawn decision."""


class ReviewerInvolvedError(ModerationError, PermissionDeniedError):
    """Raised when the moderator who took the drawn decision (who proposed or approved it, or
    whose own content it is about) asks to review it again: a second review is by someone
    else."""


class ReviewTakenError(ModerationError, ConflictError):
    """Raised when a second review is taken or answered by a moderator other than the one
    reviewing it, or answered a second time."""


class InvalidReviewError(ModerationError, InvalidInputError):
    """Raised when a draw's count, or a review's answer (its action or clause), is not one
    the workflow accepts."""


class MalformedReviewDrawError(ModerationError, InvalidInputError):
    """Raised when an `audit.review_draw` ledger entry does not match the draw recomputed
    from the ledger before it (its seed, its candidates or what it drew)."""
