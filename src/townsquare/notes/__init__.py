"""Layer 4, beside moderation: Community Notes.

- `Notes`, the service: members write notes on posts (`NoteDraft`, built by `note_draft`),
  rate them (`RatingDraft`, by `rating_draft`; rating again replaces the rating), request a
  note on a post, read a post's notes with their statuses, the "needs your rating" list, and
  their writing and rating impact (`Impact`).
- Who may contribute is an `Eligibility` decision (`EligibilityRules`: account age), with the
  account's `Standing` asked of a `StandingPort` that moderation implements.
- Statuses are moderation's to write (a ledger entry each); this package only reads them.
- Scoring runs (`ScoringRuns`): score the tables with `townsquare.notes.scoring` (the scorer,
  a pure library; see its docstring), compare with the current statuses, hold an unusual run
  for review (`DriftGuard`), and apply the changes through moderation's note-status path
  (`ApplyStatuses`); `ScoringSchedule` runs them in the background; `export_tables` and
  `write_export` write the public TSV layouts the input `fingerprint` is taken of.

Errors: all are `NotesError`s: `NotesNotFoundError` (404), `NotesForbiddenError` (403),
`NotesInvalidError` (422: `InvalidNoteError`, `InvalidRatingError`), `DuplicateNoteError` (409).
Scoring runs raise `ScoringRunError`s, also `NotesError`s (`RunNotFoundError` 404,
`RunNotHeldError` and `RunInProgressError` 409, `NotAReviewerError` 403). The scorer's own
names (`CoreParameters`, `ScoringError`, ...) are `townsquare.notes.scoring`'s to export.
"""

from townsquare.notes._drafts import (
    CURRENT_HELPFUL_TAGS,
    CURRENT_NOT_HELPFUL_TAGS,
    MAX_NOTE_CHARACTERS,
    MAX_SOURCE_LENGTH,
    MAX_SOURCES,
    Believable,
    Harm,
    HelpfulnessLevel,
    NoteDraft,
    RatingDraft,
    ValidationDifficulty,
    allowed_tags,
    note_draft,
    rating_draft,
    reasons_for,
)
from townsquare.notes._drift import DriftGuard, DriftReading
from townsquare.notes._eligibility import (
    DEFAULT_MIN_ACCOUNT_AGE_DAYS,
    Eligibility,
    EligibilityRules,
    EveryoneInGoodStanding,
    IneligibleBecause,
    Standing,
    StandingPort,
    eligibility,
)
from townsquare.notes._errors import (
    DuplicateNoteError,
    InvalidNoteError,
    InvalidRatingError,
    NoteNotFoundError,
    NotesError,
    NotesForbiddenError,
    NotesInvalidError,
    NotesNotFoundError,
)
from townsquare.notes._export import Export, export_tables, fingerprint, write_export
from townsquare.notes._impact import (
    RatedNote,
    RatingImpact,
    WritingImpact,
    rating_impact,
    writing_impact,
)
from townsquare.notes._models import Impact, Note, PostNotes, Rating
from townsquare.notes._notes import Notes
from townsquare.notes._queue import Side, WaitingNote, rating_queue_order, usual_side
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
)
from townsquare.notes._schedule import ScoringSchedule
from townsquare.notes.scoring import (
    MISLEADING_REASONS,
    NOT_MISLEADING_REASONS,
    Classification,
    NoteStatus,
)

__all__ = [
    "CURRENT_HELPFUL_TAGS",
    "CURRENT_NOT_HELPFUL_TAGS",
    "DEFAULT_MIN_ACCOUNT_AGE_DAYS",
    "MAX_NOTE_CHARACTERS",
    "MAX_SOURCES",
    "MAX_SOURCE_LENGTH",
    "MISLEADING_REASONS",
    "NOT_MISLEADING_REASONS",
    "RUN_DISCARDED_ENTRY_TYPE",
    "RUN_HELD_ENTRY_TYPE",
    "RUN_RELEASED_ENTRY_TYPE",
    "ApplyStatuses",
    "Believable",
    "Classification",
    "DriftGuard",
    "DriftReading",
    "DuplicateNoteError",
    "Eligibility",
    "EligibilityRules",
    "EveryoneInGoodStanding",
    "Export",
    "Harm",
    "HeldRun",
    "HelpfulnessLevel",
    "Impact",
    "IneligibleBecause",
    "InvalidNoteError",
    "InvalidRatingError",
    "NotAReviewerError",
    "Note",
    "NoteDraft",
    "NoteNotFoundError",
    "NoteStatus",
    "Notes",
    "NotesError",
    "NotesForbiddenError",
    "NotesInvalidError",
    "NotesNotFoundError",
    "PostNotes",
    "RatedNote",
    "Rating",
    "RatingDraft",
    "RatingImpact",
    "RunInProgressError",
    "RunNotFoundError",
    "RunNotHeldError",
    "RunState",
    "RunSummary",
    "ScoringRunError",
    "ScoringRuns",
    "ScoringSchedule",
    "Side",
    "Standing",
    "StandingPort",
    "ValidationDifficulty",
    "WaitingNote",
    "WritingImpact",
    "allowed_tags",
    "eligibility",
    "export_tables",
    "fingerprint",
    "note_draft",
    "rating_draft",
    "rating_impact",
    "rating_queue_order",
    "reasons_for",
    "usual_side",
    "write_export",
    "writing_impact",
]
