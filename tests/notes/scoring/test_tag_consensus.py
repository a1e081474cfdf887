"""The harassment tag-consensus model and the penalty it puts on rater helpfulness."""

import dataclasses

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import approx_fprime

from townsquare.notes.scoring import (
    NOT_HELPFUL_TAGS,
    CoreParameters,
    HelpfulnessThresholds,
    PipelineParameters,
    Ratings,
    RatingTable,
    ScoringInput,
)
from townsquare.notes.scoring._helpfulness import (
    harassment_penalty,
    helpfulness,
    rating_outcomes,
    valid_ratings,
)
from townsquare.notes.scoring._indexed import index_input
from townsquare.notes.scoring._pipeline import _first_round, _min_count_rows
from townsquare.notes.scoring._tag_consensus import (
    TagModel,
    TagProblem,
    fit_tag_model,
    harassment_scores,
    tag_loss,
)

from .factories import make_input, small_ratings, synthetic_world, world_input


def flat(model: TagModel) -> np.ndarray:
    return np.concatenate(
        [
            [model.global_intercept],
            model.rater_intercept,
            model.rater_factor,
            model.note_intercept,
            model.note_factor,
        ]
    )


def unflat(theta: np.ndarray, raters: int, notes: int) -> TagModel:
    return TagModel(
        float(theta[0]),
        theta[1 : 1 + raters],
        theta[1 + raters : 1 + 2 * raters],
        theta[1 + 2 * raters : 1 + 2 * raters + notes],
        theta[1 + 2 * raters + notes :],
    )


@settings(max_examples=25, deadline=None)
@given(small_ratings(), st.integers(0, 1000))
def test_the_newton_fit_ends_where_the_whole_gradient_vanishes(ratings: Ratings, seed: int) -> None:
    rng = np.random.default_rng(seed)
    label = (rng.random(ratings.num_ratings) < 0.3).astype(np.float64)
    label[0], label[-1] = 1.0, 0.0
    share = float(label.mean())
    problem = TagProblem(
        ratings.rater,
        ratings.note,
        label,
        (1 - share) / share,
        ratings.num_raters,
        ratings.num_notes,
        CoreParameters(max_sweeps=2000, tolerance=1e-13),
    )
    model = fit_tag_model(problem, rng.uniform(-1, 1, ratings.num_raters))
    theta = flat(model)

    def loss(t: np.ndarray) -> float:
        return tag_loss(problem, unflat(t, ratings.num_raters, ratings.num_notes))

    gradient = approx_fprime(theta, loss, 1e-7)
    assert np.abs(gradient).max() < 1e-4


def abusive_world(seed: int) -> ScoringInput:
    """The synthetic world plus three abusive notes that every rater but five "trolls" rates
    not helpful, tagged harassment, and the trolls rate helpful."""
    world = synthetic_world(seed)
    base = world_input(world)
    raters = sorted(world.rater_side)
    trolls = set(raters[:5])
    extra = [(u, f"abusive{k}") for k in range(3) for u in raters]
    r = base.ratings
    rows = len(extra)
    value = np.array([1.0 if u in trolls else 0.0 for u, _ in extra])
    tags = np.zeros((rows, len(NOT_HELPFUL_TAGS)), dtype=bool)
    tags[:, NOT_HELPFUL_TAGS.index("notHelpfulSpamHarassmentOrAbuse")] = value == 0.0
    notes = base.notes
    return dataclasses.replace(
        base,
        notes=dataclasses.replace(
            notes,
            note_id=[*notes.note_id, "abusive0", "abusive1", "abusive2"],
            author_id=[*notes.author_id, "a0", "a1", "a2"],
            created_at_millis=np.r_[notes.created_at_millis, notes.created_at_millis[:3]],
            misleading=np.r_[notes.misleading, [True] * 3],
        ),
        ratings=RatingTable(
            note_id=[*r.note_id, *(n for _, n in extra)],
            rater_id=[*r.rater_id, *(u for u, _ in extra)],
            created_at_millis=np.r_[r.created_at_millis, np.full(rows, r.created_at_millis[0])],
            value=np.r_[r.value, value],
            helpful_tags=np.vstack([r.helpful_tags, np.zeros((rows, 9), dtype=bool)]),
            not_helpful_tags=np.vstack([r.not_helpful_tags, tags]),
            population_sampled=np.r_[r.population_sampled, np.zeros(rows, dtype=bool)],
        ),
    )


def test_the_notes_tagged_harassment_by_most_raters_score_highest() -> None:
    indexed = index_input(abusive_world(3))
    parameters = PipelineParameters()
    training = _min_count_rows(indexed, parameters)
    first = _first_round(indexed, training, parameters)
    scores = harassment_scores(indexed, training, first.parameters, parameters.core, 5, 10)
    abusive = np.array([str(n).startswith("abusive") for n in indexed.note_ids])
    assert scores[abusive].min() > np.nanmax(scores[~abusive])


def test_harassment_scores_of_2_or_more_cost_each_helpful_rating_5_times_the_score() -> None:
    triples = [("rater", f"crh{k}", 1.0) for k in range(4)]
    triples += [("rater", "bad", 1.0), ("rater", "mild", 1.0), ("rater", "worse", 0.0)]
    indexed = index_input(make_input(triples))
    ids = [str(n) for n in indexed.note_ids]
    scores = np.full(indexed.num_notes, np.nan)
    scores[ids.index("bad")] = 2.5
    scores[ids.index("mild")] = 1.9
    scores[ids.index("worse")] = 4.0  # rated not helpful: no cost
    rows = np.ones(indexed.rater.shape[0], dtype=bool)
    penalty = harassment_penalty(indexed, rows, scores, HelpfulnessThresholds())
    assert penalty[list(map(str, indexed.participant_ids)).index("rater")] == 12.5


def test_the_penalty_lowers_the_agreement_ratio_below_the_threshold() -> None:
    triples = [("rater", f"crh{k}", 1.0) for k in range(10)]
    indexed = index_input(make_input(triples))
    helpful = np.ones(indexed.num_notes, dtype=bool)
    not_helpful = ~helpful
    outcomes = rating_outcomes(
        indexed, valid_ratings(indexed, HelpfulnessThresholds()), helpful, not_helpful
    )
    intercept = np.full(indexed.num_notes, np.nan)
    row = list(map(str, indexed.participant_ids)).index("rater")

    def above(cost: float) -> bool:
        penalty = np.zeros(indexed.num_participants)
        penalty[row] = cost
        scores = helpfulness(
            indexed, outcomes, intercept, helpful, not_helpful, HelpfulnessThresholds(), penalty
        )
        return bool(scores.above_threshold[row])

    assert above(3.3)  # (10 - 3.3) / 10 = 0.67
    assert not above(3.5)
