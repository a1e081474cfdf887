"""When a comparison alerts: significant after correction and large enough to matter."""

import math
from dataclasses import dataclass

from townsquare.audits.statistics._errors import AuditParameterError
from townsquare.audits.statistics._estimate import RatioEstimate

__all__ = ["AlertRule"]


@dataclass(frozen=True)
class AlertRule:
    """A comparison alerts when its estimate is estimable, its adjusted p-value is below
    `alpha`, and its ratio is at least `threshold` or at most 1 / `threshold` (a disparity
    against either group). The threshold keeps a tiny but significant difference in a large
    community from alerting; alpha keeps noise from alerting."""

    threshold: float = 1.25
    alpha: float = 0.05

    def __post_init__(self) -> None:
        if not (math.isfinite(self.threshold) and self.threshold > 1.0):
            raise AuditParameterError(
                f"the practical threshold must be a ratio above 1, not {self.threshold}"
            )
        if not (0.0 < self.alpha < 1.0):
            raise AuditParameterError(f"alpha must lie strictly between 0 and 1, not {self.alpha}")

    def alerts(self, estimate: RatioEstimate, adjusted_p_value: float) -> bool:
        large = estimate.ratio >= self.threshold or estimate.ratio <= 1.0 / self.threshold
        return estimate.estimable and adjusted_p_value < self.alpha and large
