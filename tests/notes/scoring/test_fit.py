"""The alternating fit against a naive dense solver, and its invariances."""

import itertools
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from townsquare.notes.scoring import (
    CoreModel,
    CoreParameters,
    Ratings,
    ScoringError,
    core_loss,
    fit_core,
    ratings_from_ids,
)

from .factories import small_ratings
from .naive import DenseProblem

# Tight enough, and from enough starts, that the alternating solver reaches the best optimum
# the dense solver finds (one start lands in a worse local minimum on about 3 % of examples).
TIGHT = CoreParameters(tolerance=1e-14, max_sweeps=20_000, starts=8)


def dense(ratings: Ratings) -> DenseProblem:
    values = np.zeros((ratings.num_raters, ratings.num_notes))
    observed = np.zeros_like(values, dtype=bool)
    values[ratings.rater, ratings.note] = ratings.value
    observed[ratings.rater, ratings.note] = True
    return DenseProblem(values, observed)


def theta(model: CoreModel) -> np.ndarray:
    return np.concatenate(
        [
            [model.global_intercept],
            model.rater_intercept,
            model.rater_factor,
            model.note_intercept,
            model.note_factor,
        ]
    )


@settings(max_examples=40, deadline=None, derandomize=True)
@given(small_ratings())
def test_the_fit_is_never_worse_than_a_generic_solver_on_the_dense_loss(ratings: Ratings) -> None:
    model = fit_core(ratings, TIGHT)
    problem = dense(ratings)
    naive_loss, _ = problem.loss_and_gradient(theta(model))
    assert model.loss == pytest.approx(naive_loss, abs=1e-12)  # the same loss, twice written
    best_naive = problem.best_of_starts(starts=4, seed=0)
    assert model.loss <= best_naive + 1e-7
    assert model.loss == pytest.approx(best_naive, abs=1e-4)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(small_ratings())
def test_a_generic_solver_started_from_the_fit_finds_nothing_lower(ratings: Ratings) -> None:
    model = fit_core(ratings, TIGHT)
    polished, _ = dense(ratings).minimise(theta(model))
    assert polished >= model.loss - 1e-7


@settings(max_examples=30, deadline=None, derandomize=True)
@given(small_ratings(), st.integers(0, 2**32 - 1))
def test_permuting_the_rows_changes_nothing(ratings: Ratings, shuffle_seed: int) -> None:
    order = np.random.default_rng(shuffle_seed).permutation(ratings.num_ratings)
    shuffled = ratings_from_ids(
        [ratings.rater_ids[i] for i in ratings.rater[order]],
        [ratings.note_ids[j] for j in ratings.note[order]],
        ratings.value[order].tolist(),
    )
    assert shuffled.rater_ids == ratings.rater_ids
    assert shuffled.note_ids == ratings.note_ids
    one, other = fit_core(ratings), fit_core(shuffled)
    for name in ("rater_intercept", "rater_factor", "note_intercept", "note_factor"):
        np.testing.assert_allclose(getattr(one, name), getattr(other, name), atol=1e-9)
    assert one.global_intercept == pytest.approx(other.global_intercept, abs=1e-9)


@settings(max_examples=20, deadline=None, derandomize=True)
@given(small_ratings(), st.integers(0, 2**32 - 1))
def test_the_same_seed_gives_the_same_model(ratings: Ratings, seed: int) -> None:
    parameters = CoreParameters(seed=seed)
    one, other = fit_core(ratings, parameters), fit_core(ratings, parameters)
    assert one.global_intercept == other.global_intercept
    for name in ("rater_intercept", "rater_factor", "note_intercept", "note_factor"):
        np.testing.assert_array_equal(getattr(one, name), getattr(other, name))


@settings(max_examples=30, deadline=None, derandomize=True)
@given(small_ratings())
def test_each_sweep_lowers_the_loss(ratings: Ratings) -> None:
    losses = [
        fit_core(ratings, CoreParameters(max_sweeps=sweeps, tolerance=-1.0)).loss
        for sweeps in range(1, 12)
    ]
    assert all(b <= a + 1e-12 for a, b in itertools.pairwise(losses))


@settings(max_examples=30, deadline=None, derandomize=True)
@given(small_ratings())
def test_at_least_half_the_raters_have_a_negative_factor(ratings: Ratings) -> None:
    model = fit_core(ratings)
    negative = np.count_nonzero(model.rater_factor < 0) * 2 >= ratings.num_raters
    # With factors of exactly zero, neither sign may reach half (all ratings equal, say).
    neither_sign_reaches_half = np.count_nonzero(model.rater_factor > 0) * 2 < ratings.num_raters
    assert negative or neither_sign_reaches_half


def test_core_loss_is_the_mean_squared_error_plus_mean_penalties() -> None:
    ratings = ratings_from_ids(["a", "a", "b"], [1, 2, 1], [1.0, 0.0, 0.5])
    parameters = CoreParameters()
    i_u, f_u = np.array([0.1, -0.2]), np.array([0.5, -0.5])
    i_n, f_n = np.array([0.3, 0.0]), np.array([1.0, 2.0])
    mu = 0.2
    # a-1: 0.2+0.1+0.3+0.5 = 1.1; a-2: 0.2+0.1+0+1.0 = 1.3; b-1: 0.2-0.2+0.3-0.5 = -0.2
    mse = ((1.0 - 1.1) ** 2 + (0.0 - 1.3) ** 2 + (0.5 + 0.2) ** 2) / 3
    factors = 0.03 * ((0.25 + 0.25) / 2 + (1.0 + 4.0) / 2)
    intercepts = 0.15 * ((0.01 + 0.04) / 2 + (0.09 + 0.0) / 2 + 0.04)
    assert core_loss(ratings, parameters, mu, i_u, f_u, i_n, f_n) == pytest.approx(
        mse + factors + intercepts
    )


def test_the_fitted_arrays_are_read_only() -> None:
    model = fit_core(ratings_from_ids(["a", "b", "a"], [1, 1, 2], [1.0, 0.0, 0.5]))
    with pytest.raises(ValueError, match="read-only"):
        model.note_intercept[0] = 1.0


def test_parameters_that_cannot_fit_are_refused() -> None:
    with pytest.raises(ScoringError, match="penalties must be positive"):
        replace(CoreParameters(), intercept_lambda=0.0)
    with pytest.raises(ScoringError, match="penalties must be positive"):
        replace(CoreParameters(), factor_lambda=-0.03)
    with pytest.raises(ScoringError, match="at least one sweep and one start"):
        replace(CoreParameters(), max_sweeps=0)
    with pytest.raises(ScoringError, match="at least one sweep and one start"):
        replace(CoreParameters(), starts=0)
