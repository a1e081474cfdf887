"""The root of every error Townsquare raises on purpose.

Each package defines its own family under `TownsquareError`. The kinds below say what went
wrong in terms the HTTP edge can map to a status without knowing the package: the edge is the
one place that turns errors into responses.
"""

__all__ = [
    "AuthenticationRequiredError",
    "ConflictError",
    "InvalidInputError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitedError",
    "TownsquareError",
]


class TownsquareError(Exception):
    """Raised when Townsquare refuses or fails an operation for a reason it can explain."""


class InvalidInputError(TownsquareError):
    """Raised when a request is malformed, too large, or breaks a rule a person can fix."""


class NotFoundError(TownsquareError):
    """Raised when the thing asked for does not exist (or is not visible to the asker)."""


class PermissionDeniedError(TownsquareError):
    """Raised when the actor is known but may not do this."""


class AuthenticationRequiredError(TownsquareError):
    """Raised when the operation needs a signed-in actor and there is none."""


class ConflictError(TownsquareError):
    """Raised when the request clashes with existing state (a taken handle, say)."""


class RateLimitedError(TownsquareError):
    """Raised when the actor must wait before trying again; `retry_after` says how many
    seconds (at least one)."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)
