"""The audit's result as JSON: the same audit always gives the same bytes.

Keys are sorted, comparisons come in `Metric` order, and every number is rounded to six
significant digits before it is written (so a last-bit difference in floating-point sums
between machines does not change the file). Only finite numbers appear.

`read_audit_json` reads such a document back into an `ImpartialityAudit` (its numbers as
rounded), so a published run can be worded and drawn again from the bytes its ledger entry
commits to.
"""

import json
from typing import Any

from townsquare.audits._errors import AuditDatasetError
from townsquare.audits._impartiality import Comparison, GroupCount, ImpartialityAudit
from townsquare.audits._metrics import Metric
from townsquare.audits._parameters import AuditParameters
from townsquare.audits._sentences import comparison_sentence
from townsquare.audits.statistics import RatioEstimate

__all__ = ["AUDIT_FORMAT", "audit_json", "read_audit_json"]

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


def read_audit_json(document: bytes) -> ImpartialityAudit:
    """The audit `audit_json` wrote as `document` (parameters it does not record, such as the
    report bands, are the defaults); `AuditDatasetError` for a document of another format."""
    try:
        parsed = json.loads(document)
        found = parsed.get("format")
        if found != AUDIT_FORMAT:
            raise AuditDatasetError(
                f"audit JSON: expected format {AUDIT_FORMAT!r}, found {found!r}"
            )
        groups = (str(parsed["groups"][0]), str(parsed["groups"][1]))
        threshold, alpha = parsed["threshold"], parsed["alpha"]
        parameters = AuditParameters(groups=groups, threshold=threshold, alpha=alpha)
        comparisons = tuple(_read_comparison(item) for item in parsed["comparisons"])
    except (AttributeError, KeyError, IndexError, TypeError, ValueError) as error:
        raise AuditDatasetError(
            f"audit JSON: expected a {AUDIT_FORMAT} document, found {type(error).__name__}: {error}"
        ) from None
    return ImpartialityAudit(parameters, comparisons)


def _read_comparison(item: dict[str, Any]) -> Comparison:
    first, second = (GroupCount(c["group"], c["events"], c["total"]) for c in item["counts"])
    estimate = RatioEstimate(
        ratio=item["rate_ratio"],
        ci_low=item["ci_low"],
        ci_high=item["ci_high"],
        p_value=item["p_value_unadjusted"],
        estimable=item["estimable"],
        note=item["note"],
    )
    return Comparison(
        metric=Metric(item["metric"]),
        groups=(item["groups"][0], item["groups"][1]),
        estimate=estimate,
        adjusted_p_value=item["p_value"],
        alert=item["alert"],
        counts=(first, second),
    )
