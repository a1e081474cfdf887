"""The API edge's error family: refusals that exist only because a request came over HTTP."""

from townsquare.kernel import (
    AuthenticationRequiredError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    TownsquareError,
)

__all__ = [
    "ApiError",
    "InsufficientScopeError",
    "InvalidParameterError",
    "InvalidTokenError",
    "MalformedRequestError",
    "OAuthError",
    "RecordNotFoundError",
    "RegistrationClosedError",
    "UnsupportedMediaTypeError",
    "UserRequiredError",
]


class ApiError(TownsquareError):
    """Raised for any refusal of the HTTP API edge."""


class MalformedRequestError(ApiError, InvalidInputError):
    """Raised when a body or query cannot be parsed at all (bad JSON, bad UTF-8)."""


class UnsupportedMediaTypeError(ApiError, InvalidInputError):
    """Raised when a body comes in a format other than form-encoded, multipart or JSON."""


class InvalidParameterError(ApiError, InvalidInputError):
    """Raised when a parameter is present but its value cannot be used; names the parameter."""


class UserRequiredError(ApiError, InvalidInputError):
    """Raised when an app-only token is used where a signed-in user is needed (Mastodon: 422)."""


class RecordNotFoundError(ApiError, NotFoundError):
    """Raised when an id in the path is malformed or names nothing."""


class InvalidTokenError(ApiError, AuthenticationRequiredError):
    """Raised when a route needs a bearer token and the request has no valid one."""


class InsufficientScopeError(ApiError, PermissionDeniedError):
    """Raised when the token is valid but was not granted the scope the route needs."""


class RegistrationClosedError(ApiError, PermissionDeniedError):
    """Raised when someone tries to sign up while the operator has closed registrations."""


class OAuthError(ApiError):
    """Raised when an OAuth 2.0 request fails; carries the RFC 6749 §5.2 error code."""

    def __init__(self, code: str, description: str, *, status: int = 400) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.status = status
