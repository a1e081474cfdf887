"""What the notes service returns: notes as a viewer may see them, ratings, a post's notes."""

from dataclasses import dataclass
from datetime import datetime

from townsquare.notes._drafts import Believable, Harm, HelpfulnessLevel, ValidationDifficulty
from townsquare.notes._impact import RatingImpact, WritingImpact
from townsquare.notes.scoring import Classification, NoteStatus

__all__ = ["Impact", "Note", "PostNotes", "Rating"]

DECIDED = frozenset({NoteStatus.CURRENTLY_RATED_HELPFUL, NoteStatus.CURRENTLY_RATED_NOT_HELPFUL})


@dataclass(frozen=True)
class Rating:
    note_id: int
    rater_id: int
    level: HelpfulnessLevel
    tags: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True)
class Note:
    """A note as one viewer sees it. `author_id` is None until the note is decided (helpful or
    not helpful), unless the viewer wrote it: raters judge the note, not who wrote it."""

    id: int
    post_id: int
    created_at: datetime
    classification: Classification
    reasons: tuple[str, ...]
    trustworthy_sources: bool
    text: str
    sources: tuple[str, ...]
    believable: Believable | None
    harmful: Harm | None
    validation_difficulty: ValidationDifficulty | None
    status: NoteStatus
    status_since: datetime | None
    ratings: int
    author_id: int | None
    written_by_viewer: bool
    viewer_rating: Rating | None

    @property
    def decided(self) -> bool:
        return self.status in DECIDED


@dataclass(frozen=True)
class PostNotes:
    """A post's notes for one viewer, helpful ones first, and how many members asked for one."""

    post_id: int
    notes: tuple[Note, ...]
    requests: int
    requested_by_viewer: bool


@dataclass(frozen=True)
class Impact:
    account_id: int
    writing: WritingImpact
    rating: RatingImpact
