"""The automated rules' errors; all are `ModerationError`s."""

from townsquare.kernel import InvalidInputError, NotFoundError
from townsquare.moderation._policy_errors import ModerationError

__all__ = ["MalformedRuleReviewError", "RuleError", "UnknownRuleError"]


class RuleError(ModerationError, InvalidInputError):
    """Raised when a rule or blocklist file breaks a rule (the message names the file and the
    field or line), or a recorded rule version's text has changed."""


class UnknownRuleError(ModerationError, NotFoundError):
    """Raised when a rule id or `id@version` names no rule of the rule set."""


class MalformedRuleReviewError(ModerationError, InvalidInputError):
    """Raised when a `rule.review_draw` entry does not match the draw recomputed from the
    ledger before it, or a `rule.review` entry answers no detection drawn before it."""
