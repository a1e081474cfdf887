"""Viewpoint groups from behaviour: planted worlds whose sides are known."""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pytest

from townsquare.audits._viewpoints import (
    FollowEdges,
    Viewpoint,
    ViewpointParameters,
    infer_viewpoints,
)

Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class PlantedWorld:
    """Accounts with a known side (+1, -1, 0 for neutral) and a known language (0 or 1)."""

    ids: Ints
    side: npt.NDArray[np.float64]
    language: Ints
    follows: FollowEdges


def planted_world(
    seed: int, n: int = 600, *, across_sides: float = 0.1, across_languages: float = 0.1
) -> PlantedWorld:
    """Two opposed sides (30 % each) and neutrals, crossed with two languages: follows stay
    inside a language far more than inside a side, so the graph's strongest split is the
    language, not the view."""
    rng = np.random.default_rng(seed)
    side = rng.choice([1.0, -1.0, 0.0], size=n, p=[0.3, 0.3, 0.4])
    language = rng.integers(0, 2, size=n)
    follower, followed = [], []
    for i in range(n):
        for j in rng.choice(n, size=int(rng.integers(5, 25)), replace=False):
            if j == i:
                continue
            keep = 1.0
            if side[i] * side[j] < 0:
                keep *= across_sides
            if language[i] != language[j]:
                keep *= across_languages
            if rng.random() < keep:
                follower.append(i)
                followed.append(j)
    ids = np.arange(n, dtype=np.int64) * 7 + 1000
    edges = FollowEdges(ids[np.array(follower)], ids[np.array(followed)])
    return PlantedWorld(ids, side, language, edges)


def rater_factors(world: PlantedWorld, share: float, seed: int) -> dict[int, float]:
    rng = np.random.default_rng(seed)
    return {
        int(account): float(0.8 * side + rng.normal(0, 0.3))
        for account, side in zip(world.ids, world.side, strict=True)
        if rng.random() < share
    }


def sides_found(world: PlantedWorld, groups: tuple[Viewpoint, ...]) -> tuple[float, float]:
    """How well the groups recover the sides: (purity, coverage). Purity is the share of side
    members put in A or B who are in the group most of their side got (so the labels'
    orientation does not matter); coverage is the share of side members put in A or B."""
    labels = np.array([g.value for g in groups])
    right = placed = 0
    for side in (1.0, -1.0):
        members = labels[world.side == side]
        majority = "A" if (members == "A").sum() >= (members == "B").sum() else "B"
        right += int((members == majority).sum())
        placed += int((members != Viewpoint.NEITHER.value).sum())
    return right / placed, placed / int((world.side != 0).sum())


def test_the_rater_factor_tells_the_view_apart_from_the_language_the_graph_splits_on() -> None:
    world = planted_world(seed=1)

    found = infer_viewpoints(world.ids, world.follows, rater_factors(world, 0.3, seed=2))

    scored = np.isfinite(found.follow_score)
    by_side = np.corrcoef(found.follow_score[scored], world.side[scored])[0, 1]
    by_language = np.corrcoef(found.follow_score[scored], world.language[scored])[0, 1]
    assert abs(by_side) > 0.6
    assert abs(by_language) < 0.2
    assert found.agreement > 0.5
    purity, coverage = sides_found(world, found.groups)
    # Follow-only accounts get the factor their follows predict, pulled towards the middle
    # as much as the prediction is uncertain: fewer are placed, the placed are right.
    assert purity > 0.97
    assert coverage > 0.6


def test_without_ratings_the_follow_graph_alone_separates_two_sides() -> None:
    world = planted_world(seed=3, across_languages=1.0)

    found = infer_viewpoints(world.ids, world.follows, {})

    assert np.isnan(found.agreement)
    assert np.isnan(found.rater_score).all()
    purity, coverage = sides_found(world, found.groups)
    assert purity > 0.95
    assert coverage > 0.7


def test_sides_never_share_a_group_more_than_chance() -> None:
    world = planted_world(seed=4)

    groups = infer_viewpoints(world.ids, world.follows, rater_factors(world, 0.3, seed=5)).groups

    labels = np.array([g.value for g in groups])
    for label in ("A", "B"):
        members = world.side[labels == label]
        assert max((members == 1).sum(), (members == -1).sum()) > 10 * min(
            (members == 1).sum(), (members == -1).sum()
        )


def test_the_order_of_the_follows_and_the_account_list_changes_nothing() -> None:
    world = planted_world(seed=6, n=300)
    factors = rater_factors(world, 0.4, seed=7)
    rng = np.random.default_rng(8)
    order = rng.permutation(len(world.follows.follower))
    shuffled = FollowEdges(world.follows.follower[order], world.follows.followed[order])

    first = infer_viewpoints(world.ids, world.follows, factors)
    second = infer_viewpoints(rng.permutation(world.ids), shuffled, factors)

    assert first.groups == second.groups
    np.testing.assert_allclose(first.score, second.score, atol=1e-9)


def test_the_labels_do_not_depend_on_the_sign_of_the_rater_factor() -> None:
    world = planted_world(seed=9, n=300)
    factors = rater_factors(world, 0.4, seed=10)

    as_fitted = infer_viewpoints(world.ids, world.follows, factors)
    flipped = infer_viewpoints(world.ids, world.follows, {k: -v for k, v in factors.items()})

    assert as_fitted.groups == flipped.groups
    counts = as_fitted.counts()
    assert counts[Viewpoint.A] >= counts[Viewpoint.B]


def test_an_account_with_too_few_follows_or_ratings_is_in_neither_group() -> None:
    world = planted_world(seed=11, n=200)
    loner = np.int64(1)  # below every planted id, follows no one and rates nothing
    ids = np.concatenate([[loner], world.ids])

    found = infer_viewpoints(ids, world.follows, rater_factors(world, 0.5, seed=12))

    assert found.group_of()[1] is Viewpoint.NEITHER
    assert np.isnan(found.score[0])


def test_an_empty_world_scores_no_one_and_does_not_fail() -> None:
    ids = np.array([3, 1, 2], dtype=np.int64)
    nobody = FollowEdges(np.array([], dtype=np.int64), np.array([], dtype=np.int64))

    found = infer_viewpoints(ids, nobody, {})

    assert found.groups == (Viewpoint.NEITHER,) * 3
    assert list(found.account_ids) == [1, 2, 3]
    assert np.isnan(found.agreement)


def test_rater_factors_alone_make_the_groups_when_no_one_follows() -> None:
    ids = np.arange(1, 41, dtype=np.int64)
    nobody = FollowEdges(np.array([], dtype=np.int64), np.array([], dtype=np.int64))
    factors = {int(i): (1.0 if i <= 20 else -1.0) for i in ids}

    groups = infer_viewpoints(ids, nobody, factors).groups

    assert set(groups[:20]) == {groups[0]}
    assert set(groups[20:]) == {groups[20]}
    assert {groups[0], groups[20]} == {Viewpoint.A, Viewpoint.B}
    assert groups[0] is Viewpoint.A  # a tie: the side holding the lowest id is A


@pytest.mark.parametrize(
    "wrong",
    [{"band": -0.1}, {"min_follows": 0}, {"min_shared": 5}],
)
def test_parameters_refuse_what_cannot_be_meant(wrong: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must be at least"):
        ViewpointParameters(**wrong)  # type: ignore[arg-type]
