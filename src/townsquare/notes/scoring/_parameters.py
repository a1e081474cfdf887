"""The Core model's parameters, as one frozen value."""

from dataclasses import dataclass

from townsquare.notes.scoring._errors import ScoringError

__all__ = ["CoreParameters"]


@dataclass(frozen=True)
class CoreParameters:
    """How the Core model is fitted.

    The defaults are the reference's (matrix_factorization.py `MatrixFactorization.__init__`):
    intercepts regularised 5x harder than factors, so agreement explained by viewpoint goes
    into the factor and only helpfulness across viewpoints stays in the note intercept.
    `intercept_lambda` applies to rater and note intercepts and to the global intercept `mu`.

    A fit stops after `max_sweeps` alternating sweeps or when one sweep lowers the loss by
    less than `tolerance`. The loss is not convex: the fit runs from `starts` starting points
    (rater factors drawn uniformly from +-`initial_factor_scale` by a generator seeded with
    `seed`) and keeps the one with the lowest loss. One start is what the reference does.
    """

    intercept_lambda: float = 0.15
    factor_lambda: float = 0.03
    max_sweeps: int = 200
    tolerance: float = 1e-9
    seed: int = 0
    starts: int = 1
    initial_factor_scale: float = 0.5

    def __post_init__(self) -> None:
        # Positive penalties keep every 2x2 ridge system positive definite (see _fit.py).
        if not (self.intercept_lambda > 0 and self.factor_lambda > 0):
            raise ScoringError(
                f"the penalties must be positive; got intercept_lambda={self.intercept_lambda}"
                f" and factor_lambda={self.factor_lambda}"
            )
        if self.max_sweeps < 1 or self.starts < 1:
            raise ScoringError(
                f"a fit needs at least one sweep and one start; got max_sweeps="
                f"{self.max_sweeps} and starts={self.starts}"
            )
