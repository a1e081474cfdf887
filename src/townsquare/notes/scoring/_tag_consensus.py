"""The harassment tag-consensus model that penalises raters who find abusive notes helpful.

The reference (`tag_consensus.train_tag_model`, `prepare_tag_data`) fits a second one-factor
model to the notHelpfulSpamHarassmentOrAbuse tag, on the ratings of the raters above the
helpfulness threshold before the penalty:

1. a rating made since 2021-12-15 is labelled 1 when it carries the tag, else 0 when it is
   helpful or carries notHelpfulOther, else left out; then the minimum counts (5 per note,
   10 per rater, 5 per note) apply;
2. the loss is the mean logistic loss with positives weighted by (1 - p) / p (p the share of
   positives) plus the same mean penalties as the Core model; no model when p is 0 or 1;
3. the fit starts from the first round's factors doubled, intercepts 0, and its factor
   signs are identified as the Core model's.

A note's harassment score is its intercept in that model. Here the fit alternates exact
Newton steps on each note's and each rater's (intercept, factor) - a convex 2x2 problem per
owner once the other side is fixed - and on mu, instead of Adam.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from townsquare.notes.scoring._fit import RidgeSums, solve_ridge_pairs
from townsquare.notes.scoring._indexed import IndexedInput
from townsquare.notes.scoring._parameters import CoreParameters
from townsquare.notes.scoring._ratings import HELPFUL
from townsquare.notes.scoring._subsets import InputParameters, min_count_rows, scatter, subset

__all__ = ["TagModel", "TagProblem", "fit_tag_model", "harassment_scores", "tag_loss"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]

TAGS_SINCE_MILLIS = 1_639_699_200_000  # lastRatingTagsChangeTimeMillis, 2021-12-15


@dataclass(frozen=True, eq=False)
class TagProblem:
    """Labelled ratings over compact indexes, and the weight of a positive label."""

    rater: Ints
    note: Ints
    label: Floats
    positive_weight: float
    raters: int
    notes: int
    parameters: CoreParameters

    @property
    def size(self) -> int:
        return int(self.label.shape[0])


def harassment_scores(
    indexed: IndexedInput,
    rows: Flags,
    first: InputParameters,
    parameters: CoreParameters,
    per_note: int,
    per_rater: int,
) -> Floats:
    """Each note's harassment intercept (input index), NaN where the model has none; `rows`
    are the ratings of the raters above the threshold before the penalty."""
    labelled, label = _labelled_rows(indexed, rows)
    kept = min_count_rows(indexed, labelled, per_note, per_rater)
    if not kept.any():
        return np.full(indexed.num_notes, np.nan)
    fit = subset(indexed, kept)
    y = label[kept]
    share = float(y.mean())
    if share in (0.0, 1.0):
        return np.full(indexed.num_notes, np.nan)
    problem = TagProblem(
        fit.ratings.rater,
        fit.ratings.note,
        y,
        (1 - share) / share,
        fit.ratings.num_raters,
        fit.ratings.num_notes,
        parameters,
    )
    rater_factor = 2 * np.nan_to_num(first.rater_factor[fit.participant])
    return scatter(indexed.num_notes, fit.note, fit_tag_model(problem, rater_factor).note_intercept)


def _labelled_rows(indexed: IndexedInput, rows: Flags) -> tuple[Flags, Floats]:
    """(1) Which rows have a label, and the label (1 tagged, 0 helpful or other reason)."""
    recent = rows & (indexed.created_at >= TAGS_SINCE_MILLIS)
    negative = (indexed.value == HELPFUL) | indexed.other_not_helpful_tag
    labelled = recent & (indexed.harassment_tag | negative)
    return labelled, indexed.harassment_tag.astype(np.float64)


@dataclass(frozen=True, eq=False)
class TagModel:
    """The fitted tag model (factor signs not identified: intercepts do not depend on it)."""

    global_intercept: float
    rater_intercept: Floats
    rater_factor: Floats
    note_intercept: Floats
    note_factor: Floats


def fit_tag_model(problem: TagProblem, rater_factor: Floats) -> TagModel:
    """(2)-(3) Alternating Newton steps until a sweep lowers the loss by less than the
    tolerance."""
    p = problem.parameters
    rater_intercept = np.zeros(problem.raters)
    note_intercept = np.zeros(problem.notes)
    note_factor = np.zeros(problem.notes)
    mu, loss = 0.0, np.inf
    for _ in range(p.max_sweeps):
        base = mu + rater_intercept[problem.rater]
        note_intercept, note_factor = _newton_side(
            problem,
            problem.note,
            problem.notes,
            base,
            rater_factor[problem.rater],
            note_intercept,
            note_factor,
        )
        base = mu + note_intercept[problem.note]
        rater_intercept, rater_factor = _newton_side(
            problem,
            problem.rater,
            problem.raters,
            base,
            note_factor[problem.note],
            rater_intercept,
            rater_factor,
        )
        logit = rater_intercept[problem.rater] + note_intercept[problem.note]
        logit += rater_factor[problem.rater] * note_factor[problem.note]
        mu = _newton_mu(problem, logit, mu)
        previous, loss = (
            loss,
            _loss(
                problem, logit + mu, rater_intercept, rater_factor, note_intercept, note_factor, mu
            ),
        )
        if previous - loss < p.tolerance:
            break
    return TagModel(mu, rater_intercept, rater_factor, note_intercept, note_factor)


def _derivatives(problem: TagProblem, logit: Floats) -> tuple[Floats, Floats]:
    """First and second derivative of each rating's weighted logistic loss in its logit."""
    y, w = problem.label, problem.positive_weight
    sigma = 0.5 * (1 + np.tanh(logit / 2))  # the logistic function, without overflow
    first = w * y * (sigma - 1) + (1 - y) * sigma
    second = (w * y + (1 - y)) * sigma * (1 - sigma)
    return first, second


def _newton_side(
    problem: TagProblem,
    owner: Ints,
    size: int,
    base: Floats,
    x: Floats,
    intercept: Floats,
    factor: Floats,
) -> tuple[Floats, Floats]:
    """One Newton step on every owner's (intercept, factor): the loss times the number of
    ratings is sum_k l(base + a + b x) + lambda (N / size)(a^2 or b^2); the step solves
    H d = -g, the same 2x2 shape as the Core model's ridge solve."""
    p = problem.parameters
    scale = 2 * problem.size / size
    g, h = _derivatives(problem, base + intercept[owner] + factor[owner] * x)

    def total(weights: Floats) -> Floats:
        summed: Floats = np.bincount(owner, weights=weights, minlength=size).astype(np.float64)
        return summed

    # H = [[sum h + P_a, sum h x], [sum h x, sum h x^2 + P_b]], right-hand side -gradient.
    sums = RidgeSums(
        count=total(h),
        x=total(h * x),
        xx=total(h * x * x),
        y=-(total(g) + p.intercept_lambda * scale * intercept),
        xy=-(total(g * x) + p.factor_lambda * scale * factor),
    )
    step_intercept, step_factor = solve_ridge_pairs(
        sums, p.intercept_lambda * scale, p.factor_lambda * scale
    )
    return intercept + step_intercept, factor + step_factor


def _newton_mu(problem: TagProblem, logit: Floats, mu: float) -> float:
    g, h = _derivatives(problem, logit + mu)
    penalty = 2 * problem.parameters.intercept_lambda * problem.size
    return mu - float((g.sum() + penalty * mu) / (h.sum() + penalty))


def tag_loss(problem: TagProblem, model: TagModel) -> float:
    """The tag model's loss (module docstring, step 2) at `model`."""
    logit = model.global_intercept + model.rater_intercept[problem.rater]
    logit = logit + model.note_intercept[problem.note]
    logit = logit + model.rater_factor[problem.rater] * model.note_factor[problem.note]
    return _loss(
        problem,
        logit,
        model.rater_intercept,
        model.rater_factor,
        model.note_intercept,
        model.note_factor,
        model.global_intercept,
    )


def _loss(
    problem: TagProblem,
    logit: Floats,
    rater_intercept: Floats,
    rater_factor: Floats,
    note_intercept: Floats,
    note_factor: Floats,
    mu: float,
) -> float:
    y, w = problem.label, problem.positive_weight
    # log(1 + e^-z) and log(1 + e^z), computed stably.
    data = w * y * np.logaddexp(0, -logit) + (1 - y) * np.logaddexp(0, logit)
    p = problem.parameters
    return float(
        data.mean()
        + p.factor_lambda * (np.mean(rater_factor**2) + np.mean(note_factor**2))
        + p.intercept_lambda * (np.mean(rater_intercept**2) + np.mean(note_intercept**2) + mu**2)
    )
