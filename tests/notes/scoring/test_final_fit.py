"""Final scoring's closed-form note fit and the pseudo-rater bounds against a naive solve:
the whole loss over every note's parameters at once, raters frozen, minimised by L-BFGS, on a
dataset where the pseudo-raters' ratings are actual rows."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

from townsquare.notes.scoring import CoreParameters, Ratings, ratings_from_ids
from townsquare.notes.scoring._fit import solve_notes_for_fixed_raters
from townsquare.notes.scoring._pseudo_raters import pseudo_rater_bounds

from .factories import small_ratings

LAMBDA_I, LAMBDA_F = 0.15, 0.03


def naive_note_fit(
    rater: np.ndarray,
    note: np.ndarray,
    value: np.ndarray,
    notes: int,
    mu: float,
    i_u: np.ndarray,
    f_u: np.ndarray,
    notes_for_penalty: float,
) -> tuple[np.ndarray, np.ndarray]:
    """argmin over (i_n, f_n) of mean (r - mu - i_u - i_n - f_u f_n)^2
    + lambda_i sum i_n^2 / notes_for_penalty + lambda_f sum f_n^2 / notes_for_penalty."""

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        i_n, f_n = theta[:notes], theta[notes:]
        error = mu + i_u[rater] + i_n[note] + f_u[rater] * f_n[note] - value
        g = 2 * error / value.shape[0]
        gradient = np.concatenate(
            [
                np.bincount(note, weights=g, minlength=notes)
                + 2 * LAMBDA_I * i_n / notes_for_penalty,
                np.bincount(note, weights=g * f_u[rater], minlength=notes)
                + 2 * LAMBDA_F * f_n / notes_for_penalty,
            ]
        )
        total = (
            np.mean(error**2)
            + (LAMBDA_I * (i_n**2).sum() + LAMBDA_F * (f_n**2).sum()) / notes_for_penalty
        )
        return float(total), gradient

    result = minimize(
        loss,
        np.zeros(2 * notes),
        jac=True,
        method="L-BFGS-B",
        options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000},
    )
    return result.x[:notes], result.x[notes:]


def frozen_raters(ratings: Ratings, seed: int) -> tuple[float, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return (
        float(rng.uniform(-0.2, 0.5)),
        rng.uniform(-0.3, 0.3, ratings.num_raters),
        rng.uniform(-1, 1, ratings.num_raters),
    )


@settings(max_examples=40, deadline=None)
@given(small_ratings(), st.integers(0, 1000), st.floats(1.0, 20.0))
def test_the_closed_form_final_fit_is_the_minimiser_of_the_penalised_loss(
    ratings: Ratings, seed: int, ratings_per_note: float
) -> None:
    mu, i_u, f_u = frozen_raters(ratings, seed)
    # The reference's normalised penalty: lambda * sum / (N / ratings_per_note), which times
    # N is a per-note ridge weight lambda * ratings_per_note.
    intercept, factor = solve_notes_for_fixed_raters(
        ratings, mu, i_u, f_u, LAMBDA_I * ratings_per_note, LAMBDA_F * ratings_per_note
    )
    naive_i, naive_f = naive_note_fit(
        ratings.rater,
        ratings.note,
        ratings.value,
        ratings.num_notes,
        mu,
        i_u,
        f_u,
        ratings.num_ratings / ratings_per_note,
    )
    np.testing.assert_allclose(intercept, naive_i, atol=1e-5)
    np.testing.assert_allclose(factor, naive_f, atol=1e-5)


@settings(max_examples=30, deadline=None)
@given(small_ratings(), st.integers(0, 1000))
def test_pseudo_rater_bounds_are_the_extremes_of_four_explicit_refits(
    ratings: Ratings, seed: int
) -> None:
    mu, i_u, f_u = frozen_raters(ratings, seed)
    low, high = pseudo_rater_bounds(ratings, mu, i_u, f_u, CoreParameters())
    notes = ratings.num_notes
    refits = [
        naive_note_fit(ratings.rater, ratings.note, ratings.value, notes, mu, i_u, f_u, notes)[0]
    ]
    for extreme_factor in (f_u.min(), 0.0, f_u.max()):
        # One more rater with the lowest intercept rates every note helpful.
        extra = ratings.num_raters
        rater = np.r_[ratings.rater, np.full(notes, extra)]
        note = np.r_[ratings.note, np.arange(notes)]
        value = np.r_[ratings.value, np.ones(notes)]
        refits.append(
            naive_note_fit(
                rater,
                note,
                value,
                notes,
                mu,
                np.r_[i_u, i_u.min()],
                np.r_[f_u, extreme_factor],
                notes,
            )[0]
        )
    np.testing.assert_allclose(low, np.min(refits, axis=0), atol=1e-5)
    np.testing.assert_allclose(high, np.max(refits, axis=0), atol=1e-5)


def test_a_note_rated_by_one_side_only_has_a_wide_upper_bound() -> None:
    # Raters on two sides; the note is rated not helpful by one side only: a helpful rating
    # from the other side's extreme would move it, so its upper bound is above its intercept.
    raters = [f"u{k}" for k in range(6)]
    ratings = ratings_from_ids(
        raters + raters, ["a"] * 6 + ["b"] * 3 + ["c"] * 3, [1.0] * 6 + [0.0] * 6
    )
    f_u = np.array([-1.0, -1.0, -1.0, 1.0, 1.0, 1.0])
    low, high = pseudo_rater_bounds(ratings, 0.2, np.zeros(6), f_u, CoreParameters())
    assert (high - low > 0).all()
