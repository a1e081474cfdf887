"""The Core note-status rule on a fitted model: thresholds only.

From the reference's `note_ratings.py:compute_scored_notes` and `scoring_rules.py` (Core
scorer): every note starts as needing more ratings; with at least 5 ratings, a note classified
as misleading is helpful at i_n >= 0.40 unless its factor is large (|f_n| > 0.5 is
`FilterLargeFactor`, exported as needing more ratings); any note is not helpful at
i_n <= -0.05 - 0.8 |f_n|. The later rules (pseudo-rater bounds, inertia, minority raters, tag
filters) are not applied here.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from townsquare.notes.scoring._errors import ScoringError
from townsquare.notes.scoring._fit import CoreModel
from townsquare.notes.scoring._ratings import Id, Ratings

__all__ = ["NoteDecision", "NoteStatus", "StatusRule", "StatusThresholds", "core_statuses"]


class NoteStatus(StrEnum):
    """A note's status, spelled as in the public scored_notes.tsv."""

    NEEDS_MORE_RATINGS = "NEEDS_MORE_RATINGS"
    CURRENTLY_RATED_HELPFUL = "CURRENTLY_RATED_HELPFUL"
    CURRENTLY_RATED_NOT_HELPFUL = "CURRENTLY_RATED_NOT_HELPFUL"


class StatusRule(StrEnum):
    """Which rule decided the status (the reference's active-rule names where they exist)."""

    TOO_FEW_RATINGS = "TooFewRatings"
    GENERAL_CRH = "GeneralCRH"
    GENERAL_CRNH = "GeneralCRNH"
    LARGE_FACTOR = "FilterLargeFactor"
    NOT_MISLEADING = "NotMisleadingClassification"
    UNDECIDED = "InitialNMR"
    UPPER_BOUND_CRNH = "UcbCRNH"
    RATIO_CRNH = "RatioCRNH"
    NOT_MISLEADING_CRNH = "NmCRNH"
    CRH_INERTIA = "GeneralCRHInertia"
    LOW_INTERCEPT = "RejectLowIntercept"
    MIN_MINORITY_RATERS = "MinMinorityRaters"
    RATER_BALANCE = "RaterBalance"
    TAG_OUTLIER = "TagFilter"
    INCORRECT_OUTLIER = "FilterIncorrect"
    INSUFFICIENT_EXPLANATION = "InsufficientExplanation"


@dataclass(frozen=True)
class StatusThresholds:
    """The Core thresholds (reference `MFBaseScorer.__init__`)."""

    min_ratings: int = 5
    helpful_intercept: float = 0.40
    max_helpful_factor: float = 0.5
    not_helpful_intercept: float = -0.05
    not_helpful_factor_slope: float = 0.8


@dataclass(frozen=True)
class NoteDecision:
    """The Core status of one note, with the numbers and the rule behind it."""

    note_id: Id
    status: NoteStatus
    rule: StatusRule
    intercept: float
    factor: float
    num_ratings: int


def core_statuses(
    ratings: Ratings,
    model: CoreModel,
    misleading: Sequence[bool],
    thresholds: StatusThresholds | None = None,
) -> tuple[NoteDecision, ...]:
    """One decision per note, in dense note order; `misleading[j]` says whether note j is
    classified MISINFORMED_OR_POTENTIALLY_MISLEADING (only those can be rated helpful)."""
    thresholds = thresholds or StatusThresholds()
    if len(misleading) != ratings.num_notes:
        raise ScoringError(
            f"one classification per note is needed: {ratings.num_notes} notes, "
            f"{len(misleading)} classifications"
        )
    counts = ratings.ratings_per_note()
    return tuple(
        _decide(thresholds, note_id, bool(is_misleading), float(i_n), float(f_n), int(count))
        for note_id, is_misleading, i_n, f_n, count in zip(
            ratings.note_ids,
            misleading,
            np.asarray(model.note_intercept),
            np.asarray(model.note_factor),
            counts,
            strict=True,
        )
    )


def _decide(
    thresholds: StatusThresholds,
    note_id: Id,
    misleading: bool,
    intercept: float,
    factor: float,
    num_ratings: int,
) -> NoteDecision:
    status, rule = _status(thresholds, misleading, intercept, factor, num_ratings)
    return NoteDecision(note_id, status, rule, intercept, factor, num_ratings)


def _status(
    thresholds: StatusThresholds,
    misleading: bool,
    intercept: float,
    factor: float,
    num_ratings: int,
) -> tuple[NoteStatus, StatusRule]:
    if num_ratings < thresholds.min_ratings:
        return NoteStatus.NEEDS_MORE_RATINGS, StatusRule.TOO_FEW_RATINGS
    not_helpful_line = thresholds.not_helpful_intercept - thresholds.not_helpful_factor_slope * abs(
        factor
    )
    if intercept <= not_helpful_line:
        return NoteStatus.CURRENTLY_RATED_NOT_HELPFUL, StatusRule.GENERAL_CRNH
    if intercept < thresholds.helpful_intercept:
        return NoteStatus.NEEDS_MORE_RATINGS, StatusRule.UNDECIDED
    if not misleading:
        return NoteStatus.NEEDS_MORE_RATINGS, StatusRule.NOT_MISLEADING
    if abs(factor) > thresholds.max_helpful_factor:
        return NoteStatus.NEEDS_MORE_RATINGS, StatusRule.LARGE_FACTOR
    return NoteStatus.CURRENTLY_RATED_HELPFUL, StatusRule.GENERAL_CRH
