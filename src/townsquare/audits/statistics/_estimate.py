"""A ratio between two groups with its 95 % interval and p-value, or why there is none."""

import math
from dataclasses import dataclass

__all__ = ["LARGEST_BOUND", "RatioEstimate", "not_estimable"]

# The upper end of an interval that has none (a ratio that could be anything): finite, so the
# published JSON holds numbers only, and far beyond any ratio a reader would take as real.
LARGEST_BOUND = 1e6


@dataclass(frozen=True)
class RatioEstimate:
    """Group A's rate over group B's (`ratio`), its 95 % interval and its two-sided p-value
    against "no difference". Every number is finite. When the data cannot say (`estimable`
    false) the ratio is 1, the interval [0, LARGEST_BOUND], the p-value 1, and `note` says
    why; `note` may also explain an estimate that needed a correction."""

    ratio: float
    ci_low: float
    ci_high: float
    p_value: float
    estimable: bool = True
    note: str = ""

    def __post_init__(self) -> None:
        values = (self.ratio, self.ci_low, self.ci_high, self.p_value)
        if not all(math.isfinite(value) for value in values):
            raise ValueError(f"a ratio estimate holds finite numbers only, not {values}")


def not_estimable(note: str) -> RatioEstimate:
    """The estimate for data that cannot support a ratio; `note` says why."""
    return RatioEstimate(1.0, 0.0, LARGEST_BOUND, 1.0, estimable=False, note=note)
