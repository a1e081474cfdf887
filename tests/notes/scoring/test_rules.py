"""Each Core status rule on hand-made note columns, and their order."""

import dataclasses

import numpy as np

from townsquare.notes.scoring import RuleThresholds
from townsquare.notes.scoring._rules import (
    FINAL_RULES,
    PROVISIONAL_RULES,
    NoteSignals,
    Status,
    apply_rules,
)

THRESHOLDS = RuleThresholds()


def note(**changes: object) -> NoteSignals:
    """One note, by default: 10 ratings, intercept 0.45, factor 0.1, misleading, balanced
    raters (5 per side, net helpful 5 on the smaller side)."""
    base = NoteSignals(
        num_ratings=np.array([10]),
        intercept=np.array([0.45]),
        factor=np.array([0.1]),
        intercept_max=np.array([0.5]),
        misleading=np.array([True]),
        prior_helpful=np.array([False]),
        min_sign_count=np.array([5]),
        negative_mean=np.array([0.9]),
        positive_mean=np.array([0.9]),
        net_min_helpful=np.array([5]),
        net_min_helpful_ratio=np.array([0.5]),
        tag_outlier=np.array([False]),
        incorrect_outlier=np.array([False]),
    )
    return dataclasses.replace(base, **{k: np.array([v]) for k, v in changes.items()})


def final(signals: NoteSignals) -> tuple[str, str]:
    outcome = apply_rules(signals, FINAL_RULES, THRESHOLDS)
    return Status(int(outcome.status[0])).spelling, outcome.active_rules()[0]


def test_a_misleading_note_above_040_is_helpful() -> None:
    assert final(note()) == ("CURRENTLY_RATED_HELPFUL", "InitialNMR (v1.0),GeneralCRH (v1.0)")


def test_helpful_needs_five_ratings_and_a_misleading_classification() -> None:
    assert final(note(num_ratings=4))[0] == "NEEDS_MORE_RATINGS"
    assert final(note(misleading=False))[0] == "NEEDS_MORE_RATINGS"


def test_not_helpful_below_the_line_that_falls_with_the_factor() -> None:
    # -0.05 - 0.8 x 0.25 = -0.25
    status, rules = final(note(intercept=-0.25, factor=0.25, intercept_max=0.0))
    assert (status, rules) == (
        "CURRENTLY_RATED_NOT_HELPFUL",
        "InitialNMR (v1.0),GeneralCRNH (v1.0)",
    )
    assert final(note(intercept=-0.24, factor=0.25, intercept_max=0.0))[0] == "FIRM_REJECT"


def test_an_upper_bound_below_minus_004_is_not_helpful() -> None:
    status, rules = final(note(intercept=-0.06, factor=0.5, intercept_max=-0.041))
    assert status == "CURRENTLY_RATED_NOT_HELPFUL"
    assert "UcbCRNH (v1.0)" in rules
    assert "UcbCRNH" not in final(note(intercept=-0.06, factor=0.5, intercept_max=-0.04))[1]


def test_both_sides_rating_it_low_is_not_helpful() -> None:
    low = {"intercept": 0.1, "negative_mean": 0.35, "positive_mean": 0.2}
    assert final(note(**low))[1].endswith("RatioCRNH (v1.0)")
    assert "RatioCRNH" not in final(note(**{**low, "min_sign_count": 2}))[1]
    assert "RatioCRNH" not in final(note(**{**low, "negative_mean": 0.41}))[1]
    assert "RatioCRNH" not in final(note(**{**low, "positive_mean": 0.3}))[1]  # mean > 0.3


def test_a_not_misleading_note_below_minus_015_is_not_helpful_whatever_its_count() -> None:
    status, rules = final(note(misleading=False, intercept=-0.16, num_ratings=1, factor=0.0))
    assert (status, rules) == ("CURRENTLY_RATED_NOT_HELPFUL", "InitialNMR (v1.0),NmCRNH (v1.0)")


def test_a_note_helpful_last_run_stays_helpful_down_to_039() -> None:
    status, rules = final(note(intercept=0.395, prior_helpful=True))
    assert (status, rules) == (
        "CURRENTLY_RATED_HELPFUL",
        "InitialNMR (v1.0),GeneralCRHInertia (v1.0)",
    )
    assert final(note(intercept=0.385, prior_helpful=True))[0] == "NEEDS_MORE_RATINGS"
    assert final(note(intercept=0.395))[0] == "NEEDS_MORE_RATINGS"


def test_a_large_factor_firmly_rejects_a_helpful_note() -> None:
    assert final(note(factor=0.51)) == (
        "FIRM_REJECT",
        "InitialNMR (v1.0),GeneralCRH (v1.0),FilterLargeFactor (v1.0)",
    )
    assert final(note(factor=-0.5))[0] == "CURRENTLY_RATED_HELPFUL"


def test_an_intercept_below_030_firmly_rejects_any_note_not_already_not_helpful() -> None:
    assert final(note(intercept=0.29)) == (
        "FIRM_REJECT",
        "InitialNMR (v1.0),RejectLowIntercept (v1.0)",
    )
    assert final(note(intercept=0.3))[0] == "NEEDS_MORE_RATINGS"
    assert final(note(intercept=np.nan))[0] == "NEEDS_MORE_RATINGS"


def test_helpful_needs_four_net_helpful_ratings_from_the_smaller_side() -> None:
    assert final(note(net_min_helpful=3)) == (
        "NEEDS_YOUR_HELP",
        "InitialNMR (v1.0),GeneralCRH (v1.0),MinMinorityRaters (v1.0)",
    )
    assert final(note(net_min_helpful=4))[0] == "CURRENTLY_RATED_HELPFUL"


def test_between_4_and_9_net_helpful_the_smaller_side_must_be_5_percent() -> None:
    unbalanced = note(net_min_helpful=9, net_min_helpful_ratio=0.049)
    assert final(unbalanced)[1].endswith("RaterBalance (v1.0)")
    assert final(note(net_min_helpful=10, net_min_helpful_ratio=0.049))[0] == (
        "CURRENTLY_RATED_HELPFUL"
    )
    assert final(note(net_min_helpful=9, net_min_helpful_ratio=0.05))[0] == (
        "CURRENTLY_RATED_HELPFUL"
    )


def test_the_provisional_rules_have_no_filters_bounds_or_ratio_rule() -> None:
    outcome = apply_rules(note(factor=0.9, net_min_helpful=0), PROVISIONAL_RULES, THRESHOLDS)
    assert Status(int(outcome.status[0])) is Status.CURRENTLY_RATED_HELPFUL
    low = note(intercept=0.1, negative_mean=0.1, positive_mean=0.1, intercept_max=-1.0)
    assert apply_rules(low, PROVISIONAL_RULES, THRESHOLDS).active_rules() == ("InitialNMR (v1.0)",)


def test_a_tag_outlier_or_an_incorrect_outlier_is_firmly_rejected_unless_not_helpful() -> None:
    for flag, name in (("tag_outlier", "TagFilter"), ("incorrect_outlier", "FilterIncorrect")):
        status, rules = final(note(**{flag: True}))
        assert (status, rules) == (
            "FIRM_REJECT",
            f"InitialNMR (v1.0),GeneralCRH (v1.0),{name} (v1.0)",
        )
        # A note that needs more ratings is rejected too (any note but a not helpful one).
        assert final(note(intercept=0.35, **{flag: True}))[0] == "FIRM_REJECT"
        not_helpful = note(intercept=-0.3, intercept_max=0.0, **{flag: True})
        assert final(not_helpful)[0] == "CURRENTLY_RATED_NOT_HELPFUL"
        assert name not in final(not_helpful)[1]


def test_the_tag_filters_act_after_inertia_and_before_the_large_factor() -> None:
    kept = note(intercept=0.395, prior_helpful=True, tag_outlier=True, factor=0.6)
    assert final(kept)[1] == ("InitialNMR (v1.0),GeneralCRHInertia (v1.0),TagFilter (v1.0)")
