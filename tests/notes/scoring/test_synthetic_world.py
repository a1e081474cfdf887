"""Bridging on a synthetic world: two opposed sides plus neutrals (factories.synthetic_world)."""

import numpy as np
import pytest

from townsquare.notes.scoring import NoteStatus, core_statuses, fit_core

from .factories import World, synthetic_world


def statuses_by_kind(world: World) -> dict[str, set[NoteStatus]]:
    model = fit_core(world.ratings)
    decisions = core_statuses(world.ratings, model, [True] * world.ratings.num_notes)
    found: dict[str, set[NoteStatus]] = {}
    for decision in decisions:
        found.setdefault(world.note_kind[str(decision.note_id)], set()).add(decision.status)
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_only_notes_rated_helpful_across_sides_become_helpful(seed: int) -> None:
    found = statuses_by_kind(synthetic_world(seed))
    assert found["everyone"] == {NoteStatus.CURRENTLY_RATED_HELPFUL}
    assert NoteStatus.CURRENTLY_RATED_HELPFUL not in found["left"]
    assert NoteStatus.CURRENTLY_RATED_HELPFUL not in found["right"]
    assert found["unhelpful"] == {NoteStatus.CURRENTLY_RATED_NOT_HELPFUL}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_rater_factors_separate_the_two_sides(seed: int) -> None:
    world = synthetic_world(seed)
    model = fit_core(world.ratings)
    factor = dict(zip(world.ratings.rater_ids, model.rater_factor, strict=True))
    left = np.array([factor[r] for r, side in world.rater_side.items() if side == -1])
    right = np.array([factor[r] for r, side in world.rater_side.items() if side == 1])
    neutral = np.array([factor[r] for r, side in world.rater_side.items() if side == 0])
    # One side is wholly on one sign, the other wholly on the other; neutrals sit between.
    assert (left.max() < 0 < right.min()) or (right.max() < 0 < left.min())
    low, high = sorted([left.mean(), right.mean()])
    assert low < neutral.mean() < high
    # The side a note pleases is in its factor: one-sided notes lean further than any other.
    kinds = [world.note_kind[str(note)] for note in world.ratings.note_ids]
    lean = np.abs(model.note_factor)
    one_sided = np.array([kind in {"left", "right"} for kind in kinds])
    assert lean[one_sided].min() > lean[~one_sided].max()


def test_the_world_is_the_same_for_a_seed() -> None:
    one, other = synthetic_world(5), synthetic_world(5)
    assert one.ratings.rater_ids == other.ratings.rater_ids
    np.testing.assert_array_equal(one.ratings.value, other.ratings.value)
