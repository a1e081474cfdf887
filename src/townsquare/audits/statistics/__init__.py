"""The impartiality audit's statistics, as a pure library.

Counts in, ratios out: numpy and the standard library only, no database, web, settings, clock
or global random state (an import-linter contract keeps it so). docs/design/audit.md explains
the method in words and gives the formulas.

- `risk_ratio` compares two groups' event rates (log-ratio interval; Haldane–Anscombe when one
  group has no event).
- `mantel_haenszel` compares them within strata (`StratumCounts`): the Mantel–Haenszel risk
  ratio, the Greenland–Robins interval and the Cochran–Mantel–Haenszel test.
- `holm_adjusted` corrects a family of p-values (Holm's step-down).
- `AlertRule` decides whether a comparison alerts: adjusted p below alpha and a ratio beyond
  the practical threshold in either direction.

Every result is a `RatioEstimate` of finite numbers; data that cannot support a ratio give
`not_estimable(note)`. Errors: `AuditParameterError` for a parameter out of range; every
audit error is an `AuditError` (a `TownsquareError`).
"""

from townsquare.audits.statistics._alert import AlertRule
from townsquare.audits.statistics._errors import AuditError, AuditParameterError
from townsquare.audits.statistics._estimate import LARGEST_BOUND, RatioEstimate, not_estimable
from townsquare.audits.statistics._holm import holm_adjusted
from townsquare.audits.statistics._stratified import StratumCounts, mantel_haenszel, risk_ratio

__all__ = [
    "LARGEST_BOUND",
    "AlertRule",
    "AuditError",
    "AuditParameterError",
    "RatioEstimate",
    "StratumCounts",
    "holm_adjusted",
    "mantel_haenszel",
    "not_estimable",
    "risk_ratio",
]
