"""Ratings as parallel numpy arrays over dense rater and note indexes."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from townsquare.notes.scoring._errors import RatingsInputError

__all__ = [
    "HELPFUL",
    "NOT_HELPFUL",
    "SOMEWHAT_HELPFUL",
    "Id",
    "Ratings",
    "checked_values",
    "dense_indexes",
    "ratings_from_ids",
    "refuse_duplicates",
]

Id: TypeAlias = str | int

# The reference's helpfulNum (process_data.py:compute_helpful_num).
HELPFUL = 1.0
SOMEWHAT_HELPFUL = 0.5
NOT_HELPFUL = 0.0
_ALLOWED_VALUES = np.array([NOT_HELPFUL, SOMEWHAT_HELPFUL, HELPFUL])


@dataclass(frozen=True, eq=False)
class Ratings:
    """One rating per row: `rater[k]` rated `note[k]` with `value[k]` in {0, 0.5, 1}.

    `rater_ids[i]` and `note_ids[j]` give back the ids behind dense index i and j. The ids are
    sorted (ints before strings), so the indexes do not depend on the order of the rows. The
    arrays are read-only.
    """

    rater: npt.NDArray[np.int64]
    note: npt.NDArray[np.int64]
    value: npt.NDArray[np.float64]
    rater_ids: tuple[Id, ...]
    note_ids: tuple[Id, ...]

    @property
    def num_ratings(self) -> int:
        return int(self.value.shape[0])

    @property
    def num_raters(self) -> int:
        return len(self.rater_ids)

    @property
    def num_notes(self) -> int:
        return len(self.note_ids)

    def ratings_per_note(self) -> npt.NDArray[np.int64]:
        """How many ratings each note has, by dense note index."""
        return np.bincount(self.note, minlength=self.num_notes).astype(np.int64)


def ratings_from_ids(raters: Sequence[Id], notes: Sequence[Id], values: Sequence[float]) -> Ratings:
    """Build `Ratings` from three parallel columns of ids and values.

    Raises `RatingsInputError` when the columns differ in length, are empty, hold a value
    other than 0, 0.5 or 1, or rate one note twice by the same rater (the reference asserts
    the same in process_data.py:remove_duplicate_ratings).
    """
    if not len(raters) == len(notes) == len(values):
        raise RatingsInputError(
            f"rater, note and value columns must have one entry per rating; got "
            f"{len(raters)}, {len(notes)} and {len(values)}"
        )
    if len(values) == 0:
        raise RatingsInputError("there are no ratings to score")
    rater_ids, rater = dense_indexes(raters)
    note_ids, note = dense_indexes(notes)
    value = checked_values(values)
    refuse_duplicates(rater, note, len(note_ids), rater_ids, note_ids)
    for array in (rater, note, value):
        array.flags.writeable = False
    return Ratings(rater, note, value, rater_ids, note_ids)


def _sort_key(identifier: Id) -> tuple[bool, Id]:
    return (isinstance(identifier, str), identifier)


def dense_indexes(ids: Sequence[Id]) -> tuple[tuple[Id, ...], npt.NDArray[np.int64]]:
    if len(ids) and (all_int := _as_int_array(ids)) is not None:
        # The common case (numeric ids), in numpy: the same sorted order, far faster.
        unique, index = np.unique(all_int, return_inverse=True)
        return tuple(int(i) for i in unique), index.astype(np.int64)
    ordered = tuple(sorted(set(ids), key=_sort_key))
    position = {identifier: index for index, identifier in enumerate(ordered)}
    return ordered, np.fromiter((position[i] for i in ids), dtype=np.int64, count=len(ids))


def _as_int_array(ids: Sequence[Id]) -> npt.NDArray[np.int64] | None:
    array = np.asarray(ids)
    if array.ndim != 1 or array.dtype.kind not in "iu":
        return None
    return array.astype(np.int64)


def checked_values(values: Sequence[float] | npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    value = np.asarray(values, dtype=np.float64)
    bad = ~np.isin(value, _ALLOWED_VALUES)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise RatingsInputError(
            f"rating {row} has value {value[row]!r}; a rating is 1 (helpful), "
            f"0.5 (somewhat helpful) or 0 (not helpful)"
        )
    return value


def refuse_duplicates(
    rater: npt.NDArray[np.int64],
    note: npt.NDArray[np.int64],
    num_notes: int,
    rater_ids: tuple[Id, ...],
    note_ids: tuple[Id, ...],
) -> None:
    pair = rater * num_notes + note
    unique, first, counts = np.unique(pair, return_index=True, return_counts=True)
    if unique.shape[0] == pair.shape[0]:
        return
    row = int(first[np.flatnonzero(counts > 1)[0]])
    raise RatingsInputError(
        f"rater {rater_ids[rater[row]]!r} rated note {note_ids[note[row]]!r} more than once; "
        f"keep one rating per rater and note"
    )
