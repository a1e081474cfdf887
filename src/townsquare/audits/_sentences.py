"""One plain sentence per comparison, for readers who do not read rate ratios.

English for now; the transparency pages will word the same data (metric, groups, ratio,
interval, alert) in English and French.
"""

from townsquare.audits._impartiality import Comparison
from townsquare.audits._metrics import Metric

__all__ = ["comparison_sentence"]

# What each metric says, with {a} and {b} the group labels and {ratio} the ratio.
_CLAIMS = {
    Metric.RESTRICTED_COMPARABLE: (
        "Posts from group {a} are restricted {ratio}× as often as comparable posts from group "
        "{b} (same reported clause and number of reports)"
    ),
    Metric.BLIND_REVIEW_DISAGREEMENT: (
        "In blind second reviews of randomly drawn decisions, decisions on group {a}'s posts "
        "are found wrong {ratio}× as often as decisions on group {b}'s"
    ),
    Metric.RESTRICTED_PER_1000_POSTS: (
        "Posts from group {a} are restricted {ratio}× as often as posts from group {b}, counted "
        "per 1,000 posts before taking reports into account"
    ),
    Metric.SEVERE_SHARE: (
        "Restrictions of group {a}'s posts are removals or heavier {ratio}× as often as "
        "restrictions of group {b}'s"
    ),
    Metric.AUTOMATED_SHARE: (
        "Restrictions of group {a}'s posts are automated {ratio}× as often as those of group {b}'s"
    ),
    Metric.APPEAL_RATE: (
        "Restrictions of group {a}'s posts are appealed {ratio}× as often as those of group {b}'s"
    ),
    Metric.REVERSAL_RATE: (
        "Restrictions of group {a}'s posts are reversed {ratio}× as often as those of group {b}'s"
    ),
    Metric.HELPFUL_NOTE_SHARE: (
        "Posts from group {a} carry a Helpful community note {ratio}× as often as posts from "
        "group {b}"
    ),
    Metric.SLOW_DECISION_SHARE: (
        "Decisions on reported posts from group {a} take longer than the median time "
        "{ratio}× as often as decisions on group {b}'s"
    ),
}

# What each metric is about, for a comparison that cannot be made.
_SUBJECTS = {
    Metric.RESTRICTED_COMPARABLE: "restrictions of comparable posts",
    Metric.BLIND_REVIEW_DISAGREEMENT: "disagreement in blind second reviews",
    Metric.RESTRICTED_PER_1000_POSTS: "restrictions per 1,000 posts",
    Metric.SEVERE_SHARE: "the share of restrictions that are removals or heavier",
    Metric.AUTOMATED_SHARE: "the share of restrictions that are automated",
    Metric.APPEAL_RATE: "how often restrictions are appealed",
    Metric.REVERSAL_RATE: "how often restrictions are reversed",
    Metric.HELPFUL_NOTE_SHARE: "the share of posts carrying a Helpful note",
    Metric.SLOW_DECISION_SHARE: "how often decisions take longer than the median time",
}


def comparison_sentence(comparison: Comparison) -> str:
    """E.g. "Posts from group A are restricted 1.10× as often as comparable posts from group B
    (…); 95 % interval 0.90–1.30; no alert." """
    a, b = comparison.groups
    estimate = comparison.estimate
    if not estimate.estimable:
        subject = _SUBJECTS[comparison.metric]
        return f"Groups {a} and {b} cannot be compared on {subject}: {estimate.note}."
    claim = _CLAIMS[comparison.metric].format(a=a, b=b, ratio=_number(estimate.ratio))
    interval = f"95 % interval {_number(estimate.ci_low)}–{_number(estimate.ci_high)}"
    return f"{claim}; {interval}; {_verdict(comparison)}."


def _verdict(comparison: Comparison) -> str:
    if not comparison.conditional:
        return "descriptive, never alerts"
    return "alert" if comparison.alert else "no alert"


def _number(value: float) -> str:
    """Two decimals for the ratios people meet (0.01 to 10), fewer digits beyond."""
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"
