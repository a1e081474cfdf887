"""Ratings for the scorer's tests: small random ones for Hypothesis, and a synthetic world."""

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

from townsquare.notes.scoring import (
    HELPFUL,
    HELPFUL_TAGS,
    NOT_HELPFUL,
    NOT_HELPFUL_TAGS,
    SOMEWHAT_HELPFUL,
    Enrollment,
    NoteTable,
    PriorStatuses,
    Ratings,
    RatingTable,
    ScoringInput,
    ratings_from_ids,
)

VALUES = (NOT_HELPFUL, SOMEWHAT_HELPFUL, HELPFUL)


@st.composite
def small_ratings(draw: st.DrawFn, max_raters: int = 6, max_notes: int = 6) -> Ratings:
    """A few raters and notes with distinct (rater, note) pairs and values in {0, 0.5, 1}."""
    raters = draw(st.integers(2, max_raters))
    notes = draw(st.integers(2, max_notes))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, raters - 1), st.integers(0, notes - 1)),
            min_size=3,
            max_size=raters * notes,
            unique=True,
        )
    )
    values = draw(st.lists(st.sampled_from(VALUES), min_size=len(pairs), max_size=len(pairs)))
    return ratings_from_ids([f"u{u}" for u, _ in pairs], [n for _, n in pairs], values)


@dataclass(frozen=True)
class World:
    """A synthetic world: which side each rater is on and what kind each note is."""

    ratings: Ratings
    rater_side: dict[str, int]  # -1 left, +1 right, 0 neutral
    note_kind: dict[str, str]  # "everyone", "left", "right", "unhelpful"


NOTE_KINDS = ("everyone", "left", "right", "unhelpful")


def synthetic_world(
    seed: int,
    per_side: int = 40,
    neutrals: int = 20,
    notes_per_kind: int = 12,
    density: float = 0.5,
) -> World:
    """Two opposed rater groups plus neutrals rating four kinds of notes.

    A note helpful to everyone is rated helpful by most raters of every side; a note liked by
    one side is rated helpful by that side and not helpful by the other (neutrals split); an
    unhelpful note is rated not helpful by most. A few ratings in each case are noise.
    """
    rng = np.random.default_rng(seed)
    side = {f"r{k}": s for k, s in enumerate([-1] * per_side + [1] * per_side + [0] * neutrals)}
    kind = {f"{k}-{j}": k for k in NOTE_KINDS for j in range(notes_per_kind)}
    raters, notes, values = [], [], []
    for rater, s in side.items():
        for note, k in kind.items():
            if rng.random() < density:
                raters.append(rater)
                notes.append(note)
                values.append(_rating(rng, s, k))
    return World(ratings_from_ids(raters, notes, values), side, kind)


def _rating(rng: np.random.Generator, side: int, kind: str) -> float:
    helpful_chance = {
        "everyone": 0.95,
        "unhelpful": 0.03,
        "left": {-1: 0.9, 1: 0.1, 0: 0.5}[side],
        "right": {-1: 0.1, 1: 0.9, 0: 0.5}[side],
    }[kind]
    draw = rng.random()
    if draw < helpful_chance:
        return HELPFUL
    if draw < helpful_chance + 0.1 * (1 - helpful_chance):
        return SOMEWHAT_HELPFUL
    return NOT_HELPFUL


NOTE_CREATED_MILLIS = 1_700_000_000_000  # after the status history began (2022-05-19)
HOUR_MILLIS = 3_600_000


def make_input(
    triples: list[tuple[str, str, float]],
    *,
    rated_after_millis: list[int] | None = None,
    misleading: dict[str, bool] | None = None,
    authors: dict[str, str] | None = None,
    note_created_millis: dict[str, int] | None = None,
    prior: PriorStatuses | None = None,
    enrollment: Enrollment | None = None,
) -> ScoringInput:
    """A `ScoringInput` from (rater, note, value) triples: every note is in the note table,
    misleading unless told, written by "author-<note>" unless told, created at
    `NOTE_CREATED_MILLIS` unless told; each rating made an hour after its note unless
    `rated_after_millis` says otherwise."""
    note_ids = sorted({note for _, note, _ in triples})
    created = {n: (note_created_millis or {}).get(n, NOTE_CREATED_MILLIS) for n in note_ids}
    after = rated_after_millis or [HOUR_MILLIS] * len(triples)
    size = len(triples)
    return ScoringInput(
        notes=NoteTable(
            note_id=note_ids,
            author_id=[(authors or {}).get(n, f"author-{n}") for n in note_ids],
            created_at_millis=np.array([created[n] for n in note_ids], dtype=np.int64),
            misleading=np.array([(misleading or {}).get(n, True) for n in note_ids]),
        ),
        ratings=RatingTable(
            note_id=[note for _, note, _ in triples],
            rater_id=[rater for rater, _, _ in triples],
            created_at_millis=np.array(
                [created[note] + a for (_, note, _), a in zip(triples, after, strict=True)],
                dtype=np.int64,
            ),
            value=np.array([value for _, _, value in triples], dtype=np.float64),
            helpful_tags=np.zeros((size, len(HELPFUL_TAGS)), dtype=np.bool_),
            not_helpful_tags=np.zeros((size, len(NOT_HELPFUL_TAGS)), dtype=np.bool_),
            population_sampled=np.zeros(size, dtype=np.bool_),
        ),
        prior=prior,
        enrollment=enrollment,
    )


def world_input(world: World, misleading: bool = True) -> ScoringInput:
    """The synthetic world as a whole-pipeline input."""
    r = world.ratings
    triples = [
        (str(r.rater_ids[u]), str(r.note_ids[n]), float(v))
        for u, n, v in zip(r.rater, r.note, r.value, strict=True)
    ]
    return make_input(triples, misleading={str(n): misleading for n in r.note_ids})
