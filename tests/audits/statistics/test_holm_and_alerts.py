"""Holm's correction on known p-values, and the alert rule."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from townsquare.audits.statistics import (
    AlertRule,
    AuditParameterError,
    RatioEstimate,
    holm_adjusted,
    not_estimable,
)


def test_holm_multiplies_by_the_rank_from_the_top_and_keeps_the_order() -> None:
    # sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → raised to 0.06
    assert holm_adjusted([0.01, 0.04, 0.03, 0.005]) == pytest.approx((0.03, 0.06, 0.06, 0.02))


def test_holm_caps_at_one_and_leaves_a_single_p_value_alone() -> None:
    assert holm_adjusted([0.6, 0.7]) == (1.0, 1.0)
    assert holm_adjusted([0.03]) == (0.03,)
    assert holm_adjusted([]) == ()


def naive_holm(p_values: list[float]) -> list[float]:
    """Straight from the definition: the adjusted p-value of H_(i) is the largest, over j ≤ i,
    of min(1, (m - j + 1)·p_(j))."""
    ordered = sorted(p_values)
    m = len(p_values)
    steps = [max(min(1.0, (m - j) * ordered[j]) for j in range(i + 1)) for i in range(m)]
    return [steps[ordered.index(p)] for p in p_values]


@given(st.lists(st.floats(0.0, 1.0), max_size=12))
def test_holm_matches_its_definition(p_values: list[float]) -> None:
    assert list(holm_adjusted(p_values)) == pytest.approx(naive_holm(p_values))


def estimate(ratio: float) -> RatioEstimate:
    return RatioEstimate(ratio, ratio / 2, ratio * 2, 0.001)


@pytest.mark.parametrize(
    ("ratio", "p_value", "alerts"),
    [
        (1.25, 0.049, True),
        (1.24, 0.001, False),
        (0.8, 0.01, True),  # 1/1.25: a disparity against the other group
        (0.81, 0.01, False),
        (2.0, 0.05, False),
        (2.0, 0.051, False),
    ],
)
def test_an_alert_needs_significance_and_a_ratio_beyond_the_threshold(
    ratio: float, p_value: float, alerts: bool
) -> None:
    assert AlertRule().alerts(estimate(ratio), p_value) is alerts


def test_the_threshold_and_alpha_are_parameters() -> None:
    assert AlertRule(threshold=1.1).alerts(estimate(1.15), 0.01)
    assert not AlertRule(alpha=0.01).alerts(estimate(2.0), 0.02)


def test_a_comparison_that_cannot_be_estimated_never_alerts() -> None:
    assert not AlertRule().alerts(not_estimable("no data"), 0.0)


@pytest.mark.parametrize(
    ("threshold", "alpha"), [(1.0, 0.05), (0.8, 0.05), (1.25, 0.0), (1.25, 1.0)]
)
def test_parameters_out_of_range_are_refused(threshold: float, alpha: float) -> None:
    with pytest.raises(AuditParameterError):
        AlertRule(threshold=threshold, alpha=alpha)
