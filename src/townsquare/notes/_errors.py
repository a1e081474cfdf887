"""The notes package's errors: one family, `NotesError`, mapped to statuses at the API edge."""

from townsquare.kernel import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    TownsquareError,
)

__all__ = [
    "DuplicateNoteError",
    "InvalidNoteError",
    "InvalidRatingError",
    "NoteNotFoundError",
    "NotesError",
    "NotesForbiddenError",
    "NotesInvalidError",
    "NotesNotFoundError",
]


class NotesError(TownsquareError):
    """Raised when a community-notes request cannot be carried out (see the subclasses)."""


class NotesNotFoundError(NotesError, NotFoundError):
    """Raised when a note, or the post it is about, does not exist or the viewer may not see it."""


class NoteNotFoundError(NotesNotFoundError):
    """Raised when no note has the id given (or its post is gone)."""


class NotesForbiddenError(NotesError, PermissionDeniedError):
    """Raised when the member may not do this: not eligible, their own note or post, or a post
    that is not shown."""


class NotesInvalidError(NotesError, InvalidInputError):
    """Raised when a note or rating as submitted breaks a rule the member can fix."""


class InvalidNoteError(NotesInvalidError):
    """Raised when a note draft is incomplete or inconsistent (text, sources, reasons)."""


class InvalidRatingError(NotesInvalidError):
    """Raised when a rating draft has an unknown level or a tag its level does not allow."""


class DuplicateNoteError(NotesError, ConflictError):
    """Raised when a member writes a second note on a post they already wrote one on."""
