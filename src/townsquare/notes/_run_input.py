"""The scorer's input, read from our tables: `ScoringInput` plus what a run needs beside it
(each note's post, its current status). The enrollment is the one the export writes
(`_enrollment`), so scoring an export again gives what the run gave."""

from dataclasses import dataclass

import numpy as np
from sqlalchemy import Connection, select

from townsquare.notes._enrollment import enrollment
from townsquare.notes._export import millis
from townsquare.notes.scoring import (
    HELPFUL_TAGS,
    NOT_HELPFUL_TAGS,
    Classification,
    NoteStatus,
    NoteTable,
    PriorStatuses,
    RatingTable,
    ScoringInput,
)
from townsquare.storage.tables import community_notes, note_ratings, note_statuses

__all__ = ["RunInput", "current_statuses", "read_run_input"]

_VALUES = {"HELPFUL": 1.0, "SOMEWHAT_HELPFUL": 0.5, "NOT_HELPFUL": 0.0}


@dataclass(frozen=True)
class RunInput:
    """The scorer's input, and each note's post."""

    scoring: ScoringInput
    post_of: dict[int, int]


def read_run_input(conn: Connection) -> RunInput:
    notes = list(conn.execute(select(community_notes).order_by(community_notes.c.id)))
    ratings = list(
        conn.execute(select(note_ratings).order_by(note_ratings.c.note_id, note_ratings.c.rater_id))
    )
    statuses = current_statuses(conn)
    note_table = NoteTable(
        note_id=[n.id for n in notes],
        author_id=[n.author_id for n in notes],
        created_at_millis=np.array([millis(n.created_at) for n in notes], dtype=np.int64),
        misleading=np.array(
            [n.classification == Classification.MISLEADING.value for n in notes], dtype=np.bool_
        ),
    )
    rating_table = RatingTable(
        note_id=[r.note_id for r in ratings],
        rater_id=[r.rater_id for r in ratings],
        created_at_millis=np.array([millis(r.created_at) for r in ratings], dtype=np.int64),
        value=np.array([_VALUES[r.level] for r in ratings], dtype=np.float64),
        helpful_tags=_tag_matrix([r.tags for r in ratings], HELPFUL_TAGS),
        not_helpful_tags=_tag_matrix([r.tags for r in ratings], NOT_HELPFUL_TAGS),
        population_sampled=np.zeros(len(ratings), dtype=np.bool_),
    )
    prior = PriorStatuses(
        note_id=[n.id for n in notes],
        current_status=[statuses.get(n.id, "") for n in notes],
        latest_decided_at_millis=np.full(len(notes), -1, dtype=np.int64),
    )
    scoring = ScoringInput(note_table, rating_table, prior, enrollment(conn))
    return RunInput(scoring, {n.id: n.post_id for n in notes})


def current_statuses(conn: Connection) -> dict[int, str]:
    """Every note's status in the projection; a note without a row needs more ratings."""
    query = select(note_statuses.c.note_id, note_statuses.c.status)
    return {row.note_id: row.status for row in conn.execute(query)}


def status_of(statuses: dict[int, str], note_id: int) -> str:
    return statuses.get(note_id, NoteStatus.NEEDS_MORE_RATINGS.value)


def _tag_matrix(
    tags: list[str], names: tuple[str, ...]
) -> np.ndarray[tuple[int, int], np.dtype[np.bool_]]:
    matrix = np.zeros((len(tags), len(names)), dtype=np.bool_)
    for row, joined in enumerate(tags):
        given = set(joined.split(","))
        for column, name in enumerate(names):
            matrix[row, column] = name in given
    return matrix
