"""The public Community Notes TSV files read into the scorer's input columns.

What is read, and how it follows the reference (process_data.py, runner.py):

1. Every file starts with its header row, which must be one of the layouts in `_layouts.py`
   (the reference also checks the column count; it ignores the names, we check them too).
2. Ratings may be one file or a directory of `.tsv` files (the public download splits them).
3. A rating's value is its helpfulnessLevel (HELPFUL 1, SOMEWHAT_HELPFUL 0.5, NOT_HELPFUL 0);
   when that is empty, the older form's notHelpful = 1 gives 0 and helpful = 1 gives 1
   (`compute_helpful_num`); a rating with none of them carries no answer and is skipped.
4. A rater who rated one note twice is refused, naming both lines (the reference asserts the
   same in `remove_duplicate_ratings`, after dropping rows identical in every column).
5. Ratings of a note that is neither in the notes nor in the status history are dropped: the
   public notes file leaves deleted notes out, and the reference drops those ratings too
   (`_filter_misleading_notes`). When no rating is left, the files do not belong together and
   that is refused.
6. Ids are ints when a whole column is plain decimal numbers, else strings; participant ids
   (and note ids) are made one type across the files so that they match.
"""

import os
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

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
    NOTE_COLUMNS,
    OLDER_RATING_COLUMNS,
    OLDER_STATUS_HISTORY_COLUMNS,
    RATING_COLUMNS,
    STATUS_HISTORY_COLUMNS,
)
from townsquare.notes.scoring._ratings import HELPFUL, NOT_HELPFUL, SOMEWHAT_HELPFUL, Id
from townsquare.notes.scoring._status import NoteStatus
from townsquare.notes.scoring._tsv_cells import (
    choices,
    flags,
    ids,
    integers,
    labels,
    typed_ids,
)
from townsquare.notes.scoring._tsv_rows import (
    Chunk,
    TsvInputError,
    TsvSource,
    read_chunks,
    tsv_files,
)

__all__ = [
    "read_enrollment",
    "read_notes",
    "read_ratings",
    "read_scoring_input",
    "read_status_history",
    "scoring_input_from_tables",
]

_T = TypeVar("_T")

_NAN = float("nan")
_HELPFULNESS_LEVELS = {
    "HELPFUL": HELPFUL,
    "SOMEWHAT_HELPFUL": SOMEWHAT_HELPFUL,
    "NOT_HELPFUL": NOT_HELPFUL,
    "": _NAN,
}
_CLASSIFICATIONS = {Classification.MISLEADING.value: 1.0, Classification.NOT_MISLEADING.value: 0.0}
_RATING_SOURCES = {"DEFAULT": 0.0, "POPULATION_SAMPLED": 1.0, "": 0.0}
_STATUSES = ("", *(status.value for status in NoteStatus))


@dataclass
class _Columns:
    """Columns gathered chunk by chunk, with the file and line of every row kept for messages."""

    texts: dict[str, list[str]] = field(default_factory=dict)
    arrays: dict[str, list[npt.NDArray[Any]]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    def add(
        self,
        chunk: Chunk,
        keep: npt.NDArray[np.bool_] | None = None,
        texts: Mapping[str, list[str]] | None = None,
        arrays: Mapping[str, npt.NDArray[Any]] | None = None,
    ) -> None:
        """Adds the chunk's rows (those marked in `keep`; `texts` and `arrays` are kept already)."""
        kept = range(len(chunk)) if keep is None else np.flatnonzero(keep).tolist()
        self.files.extend(chunk.file for _ in kept)
        self.lines.extend(chunk.lines[k] for k in kept)
        for name, cells in (texts or {}).items():
            self.texts.setdefault(name, []).extend(cells)
        for name, array in (arrays or {}).items():
            self.arrays.setdefault(name, []).append(array)

    def where(self, row: int) -> str:
        return f"{self.files[row]}, line {self.lines[row]}"

    def text(self, name: str) -> list[str]:
        return self.texts.get(name, [])

    def array(self, name: str, dtype: type[np.generic], width: int = 0) -> npt.NDArray[Any]:
        parts = self.arrays.get(name, [])
        if not parts:
            return np.zeros((0, width) if width else 0, dtype=dtype)
        return np.concatenate(parts).astype(dtype)


def _gather(
    source: TsvSource, layouts: Sequence[tuple[str, ...]], read: Callable[[Chunk, _Columns], None]
) -> _Columns:
    gathered = _Columns()
    for file in tsv_files(source):
        for chunk in read_chunks(file, layouts):
            read(chunk, gathered)
    return gathered


def _refuse_duplicates(keys: Sequence[Hashable], gathered: _Columns, what: str) -> None:
    if len(set(keys)) == len(keys):
        return
    first_row: dict[Hashable, int] = {}
    for row, key in enumerate(keys):
        first = first_row.setdefault(key, row)
        if first != row:
            raise TsvInputError(
                f"{gathered.where(row)}: {what} already given at {gathered.where(first)}; "
                f"expected one row each"
            )


def _refuse_empty(source: TsvSource, gathered: _Columns, what: str) -> None:
    if not gathered.lines:
        raise TsvInputError(f"{source}: expected {what} after the header row, found none")


def read_notes(source: TsvSource) -> NoteTable:
    """The notes of a notes file (24 columns). Raises `TsvInputError` for a malformed file, a
    note given twice, or a file without notes."""

    def read(chunk: Chunk, into: _Columns) -> None:
        into.add(
            chunk,
            texts={"note": ids(chunk, "noteId"), "author": ids(chunk, "noteAuthorParticipantId")},
            arrays={
                "created": integers(chunk, "createdAtMillis"),
                "misleading": choices(chunk, "classification", _CLASSIFICATIONS),
            },
        )

    gathered = _gather(source, [NOTE_COLUMNS], read)
    _refuse_empty(source, gathered, "notes")
    note_ids = gathered.text("note")
    _refuse_duplicates(note_ids, gathered, "this note was")
    return NoteTable(
        note_id=typed_ids(note_ids),
        author_id=typed_ids(gathered.text("author")),
        created_at_millis=gathered.array("created", np.int64),
        misleading=gathered.array("misleading", np.bool_),
    )


def read_ratings(source: TsvSource) -> RatingTable:
    """The ratings of a ratings file or directory (35 or the older 33 columns). Ratings without
    any helpfulness answer are skipped (see the module's notes). Raises `TsvInputError` for a
    malformed file, a rater rating one note twice, or no ratings at all."""

    def read(chunk: Chunk, into: _Columns) -> None:
        value = _rating_values(chunk)
        keep = ~np.isnan(value)
        texts = {"note": ids(chunk, "noteId"), "rater": ids(chunk, "raterParticipantId")}
        arrays = {
            "created": integers(chunk, "createdAtMillis"),
            "value": value,
            "helpful_tags": flags(chunk, HELPFUL_TAGS),
            "not_helpful_tags": flags(chunk, NOT_HELPFUL_TAGS),
            "sampled": choices(chunk, "ratingSourceBucketed", _RATING_SOURCES),
        }
        into.add(
            chunk,
            keep,
            texts={name: _kept(cells, keep) for name, cells in texts.items()},
            arrays={name: array[keep] for name, array in arrays.items()},
        )

    gathered = _gather(source, [RATING_COLUMNS, OLDER_RATING_COLUMNS], read)
    _refuse_empty(source, gathered, "ratings with a helpfulness answer")
    note_ids, rater_ids = gathered.text("note"), gathered.text("rater")
    pairs = list(zip(rater_ids, note_ids, strict=True))
    _refuse_duplicates(pairs, gathered, "this rater rated this note")
    return RatingTable(
        note_id=typed_ids(note_ids),
        rater_id=typed_ids(rater_ids),
        created_at_millis=gathered.array("created", np.int64),
        value=gathered.array("value", np.float64),
        helpful_tags=gathered.array("helpful_tags", np.bool_, len(HELPFUL_TAGS)),
        not_helpful_tags=gathered.array("not_helpful_tags", np.bool_, len(NOT_HELPFUL_TAGS)),
        population_sampled=gathered.array("sampled", np.bool_),
    )


def _rating_values(chunk: Chunk) -> npt.NDArray[np.float64]:
    level = choices(chunk, "helpfulnessLevel", _HELPFULNESS_LEVELS)
    helpful, not_helpful = flags(chunk, ("helpful", "notHelpful")).T
    legacy = np.where(not_helpful, NOT_HELPFUL, np.where(helpful, HELPFUL, _NAN))
    result: npt.NDArray[np.float64] = np.where(np.isnan(level), legacy, level)
    return result


def _kept(cells: list[_T], keep: npt.NDArray[np.bool_]) -> list[_T]:
    return cells if keep.all() else list(compress(cells, keep.tolist()))


def read_status_history(source: TsvSource) -> PriorStatuses:
    """The previous run's statuses from a noteStatusHistory file (24 or the older 23 columns).
    An empty timestampMillisOfLatestNonNMRStatus is -1. Raises `TsvInputError` for a malformed
    file or a note given twice; a file with only its header is an empty history."""

    def read(chunk: Chunk, into: _Columns) -> None:
        into.add(
            chunk,
            texts={
                "note": ids(chunk, "noteId"),
                "status": labels(chunk, "currentStatus", _STATUSES),
            },
            arrays={"decided": integers(chunk, "timestampMillisOfLatestNonNMRStatus", empty=-1)},
        )

    gathered = _gather(source, [STATUS_HISTORY_COLUMNS, OLDER_STATUS_HISTORY_COLUMNS], read)
    note_ids = gathered.text("note")
    _refuse_duplicates(note_ids, gathered, "this note was")
    return PriorStatuses(
        note_id=typed_ids(note_ids),
        current_status=gathered.text("status"),
        latest_decided_at_millis=gathered.array("decided", np.int64),
    )


def read_enrollment(source: TsvSource) -> Enrollment:
    """Each participant's modeling group from a userEnrollment file (8 columns); None for an
    empty cell (listed without a group). Raises `TsvInputError` for a malformed file, a
    negative group or a participant given twice."""

    def read(chunk: Chunk, into: _Columns) -> None:
        groups = integers(chunk, "modelingGroup", empty=_EMPTY_GROUP)
        for row in np.flatnonzero(groups < 0).tolist():
            if chunk.cells("modelingGroup")[row] != "":
                raise chunk.error(row, "modelingGroup", "a modeling group (0 or more) or nothing")
        into.add(
            chunk, texts={"participant": ids(chunk, "participantId")}, arrays={"group": groups}
        )

    gathered = _gather(source, [ENROLLMENT_COLUMNS], read)
    participants = gathered.text("participant")
    _refuse_duplicates(participants, gathered, "this participant was")
    groups = gathered.array("group", np.int64).tolist()
    return Enrollment(
        participant_id=typed_ids(participants),
        modeling_group=[None if g == _EMPTY_GROUP else g for g in groups],
    )


# How `read_enrollment` marks an empty modelingGroup cell while reading (groups are >= 0).
_EMPTY_GROUP = -1


def read_scoring_input(
    *,
    notes: TsvSource,
    ratings: TsvSource,
    status: TsvSource | None = None,
    enrollment: TsvSource | None = None,
) -> ScoringInput:
    """Everything a Core run reads, from the public files (see the module's notes)."""
    return scoring_input_from_tables(
        read_notes(notes),
        read_ratings(ratings),
        None if status is None else read_status_history(status),
        None if enrollment is None else read_enrollment(enrollment),
        ratings_source=ratings,
    )


def scoring_input_from_tables(
    notes: NoteTable,
    ratings: RatingTable,
    prior: PriorStatuses | None = None,
    enrollment: Enrollment | None = None,
    *,
    ratings_source: TsvSource = "the ratings",
) -> ScoringInput:
    """Tables read from separate files made into one input: ids of one type across files, and
    ratings of notes unknown to both the notes and the history dropped (see the module's
    notes). Raises `TsvInputError` when no rating is of a known note."""
    author_id, rater_id, participant_id = _one_id_type(
        notes.author_id, ratings.rater_id, enrollment.participant_id if enrollment else ()
    )
    note_id, rated_note_id, prior_note_id = _one_id_type(
        notes.note_id, ratings.note_id, prior.note_id if prior else ()
    )
    known = set(note_id) | set(prior_note_id)
    keep = np.fromiter((n in known for n in rated_note_id), dtype=np.bool_, count=len(ratings))
    if not keep.any():
        raise TsvInputError(
            f"{_where_rated(ratings_source, rated_note_id[0])}: expected a note of the notes "
            f"file or the status history, found {str(rated_note_id[0])!r}; no rating is of "
            f"one of those notes: expected files from one download"
        )
    return ScoringInput(
        notes=NoteTable(note_id, author_id, notes.created_at_millis, notes.misleading),
        ratings=_rating_rows(ratings, rater_id, rated_note_id, keep),
        prior=None if prior is None else _with_note_ids(prior, prior_note_id),
        enrollment=None
        if enrollment is None
        else Enrollment(participant_id, enrollment.modeling_group),
    )


def _where_rated(source: TsvSource, note_id: Id) -> str:
    """Where the first rating of `note_id` is, found by reading `source` again (only done to
    explain a refusal); just the source when it cannot be read again."""
    if not isinstance(source, str | os.PathLike):
        return str(getattr(source, "name", "<stream>"))
    for file in tsv_files(source):
        for chunk in read_chunks(file, [RATING_COLUMNS, OLDER_RATING_COLUMNS]):
            cells = chunk.cells("noteId")
            if str(note_id) in cells:
                line = chunk.lines[cells.index(str(note_id))]
                return f"{chunk.file}, line {line}, column 1 (noteId)"
    return str(source)


def _one_id_type(*columns: Sequence[Id]) -> list[Sequence[Id]]:
    """The columns unchanged when none holds strings, else every id as its string."""
    if all(not column or isinstance(column[0], int) for column in columns):
        return list(columns)
    return [[str(i) for i in column] for column in columns]


def _rating_rows(
    ratings: RatingTable,
    rater_id: Sequence[Id],
    note_id: Sequence[Id],
    keep: npt.NDArray[np.bool_],
) -> RatingTable:
    return RatingTable(
        note_id=_kept(list(note_id), keep),
        rater_id=_kept(list(rater_id), keep),
        created_at_millis=ratings.created_at_millis[keep],
        value=ratings.value[keep],
        helpful_tags=ratings.helpful_tags[keep],
        not_helpful_tags=ratings.not_helpful_tags[keep],
        population_sampled=ratings.population_sampled[keep],
    )


def _with_note_ids(prior: PriorStatuses, note_id: Sequence[Id]) -> PriorStatuses:
    return PriorStatuses(note_id, prior.current_status, prior.latest_decided_at_millis)
