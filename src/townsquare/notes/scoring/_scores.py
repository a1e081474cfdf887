"""What one Core scoring run returns: a row per note and a row per rater, as columns.

The columns are those of the public `scored_notes.tsv` and `helpfulness_scores.tsv` that the
Core scorer fills (coreNoteIntercept, coreNoteFactor1, coreRatingStatus, ...). NaN marks a
number the run did not compute (a note with too few ratings to be fitted, say).
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from townsquare.notes.scoring._ratings import Id
from townsquare.notes.scoring._status import NoteStatus

__all__ = ["SCORER_VERSION", "CoreScores", "RaterScores", "ScoredNotes"]

# Recorded with every status change in the ledger, so a reader knows which rules decided it.
# Bump it whenever a change to this package can change a status.
SCORER_VERSION = "townsquare-core/2"


@dataclass(frozen=True, eq=False)
class ScoredNotes:
    """One row per note of the input, in the input's order.

    `core_status` is coreRatingStatus; `final_status` is finalRatingStatus (with only the
    Core scorer, the Core status after the rules that look at the previous run, such as
    inertia). `rules[k]` names the rules that decided note k, comma-separated (the
    reference's coreActiveRules, "GeneralCRH (v1.0)"). `intercept_min`/`intercept_max` are
    the pseudo-rater bounds (coreNoteInterceptMin/Max). `core_rating_status` is the
    reference's coreRatingStatus spelling, which also has FIRM_REJECT and NEEDS_YOUR_HELP
    (both shown as needing more ratings in `core_status`); "" for a note none of whose
    ratings Core reads (the reference leaves its cell empty). `final_rating_status` is the
    reference's finalRatingStatus spelling: NEEDS_YOUR_HELP kept, FIRM_REJECT exported as
    NEEDS_MORE_RATINGS, and the meta-scorer's InsufficientExplanation applied (a helpful or
    not-helpful note without two tags each given twice needs more ratings), which
    `final_status` does not apply (docs/design/notes-scoring.md says why). The product reads
    the three-valued `core_status`/`final_status`; the files carry the two spellings.
    `num_ratings` counts every rating of the note in the input, read by Core or not (the
    reference's numRatings)."""

    note_id: Sequence[Id]
    intercept: npt.NDArray[np.float64]
    factor: npt.NDArray[np.float64]
    intercept_min: npt.NDArray[np.float64]
    intercept_max: npt.NDArray[np.float64]
    num_ratings: npt.NDArray[np.int64]
    core_status: Sequence[NoteStatus]
    final_status: Sequence[NoteStatus]
    rules: Sequence[str]
    core_rating_status: Sequence[str] = ()
    final_rating_status: Sequence[str] = ()

    def __len__(self) -> int:
        return len(self.note_id)


@dataclass(frozen=True, eq=False)
class RaterScores:
    """One row per rater who rated anything (coreRaterIntercept, coreRaterFactor1,
    aboveHelpfulnessThreshold); NaN for a rater the fit left out. `judged[k]` is false for a
    rater with neither a valid rating nor a fitted note, whose helpfulness is undefined (the
    reference leaves the cell empty; `above_threshold` is then false); None when every rater
    was judged."""

    rater_id: Sequence[Id]
    intercept: npt.NDArray[np.float64]
    factor: npt.NDArray[np.float64]
    above_threshold: npt.NDArray[np.bool_]
    judged: npt.NDArray[np.bool_] | None = None

    def __len__(self) -> int:
        return len(self.rater_id)


@dataclass(frozen=True, eq=False)
class CoreScores:
    """A Core run's result, and the version of the scorer that produced it."""

    notes: ScoredNotes
    raters: RaterScores
    scorer_version: str = SCORER_VERSION
