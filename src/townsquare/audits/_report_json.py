"""The audit's result as JSON: the same audit always gives the same bytes.

Keys are sorted, comparisons come in `Metric` order, and every number is rounded to six
significant digits before it is written (so a last-bit difference in floating-point sums
between machines does not change the file). Only finite numbers appear.
"""

import json
from typing import Any

from townsquare.audits._impartiality import Comparison, ImpartialityAudit
from townsquare.audits._sentences import comparison_sentence

__all__ = ["AUDIT_FORMAT", "audit_json"]

# Names this layout; a change a reader's program would notice gets a new number.
AUDIT_FORMAT = "townsquare-impartiality-audit/1"


def audit_json(audit: ImpartialityAudit) -> str:
    """The result document: a top-level `alert`, the parameters, and the `comparisons`."""
    document = {
        "format": AUDIT_FORMAT,
        "alert": audit.alert,
        "groups": list(audit.parameters.groups),
        "threshold": _rounded(audit.parameters.threshold),
        "alpha": _rounded(audit.parameters.alpha),
        "comparisons": [_comparison(comparison) for comparison in audit.comparisons],
    }
    return (
        json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    )


def _comparison(comparison: Comparison) -> dict[str, Any]:
    estimate = comparison.estimate
    return {
        "metric": comparison.metric.value,
        "groups": list(comparison.groups),
        "rate_ratio": _rounded(estimate.ratio),
        "ci_low": _rounded(estimate.ci_low),
        "ci_high": _rounded(estimate.ci_high),
        "p_value": _rounded(comparison.adjusted_p_value),
        "p_value_unadjusted": _rounded(estimate.p_value),
        "conditional": comparison.conditional,
        "alert": comparison.alert,
        "estimable": estimate.estimable,
        "note": estimate.note,
        "counts": [
            {"group": count.group, "events": count.events, "total": count.total}
            for count in comparison.counts
        ],
        "sentence": comparison_sentence(comparison),
    }


def _rounded(value: float) -> float:
    return float(f"{value:.6g}")
