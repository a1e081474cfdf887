"""The Community Notes scorer's Core model, as a pure library.

Ratings in, a fitted model and note statuses out: numpy only, no database, web, clock or
global random state (an import-linter contract keeps it so). The algorithm is the published
one (twitter/communitynotes, Core scorer); docs/design/notes-scoring.md lists every place this
differs from the reference implementation and what is not built yet.

- `ratings_from_ids` turns (rater id, note id, value) columns into `Ratings` over dense indexes.
- `fit_core` fits r_hat = mu + i_u + i_n + f_u * f_n by alternating closed-form ridge solves,
  with the loss `core_loss` computes and the `CoreParameters` given.
- `core_statuses` applies the Core thresholds (`StatusThresholds`) to a fitted model.

Errors: `RatingsInputError` for unusable ratings; all are `ScoringError`s (`TownsquareError`s).
"""

from townsquare.notes.scoring._errors import RatingsInputError, ScoringError
from townsquare.notes.scoring._fit import CoreModel, core_loss, fit_core
from townsquare.notes.scoring._inputs import (
    HELPFUL_TAGS,
    NOT_HELPFUL_TAGS,
    Classification,
    Enrollment,
    NoteTable,
    PriorStatuses,
    RatingTable,
    ScoringInput,
)
from townsquare.notes.scoring._parameters import CoreParameters
from townsquare.notes.scoring._ratings import (
    HELPFUL,
    NOT_HELPFUL,
    SOMEWHAT_HELPFUL,
    Id,
    Ratings,
    ratings_from_ids,
)
from townsquare.notes.scoring._status import (
    NoteDecision,
    NoteStatus,
    StatusRule,
    StatusThresholds,
    core_statuses,
)

__all__ = [
    "HELPFUL",
    "HELPFUL_TAGS",
    "NOT_HELPFUL",
    "NOT_HELPFUL_TAGS",
    "SOMEWHAT_HELPFUL",
    "Classification",
    "CoreModel",
    "CoreParameters",
    "Enrollment",
    "Id",
    "NoteDecision",
    "NoteStatus",
    "NoteTable",
    "PriorStatuses",
    "RatingTable",
    "Ratings",
    "RatingsInputError",
    "ScoringError",
    "ScoringInput",
    "StatusRule",
    "StatusThresholds",
    "core_loss",
    "core_statuses",
    "fit_core",
    "ratings_from_ids",
]
