"""Layer 4, beside moderation: Community Notes.

For now only the scorer, `townsquare.notes.scoring`, a pure library (see its docstring).
"""

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
    "CoreModel",
    "CoreParameters",
    "NoteDecision",
    "NoteStatus",
    "Ratings",
    "RatingsInputError",
    "ScoringError",
    "core_statuses",
    "fit_core",
    "ratings_from_ids",
]
