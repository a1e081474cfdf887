"""What the impartiality audit compares, how it stratifies, and when it alerts."""

from bisect import bisect_right
from dataclasses import dataclass
from itertools import pairwise

from townsquare.audits._errors import AuditParameterError
from townsquare.audits.statistics import AlertRule

__all__ = ["AuditParameters"]

# Decisions that leave a post as visible as before: a decision not to act, a warning to the
# author, a restoration. Every other action (including names this list does not know)
# restricts the post, so an unknown action can only make the audit stricter.
_NOT_RESTRICTING = frozenset({"none", "no_action", "warn", "restore"})

# Actions that take a post (or its author) out of view, against those that only label it,
# put it behind an interstitial or reduce its reach.
_SEVERE = frozenset({"remove", "suspend", "limit", "geo_restrict", "block_url"})


@dataclass(frozen=True)
class AuditParameters:
    """The audit's settings. `groups` are the two labels compared (the first over the
    second); `report_bands` are the lower bounds of the report-count bands that, with the
    reported clause, form the strata (0 must come first: unreported posts are their own band).
    `threshold` and `alpha` make the `AlertRule`."""

    groups: tuple[str, str] = ("A", "B")
    threshold: float = 1.25
    alpha: float = 0.05
    report_bands: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 7, 10, 20)
    not_restricting_actions: frozenset[str] = _NOT_RESTRICTING
    severe_actions: frozenset[str] = _SEVERE

    def __post_init__(self) -> None:
        if self.groups[0] == self.groups[1] or not all(self.groups):
            raise AuditParameterError(f"two different group labels are needed, not {self.groups}")
        bands = self.report_bands
        if not bands or bands[0] != 0 or any(b <= a for a, b in pairwise(bands)):
            raise AuditParameterError(
                f"report bands must start at 0 and increase, not {list(bands)}"
            )
        AlertRule(self.threshold, self.alpha)  # raises for a threshold or alpha out of range

    @property
    def rule(self) -> AlertRule:
        return AlertRule(threshold=self.threshold, alpha=self.alpha)

    def band(self, reports: int) -> int:
        """The lower bound of the band `reports` falls in."""
        return self.report_bands[bisect_right(self.report_bands, reports) - 1]
