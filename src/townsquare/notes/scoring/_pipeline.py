"""The whole Core pipeline: `ScoringInput` in, `CoreScores` out.

The reference's `MFBaseScorer._prescore_notes_and_users` then `_score_notes_and_users`, as
named stages (docs/design/notes-scoring.md says where and why this differs):

1. index the input in a canonical order (`index_input`) and keep the ratings of raters in
   the Core modeling groups or not in the enrollment;
2. keep notes with at least 5 ratings, then raters with at least 10, then notes with 5 again;
3. first round: fit on those ratings, started from a fit on modeling group 13 when the
   enrollment has one; refuse a fit whose train error is above 0.16 (200 notes or more);
4. provisional statuses from the first round (GeneralCRH, GeneralCRNH, NmCRNH);
5. rater helpfulness from valid ratings and authorship, with the harassment
   tag-consensus penalty;
6. second round: refit on the helpful raters' ratings, started from the first round; the
   tag-outlier thresholds from its factors and the provisionally helpful notes;
7. final scoring: note parameters only, raters and mu frozen at the second round, with the
   reference's normalised penalty (ratings per note of the second round);
8. pseudo-rater bounds on each note's intercept;
9. the tag filters on the final factors, and the final status rules;
10. the final status: the meta-scorer's InsufficientExplanation over every rating.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from townsquare.notes.scoring._errors import ModelFitError
from townsquare.notes.scoring._explanation import unexplained
from townsquare.notes.scoring._fit import (
    CoreModel,
    fit_core,
    solve_notes_for_fixed_raters,
    train_error,
)
from townsquare.notes.scoring._helpfulness import (
    Helpfulness,
    harassment_penalty,
    helpfulness,
    rating_outcomes,
    valid_ratings,
)
from townsquare.notes.scoring._indexed import IndexedInput, index_input, only_rows
from townsquare.notes.scoring._inputs import ScoringInput
from townsquare.notes.scoring._parameters import CoreParameters, PipelineParameters
from townsquare.notes.scoring._pseudo_raters import pseudo_rater_bounds
from townsquare.notes.scoring._rater_sides import rater_sides
from townsquare.notes.scoring._rules import (
    FINAL_RULES,
    PROVISIONAL_RULES,
    NoteSignals,
    RuleOutcome,
    Status,
    apply_rules,
)
from townsquare.notes.scoring._scores import CoreScores, RaterScores, ScoredNotes
from townsquare.notes.scoring._subsets import (
    FitSubset,
    InputParameters,
    min_count_rows,
    scatter,
    subset,
    to_input,
)
from townsquare.notes.scoring._tag_consensus import harassment_scores
from townsquare.notes.scoring._tag_filters import (
    incorrect_outliers,
    tag_outliers,
    tag_ratios,
    tag_thresholds,
)

__all__ = ["score_core"]

Floats = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class _Round:
    """One fit: its ratings and its parameters by input index."""

    fit: FitSubset
    parameters: InputParameters


@dataclass(frozen=True, eq=False)
class _Indexed:
    """The whole input (`everything`, which the final status's tag counts and numRatings
    read) and the Core ratings of it (`core`), which the model reads."""

    everything: IndexedInput
    core: IndexedInput


@dataclass(frozen=True, eq=False)
class _FinalNotes:
    """Final scoring's note parameters and bounds, by input note index (NaN if not scored)."""

    intercept: Floats
    factor: Floats
    intercept_min: Floats
    intercept_max: Floats
    rater_factor: Floats  # the frozen factors of the final round's raters, by participant


def score_core(
    given: ScoringInput, parameters: PipelineParameters | CoreParameters | None = None
) -> CoreScores:
    """Score every note of `given.notes` from `given.ratings` (module docstring).

    A bare `CoreParameters` sets the model and keeps every other default. Raises
    `RatingsInputError` for unusable ratings and `ModelFitError` when the first round cannot
    explain them."""
    settings = _settings(parameters)
    everything = index_input(given)
    indexed = _core_ratings(everything, settings)  # (1)
    both = _Indexed(everything, indexed)
    training = _min_count_rows(indexed, settings)  # (2)
    nobody = np.zeros(indexed.num_participants, dtype=np.bool_)
    if not training.any():  # too few ratings to fit anything: every note needs more
        return _unfitted_scores(both, settings, nobody)
    first = _first_round(indexed, training, settings)  # (3)
    provisional = _provisional_statuses(indexed, first, settings)  # (4)
    helpful = _rater_helpfulness(indexed, training, first, provisional, settings)  # (5)
    if not (training & helpful.above_threshold[indexed.rater]).any():
        return _unfitted_scores(both, settings, helpful.above_threshold, helpful.judged)
    second = _second_round(indexed, training, helpful, first, settings)  # (6)
    thresholds = _tag_thresholds(indexed, second, provisional, settings)
    final = _final_notes(indexed, second, settings)  # (7), (8)
    outcome = _final_statuses(indexed, final, settings, thresholds)  # (9)
    return _scores(  # (10)
        both, final, outcome, second.parameters, helpful.above_threshold, helpful.judged, settings
    )


def _settings(parameters: PipelineParameters | CoreParameters | None) -> PipelineParameters:
    if isinstance(parameters, CoreParameters):
        return PipelineParameters(core=parameters)
    return parameters or PipelineParameters()


def _core_ratings(indexed: IndexedInput, settings: PipelineParameters) -> IndexedInput:
    """(1) The reference's `Scorer._filter_input` for Core: raters the enrollment lists
    outside the Core groups, or without a group, are left out; raters it does not list
    (unassigned) are kept."""
    core = ~indexed.enrolled | np.isin(indexed.modeling_group, sorted(settings.core_groups))
    rows = core[indexed.rater]
    return indexed if rows.all() else only_rows(indexed, rows)


def _min_count_rows(indexed: IndexedInput, settings: PipelineParameters) -> Flags:
    """(2) The reference's `filter_ratings`: notes, raters, notes, once each."""
    everything = np.ones(indexed.rater.shape[0], dtype=np.bool_)
    return min_count_rows(
        indexed, everything, settings.min_raters_per_note, settings.min_ratings_per_rater
    )


def _notes_with_enough(indexed: IndexedInput, rows: Flags, settings: PipelineParameters) -> Flags:
    return min_count_rows(indexed, rows, settings.min_raters_per_note, 0)


def _fit_round(
    indexed: IndexedInput, rows: Flags, settings: PipelineParameters, start: InputParameters | None
) -> _Round:
    fit = subset(indexed, rows)
    if fit.ratings.num_ratings == 0:
        raise ModelFitError("no ratings are left to fit after the minimum-count filter")
    model = fit_core(fit.ratings, settings.core, None if start is None else start.start_for(fit))
    return _Round(fit, to_input(indexed, fit, model))


def _first_round(indexed: IndexedInput, training: Flags, settings: PipelineParameters) -> _Round:
    """(3) Stable initialisation, the first fit and its train-error guard."""
    stable_rows = _stable_init_rows(indexed, training, settings)
    start = None if stable_rows is None else _fit_round(indexed, stable_rows, settings, None)
    first = _fit_round(indexed, training, settings, None if start is None else start.parameters)
    _guard_train_error(first, settings)
    return first


def _stable_init_rows(
    indexed: IndexedInput, training: Flags, settings: PipelineParameters
) -> Flags | None:
    """The group's ratings on notes rated at least 75 % by the group (and 5 times in all),
    shares over the ratings of enrolled raters (the reference merges with the enrollment);
    None when there are none (the reference then fails; here the first round starts at
    random, as without enrollment)."""
    if settings.stable_init_group is None:
        return None
    in_group = training & (indexed.modeling_group[indexed.rater] == settings.stable_init_group)
    from_group = indexed.ratings_per_note(in_group)
    total = indexed.ratings_per_note(training & indexed.enrolled[indexed.rater])
    with np.errstate(invalid="ignore", divide="ignore"):
        mostly = (from_group / total >= settings.stable_init_min_share) & (
            total >= settings.stable_init_min_ratings
        )
    rows: Flags = in_group & mostly[indexed.note]
    return rows if rows.any() else None


def _guard_train_error(first: _Round, settings: PipelineParameters) -> None:
    if first.fit.ratings.num_notes < settings.min_notes_for_train_error_guard:
        return
    parameters = first.parameters
    model_error = _round_train_error(first)
    if model_error > settings.max_first_round_train_error:
        raise ModelFitError(
            f"the first-round fit's train error is {model_error:.4f}, above the limit of "
            f"{settings.max_first_round_train_error} (mu={parameters.global_intercept:.3f}); "
            f"the ratings are too inconsistent to score"
        )


def _round_train_error(fitted: _Round) -> float:
    fit, p = fitted.fit, fitted.parameters
    model = CoreModel(
        p.global_intercept,
        p.rater_intercept[fit.participant],
        p.rater_factor[fit.participant],
        p.note_intercept[fit.note],
        p.note_factor[fit.note],
        loss=float("nan"),
        sweeps=0,
    )
    return train_error(fit.ratings, model)


def _signals(
    indexed: IndexedInput,
    intercept: Floats,
    factor: Floats,
    intercept_max: Floats,
    rater_factor: Floats,
    outliers: tuple[Flags, Flags] | None = None,
) -> NoteSignals:
    sides = rater_sides(indexed, rater_factor)
    none = np.zeros(indexed.num_notes, dtype=np.bool_)
    tag_outlier, incorrect_outlier = (none, none) if outliers is None else outliers
    return NoteSignals(
        num_ratings=indexed.ratings_per_note(),
        intercept=intercept,
        factor=factor,
        intercept_max=intercept_max,
        misleading=indexed.note_misleading,
        prior_helpful=indexed.note_prior_helpful,
        min_sign_count=sides.min_sign_count,
        negative_mean=sides.negative_mean,
        positive_mean=sides.positive_mean,
        net_min_helpful=sides.net_min_helpful,
        net_min_helpful_ratio=sides.net_min_helpful_ratio,
        tag_outlier=tag_outlier,
        incorrect_outlier=incorrect_outlier,
    )


def _provisional_statuses(
    indexed: IndexedInput, first: _Round, settings: PipelineParameters
) -> RuleOutcome:
    """(4) The prescoring rules on the first round's notes."""
    p = first.parameters
    no_bounds = np.full(indexed.num_notes, np.nan)
    signals = _signals(indexed, p.note_intercept, p.note_factor, no_bounds, p.rater_factor)
    return apply_rules(signals, PROVISIONAL_RULES, settings.rules)


def _rater_helpfulness(
    indexed: IndexedInput,
    training: Flags,
    first: _Round,
    provisional: RuleOutcome,
    settings: PipelineParameters,
) -> Helpfulness:
    """(5) Valid ratings, agreement and author scores; then the harassment model on the
    ratings of the raters above the threshold, and the scores again with its penalty."""
    helpful = provisional.is_status(Status.CURRENTLY_RATED_HELPFUL)
    not_helpful = provisional.is_status(Status.CURRENTLY_RATED_NOT_HELPFUL)
    early = valid_ratings(indexed, settings.helpfulness)
    outcomes = rating_outcomes(indexed, early, helpful, not_helpful)
    thresholds = settings.helpfulness
    intercept = first.parameters.note_intercept

    def scores(penalty: Floats | None) -> Helpfulness:
        return helpfulness(indexed, outcomes, intercept, helpful, not_helpful, thresholds, penalty)

    before = scores(None)
    harassment = harassment_scores(
        indexed,
        training & before.above_threshold[indexed.rater],
        first.parameters,
        settings.core,
        settings.min_raters_per_note,
        settings.min_ratings_per_rater,
    )
    return scores(harassment_penalty(indexed, training, harassment, thresholds))


def _second_round(
    indexed: IndexedInput,
    training: Flags,
    helpful: Helpfulness,
    first: _Round,
    settings: PipelineParameters,
) -> _Round:
    """(6) The helpful raters' ratings, started from the first round."""
    rows = training & helpful.above_threshold[indexed.rater]
    return _fit_round(indexed, rows, settings, first.parameters)


def _tag_thresholds(
    indexed: IndexedInput, second: _Round, provisional: RuleOutcome, settings: PipelineParameters
) -> Floats:
    """(6) As the reference's prescoring: tag ratios on the Core ratings from the second
    round's factors; their percentile over the provisionally helpful notes it fitted."""
    p = second.parameters
    ratios = tag_ratios(indexed, p.note_factor, p.rater_factor, settings.tag_filters)
    helpful = provisional.is_status(Status.CURRENTLY_RATED_HELPFUL) & ~np.isnan(p.note_factor)
    return tag_thresholds(ratios, helpful, settings.tag_filters)


def _final_notes(
    indexed: IndexedInput, second: _Round, settings: PipelineParameters
) -> _FinalNotes:
    """(7)-(8) Notes with 5 ratings in all, rated by the second round's raters; each note's
    parameters with raters and mu frozen, penalised as the reference's final scoring (the
    penalty per note is lambda x ratings-per-note of the second round), then the bounds."""
    p = second.parameters
    fitted_rater = ~np.isnan(p.rater_intercept)
    all_rows = np.ones(indexed.rater.shape[0], dtype=np.bool_)
    rows = _notes_with_enough(indexed, all_rows, settings) & fitted_rater[indexed.rater]
    final = subset(indexed, rows)
    rater_intercept = p.rater_intercept[final.participant]
    rater_factor = p.rater_factor[final.participant]
    per_note = second.fit.ratings.num_ratings / second.fit.ratings.num_notes
    core = settings.core
    intercept, factor = solve_notes_for_fixed_raters(
        final.ratings,
        p.global_intercept,
        rater_intercept,
        rater_factor,
        core.intercept_lambda * per_note,
        core.factor_lambda * per_note,
    )
    low, high = pseudo_rater_bounds(
        final.ratings, p.global_intercept, rater_intercept, rater_factor, core
    )
    size = indexed.num_notes
    return _FinalNotes(
        intercept=scatter(size, final.note, intercept),
        factor=scatter(size, final.note, factor),
        intercept_min=scatter(size, final.note, low),
        intercept_max=scatter(size, final.note, high),
        rater_factor=scatter(indexed.num_participants, final.participant, rater_factor),
    )


def _final_statuses(
    indexed: IndexedInput,
    final: _FinalNotes,
    settings: PipelineParameters,
    thresholds: Floats | None = None,
) -> RuleOutcome:
    """(9) The tag filters on the final factors (when prescoring gave thresholds), then the
    final rules."""
    outliers = None
    if thresholds is not None:
        t = settings.tag_filters
        ratios = tag_ratios(indexed, final.factor, final.rater_factor, t)
        outliers = (
            tag_outliers(ratios, thresholds, t),
            incorrect_outliers(indexed, final.factor, final.rater_factor, t),
        )
    signals = _signals(
        indexed, final.intercept, final.factor, final.intercept_max, final.rater_factor, outliers
    )
    return apply_rules(signals, FINAL_RULES, settings.rules)


def _unfitted_scores(
    both: _Indexed, settings: PipelineParameters, above: Flags, judged: Flags | None = None
) -> CoreScores:
    """No note could be fitted: the final rules on no parameters (every note needs more
    ratings), no rater parameters."""
    indexed = both.core
    nothing = np.full(indexed.num_notes, np.nan)
    final = _FinalNotes(
        nothing, nothing, nothing, nothing, np.full(indexed.num_participants, np.nan)
    )
    outcome = _final_statuses(indexed, final, settings)
    parameters = InputParameters(
        float("nan"), final.rater_factor, final.rater_factor, nothing, nothing
    )
    return _scores(both, final, outcome, parameters, above, judged, settings)


def _final_rating_statuses(
    everything: IndexedInput, outcome: RuleOutcome, settings: PipelineParameters
) -> tuple[str, ...]:
    """(10) finalRatingStatus, by note index: the Core status as the meta-scorer exports it,
    then InsufficientExplanation."""
    helpful = outcome.is_status(Status.CURRENTLY_RATED_HELPFUL)
    not_helpful = outcome.is_status(Status.CURRENTLY_RATED_NOT_HELPFUL)
    lacking = unexplained(everything, helpful, not_helpful, settings.explanation)
    return tuple(
        Status.NEEDS_MORE_RATINGS.name if unset else Status(int(code)).exported
        for code, unset in zip(outcome.status.tolist(), lacking.tolist(), strict=True)
    )


def _scores(
    both: _Indexed,
    final: _FinalNotes,
    outcome: RuleOutcome,
    raters_fitted: InputParameters,
    above: Flags,
    judged: Flags | None,
    settings: PipelineParameters,
) -> CoreScores:
    indexed = both.core
    rows = indexed.table_note
    statuses = [Status(int(code)) for code in outcome.status[rows]]
    shown = tuple(status.shown for status in statuses)
    active = outcome.active_rules()
    read = indexed.ratings_per_note()[rows] > 0
    final_rating_status = _final_rating_statuses(both.everything, outcome, settings)
    notes = ScoredNotes(
        note_id=tuple(indexed.note_ids[j] for j in rows),
        intercept=final.intercept[rows],
        factor=final.factor[rows],
        intercept_min=final.intercept_min[rows],
        intercept_max=final.intercept_max[rows],
        num_ratings=both.everything.ratings_per_note()[rows],
        core_status=shown,
        final_status=shown,
        rules=tuple(active[j] for j in rows),
        core_rating_status=tuple(
            status.spelling if was_read else ""
            for status, was_read in zip(statuses, read.tolist(), strict=True)
        ),
        final_rating_status=tuple(final_rating_status[j] for j in rows.tolist()),
    )
    raters = np.unique(indexed.rater)
    return CoreScores(
        notes,
        RaterScores(
            rater_id=tuple(indexed.participant_ids[u] for u in raters),
            intercept=raters_fitted.rater_intercept[raters],
            factor=raters_fitted.rater_factor[raters],
            above_threshold=above[raters],
            judged=None if judged is None else judged[raters],
        ),
    )
