"""The scoring runs' errors; all are `ScoringRunError`s, part of the notes family (`NotesError`)."""

from townsquare.kernel import ConflictError, NotFoundError, PermissionDeniedError
from townsquare.notes._errors import NotesError

__all__ = [
    "NotAReviewerError",
    "RunInProgressError",
    "RunNotFoundError",
    "RunNotHeldError",
    "ScoringRunError",
]


class ScoringRunError(NotesError):
    """Raised when a scoring run cannot be started, applied or reviewed."""


class RunInProgressError(ScoringRunError, ConflictError):
    """Raised when a run is started while another one (on any server) still holds the lease."""


class RunNotFoundError(ScoringRunError, NotFoundError):
    """Raised when a review names a run that does not exist."""


class RunNotHeldError(ScoringRunError, ConflictError):
    """Raised when a run that is not held for review is released or discarded."""


class NotAReviewerError(ScoringRunError, PermissionDeniedError):
    """Raised when an account that is neither a moderator nor an admin reviews a held run."""
