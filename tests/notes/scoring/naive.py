"""A deliberately naive reference for the Core fit: the whole regularised loss over dense
rater-by-note matrices, minimised by a generic quasi-Newton method (scipy's L-BFGS-B).

It shares nothing with the scorer's alternating solver but the loss's definition, written
out again here from the reference implementation (mean squared error over ratings plus each
L2 penalty as a mean over its parameter rows)."""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class DenseProblem:
    """`values[u, n]` is rater u's rating of note n where `observed[u, n]`."""

    values: Matrix
    observed: npt.NDArray[np.bool_]
    intercept_lambda: float = 0.15
    factor_lambda: float = 0.03

    @property
    def shape(self) -> tuple[int, int]:
        raters, notes = self.observed.shape
        return raters, notes

    def split(self, theta: Matrix) -> tuple[float, Matrix, Matrix, Matrix, Matrix]:
        raters, notes = self.shape
        mu = float(theta[0])
        rest = theta[1:]
        return (
            mu,
            rest[:raters],
            rest[raters : 2 * raters],
            rest[2 * raters : 2 * raters + notes],
            rest[2 * raters + notes :],
        )

    def loss_and_gradient(self, theta: Matrix) -> tuple[float, Matrix]:
        mu, i_u, f_u, i_n, f_n = self.split(theta)
        raters, notes = self.shape
        weight = self.observed.astype(np.float64)
        count = weight.sum()
        prediction = mu + i_u[:, None] + i_n[None, :] + np.outer(f_u, f_n)
        error = weight * (prediction - self.values)
        li, lf = self.intercept_lambda, self.factor_lambda
        loss = (
            (error**2).sum() / count
            + lf * ((f_u**2).sum() / raters + (f_n**2).sum() / notes)
            + li * ((i_u**2).sum() / raters + (i_n**2).sum() / notes + mu**2)
        )
        g = 2 * error / count
        gradient = np.concatenate(
            [
                [g.sum() + 2 * li * mu],
                g.sum(axis=1) + 2 * li * i_u / raters,
                g @ f_n + 2 * lf * f_u / raters,
                g.sum(axis=0) + 2 * li * i_n / notes,
                g.T @ f_u + 2 * lf * f_n / notes,
            ]
        )
        return float(loss), gradient

    def minimise(self, start: Matrix) -> tuple[float, Matrix]:
        result = minimize(
            self.loss_and_gradient,
            start,
            jac=True,
            method="L-BFGS-B",
            options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 20_000},
        )
        return float(result.fun), np.asarray(result.x, dtype=np.float64)

    def best_of_starts(self, starts: int, seed: int) -> float:
        raters, notes = self.shape
        rng = np.random.default_rng(seed)
        size = 1 + 2 * raters + 2 * notes
        return min(self.minimise(rng.uniform(-1, 1, size))[0] for _ in range(starts))
