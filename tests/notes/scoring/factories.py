"""Ratings for the scorer's tests: small random ones for Hypothesis, and a synthetic world."""

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

from townsquare.notes.scoring import (
    HELPFUL,
    NOT_HELPFUL,
    SOMEWHAT_HELPFUL,
    Ratings,
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
