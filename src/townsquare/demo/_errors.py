"""The demo world's error family."""

from townsquare.kernel import ConflictError, InvalidInputError, TownsquareError

__all__ = ["DatabaseNotEmptyError", "DemoError", "DemoSizeError"]


class DemoError(TownsquareError):
    """Raised when the demo world cannot be loaded as asked."""


class DemoSizeError(DemoError, InvalidInputError):
    """Raised when the requested world is too small to hold the demo's named accounts."""


class DatabaseNotEmptyError(DemoError, ConflictError):
    """Raised when loading the demo world into a database that already has accounts."""
