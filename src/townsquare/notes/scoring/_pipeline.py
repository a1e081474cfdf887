"""The whole Core pipeline: `ScoringInput` in, `CoreScores` out.

PROVISIONAL: one fit on every rating and the threshold rules only. The two rounds, the rater
helpfulness filter, the final-scoring fit, the pseudo-rater bounds and the remaining rules
replace this body; its signature and result type stay.
"""

import numpy as np

from townsquare.notes.scoring._fit import fit_core
from townsquare.notes.scoring._inputs import ScoringInput
from townsquare.notes.scoring._parameters import CoreParameters
from townsquare.notes.scoring._ratings import ratings_from_ids
from townsquare.notes.scoring._scores import CoreScores, RaterScores, ScoredNotes
from townsquare.notes.scoring._status import NoteStatus, StatusRule, core_statuses

__all__ = ["score_core"]


def score_core(given: ScoringInput, parameters: CoreParameters | None = None) -> CoreScores:
    """Score every note of `given.notes` from `given.ratings`."""
    ratings = ratings_from_ids(
        given.ratings.rater_id, given.ratings.note_id, given.ratings.value.tolist()
    )
    model = fit_core(ratings, parameters)
    misleading_by_id = dict(zip(given.notes.note_id, given.notes.misleading, strict=True))
    decisions = {
        decision.note_id: decision
        for decision in core_statuses(
            ratings, model, [bool(misleading_by_id.get(n, False)) for n in ratings.note_ids]
        )
    }
    rows = [decisions.get(note_id) for note_id in given.notes.note_id]
    nan = float("nan")
    statuses = [d.status if d else NoteStatus.NEEDS_MORE_RATINGS for d in rows]
    notes = ScoredNotes(
        note_id=tuple(given.notes.note_id),
        intercept=np.array([d.intercept if d else nan for d in rows]),
        factor=np.array([d.factor if d else nan for d in rows]),
        intercept_min=np.full(len(rows), nan),
        intercept_max=np.full(len(rows), nan),
        num_ratings=np.array([d.num_ratings if d else 0 for d in rows], dtype=np.int64),
        core_status=tuple(statuses),
        final_status=tuple(statuses),
        rules=tuple(d.rule.value if d else StatusRule.TOO_FEW_RATINGS.value for d in rows),
    )
    raters = RaterScores(
        rater_id=ratings.rater_ids,
        intercept=np.asarray(model.rater_intercept, dtype=np.float64),
        factor=np.asarray(model.rater_factor, dtype=np.float64),
        above_threshold=np.ones(ratings.num_raters, dtype=np.bool_),
    )
    return CoreScores(notes, raters)
