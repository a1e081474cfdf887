"""The microblog's error family."""

from townsquare.kernel import (
    AuthenticationRequiredError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    TownsquareError,
)

__all__ = [
    "AccountNotFoundError",
    "ActionLimitedError",
    "ConversationNotFoundError",
    "FilterNotFoundError",
    "HandleTakenError",
    "InvalidCredentialsError",
    "InvalidFilterError",
    "InvalidListError",
    "InvalidMarkerError",
    "InvalidMediaError",
    "InvalidPostError",
    "InvalidProfileError",
    "InvalidVoteError",
    "ListNotFoundError",
    "LoginThrottledError",
    "MediaNotFoundError",
    "MicroblogError",
    "NotAllowedError",
    "PostNotFoundError",
    "ScheduledPostNotFoundError",
]


class MicroblogError(TownsquareError):
    """Raised for any refusal of the microblog layer."""


class AccountNotFoundError(MicroblogError, NotFoundError):
    """Raised when no account has the given id or handle."""


class PostNotFoundError(MicroblogError, NotFoundError):
    """Raised when a post does not exist or the viewer may not see it."""


class HandleTakenError(MicroblogError, ConflictError):
    """Raised when registering a handle or e-mail address that is already in use."""


class InvalidProfileError(MicroblogError, InvalidInputError):
    """Raised when a handle, e-mail, password, display name or bio breaks its rule."""


class InvalidVoteError(MicroblogError, InvalidInputError):
    """Raised when a vote names no option or a wrong one, or comes twice or too late."""


class InvalidPostError(MicroblogError, InvalidInputError):
    """Raised when a post is empty, too long, or refers to something it cannot."""


class FilterNotFoundError(MicroblogError, NotFoundError):
    """Raised when an account has no filter (or filter keyword) by the given id."""


class InvalidFilterError(MicroblogError, InvalidInputError):
    """Raised when a filter's title, contexts or keywords break their rules."""


class ScheduledPostNotFoundError(MicroblogError, NotFoundError):
    """Raised when a scheduled post does not exist, or is not the asker's."""


class ConversationNotFoundError(MicroblogError, NotFoundError):
    """Raised when an account is not in the conversation it asks for."""


class ListNotFoundError(MicroblogError, NotFoundError):
    """Raised when an account has no list by the given id (someone else's included)."""


class InvalidListError(MicroblogError, InvalidInputError):
    """Raised when a list's title is empty or too long, or a member is not followed."""


class InvalidMarkerError(MicroblogError, InvalidInputError):
    """Raised when a reading marker names a timeline that keeps none."""


class InvalidCredentialsError(MicroblogError, AuthenticationRequiredError):
    """Raised when a handle/e-mail and password do not match an account."""


class LoginThrottledError(MicroblogError, RateLimitedError):
    """Raised when sign-ins for this account or from this address must wait (too many
    failures); raised before the password is checked, so even the right one waits. `limit`
    is the used-up tier's allowance and `reset_at` (seconds since the epoch) when it frees a
    slot."""

    def __init__(self, message: str, *, retry_after: int, limit: int, reset_at: float) -> None:
        super().__init__(message, retry_after=retry_after)
        self.limit = limit
        self.reset_at = reset_at


class ActionLimitedError(MicroblogError, RateLimitedError):
    """Raised when an account or an address has posted, followed, reported or registered
    too often; `limit` is the used-up counter's allowance and `reset_at` (seconds since the
    epoch) when its window ends."""

    def __init__(self, message: str, *, retry_after: int, limit: int, reset_at: float) -> None:
        super().__init__(message, retry_after=retry_after)
        self.limit = limit
        self.reset_at = reset_at


class NotAllowedError(MicroblogError, PermissionDeniedError):
    """Raised when the actor may not do this (delete someone else's post, say)."""


class InvalidMediaError(MicroblogError, InvalidInputError):
    """Raised when an upload is not an accepted image, is too large, or an attachment's
    description or focus breaks its rule."""


class MediaNotFoundError(MicroblogError, NotFoundError):
    """Raised when no media attachment has the id, or the asker may not see it."""
