"""The audit's error family (rooted here, in the pure core, so the core can raise it too)."""

from townsquare.kernel import InvalidInputError, TownsquareError

__all__ = ["AuditError", "AuditParameterError"]


class AuditError(TownsquareError):
    """Raised when the impartiality audit cannot run on what it was given."""


class AuditParameterError(AuditError, InvalidInputError):
    """Raised when an audit parameter (threshold, alpha, groups, bands) is out of its range."""
