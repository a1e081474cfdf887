"""The Core matrix factorisation, fitted by alternating closed-form ridge solves.

The model (reference `matrix_factorization/model.py`) predicts rater u's rating of note n as

    r_hat = mu + i_u + i_n + f_u * f_n

with one factor. The loss is the reference's as it runs (`matrix_factorization.py:_get_loss`,
`_get_reg_loss`): the mean squared error over ratings, plus each penalty as a mean over its
parameter rows:

    L = mean_k (r_k - r_hat_k)^2
        + lambda_f (mean_u f_u^2 + mean_n f_n^2)
        + lambda_i (mean_u i_u^2 + mean_n i_n^2 + mu^2)

Multiplied by the number of ratings N, each note's pair (i_n, f_n) is a two-unknown ridge
regression on its own ratings once the rater parameters are fixed (penalties lambda * N / notes),
and the same holds for each rater with the notes fixed; `mu` then has a closed form. Each sweep
solves all notes, then all raters, then `mu`, exactly: the loss never goes up, and with one
factor a few dozen sweeps converge. Sums over ratings are `np.bincount`s; there is no Python
loop over ratings, raters or notes.
"""

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from townsquare.notes.scoring._parameters import CoreParameters
from townsquare.notes.scoring._ratings import Ratings

__all__ = [
    "CoreModel",
    "FitStart",
    "RidgeSums",
    "core_loss",
    "fit_core",
    "fixed_rater_note_sums",
    "ridge_sums",
    "solve_notes_for_fixed_raters",
    "solve_ridge_pairs",
    "train_error",
]

Vector = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class CoreModel:
    """A fitted Core model: parameters by dense rater and note index (see `Ratings`).

    Factor signs are identified as in the reference (`_flip_factors_for_identification`): at
    least half the raters with a non-zero factor have a negative one.
    """

    global_intercept: float
    rater_intercept: Vector
    rater_factor: Vector
    note_intercept: Vector
    note_factor: Vector
    loss: float
    sweeps: int  # in the start that was kept


@dataclass(frozen=True, eq=False)
class FitStart:
    """Where a fit starts instead of a random draw: the rater parameters and global intercept
    (by dense index of the ratings fitted). The reference initialises from an earlier fit
    (`run_mf(noteInit=..., userInit=...)`); the sweeps solve notes first, so only the rater
    side and mu matter."""

    global_intercept: float
    rater_intercept: Vector
    rater_factor: Vector


@dataclass(frozen=True)
class _Penalties:
    rater_intercept: float
    rater_factor: float
    note_intercept: float
    note_factor: float
    global_intercept: float


def _penalties(ratings: Ratings, parameters: CoreParameters) -> _Penalties:
    """The ridge weights of the loss above once multiplied by the number of ratings."""
    n = ratings.num_ratings
    per_rater = n / ratings.num_raters
    per_note = n / ratings.num_notes
    return _Penalties(
        rater_intercept=parameters.intercept_lambda * per_rater,
        rater_factor=parameters.factor_lambda * per_rater,
        note_intercept=parameters.intercept_lambda * per_note,
        note_factor=parameters.factor_lambda * per_note,
        global_intercept=parameters.intercept_lambda * n,
    )


def core_loss(
    ratings: Ratings,
    parameters: CoreParameters,
    global_intercept: float,
    rater_intercept: Vector,
    rater_factor: Vector,
    note_intercept: Vector,
    note_factor: Vector,
) -> float:
    """The reference's Core loss (module docstring) of the given parameters on `ratings`."""
    residual = ratings.value - _prediction(
        ratings, global_intercept, rater_intercept, rater_factor, note_intercept, note_factor
    )
    return float(np.mean(residual**2)) + _penalty(
        parameters, global_intercept, rater_intercept, rater_factor, note_intercept, note_factor
    )


def _penalty(
    parameters: CoreParameters,
    global_intercept: float,
    rater_intercept: Vector,
    rater_factor: Vector,
    note_intercept: Vector,
    note_factor: Vector,
) -> float:
    return float(
        parameters.factor_lambda * (np.mean(rater_factor**2) + np.mean(note_factor**2))
        + parameters.intercept_lambda
        * (np.mean(rater_intercept**2) + np.mean(note_intercept**2) + global_intercept**2)
    )


def fit_core(
    ratings: Ratings, parameters: CoreParameters | None = None, start: FitStart | None = None
) -> CoreModel:
    """Fit the Core model to `ratings`; the same ratings and parameters give the same model.

    The loss is not convex, so a start can end in a local minimum: without `start`, the fit
    runs from `parameters.starts` starting points drawn from `parameters.seed` and keeps the
    lowest loss; with `start`, it runs once from there.
    """
    parameters = parameters or CoreParameters()
    penalties = _penalties(ratings, parameters)
    if start is not None:
        return _identified(_sweep_to_convergence(ratings, parameters, penalties, start))
    rng = np.random.default_rng(parameters.seed)
    scale = parameters.initial_factor_scale
    zeros = np.zeros(ratings.num_raters)
    fits = [
        _sweep_to_convergence(
            ratings,
            parameters,
            penalties,
            FitStart(0.0, zeros, rng.uniform(-scale, scale, ratings.num_raters)),
        )
        for _ in range(parameters.starts)
    ]
    return _identified(min(fits, key=lambda fit: fit.loss))


def solve_notes_for_fixed_raters(
    ratings: Ratings,
    global_intercept: float,
    rater_intercept: Vector,
    rater_factor: Vector,
    intercept_penalty: float,
    factor_penalty: float,
) -> tuple[Vector, Vector]:
    """Each note's (i_n, f_n) with mu and every rater parameter held fixed: the minimiser of
    sum over its ratings of (r - mu - i_u - i_n - f_u f_n)^2 + intercept_penalty i_n^2
    + factor_penalty f_n^2, by dense note index. The reference's final-scoring fit and its
    pseudo-rater refits freeze the raters and mu, which leaves exactly this problem per note."""
    sums = fixed_rater_note_sums(ratings, global_intercept, rater_intercept, rater_factor)
    return solve_ridge_pairs(sums, intercept_penalty, factor_penalty)


def _sweep_to_convergence(
    ratings: Ratings, parameters: CoreParameters, penalties: _Penalties, start: FitStart
) -> CoreModel:
    rater_intercept = np.array(start.rater_intercept, dtype=np.float64)
    rater_factor = np.array(start.rater_factor, dtype=np.float64)
    note_intercept = np.zeros(ratings.num_notes)
    note_factor = np.zeros(ratings.num_notes)
    mu = start.global_intercept
    loss = np.inf
    sweeps = 0
    while sweeps < parameters.max_sweeps:
        sweeps += 1
        note_intercept, note_factor = _solve_side(
            ratings.note,
            ratings.num_notes,
            ratings.value - mu - rater_intercept[ratings.rater],
            rater_factor[ratings.rater],
            penalties.note_intercept,
            penalties.note_factor,
        )
        rater_intercept, rater_factor = _solve_side(
            ratings.rater,
            ratings.num_raters,
            ratings.value - mu - note_intercept[ratings.note],
            note_factor[ratings.note],
            penalties.rater_intercept,
            penalties.rater_factor,
        )
        previous = loss
        mu, loss = _global_intercept_and_loss(
            ratings,
            parameters,
            penalties,
            rater_intercept,
            rater_factor,
            note_intercept,
            note_factor,
        )
        if previous - loss < parameters.tolerance:
            break
    return CoreModel(mu, rater_intercept, rater_factor, note_intercept, note_factor, loss, sweeps)


def _identified(model: CoreModel) -> CoreModel:
    """The model with read-only arrays and its factor sign fixed as the reference fixes it
    (`_flip_factors_for_identification`): at least half the raters' non-zero factors are
    negative."""
    rater_factor, note_factor = model.rater_factor, model.note_factor
    if np.count_nonzero(rater_factor < 0) * 2 < np.count_nonzero(rater_factor):
        rater_factor, note_factor = -rater_factor, -note_factor
    return replace(
        model,
        rater_intercept=_frozen(model.rater_intercept),
        rater_factor=_frozen(rater_factor),
        note_intercept=_frozen(model.note_intercept),
        note_factor=_frozen(note_factor),
    )


def train_error(ratings: Ratings, model: CoreModel) -> float:
    """The mean squared error of `model` on `ratings`, without penalties: what the reference's
    train-error guard reads (`get_final_train_error`)."""
    residual = ratings.value - _prediction(
        ratings,
        model.global_intercept,
        model.rater_intercept,
        model.rater_factor,
        model.note_intercept,
        model.note_factor,
    )
    return float(np.mean(residual**2))


@dataclass(frozen=True, eq=False)
class RidgeSums:
    """Per owner o (a note, or a rater), the sums over its ratings k of the two-unknown
    regression target_k ~ intercept + factor * x_k: count, sum x, sum x^2, sum target,
    sum x * target."""

    count: Vector
    x: Vector
    xx: Vector
    y: Vector
    xy: Vector

    def plus_one(self, x: float, y: float) -> "RidgeSums":
        """The sums with one more observation (x, y) for every owner."""
        shifted: list[Vector] = [
            self.count + 1.0,
            self.x + x,
            self.xx + x * x,
            self.y + y,
            self.xy + x * y,
        ]
        return RidgeSums(*shifted)


def ridge_sums(owner: npt.NDArray[np.int64], size: int, target: Vector, x: Vector) -> RidgeSums:
    def total(weights: Vector | None) -> Vector:
        summed: Vector = np.bincount(owner, weights=weights, minlength=size).astype(np.float64)
        return summed

    return RidgeSums(total(None), total(x), total(x * x), total(target), total(x * target))


def solve_ridge_pairs(
    sums: RidgeSums, intercept_penalty: float, factor_penalty: float
) -> tuple[Vector, Vector]:
    """Per owner, the (intercept, factor) minimising sum_k (target_k - intercept - factor *
    x_k)^2 + intercept_penalty * intercept^2 + factor_penalty * factor^2: a 2x2 system solved
    by Cramer's rule for every owner at once."""
    a = sums.count + intercept_penalty
    d = sums.xx + factor_penalty
    determinant = a * d - sums.x**2  # > 0: the penalties make the system positive definite
    intercept = (d * sums.y - sums.x * sums.xy) / determinant
    factor = (a * sums.xy - sums.x * sums.y) / determinant
    return intercept, factor


def fixed_rater_note_sums(
    ratings: Ratings, global_intercept: float, rater_intercept: Vector, rater_factor: Vector
) -> RidgeSums:
    """Each note's `RidgeSums` once mu and the rater parameters are fixed: target r - mu - i_u
    against x = f_u."""
    return ridge_sums(
        ratings.note,
        ratings.num_notes,
        ratings.value - global_intercept - rater_intercept[ratings.rater],
        rater_factor[ratings.rater],
    )


def _solve_side(
    owner: npt.NDArray[np.int64],
    size: int,
    target: Vector,
    other_factor: Vector,
    intercept_penalty: float,
    factor_penalty: float,
) -> tuple[Vector, Vector]:
    return solve_ridge_pairs(
        ridge_sums(owner, size, target, other_factor), intercept_penalty, factor_penalty
    )


def _global_intercept_and_loss(
    ratings: Ratings,
    parameters: CoreParameters,
    penalties: _Penalties,
    rater_intercept: Vector,
    rater_factor: Vector,
    note_intercept: Vector,
    note_factor: Vector,
) -> tuple[float, float]:
    """mu in closed form, then `core_loss` at the new mu, from one pass over the ratings."""
    residual = ratings.value - _prediction(
        ratings, 0.0, rater_intercept, rater_factor, note_intercept, note_factor
    )
    mu = float(residual.sum() / (ratings.num_ratings + penalties.global_intercept))
    residual -= mu
    penalty = _penalty(parameters, mu, rater_intercept, rater_factor, note_intercept, note_factor)
    return mu, float(np.mean(residual**2)) + penalty


def _prediction(
    ratings: Ratings,
    global_intercept: float,
    rater_intercept: Vector,
    rater_factor: Vector,
    note_intercept: Vector,
    note_factor: Vector,
) -> Vector:
    r, n = ratings.rater, ratings.note
    prediction: Vector = (
        global_intercept + rater_intercept[r] + note_intercept[n] + rater_factor[r] * note_factor[n]
    )
    return prediction


def _frozen(array: Vector) -> Vector:
    array.flags.writeable = False
    return array
