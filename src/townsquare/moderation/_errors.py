"""The enforcement path's errors; all are `ModerationError`s (see `_policy_errors`)."""

from townsquare.kernel import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from townsquare.moderation._policy_errors import ModerationError

__all__ = [
    "ActionNotAllowedError",
    "ActionNotFoundError",
    "AlreadyLiftedError",
    "InvalidDecisionError",
    "MalformedDecisionEntryError",
    "NotAModeratorError",
    "OwnContentError",
    "TargetNotFoundError",
]


class NotAModeratorError(ModerationError, PermissionDeniedError):
    """Raised when an account that is neither a moderator nor an admin tries to enforce."""


class OwnContentError(ModerationError, PermissionDeniedError):
    """Raised when a moderator tries to act on their own post or account."""


class ActionNotAllowedError(ModerationError, InvalidInputError):
    """Raised when the cited clause version does not allow the decision's action."""


class InvalidDecisionError(ModerationError, InvalidInputError):
    """Raised when a decision is incomplete or inconsistent (wrong target for its action,
    missing label text, a territorial scope that is not ISO country codes, …)."""


class TargetNotFoundError(ModerationError, NotFoundError):
    """Raised when the post or account a decision targets does not exist."""


class ActionNotFoundError(ModerationError, NotFoundError):
    """Raised when a restore names an action that was never taken."""


class AlreadyLiftedError(ModerationError, ConflictError):
    """Raised when a restore names an action that is no longer in force (already restored)."""


class MalformedDecisionEntryError(ModerationError):
    """Raised when replay meets a logged decision `enforce` could never have written (an
    unknown action kind, a restore of an action not in force, a missing field)."""
