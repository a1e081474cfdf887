"""The transparency report's errors (part of the audit package's error family)."""

from townsquare.audits._errors import AuditError
from townsquare.kernel import InvalidInputError

__all__ = ["InvalidPeriodError", "TransparencyReportError"]


class TransparencyReportError(AuditError):
    """Raised when a transparency report cannot be built or published."""


class InvalidPeriodError(TransparencyReportError, InvalidInputError):
    """Raised when a report's period is not two dates, in order, at most a year apart (the
    message names the date or the range and says what was expected)."""
