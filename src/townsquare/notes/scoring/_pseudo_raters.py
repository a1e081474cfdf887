"""Uncertainty bounds on each note's intercept from pseudo-raters (coreNoteInterceptMin/Max).

The reference (`matrix_factorization/pseudo_raters.py`) makes three extreme raters, all with
the lowest rater intercept of the final round and factors at the lowest, zero and highest
rater factor. It refits every note's parameters, raters and mu frozen, four times: on the
final-round ratings alone, and with one helpful rating from each extreme rater added to every
note. The bounds are the smallest and largest of the four intercepts.

With raters frozen each refit is one 2x2 ridge system per note, so here all four are closed
forms over the same per-note sums (the extreme rating adds one term to each sum). The
reference's refits use the plain mean penalty (a fresh model, no ratings-per-note ratio): per
note lambda x (ratings fitted) / (notes), where the ratings fitted include the added ones.
"""

import numpy as np
import numpy.typing as npt

from townsquare.notes.scoring._fit import fixed_rater_note_sums, solve_ridge_pairs
from townsquare.notes.scoring._parameters import CoreParameters
from townsquare.notes.scoring._ratings import HELPFUL, Ratings

__all__ = ["pseudo_rater_bounds"]

Floats = npt.NDArray[np.float64]


def pseudo_rater_bounds(
    ratings: Ratings,
    global_intercept: float,
    rater_intercept: Floats,
    rater_factor: Floats,
    parameters: CoreParameters,
) -> tuple[Floats, Floats]:
    """(lowest, highest) intercept per note (dense index of `ratings`) over the four refits;
    the rater parameters are by dense rater index of `ratings`."""
    sums = fixed_rater_note_sums(ratings, global_intercept, rater_intercept, rater_factor)
    notes = ratings.num_notes

    def penalties(num_ratings: int) -> tuple[float, float]:
        per_note = num_ratings / notes
        return parameters.intercept_lambda * per_note, parameters.factor_lambda * per_note

    intercepts = [solve_ridge_pairs(sums, *penalties(ratings.num_ratings))[0]]
    extreme_target = HELPFUL - global_intercept - float(rater_intercept.min())
    with_extremes = penalties(ratings.num_ratings + notes)
    for factor in (float(rater_factor.min()), 0.0, float(rater_factor.max())):
        intercepts.append(
            solve_ridge_pairs(sums.plus_one(factor, extreme_target), *with_extremes)[0]
        )
    stacked = np.vstack(intercepts)
    return stacked.min(axis=0), stacked.max(axis=0)
