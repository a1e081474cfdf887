"""The Core status thresholds, at and around each edge."""

import numpy as np
import pytest

from townsquare.notes.scoring import (
    CoreModel,
    NoteStatus,
    ScoringError,
    StatusRule,
    core_statuses,
    ratings_from_ids,
)

HELPFUL = NoteStatus.CURRENTLY_RATED_HELPFUL
NOT_HELPFUL = NoteStatus.CURRENTLY_RATED_NOT_HELPFUL
NEEDS_MORE = NoteStatus.NEEDS_MORE_RATINGS


def decide(
    intercept: float, factor: float, *, ratings: int = 5, misleading: bool = True
) -> tuple[NoteStatus, StatusRule]:
    """The status of one note with this intercept and factor and this many ratings."""
    rated = ratings_from_ids([f"r{k}" for k in range(ratings)], ["n"] * ratings, [1.0] * ratings)
    model = CoreModel(
        global_intercept=0.0,
        rater_intercept=np.zeros(ratings),
        rater_factor=np.zeros(ratings),
        note_intercept=np.array([intercept]),
        note_factor=np.array([factor]),
        loss=0.0,
        sweeps=1,
    )
    (decision,) = core_statuses(rated, model, [misleading])
    assert (decision.note_id, decision.num_ratings) == ("n", ratings)
    assert (decision.intercept, decision.factor) == (intercept, factor)
    return decision.status, decision.rule


@pytest.mark.parametrize(
    ("intercept", "factor", "expected"),
    [
        (0.40, 0.0, (HELPFUL, StatusRule.GENERAL_CRH)),
        (0.40, 0.5, (HELPFUL, StatusRule.GENERAL_CRH)),
        (0.40, -0.5, (HELPFUL, StatusRule.GENERAL_CRH)),
        (0.3999, 0.0, (NEEDS_MORE, StatusRule.UNDECIDED)),
        (0.9, 0.5001, (NEEDS_MORE, StatusRule.LARGE_FACTOR)),
        (0.9, -0.6, (NEEDS_MORE, StatusRule.LARGE_FACTOR)),
        (-0.05, 0.0, (NOT_HELPFUL, StatusRule.GENERAL_CRNH)),
        (-0.0499, 0.0, (NEEDS_MORE, StatusRule.UNDECIDED)),
        (-0.45, 0.5, (NOT_HELPFUL, StatusRule.GENERAL_CRNH)),
        (-0.44, 0.5, (NEEDS_MORE, StatusRule.UNDECIDED)),
        (-0.44, -0.5, (NEEDS_MORE, StatusRule.UNDECIDED)),
        (-0.9, -1.0, (NOT_HELPFUL, StatusRule.GENERAL_CRNH)),
    ],
)
def test_thresholds(
    intercept: float, factor: float, expected: tuple[NoteStatus, StatusRule]
) -> None:
    assert decide(intercept, factor) == expected


def test_fewer_than_five_ratings_needs_more_ratings_whatever_the_scores() -> None:
    assert decide(0.9, 0.0, ratings=4) == (NEEDS_MORE, StatusRule.TOO_FEW_RATINGS)
    assert decide(-0.9, 0.0, ratings=4) == (NEEDS_MORE, StatusRule.TOO_FEW_RATINGS)


def test_only_notes_classified_misleading_can_be_rated_helpful() -> None:
    assert decide(0.9, 0.0, misleading=False) == (NEEDS_MORE, StatusRule.NOT_MISLEADING)
    assert decide(-0.9, 0.0, misleading=False) == (NOT_HELPFUL, StatusRule.GENERAL_CRNH)


def test_one_classification_per_note_is_required() -> None:
    rated = ratings_from_ids(["a"], ["n"], [1.0])
    model = CoreModel(0.0, np.zeros(1), np.zeros(1), np.zeros(1), np.zeros(1), 0.0, 1)
    with pytest.raises(ScoringError, match="1 notes, 2 classifications"):
        core_statuses(rated, model, [True, False])


def test_statuses_are_spelled_as_in_the_public_files() -> None:
    assert [s.value for s in NoteStatus] == [
        "NEEDS_MORE_RATINGS",
        "CURRENTLY_RATED_HELPFUL",
        "CURRENTLY_RATED_NOT_HELPFUL",
    ]
