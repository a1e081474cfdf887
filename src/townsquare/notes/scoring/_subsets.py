"""The ratings one fit sees: a subset of the input's rows, re-indexed densely.

The reference fits each round on its own ratings table, so its penalties count only the raters
and notes present (means over the rows of each parameter table). A `FitSubset` keeps the
compact `Ratings` a fit needs and, for each compact index, the input's index, so results go
back to input-indexed columns (NaN where a rater or note was not fitted).
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from townsquare.notes.scoring._fit import CoreModel, FitStart
from townsquare.notes.scoring._indexed import IndexedInput
from townsquare.notes.scoring._ratings import Ratings

__all__ = ["FitSubset", "InputParameters", "min_count_rows", "scatter", "subset", "to_input"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class FitSubset:
    """`ratings` over compact indexes; `participant[k]` / `note[k]` is the input index of
    compact rater / note k; `rows` the input rows kept."""

    ratings: Ratings
    participant: Ints
    note: Ints
    rows: npt.NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class InputParameters:
    """A fitted model's parameters by input index: NaN for whoever the fit did not see."""

    global_intercept: float
    rater_intercept: Floats
    rater_factor: Floats
    note_intercept: Floats
    note_factor: Floats

    def start_for(self, fit: FitSubset) -> FitStart:
        """Start a fit on `fit` from these parameters; 0 where they have none, as the
        reference fills a missing initial value (`_initialize_parameters`)."""
        return FitStart(
            self.global_intercept,
            np.nan_to_num(self.rater_intercept[fit.participant]),
            np.nan_to_num(self.rater_factor[fit.participant]),
        )


def min_count_rows(
    indexed: IndexedInput, rows: npt.NDArray[np.bool_], per_note: int, per_rater: int
) -> npt.NDArray[np.bool_]:
    """The reference's `filter_ratings` on `rows`: notes with `per_note` ratings, then raters
    with `per_rater` of those, then notes with `per_note` again, once each."""
    kept = rows & (indexed.ratings_per_note(rows)[indexed.note] >= per_note)
    raters = np.bincount(indexed.rater[kept], minlength=indexed.num_participants)
    kept &= raters[indexed.rater] >= per_rater
    counts = indexed.ratings_per_note(kept)
    again: npt.NDArray[np.bool_] = kept & (counts[indexed.note] >= per_note)
    return again


def subset(indexed: IndexedInput, rows: npt.NDArray[np.bool_]) -> FitSubset:
    """The rows of `indexed` where `rows` is True, re-indexed over the raters and notes they
    contain (the order of the input indexes is kept, so it is canonical too)."""
    participant, rater = np.unique(indexed.rater[rows], return_inverse=True)
    note, rated = np.unique(indexed.note[rows], return_inverse=True)
    ratings = Ratings(
        rater=rater.astype(np.int64),
        note=rated.astype(np.int64),
        value=indexed.value[rows],
        rater_ids=tuple(int(p) for p in participant),
        note_ids=tuple(int(n) for n in note),
    )
    return FitSubset(ratings, participant.astype(np.int64), note.astype(np.int64), rows)


def to_input(indexed: IndexedInput, fit: FitSubset, model: CoreModel) -> InputParameters:
    """`model`, fitted on `fit`, as columns over the input's indexes."""
    return InputParameters(
        global_intercept=model.global_intercept,
        rater_intercept=scatter(indexed.num_participants, fit.participant, model.rater_intercept),
        rater_factor=scatter(indexed.num_participants, fit.participant, model.rater_factor),
        note_intercept=scatter(indexed.num_notes, fit.note, model.note_intercept),
        note_factor=scatter(indexed.num_notes, fit.note, model.note_factor),
    )


def scatter(size: int, index: Ints, values: Floats) -> Floats:
    """A column of `size` NaNs holding `values` at `index`."""
    column = np.full(size, np.nan)
    column[index] = values
    return column
