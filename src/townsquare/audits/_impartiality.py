"""The impartiality audit: the dataset counted per group, compared, corrected, and judged.

(1) Count, per group, posts and restricted posts (overall and per stratum), restrictions
    with their severity, automation, appeal and reversal, and decisions slower than the
    median. (2) Compare group A to group B for each `Metric` (a `RatioEstimate`). (3) Correct
    the p-values with Holm's method, separately for the conditional comparisons (those that
    may alert) and the descriptive ones. (4) Apply the `AlertRule` to the conditional ones.
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import median

from townsquare.audits._dataset import AuditDataset, AuditDecision
from townsquare.audits._metrics import Metric
from townsquare.audits._parameters import AuditParameters
from townsquare.audits.statistics import (
    RatioEstimate,
    StratumCounts,
    holm_adjusted,
    mantel_haenszel,
    risk_ratio,
)

__all__ = ["Comparison", "GroupCount", "ImpartialityAudit", "audit_impartiality"]

# A stratum: the clause the post was reported under ("" when unreported) and its report band.
_Stratum = tuple[str, int]


@dataclass(frozen=True)
class GroupCount:
    """How many of a group's units (posts, or restrictions) had the event compared."""

    group: str
    events: int
    total: int


@dataclass(frozen=True)
class Comparison:
    """Group A against group B on one metric: the estimate, its Holm-adjusted p-value, whether
    the metric may alert and whether it does, and the counts behind it."""

    metric: Metric
    groups: tuple[str, str]
    estimate: RatioEstimate
    adjusted_p_value: float
    alert: bool
    counts: tuple[GroupCount, GroupCount]

    @property
    def conditional(self) -> bool:
        return self.metric.conditional


@dataclass(frozen=True)
class ImpartialityAudit:
    """The audit's result: every comparison, and the parameters it ran with."""

    parameters: AuditParameters
    comparisons: tuple[Comparison, ...]

    @property
    def alert(self) -> bool:
        """True exactly when some comparison alerts."""
        return any(comparison.alert for comparison in self.comparisons)


@dataclass(frozen=True)
class _GroupTally:
    """One group's counts (step 1)."""

    posts: Mapping[_Stratum, int]
    restricted: Mapping[_Stratum, int]
    restrictions: int
    severe: int
    automated: int
    appealed: int
    reversed: int
    reviewed: int
    disagreed: int
    helpful_notes: int
    timed: int
    slow: int


def audit_impartiality(
    dataset: AuditDataset, parameters: AuditParameters | None = None
) -> ImpartialityAudit:
    """Compares the two groups of `parameters` (A and B by default) on every `Metric`."""
    parameters = parameters or AuditParameters()
    cutoff = _median_hours(dataset, parameters)
    first, second = (_tally(dataset, group, parameters, cutoff) for group in parameters.groups)
    estimates = _compare(first, second, parameters)  # (2)
    if dataset.reviews is None:
        del estimates[Metric.BLIND_REVIEW_DISAGREEMENT]
    if dataset.helpful_notes is None:
        del estimates[Metric.HELPFUL_NOTE_SHARE]
    if dataset.decision_times is None:
        del estimates[Metric.SLOW_DECISION_SHARE]
    adjusted = _adjusted(estimates)  # (3)
    rule = parameters.rule
    comparisons = tuple(
        Comparison(
            metric=metric,
            groups=parameters.groups,
            estimate=estimate,
            adjusted_p_value=adjusted[metric],
            alert=metric.conditional and rule.alerts(estimate, adjusted[metric]),  # (4)
            counts=counts,
        )
        for metric, (estimate, counts) in estimates.items()
    )
    return ImpartialityAudit(parameters, comparisons)


def _median_hours(dataset: AuditDataset, parameters: AuditParameters) -> float:
    """The median time to a decision over both compared groups' posts (0 when none is timed):
    a decision slower than this is a "slow" one in `Metric.SLOW_DECISION_SHARE`."""
    compared = {
        account.account_id for account in dataset.accounts if account.group in parameters.groups
    }
    authored = {post.post_id for post in dataset.posts if post.account_id in compared}
    hours = [
        time.hours_to_decision for time in dataset.decision_times or () if time.post_id in authored
    ]
    return median(hours) if hours else 0.0


def _tally(
    dataset: AuditDataset, group: str, parameters: AuditParameters, median_hours: float
) -> _GroupTally:
    """(1) The counts for `group`'s posts and the decisions on them."""
    members = {account.account_id for account in dataset.accounts if account.group == group}
    strata = {
        post.post_id: (post.report_clause, parameters.band(post.reports))
        for post in dataset.posts
        if post.account_id in members
    }
    restrictions = [
        decision
        for decision in dataset.decisions
        if decision.post_id in strata and _restricts(decision, parameters)
    ]
    restricted_posts = {decision.post_id for decision in restrictions}
    reviews = [review for review in dataset.reviews or () if review.post_id in strata]
    noted = {note.post_id for note in dataset.helpful_notes or () if note.post_id in strata}
    hours = [
        time.hours_to_decision for time in dataset.decision_times or () if time.post_id in strata
    ]
    return _GroupTally(
        posts=Counter(strata.values()),
        restricted=Counter(strata[post_id] for post_id in restricted_posts),
        restrictions=len(restrictions),
        severe=sum(decision.action in parameters.severe_actions for decision in restrictions),
        automated=sum(decision.automated for decision in restrictions),
        appealed=sum(decision.appealed for decision in restrictions),
        reversed=sum(decision.reversed for decision in restrictions),
        reviewed=len(reviews),
        disagreed=sum(review.disagreed for review in reviews),
        helpful_notes=len(noted),
        timed=len(hours),
        slow=sum(hour > median_hours for hour in hours),
    )


def _restricts(decision: AuditDecision, parameters: AuditParameters) -> bool:
    return decision.action not in parameters.not_restricting_actions


def _compare(
    a: _GroupTally, b: _GroupTally, parameters: AuditParameters
) -> dict[Metric, tuple[RatioEstimate, tuple[GroupCount, GroupCount]]]:
    """(2) Each metric's estimate and the counts behind it, in `Metric` order."""
    labels = parameters.groups
    per_post = (
        GroupCount(labels[0], sum(a.restricted.values()), sum(a.posts.values())),
        GroupCount(labels[1], sum(b.restricted.values()), sum(b.posts.values())),
    )
    per_restriction = {
        Metric.SEVERE_SHARE: (a.severe, b.severe),
        Metric.AUTOMATED_SHARE: (a.automated, b.automated),
        Metric.APPEAL_RATE: (a.appealed, b.appealed),
        Metric.REVERSAL_RATE: (a.reversed, b.reversed),
    }
    found = {
        Metric.RESTRICTED_COMPARABLE: (mantel_haenszel(_strata(a, b), labels), per_post),
        Metric.RESTRICTED_PER_1000_POSTS: (_ratio(per_post, labels), per_post),
    }
    for metric, (events_a, events_b) in per_restriction.items():
        counts = (
            GroupCount(labels[0], events_a, a.restrictions),
            GroupCount(labels[1], events_b, b.restrictions),
        )
        found[metric] = (_ratio(counts, labels), counts)
    reviews = (
        GroupCount(labels[0], a.disagreed, a.reviewed),
        GroupCount(labels[1], b.disagreed, b.reviewed),
    )
    found[Metric.BLIND_REVIEW_DISAGREEMENT] = (_ratio(reviews, labels), reviews)
    notes = (
        GroupCount(labels[0], a.helpful_notes, per_post[0].total),
        GroupCount(labels[1], b.helpful_notes, per_post[1].total),
    )
    found[Metric.HELPFUL_NOTE_SHARE] = (_ratio(notes, labels), notes)
    slow = (GroupCount(labels[0], a.slow, a.timed), GroupCount(labels[1], b.slow, b.timed))
    found[Metric.SLOW_DECISION_SHARE] = (_ratio(slow, labels), slow)
    return {metric: found[metric] for metric in Metric}


def _ratio(counts: tuple[GroupCount, GroupCount], labels: tuple[str, str]) -> RatioEstimate:
    first, second = counts
    return risk_ratio(StratumCounts(first.events, first.total, second.events, second.total), labels)


def _strata(a: _GroupTally, b: _GroupTally) -> list[StratumCounts]:
    """Every stratum either group has posts in, in a fixed order (the sums do not depend on
    it, but floating-point rounding does, and the same dataset must give the same JSON)."""
    keys = sorted(set(a.posts) | set(b.posts))
    return [
        StratumCounts(
            a.restricted.get(key, 0),
            a.posts.get(key, 0),
            b.restricted.get(key, 0),
            b.posts.get(key, 0),
        )
        for key in keys
    ]


def _adjusted(
    estimates: Mapping[Metric, tuple[RatioEstimate, object]],
) -> dict[Metric, float]:
    """(3) Holm-adjusted p-values, within the conditional family and within the descriptive
    one: the descriptive comparisons never alert, so they do not spend the alerts' error
    rate, but a reader scanning them deserves a corrected p-value too."""
    adjusted: dict[Metric, float] = {}
    for conditional in (True, False):
        family = [metric for metric in estimates if metric.conditional is conditional]
        p_values = holm_adjusted([estimates[metric][0].p_value for metric in family])
        adjusted.update(zip(family, p_values, strict=True))
    return adjusted
