"""The appeal workflow's errors; all are `ModerationError`s (see `_policy_errors`)."""

from townsquare.kernel import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from townsquare.moderation._policy_errors import ModerationError

__all__ = [
    "AppealNotFoundError",
    "AppealTransitionError",
    "AppealWindowClosedError",
    "InvalidAppealError",
    "NotAppealReviewerError",
    "NotAppellantError",
    "SameModeratorError",
]


class AppealTransitionError(ModerationError, ConflictError):
    """Raised when an appeal is asked to move to a state its current state does not lead to."""


class InvalidAppealError(ModerationError, InvalidInputError):
    """Raised when an appeal or its outcome is incomplete (no reason, reasons too long, …)."""


class AppealNotFoundError(ModerationError, NotFoundError):
    """Raised when an appeal id, or the action an appeal names, does not exist."""


class NotAppellantError(ModerationError, PermissionDeniedError):
    """Raised when someone who is neither the affected author nor (for no action) the
    reporter tries to appeal a decision."""


class AppealWindowClosedError(ModerationError, ConflictError):
    """Raised when an appeal is filed after its six-month window (DSA Art. 20(1)) closed,
    or a second time on the same decision by the same person."""


class SameModeratorError(ModerationError, PermissionDeniedError):
    """Raised when the moderator who took a decision (or the appellant) is asked to review
    its appeal: review is by someone not involved (Santa Clara 2.0, Appeal)."""


class NotAppealReviewerError(ModerationError, PermissionDeniedError):
    """Raised when an appeal is decided by anyone but the moderator it is assigned to."""
