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
  helpfulness `HelpfulnessThresholds`, status `RuleThresholds`, the tag filters
  `TagFilterThresholds`, the final status's `ExplanationThresholds`) and returns `CoreScores`;
  the `*_COLUMNS` tuples are the public TSV layouts.

- `read_scoring_input` (and `read_notes`, `read_ratings`, `read_status_history`,
  `read_enrollment`) read the public TSV files; `write_scored_notes` and
  `write_helpfulness_scores` write the results, and `write_notes`, `write_ratings`,
  `write_status_history`, `write_enrollment` write `NoteRow`s, `RatingRow`s, ... in the public
  layouts.

Errors: `RatingsInputError` for unusable ratings, `TsvInputError` (one of them) for a public
file that cannot be read, naming its file, line and column; `ModelFitError` when the first
round fits too poorly; all are `ScoringError`s (`TownsquareError`s).
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
    ExplanationThresholds,
    HelpfulnessThresholds,
    PipelineParameters,
    RuleThresholds,
    TagFilterThresholds,
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
from townsquare.notes.scoring._tsv_read import (
    read_enrollment,
    read_notes,
    read_ratings,
    read_scoring_input,
    read_status_history,
    scoring_input_from_tables,
)
from townsquare.notes.scoring._tsv_rows import TsvInputError, TsvSource
from townsquare.notes.scoring._tsv_write import (
    HELPFULNESS_SCORES_COLUMNS,
    SCORED_NOTES_COLUMNS,
    EnrollmentRow,
    NoteRow,
    RatingRow,
    StatusHistoryRow,
    write_enrollment,
    write_helpfulness_scores,
    write_notes,
    write_ratings,
    write_scored_notes,
    write_status_history,
)

__all__ = [
    "ENROLLMENT_COLUMNS",
    "HELPFUL",
    "HELPFULNESS_SCORES_COLUMNS",
    "HELPFUL_TAGS",
    "MISLEADING_REASONS",
    "NOTE_COLUMNS",
    "NOT_HELPFUL",
    "NOT_HELPFUL_TAGS",
    "NOT_MISLEADING_REASONS",
    "OLDER_RATING_COLUMNS",
    "OLDER_STATUS_HISTORY_COLUMNS",
    "RATING_COLUMNS",
    "SCORED_NOTES_COLUMNS",
    "SCORER_VERSION",
    "SOMEWHAT_HELPFUL",
    "STATUS_HISTORY_COLUMNS",
    "Classification",
    "CoreModel",
    "CoreParameters",
    "CoreScores",
    "Enrollment",
    "EnrollmentRow",
    "ExplanationThresholds",
    "FitStart",
    "HelpfulnessThresholds",
    "Id",
    "ModelFitError",
    "NoteDecision",
    "NoteRow",
    "NoteStatus",
    "NoteTable",
    "PipelineParameters",
    "PriorStatuses",
    "RaterScores",
    "RatingRow",
    "RatingTable",
    "Ratings",
    "RatingsInputError",
    "RuleThresholds",
    "ScoredNotes",
    "ScoringError",
    "ScoringInput",
    "StatusHistoryRow",
    "StatusRule",
    "StatusThresholds",
    "TagFilterThresholds",
    "TsvInputError",
    "TsvSource",
    "core_loss",
    "core_statuses",
    "fit_core",
    "ratings_from_ids",
    "read_enrollment",
    "read_notes",
    "read_ratings",
    "read_scoring_input",
    "read_status_history",
    "score_core",
    "scoring_input_from_tables",
    "write_enrollment",
    "write_helpfulness_scores",
    "write_notes",
    "write_ratings",
    "write_scored_notes",
    "write_status_history",
]
