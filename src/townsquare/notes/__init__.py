"""Layer 4, beside moderation: Community Notes.

The scorer, `townsquare.notes.scoring`, a pure library (see its docstring); scoring runs
(`ScoringRuns`: score, compare, the drift guard, applying through moderation's note-status
path as `ApplyStatuses`), their schedule, and the export in the public TSV layouts.
"""

from townsquare.notes._drift import DriftGuard, DriftReading
from townsquare.notes._export import Export, export_tables, fingerprint, write_export
from townsquare.notes._run_errors import (
    NotAReviewerError,
    RunInProgressError,
    RunNotFoundError,
    RunNotHeldError,
    ScoringRunError,
)
from townsquare.notes._runs import (
    RUN_DISCARDED_ENTRY_TYPE,
    RUN_HELD_ENTRY_TYPE,
    RUN_RELEASED_ENTRY_TYPE,
    ApplyStatuses,
    HeldRun,
    RunState,
    RunSummary,
    ScoringRuns,
    StatusChange,
)
from townsquare.notes._schedule import ScoringSchedule
from townsquare.notes.scoring import (
    CoreModel,
    CoreParameters,
    NoteDecision,
    NoteStatus,
    Ratings,
    RatingsInputError,
    ScoringError,
    core_statuses,
    fit_core,
    ratings_from_ids,
)

__all__ = [
    "RUN_DISCARDED_ENTRY_TYPE",
    "RUN_HELD_ENTRY_TYPE",
    "RUN_RELEASED_ENTRY_TYPE",
    "ApplyStatuses",
    "CoreModel",
    "CoreParameters",
    "DriftGuard",
    "DriftReading",
    "Export",
    "HeldRun",
    "NotAReviewerError",
    "NoteDecision",
    "NoteStatus",
    "Ratings",
    "RatingsInputError",
    "RunInProgressError",
    "RunNotFoundError",
    "RunNotHeldError",
    "RunState",
    "RunSummary",
    "ScoringError",
    "ScoringRunError",
    "ScoringRuns",
    "ScoringSchedule",
    "StatusChange",
    "core_statuses",
    "export_tables",
    "fingerprint",
    "fit_core",
    "ratings_from_ids",
    "write_export",
]
