"""The scorer's results and its inputs written in the public Community Notes TSV layouts.

`write_scored_notes` and `write_helpfulness_scores` write the Core columns of the reference's
`scored_notes.tsv` and `helpfulness_scores.tsv` (runner.py); `write_notes`, `write_ratings`,
`write_status_history` and `write_enrollment` write one frozen row per line in the input layouts,
so that our data can be scored again by this scorer or by the reference one.

Every file starts with its header row; cells are tab-separated, quoted only when they hold a tab,
a line end or a quote (as pandas reads them); a number is written with all the digits
that give it back exactly; a number the run did not compute (NaN) is an empty cell.
"""

import math
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO

import numpy as np

from townsquare.notes.scoring._inputs import HELPFUL_TAGS, NOT_HELPFUL_TAGS, Classification
from townsquare.notes.scoring._layouts import (
    ENROLLMENT_COLUMNS,
    MISLEADING_REASONS,
    NOT_MISLEADING_REASONS,
    NOTE_COLUMNS,
    RATING_COLUMNS,
    STATUS_HISTORY_COLUMNS,
)
from townsquare.notes.scoring._ratings import Id
from townsquare.notes.scoring._scores import CoreScores
from townsquare.notes.scoring._status import NoteStatus
from townsquare.notes.scoring._tsv_rows import TsvSource

__all__ = [
    "HELPFULNESS_SCORES_COLUMNS",
    "SCORED_NOTES_COLUMNS",
    "EnrollmentRow",
    "NoteRow",
    "RatingRow",
    "StatusHistoryRow",
    "write_enrollment",
    "write_helpfulness_scores",
    "write_notes",
    "write_ratings",
    "write_scored_notes",
    "write_status_history",
]

# The Core columns of the reference's scored_notes.tsv, in its order.
SCORED_NOTES_COLUMNS = (
    "noteId",
    "coreNoteIntercept",
    "coreNoteFactor1",
    "finalRatingStatus",
    "coreActiveRules",
    "coreRatingStatus",
    "coreNoteInterceptMin",
    "coreNoteInterceptMax",
    "numRatings",
)
HELPFULNESS_SCORES_COLUMNS = (
    "raterParticipantId",
    "coreRaterIntercept",
    "coreRaterFactor1",
    "aboveHelpfulnessThreshold",
)

Cell = str | int | float | bool | None


@dataclass(frozen=True)
class NoteRow:
    """One line of notes.tsv. `misleading_reasons` and `not_misleading_reasons` are column names
    of `MISLEADING_REASONS` / `NOT_MISLEADING_REASONS` the author ticked; `believable`,
    `harmful` and `validation_difficulty` are the author's answers as the layout spells them
    ("" when not asked)."""

    note_id: Id
    author_id: Id
    created_at_millis: int
    tweet_id: Id
    classification: Classification
    summary: str
    believable: str = ""
    harmful: str = ""
    validation_difficulty: str = ""
    misleading_reasons: frozenset[str] = frozenset()
    not_misleading_reasons: frozenset[str] = frozenset()
    trustworthy_sources: bool = False
    is_media_note: bool = False
    is_collaborative_note: bool = False

    def cells(self) -> dict[str, Cell]:
        return {
            "noteId": self.note_id,
            "noteAuthorParticipantId": self.author_id,
            "createdAtMillis": self.created_at_millis,
            "tweetId": self.tweet_id,
            "classification": self.classification.value,
            "believable": self.believable,
            "harmful": self.harmful,
            "validationDifficulty": self.validation_difficulty,
            **_ticks(MISLEADING_REASONS, self.misleading_reasons),
            **_ticks(NOT_MISLEADING_REASONS, self.not_misleading_reasons),
            "trustworthySources": self.trustworthy_sources,
            "summary": self.summary,
            "isMediaNote": self.is_media_note,
            "isCollaborativeNote": self.is_collaborative_note,
        }


@dataclass(frozen=True)
class RatingRow:
    """One line of ratings.tsv in the current form (version 2: helpfulnessLevel, no legacy
    helpful/notHelpful). `helpfulness_level` is HELPFUL, SOMEWHAT_HELPFUL or NOT_HELPFUL; the
    tags are column names of `HELPFUL_TAGS` / `NOT_HELPFUL_TAGS`. `rated_on_tweet_id` is the
    post the note was rated on (the note's own post, usually): required, because the reference
    refuses a ratings file with an empty ratedOnTweetId."""

    note_id: Id
    rater_id: Id
    created_at_millis: int
    helpfulness_level: str
    rated_on_tweet_id: Id
    helpful_tags: frozenset[str] = frozenset()
    not_helpful_tags: frozenset[str] = frozenset()
    population_sampled: bool = False

    def cells(self) -> dict[str, Cell]:
        return {
            "noteId": self.note_id,
            "raterParticipantId": self.rater_id,
            "createdAtMillis": self.created_at_millis,
            "version": 2,
            "helpfulnessLevel": self.helpfulness_level,
            **_ticks(HELPFUL_TAGS, self.helpful_tags),
            **_ticks(NOT_HELPFUL_TAGS, self.not_helpful_tags),
            "ratedOnTweetId": self.rated_on_tweet_id,
            "ratingSourceBucketed": "POPULATION_SAMPLED" if self.population_sampled else "DEFAULT",
        }


@dataclass(frozen=True)
class StatusHistoryRow:
    """One line of noteStatusHistory.tsv: a note's current status and its decided statuses
    (a status is a `NoteStatus` value, "" for none; a time is None when there is none);
    `decided_by` names the model that decided the current status, `changed_at_millis` when
    the status last changed."""

    note_id: Id
    author_id: Id
    created_at_millis: int
    current_status: str = ""
    current_status_at_millis: int | None = None
    first_non_nmr_status: str = ""
    first_non_nmr_at_millis: int | None = None
    latest_non_nmr_status: str = ""
    latest_non_nmr_at_millis: int | None = None
    locked_status: str = ""
    locked_at_millis: int | None = None
    decided_by: str = ""
    changed_at_millis: int | None = None

    def cells(self) -> dict[str, Cell]:
        return {
            "noteId": self.note_id,
            "noteAuthorParticipantId": self.author_id,
            "createdAtMillis": self.created_at_millis,
            "timestampMillisOfFirstNonNMRStatus": self.first_non_nmr_at_millis,
            "firstNonNMRStatus": self.first_non_nmr_status,
            "timestampMillisOfCurrentStatus": self.current_status_at_millis,
            "currentStatus": self.current_status,
            "timestampMillisOfLatestNonNMRStatus": self.latest_non_nmr_at_millis,
            "mostRecentNonNMRStatus": self.latest_non_nmr_status,
            "timestampMillisOfStatusLock": self.locked_at_millis,
            "lockedStatus": self.locked_status,
            "currentCoreStatus": self.current_status,
            "currentDecidedBy": self.decided_by,
            "timestampMillisOfMostRecentStatusChange": self.changed_at_millis,
        }


@dataclass(frozen=True)
class EnrollmentRow:
    """One line of userEnrollment.tsv (modelingGroup 0 is written as an empty cell)."""

    participant_id: Id
    enrollment_state: str = "newUser"
    successful_ratings_needed_to_earn_in: int = 0
    state_changed_at_millis: int = 0
    last_earn_out_at_millis: int | None = None
    modeling_population: str = "CORE"
    modeling_group: int = 0
    times_earned_out: int = 0

    def cells(self) -> dict[str, Cell]:
        return {
            "participantId": self.participant_id,
            "enrollmentState": self.enrollment_state,
            "successfulRatingNeededToEarnIn": self.successful_ratings_needed_to_earn_in,
            "timestampOfLastStateChange": self.state_changed_at_millis,
            "timestampOfLastEarnOut": self.last_earn_out_at_millis,
            "modelingPopulation": self.modeling_population,
            "modelingGroup": self.modeling_group or None,
            "numberOfTimesEarnedOut": self.times_earned_out,
        }


def _ticks(columns: Sequence[str], ticked: frozenset[str]) -> dict[str, Cell]:
    return {column: column in ticked for column in columns}


def write_notes(target: TsvSource, rows: Iterable[NoteRow]) -> int:
    """Writes notes.tsv; returns the number of rows written."""
    return _write_rows(target, NOTE_COLUMNS, (row.cells() for row in rows))


def write_ratings(
    target: TsvSource, rows: Iterable[RatingRow], columns: tuple[str, ...] = RATING_COLUMNS
) -> int:
    """Writes ratings.tsv in `columns` (`RATING_COLUMNS` or `OLDER_RATING_COLUMNS`)."""
    return _write_rows(target, columns, (row.cells() for row in rows))


def write_status_history(
    target: TsvSource,
    rows: Iterable[StatusHistoryRow],
    columns: tuple[str, ...] = STATUS_HISTORY_COLUMNS,
) -> int:
    """Writes noteStatusHistory.tsv in `columns` (the current or the older layout)."""
    return _write_rows(target, columns, (row.cells() for row in rows))


def write_enrollment(target: TsvSource, rows: Iterable[EnrollmentRow]) -> int:
    """Writes userEnrollment.tsv."""
    return _write_rows(target, ENROLLMENT_COLUMNS, (row.cells() for row in rows))


def write_scored_notes(target: TsvSource, scores: CoreScores) -> int:
    """Writes the Core columns of scored_notes.tsv, one row per note of the run."""
    notes = scores.notes
    rows = (
        dict(zip(SCORED_NOTES_COLUMNS, values, strict=True))
        for values in zip(
            notes.note_id,
            notes.intercept.tolist(),
            notes.factor.tolist(),
            _or_shown(notes.final_rating_status, notes.final_status),
            notes.rules,
            _or_shown(notes.core_rating_status, notes.core_status),
            notes.intercept_min.tolist(),
            notes.intercept_max.tolist(),
            notes.num_ratings.tolist(),
            strict=True,
        )
    )
    return _write_rows(target, SCORED_NOTES_COLUMNS, rows, bools=("False", "True"))


def _or_shown(spellings: Sequence[str], shown: Sequence[NoteStatus]) -> Sequence[str]:
    """The reference's spellings when the run gives them, else the product's statuses."""
    return spellings if len(spellings) == len(shown) else [status.value for status in shown]


def write_helpfulness_scores(target: TsvSource, scores: CoreScores) -> int:
    """Writes the Core columns of helpfulness_scores.tsv, one row per rater of the run
    (aboveHelpfulnessThreshold is True or False, as pandas writes a boolean column, and empty
    for a rater not judged)."""
    raters = scores.raters
    judged = raters.judged if raters.judged is not None else np.ones(len(raters), np.bool_)
    rows = (
        dict(zip(HELPFULNESS_SCORES_COLUMNS, values, strict=True))
        for values in zip(
            raters.rater_id,
            raters.intercept.tolist(),
            raters.factor.tolist(),
            (
                above if known else None
                for above, known in zip(
                    raters.above_threshold.tolist(), judged.tolist(), strict=True
                )
            ),
            strict=True,
        )
    )
    return _write_rows(target, HELPFULNESS_SCORES_COLUMNS, rows, bools=("False", "True"))


def _write_rows(
    target: TsvSource,
    columns: tuple[str, ...],
    rows: Iterable[Mapping[str, Cell]],
    bools: tuple[str, str] = ("0", "1"),
) -> int:
    """Cells a row does not name are written empty."""
    count = 0
    with _opened(target) as stream:
        stream.write(_line(columns))
        for row in rows:
            stream.write(_line(_cell(row.get(column), bools) for column in columns))
            count += 1
    return count


def _line(cells: Iterable[str]) -> str:
    return "\t".join(map(_quoted, cells)) + "\n"


def _quoted(cell: str) -> str:
    # A lone carriage return is quoted too: pandas takes it for a line end (the csv module's
    # writer would leave it bare).
    if any(special in cell for special in '\t\n\r"'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _cell(value: Cell, bools: tuple[str, str]) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return bools[value]
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    return str(value)


@contextmanager
def _opened(target: TsvSource) -> Iterator[TextIO]:
    if isinstance(target, str | os.PathLike):
        with open(target, "w", encoding="utf-8", newline="") as stream:
            yield stream
    else:
        yield target
