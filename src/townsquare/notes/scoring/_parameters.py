"""The Core model's parameters, as one frozen value."""

from dataclasses import dataclass

from townsquare.notes.scoring._errors import ScoringError

__all__ = [
    "CoreParameters",
    "ExplanationThresholds",
    "HelpfulnessThresholds",
    "PipelineParameters",
    "RuleThresholds",
    "TagFilterThresholds",
]


@dataclass(frozen=True)
class CoreParameters:
    """How the Core model is fitted.

    The defaults are the reference's (matrix_factorization.py `MatrixFactorization.__init__`):
    intercepts regularised 5x harder than factors, so agreement explained by viewpoint goes
    into the factor and only helpfulness across viewpoints stays in the note intercept.
    `intercept_lambda` applies to rater and note intercepts and to the global intercept `mu`.

    A fit stops after `max_sweeps` alternating sweeps or when one sweep lowers the loss by
    less than `tolerance`. The loss is not convex: the fit runs from `starts` starting points
    (rater factors drawn uniformly from +-`initial_factor_scale` by a generator seeded with
    `seed`) and keeps the one with the lowest loss. One start is what the reference does.
    """

    intercept_lambda: float = 0.15
    factor_lambda: float = 0.03
    max_sweeps: int = 200
    tolerance: float = 1e-9
    seed: int = 0
    starts: int = 1
    initial_factor_scale: float = 0.5

    def __post_init__(self) -> None:
        # Positive penalties keep every 2x2 ridge system positive definite (see _fit.py).
        if not (self.intercept_lambda > 0 and self.factor_lambda > 0):
            raise ScoringError(
                f"the penalties must be positive; got intercept_lambda={self.intercept_lambda}"
                f" and factor_lambda={self.factor_lambda}"
            )
        if self.max_sweeps < 1 or self.starts < 1:
            raise ScoringError(
                f"a fit needs at least one sweep and one start; got max_sweeps="
                f"{self.max_sweeps} and starts={self.starts}"
            )


@dataclass(frozen=True)
class RuleThresholds:
    """The Core status rules' thresholds (reference `MFBaseScorer.__init__`, `MFCoreScorer`,
    `note_ratings.is_crnh_ratio`, `scoring_rules.RequireRaterBalance`)."""

    min_ratings: int = 5
    helpful_intercept: float = 0.40
    not_helpful_intercept: float = -0.05
    not_helpful_factor_slope: float = 0.8
    not_misleading_not_helpful_intercept: float = -0.15
    not_helpful_upper_bound: float = -0.04
    inertia_delta: float = 0.01
    max_helpful_factor: float = 0.5
    firm_reject_intercept: float = 0.3
    min_minority_net_helpful: int = 4
    min_net_helpful_balance: float = 0.05
    max_minority_net_helpful_for_balance: int = 10
    ratio_max_helpful_per_side: float = 0.4
    ratio_max_mean_helpful: float = 0.3
    ratio_min_raters_per_side: int = 3


@dataclass(frozen=True)
class TagFilterThresholds:
    """The two not-helpful-tag filters of final scoring (reference `tag_filter.py`,
    `incorrect_filter.py`, `scoring_rules.FilterTagOutliers` and `FilterIncorrect`,
    `constants.py`).

    Tag outliers: a rating's tags weigh 1 / (1 + (d / d_p)^5), d the distance between the
    rater's and the note's z-normalised factors and d_p its `distance_percentile`-th
    percentile over all the weighed ratings; a note is filtered when some tag (but
    `exempt_tag`) has an adjusted total above `min_adjusted_total` and an adjusted ratio
    above the `crh_percentile`-th percentile of that ratio among provisionally helpful notes.

    Incorrect: among the raters whose factor, clipped to +-`factor_clip`, is within
    `interval_half_width` of the note's, a note is filtered with at least `min_incorrect`
    "Incorrect" tags from at least `min_voters` raters of a not-helpful-tagged rating, and a
    score (those tags over log(1 + the sum of their raters' Incorrect rates)) of at least
    `min_incorrect_score`."""

    distance_percentile: float = 40.0
    distance_exponent: float = 5.0
    crh_percentile: int = 95
    min_adjusted_total: float = 2.5
    exempt_tag: str = "notHelpfulHardToUnderstand"
    factor_clip: float = 0.4
    interval_half_width: float = 0.3
    min_incorrect: int = 2
    min_voters: int = 3
    min_incorrect_score: float = 2.5


@dataclass(frozen=True)
class ExplanationThresholds:
    """The meta-scorer's InsufficientExplanation (reference `scoring_rules.py`,
    `constants.minRatingsToGetTag`, `minTagsNeededForStatus`): a helpful (not-helpful) note
    keeps its status only with at least `min_tags` helpful (not-helpful) tags each given by
    at least `min_ratings_per_tag` of its ratings."""

    min_ratings_per_tag: int = 2
    min_tags: int = 2


@dataclass(frozen=True)
class HelpfulnessThresholds:
    """Who counts as a helpful rater (reference `helpfulness_scores.py`,
    `note_ratings.get_ratings_before_note_status_and_public_tsv`)."""

    min_agree_ratio: float = 0.66
    min_crh_crnh_ratio_difference: float = 0.0
    min_mean_note_score: float = 0.05
    crnh_author_weight: float = 5.0
    # A rating is valid when made within 48 hours of the note (before the public data could
    # show its status) and before the note's latest decided status.
    valid_window_millis: int = 172_800_000
    # Notes created before the status history existed (2022-05-19): their first 5 ratings.
    status_history_start_millis: int = 1_652_918_400_000
    old_note_valid_ratings: int = 5
    # The harassment tag-consensus penalty: each helpful rating of a note whose harassment
    # score is at least 2 costs 10 x score / 2 agreeing ratings.
    harassment_min_score: float = 2.0
    harassment_penalty: float = 10.0


@dataclass(frozen=True)
class PipelineParameters:
    """Everything the whole Core pipeline reads besides its input, with the reference's
    defaults: the model (`core`), the raters' modeling groups it reads, the minimum counts
    before fitting (`process_data.filter_ratings`), stable initialisation from one modeling
    group, the first-round train-error guard, rater helpfulness, the status rules, the
    not-helpful-tag filters and the explanation rule of the final status."""

    core: CoreParameters = CoreParameters()
    # The Core scorer reads the ratings of raters in these modeling groups, and of raters the
    # enrollment does not list (reference `MFCoreScorer`, `constants.coreGroups`); a rater
    # listed without a group or in another group is left out.
    core_groups: frozenset[int] = frozenset({1, 2, 3, 6, 8, 9, 10, 11, 13, 14, 19, 21, 25})
    min_ratings_per_rater: int = 10
    min_raters_per_note: int = 5
    stable_init_group: int | None = 13
    stable_init_min_share: float = 0.75
    stable_init_min_ratings: int = 5
    max_first_round_train_error: float = 0.16
    min_notes_for_train_error_guard: int = 200
    helpfulness: HelpfulnessThresholds = HelpfulnessThresholds()
    rules: RuleThresholds = RuleThresholds()
    tag_filters: TagFilterThresholds = TagFilterThresholds()
    explanation: ExplanationThresholds = ExplanationThresholds()
