"""The moderation error family, as far as policies need it."""

from townsquare.kernel import InvalidInputError, NotFoundError, TownsquareError

__all__ = ["ModerationError", "PolicyError", "UnknownClauseError", "UnknownPolicyError"]


class ModerationError(TownsquareError):
    """Raised when moderation refuses or fails an operation for a reason it can explain."""


class PolicyError(ModerationError, InvalidInputError):
    """Raised when a policy file breaks a rule, or a clause's text changed under a recorded
    version; the message names the file (or clause) and the field."""


class UnknownClauseError(ModerationError, NotFoundError):
    """Raised when a clause id or `id@version` names no clause of the policy set."""


class UnknownPolicyError(ModerationError, NotFoundError):
    """Raised when a policy id names no policy of the policy set."""
