"""The Core status rules, as small functions over note columns, applied in order.

As the reference's `scoring_rules.apply_scoring_rules`: every rule picks the notes it acts on
(possibly from the status the earlier rules left) and sets their status; a later rule
overrides an earlier one; a note's active rules are those that picked it, in order. Statuses
are the reference's, including FIRM_REJECT (a note barred from helpful) and NEEDS_YOUR_HELP,
which the product shows as needing more ratings.

Prescoring (the provisional statuses rater helpfulness reads) runs `PROVISIONAL_RULES`;
final scoring runs `FINAL_RULES`: GeneralCRH, GeneralCRNH, UcbCRNH, RatioCRNH, NmCRNH,
GeneralCRHInertia, TagFilter, FilterIncorrect, FilterLargeFactor, RejectLowIntercept,
MinMinorityRaters, RaterBalance. The low-diligence filter is not built
(docs/design/notes-scoring.md).
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from townsquare.notes.scoring._parameters import RuleThresholds
from townsquare.notes.scoring._status import NoteStatus, StatusRule

__all__ = [
    "FINAL_RULES",
    "PROVISIONAL_RULES",
    "NoteSignals",
    "Rule",
    "RuleOutcome",
    "Status",
    "apply_rules",
]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]

# Active-rule names carry the reference's rule version (coreActiveRules: "GeneralCRH (v1.0)").
RULE_VERSION = "1.0"


class Status(IntEnum):
    """A note's Core status during rule application (reference spellings in `spelling`)."""

    NEEDS_MORE_RATINGS = 0
    CURRENTLY_RATED_HELPFUL = 1
    CURRENTLY_RATED_NOT_HELPFUL = 2
    FIRM_REJECT = 3
    NEEDS_YOUR_HELP = 4

    @property
    def spelling(self) -> str:
        return self.name

    @property
    def exported(self) -> str:
        """The reference's finalRatingStatus spelling: a firm reject is exported as needing
        more ratings; needs-your-help is kept."""
        if self is Status.FIRM_REJECT:
            return Status.NEEDS_MORE_RATINGS.name
        return self.name

    @property
    def shown(self) -> NoteStatus:
        """The product's three statuses: a firm reject and needs-your-help show as needing
        more ratings, as the reference's final status does for a Core-only run."""
        if self is Status.CURRENTLY_RATED_HELPFUL:
            return NoteStatus.CURRENTLY_RATED_HELPFUL
        if self is Status.CURRENTLY_RATED_NOT_HELPFUL:
            return NoteStatus.CURRENTLY_RATED_NOT_HELPFUL
        return NoteStatus.NEEDS_MORE_RATINGS


@dataclass(frozen=True, eq=False)
class NoteSignals:
    """What the rules read, one entry per note (NaN where not computed; a comparison with
    NaN is false, so a rule never picks a note on a number it does not have).

    `num_ratings` counts every input rating of the note; the rater-side columns count the
    ratings of raters with final parameters, split by the sign of the rater factor
    (negative / non-negative): `min_sign_count` the smaller side, `negative_mean` and
    `positive_mean` the mean rating per side, `net_min_helpful` the smaller side's helpful
    minus not-helpful count (at least 0), `net_min_helpful_ratio` that over all of them.
    `tag_outlier` and `incorrect_outlier` are the two tag filters' verdicts (`_tag_filters`),
    false where not computed."""

    num_ratings: Ints
    intercept: Floats
    factor: Floats
    intercept_max: Floats
    misleading: Flags
    prior_helpful: Flags
    min_sign_count: Ints
    negative_mean: Floats
    positive_mean: Floats
    net_min_helpful: Ints
    net_min_helpful_ratio: Floats
    tag_outlier: Flags
    incorrect_outlier: Flags


Matcher = Callable[[NoteSignals, Ints, RuleThresholds], Flags]


@dataclass(frozen=True)
class Rule:
    """Sets `status` on the notes `matches` picks, given the statuses so far."""

    name: StatusRule
    status: Status
    matches: Matcher

    @property
    def active_name(self) -> str:
        return f"{self.name.value} (v{RULE_VERSION})"


@dataclass(frozen=True, eq=False)
class RuleOutcome:
    """Each note's final status and the rules that acted on it (`active[r, j]`)."""

    status: Ints
    active: Flags
    rules: tuple[Rule, ...]

    def active_rules(self) -> tuple[str, ...]:
        names = [rule.active_name for rule in self.rules]
        return tuple(",".join(names[r] for r in np.flatnonzero(column)) for column in self.active.T)

    def is_status(self, status: Status) -> Flags:
        flags: Flags = self.status == status
        return flags


def apply_rules(
    signals: NoteSignals, rules: tuple[Rule, ...], thresholds: RuleThresholds
) -> RuleOutcome:
    """Apply `rules` in order (module docstring)."""
    status = np.full(signals.num_ratings.shape[0], int(Status.NEEDS_MORE_RATINGS), dtype=np.int64)
    active = np.zeros((len(rules), status.shape[0]), dtype=np.bool_)
    for r, rule in enumerate(rules):
        picked = rule.matches(signals, status, thresholds)
        status = np.where(picked, int(rule.status), status)
        active[r] = picked
    return RuleOutcome(status, active, rules)


def _everyone(s: NoteSignals, status: Ints, t: RuleThresholds) -> Flags:
    return np.ones(status.shape[0], dtype=np.bool_)


def _enough(s: NoteSignals, t: RuleThresholds) -> Flags:
    flags: Flags = s.num_ratings >= t.min_ratings
    return flags


def _general_helpful(s: NoteSignals, status: Ints, t: RuleThresholds) -> Flags:
    flags: Flags = _enough(s, t) & (s.intercept >= t.helpful_intercept) & s.misleading
    return flags


def _general_not_helpful(s: NoteSignals, status: Ints, t: RuleThresholds) -> Flags:
    line = t.not_helpful_intercept - t.not_helpful_factor_slope * np.abs(s.factor)
    flags: Flags = _enough(s, t) & (s.intercept <= line)
    return flags


def _upper_bound_not_helpful(s: NoteSignals, status: Ints, t: RuleThresholds) -> Flags:
    flags: Flags = _enough(s, t) & (s.intercept_max < t.not_helpful_upper_bound)
    return flags


def _ratio_not_helpful(s: NoteSignals, status: Ints, t: RuleThresholds) -> Flags:
    limit = t.ratio_max_helpful_per_side
    flags: Flags = (
        _enough(s, t)
        & (s.min_sign_count >= t.ratio_min_raters_per_side)
        & (s.negative_mean <= limit)
        & (s.positive_mean <= limit)
        & ((s.negative_mean + s.positive_mean) / 2 <= t.ratio_max_mean_helpful)
    )
    return flags


def _not_misleading_not_helpful(s: NoteSignals, status: Ints, t: RuleThresholds) -> Flags:
    flags: Flags = (s.intercept < t.not_misleading_not_helpful_intercept) & ~s.misleading
    return flags


def _helpful_inertia(s: NoteSignals, status: Ints, t: RuleThresholds) -> Flags:
    # A note helpful in the previous run keeps that status 0.01 below the threshold.
    flags: Flags = (
        (status != Status.CURRENTLY_RATED_HELPFUL)
        & _enough(s, t)
        & (s.intercept >= t.helpful_intercept - t.inertia_delta)
        & s.prior_helpful
        & s.misleading
    )
    return flags


def _tag_outlier(s: NoteSignals, status: Ints, t: RuleThresholds) -> Flags:
    # Not helpful stays: it has stronger effects downstream (FilterTagOutliers).
    flags: Flags = (status != Status.CURRENTLY_RATED_NOT_HELPFUL) & s.tag_outlier
    return flags


def _incorrect_outlier(s: NoteSignals, status: Ints, t: RuleThresholds) -> Flags:
    flags: Flags = (status != Status.CURRENTLY_RATED_NOT_HELPFUL) & s.incorrect_outlier
    return flags


def _large_factor(s: NoteSignals, status: Ints, t: RuleThresholds) -> Flags:
    flags: Flags = (status == Status.CURRENTLY_RATED_HELPFUL) & (
        np.abs(s.factor) > t.max_helpful_factor
    )
    return flags


def _low_intercept(s: NoteSignals, status: Ints, t: RuleThresholds) -> Flags:
    flags: Flags = (status != Status.CURRENTLY_RATED_NOT_HELPFUL) & (
        s.intercept < t.firm_reject_intercept
    )
    return flags


def _too_few_minority_raters(s: NoteSignals, status: Ints, t: RuleThresholds) -> Flags:
    flags: Flags = (status == Status.CURRENTLY_RATED_HELPFUL) & (
        s.net_min_helpful < t.min_minority_net_helpful
    )
    return flags


def _unbalanced_raters(s: NoteSignals, status: Ints, t: RuleThresholds) -> Flags:
    flags: Flags = (
        (status == Status.CURRENTLY_RATED_HELPFUL)
        & (s.net_min_helpful >= t.min_minority_net_helpful)
        & (s.net_min_helpful < t.max_minority_net_helpful_for_balance)
        & (s.net_min_helpful_ratio < t.min_net_helpful_balance)
    )
    return flags


_CRH, _CRNH = Status.CURRENTLY_RATED_HELPFUL, Status.CURRENTLY_RATED_NOT_HELPFUL

# The reference's prescoring list (finalRound=False): no ratio rule, and no bounds exist yet.
PROVISIONAL_RULES = (
    Rule(StatusRule.UNDECIDED, Status.NEEDS_MORE_RATINGS, _everyone),
    Rule(StatusRule.GENERAL_CRH, _CRH, _general_helpful),
    Rule(StatusRule.GENERAL_CRNH, _CRNH, _general_not_helpful),
    Rule(StatusRule.NOT_MISLEADING_CRNH, _CRNH, _not_misleading_not_helpful),
)

FINAL_RULES = (
    Rule(StatusRule.UNDECIDED, Status.NEEDS_MORE_RATINGS, _everyone),
    Rule(StatusRule.GENERAL_CRH, _CRH, _general_helpful),
    Rule(StatusRule.GENERAL_CRNH, _CRNH, _general_not_helpful),
    Rule(StatusRule.UPPER_BOUND_CRNH, _CRNH, _upper_bound_not_helpful),
    Rule(StatusRule.RATIO_CRNH, _CRNH, _ratio_not_helpful),
    Rule(StatusRule.NOT_MISLEADING_CRNH, _CRNH, _not_misleading_not_helpful),
    Rule(StatusRule.CRH_INERTIA, _CRH, _helpful_inertia),
    Rule(StatusRule.TAG_OUTLIER, Status.FIRM_REJECT, _tag_outlier),
    Rule(StatusRule.INCORRECT_OUTLIER, Status.FIRM_REJECT, _incorrect_outlier),
    Rule(StatusRule.LARGE_FACTOR, Status.FIRM_REJECT, _large_factor),
    Rule(StatusRule.LOW_INTERCEPT, Status.FIRM_REJECT, _low_intercept),
    Rule(StatusRule.MIN_MINORITY_RATERS, Status.NEEDS_YOUR_HELP, _too_few_minority_raters),
    Rule(StatusRule.RATER_BALANCE, Status.NEEDS_YOUR_HELP, _unbalanced_raters),
)
