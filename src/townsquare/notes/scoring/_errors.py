"""The scorer's one error family."""

from townsquare.kernel import InvalidInputError, TownsquareError

__all__ = ["ModelFitError", "RatingsInputError", "ScoringError"]


class ScoringError(TownsquareError):
    """Raised when the Community Notes scorer cannot score what it was given."""


class RatingsInputError(ScoringError, InvalidInputError):
    """Raised when ratings are empty, ragged, duplicated or hold a value outside {0, 0.5, 1}."""


class ModelFitError(ScoringError):
    """Raised when the first-round fit explains the ratings too poorly to score from."""
