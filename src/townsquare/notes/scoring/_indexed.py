"""A `ScoringInput` over dense indexes, in a canonical row order.

Raters and note authors share one participant index (a rater's helpfulness reads the notes
they wrote); notes of the note table and rated notes share one note index. Both are the sorted
ids, and the ratings are sorted by (participant, note), so nothing downstream depends on the
order of the input rows: every sum is taken in the same order whatever order they came in.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from townsquare.notes.scoring._errors import RatingsInputError
from townsquare.notes.scoring._inputs import NOT_HELPFUL_TAGS, ScoringInput
from townsquare.notes.scoring._ratings import Id, checked_values, dense_indexes, refuse_duplicates
from townsquare.notes.scoring._status import NoteStatus

__all__ = ["NO_GROUP", "IndexedInput", "index_input", "only_rows"]

# Inside the index only: a participant without a modeling group (listed without one, or not
# listed, which `IndexedInput.enrolled` tells apart). No modeling group is negative.
NO_GROUP = -1

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class IndexedInput:
    """Rating columns (`rater`, `note`, `value`, `created_at`, the tag matrices) and, by
    dense note index, the note facts; by participant index, whether the enrollment lists
    them (`enrolled`) and their modeling group (`NO_GROUP` when it gives none or does not
    list them); `table_note` maps the note table's rows to note indexes. NaN times mean
    unknown; a note outside the note table has no author (-1), no creation time and is not
    misleading."""

    participant_ids: tuple[Id, ...]
    note_ids: tuple[Id, ...]
    rater: Ints
    note: Ints
    value: Floats
    created_at: Floats
    note_author: Ints
    note_created_at: Floats
    note_misleading: Flags
    note_latest_decided_at: Floats
    note_prior_helpful: Flags
    enrolled: Flags
    modeling_group: Ints
    table_note: Ints  # the note index of each row of the note table
    helpful_tags: npt.NDArray[np.bool_]  # by row, one column per HELPFUL_TAGS name
    not_helpful_tags: npt.NDArray[np.bool_]  # by row, one column per NOT_HELPFUL_TAGS name

    @property
    def num_participants(self) -> int:
        return len(self.participant_ids)

    @property
    def num_notes(self) -> int:
        return len(self.note_ids)

    @property
    def harassment_tag(self) -> Flags:
        return self.not_helpful_tag("notHelpfulSpamHarassmentOrAbuse")

    @property
    def other_not_helpful_tag(self) -> Flags:
        return self.not_helpful_tag("notHelpfulOther")

    def not_helpful_tag(self, name: str) -> Flags:
        """One not-helpful tag's column, by rating row."""
        column: Flags = self.not_helpful_tags[:, NOT_HELPFUL_TAGS.index(name)]
        return column

    def ratings_per_note(self, rows: Flags | None = None) -> Ints:
        """How many ratings each note has (among `rows` when given)."""
        note = self.note if rows is None else self.note[rows]
        return np.bincount(note, minlength=self.num_notes).astype(np.int64)


def index_input(given: ScoringInput) -> IndexedInput:
    """Index `given`; raise `RatingsInputError` for ratings `ratings_from_ids` would refuse."""
    ratings, notes = given.ratings, given.notes
    if len(ratings) == 0:
        raise RatingsInputError("there are no ratings to score")
    participant_ids, participant = dense_indexes([*ratings.rater_id, *notes.author_id])
    note_ids, note = dense_indexes([*ratings.note_id, *notes.note_id])
    rater, rated_note = participant[: len(ratings)], note[: len(ratings)]
    value = checked_values(ratings.value)
    refuse_duplicates(rater, rated_note, len(note_ids), participant_ids, note_ids)
    order = np.lexsort((rated_note, rater))
    table_note = note[len(ratings) :]
    return IndexedInput(
        participant_ids=participant_ids,
        note_ids=note_ids,
        rater=rater[order],
        note=rated_note[order],
        value=value[order],
        created_at=ratings.created_at_millis.astype(np.float64)[order],
        note_author=_by_note(len(note_ids), table_note, participant[len(ratings) :], -1),
        note_created_at=_by_note(
            len(note_ids), table_note, notes.created_at_millis.astype(np.float64), np.nan
        ),
        note_misleading=_by_note(len(note_ids), table_note, notes.misleading, False),
        note_latest_decided_at=_prior_decided_at(given, note_ids),
        note_prior_helpful=_prior_helpful(given, note_ids),
        enrolled=_enrolled(given, participant_ids),
        modeling_group=_modeling_groups(given, participant_ids),
        table_note=table_note,
        helpful_tags=np.asarray(ratings.helpful_tags, dtype=np.bool_)[order],
        not_helpful_tags=np.asarray(ratings.not_helpful_tags, dtype=np.bool_)[order],
    )


def only_rows(indexed: IndexedInput, rows: Flags) -> IndexedInput:
    """`indexed` with only the ratings where `rows` is True; indexes and note facts stay."""
    return replace(
        indexed,
        rater=indexed.rater[rows],
        note=indexed.note[rows],
        value=indexed.value[rows],
        created_at=indexed.created_at[rows],
        helpful_tags=indexed.helpful_tags[rows],
        not_helpful_tags=indexed.not_helpful_tags[rows],
    )


def _by_note(size: int, index: Ints, values: npt.NDArray[Any], missing: object) -> npt.NDArray[Any]:
    column = np.full(size, missing, dtype=values.dtype)
    column[index] = values
    return column


def _positions(ids: tuple[Id, ...], wanted: Sequence[Id]) -> tuple[Ints, Ints]:
    """For each id of `wanted` that is in `ids`: (its row in `wanted`, its index in `ids`)."""
    where = {identifier: k for k, identifier in enumerate(ids)}
    pairs = [(row, where[i]) for row, i in enumerate(wanted) if i in where]
    rows = np.array([p[0] for p in pairs], dtype=np.int64)
    found = np.array([p[1] for p in pairs], dtype=np.int64)
    return rows, found


def _prior_decided_at(given: ScoringInput, note_ids: tuple[Id, ...]) -> Floats:
    decided = np.full(len(note_ids), np.nan)
    if given.prior is not None:
        rows, found = _positions(note_ids, given.prior.note_id)
        times = given.prior.latest_decided_at_millis.astype(np.float64)[rows]
        decided[found] = np.where(times >= 0, times, np.nan)
    return decided


def _prior_helpful(given: ScoringInput, note_ids: tuple[Id, ...]) -> Flags:
    helpful = np.zeros(len(note_ids), dtype=np.bool_)
    if given.prior is not None:
        rows, found = _positions(note_ids, given.prior.note_id)
        status = np.array(given.prior.current_status, dtype=object)[rows]
        helpful[found] = status == NoteStatus.CURRENTLY_RATED_HELPFUL.value
    return helpful


def _enrolled(given: ScoringInput, participant_ids: tuple[Id, ...]) -> Flags:
    listed = np.zeros(len(participant_ids), dtype=np.bool_)
    if given.enrollment is not None:
        listed[_positions(participant_ids, given.enrollment.participant_id)[1]] = True
    return listed


def _modeling_groups(given: ScoringInput, participant_ids: tuple[Id, ...]) -> Ints:
    group = np.full(len(participant_ids), NO_GROUP, dtype=np.int64)
    if given.enrollment is not None:
        rows, found = _positions(participant_ids, given.enrollment.participant_id)
        listed = [given.enrollment.modeling_group[row] for row in rows.tolist()]
        group[found] = [NO_GROUP if g is None else g for g in listed]
    return group
