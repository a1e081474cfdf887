"""The audit package's error family: `AuditError` and the kinds of it."""

from townsquare.audits.statistics import AuditError, AuditParameterError
from townsquare.kernel import InvalidInputError, NotFoundError

__all__ = ["AuditDatasetError", "AuditError", "AuditParameterError", "AuditRunNotFoundError"]


class AuditDatasetError(AuditError, InvalidInputError):
    """Raised when a dataset file is missing, unreadable or malformed (the message names the
    file, the line and the column, and says what was expected and what was found)."""


class AuditRunNotFoundError(AuditError, NotFoundError):
    """Raised when no published audit run has the SHA-256 asked for."""
