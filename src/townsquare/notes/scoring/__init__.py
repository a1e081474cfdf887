"""The Community Notes scorer's Core model, as a pure library.

Ratings in, a fitted model and note statuses out: numpy only, no database, web, clock or
global random state (an import-linter contract keeps it so). The algorithm is the published
one (twitter/communitynotes, Core scorer); docs/design/notes-scoring.md lists every place this
differs from the reference implementation and what is not built yet.

- `ratings_from_ids` turns (rater id, note id, value) columns into `Ratings` over dense indexes.
- `fit_core` fits r_hat = mu + i_u + i_n + f_u * f_n by alternating closed-form ridge solves,
  with the loss `core_loss` computes and the `CoreParameters` given.
- `core_statuses` applies the Core thresholds (`StatusThresholds`) to a fitted model.
- `score_core` runs the whole Core pipeline on a `ScoringInput` (notes, ratings, prior
  statuses, enrollment) under `PipelineParameters` (model, minimum counts, rater
  helpfulness `HelpfulnessThresholds`, status `RuleThresholds`) and returns `CoreScores`;
  the `*_COLUMNS` tuples are the public TSV layouts.

Errors: `RatingsInputError` for unusable ratings, `ModelFitError` when the first round fits
too poorly; all are `ScoringError`s (`TownsquareError`s).
"""

from townsquare.notes.scoring._errors import ModelFitError, RatingsInputError, ScoringError
from townsquare.notes.scoring._fit import CoreModel, FitStart, core_loss, fit_core
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
from townsquare.notes.scoring._layouts import (
    ENROLLMENT_COLUMNS,
    MISLEADING_REASONS,
    NOT_MISLEADING_REASONS,
    NOTE_COLUMNS,
    OLDER_RATING_COLUMNS,
    OLDER_STATUS_HISTORY_COLUMNS,
    RATING_COLUMNS,
    STATUS_HISTORY_COLUMNS,
)
from townsquare.notes.scoring._parameters import (
    CoreParameters,
    HelpfulnessThresholds,
    PipelineParameters,
    RuleThresholds,
)
from townsquare.notes.scoring._pipeline import score_core
from townsquare.notes.scoring._ratings import (
    HELPFUL,
    NOT_HELPFUL,
    SOMEWHAT_HELPFUL,
    Id,
    Ratings,
    ratings_from_ids,
)
from townsquare.notes.scoring._scores import SCORER_VERSION, CoreScores, RaterScores, ScoredNotes
from townsquare.notes.scoring._status import (
    NoteDecision,
    NoteStatus,
    StatusRule,
    StatusThresholds,
    core_statuses,
)

__all__ = [
    "ENROLLMENT_COLUMNS",
    "HELPFUL",
    "HELPFUL_TAGS",
    "MISLEADING_REASONS",
    "NOTE_COLUMNS",
    "NOT_HELPFUL",
    "NOT_HELPFUL_TAGS",
    "NOT_MISLEADING_REASONS",
    "OLDER_RATING_COLUMNS",
    "OLDER_STATUS_HISTORY_COLUMNS",
    "RATING_COLUMNS",
    "SCORER_VERSION",
    "SOMEWHAT_HELPFUL",
    "STATUS_HISTORY_COLUMNS",
    "Classification",
    "CoreModel",
    "CoreParameters",
    "CoreScores",
    "Enrollment",
    "FitStart",
    "HelpfulnessThresholds",
    "Id",
    "ModelFitError",
    "NoteDecision",
    "NoteStatus",
    "NoteTable",
    "PipelineParameters",
    "PriorStatuses",
    "RaterScores",
    "RatingTable",
    "Ratings",
    "RatingsInputError",
    "RuleThresholds",
    "ScoredNotes",
    "ScoringError",
    "ScoringInput",
    "StatusRule",
    "StatusThresholds",
    "core_loss",
    "core_statuses",
    "fit_core",
    "ratings_from_ids",
    "score_core",
]
