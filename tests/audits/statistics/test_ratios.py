"""The risk ratio, the Mantel–Haenszel ratio over strata, and their degenerate inputs."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from townsquare.audits.statistics import (
    LARGEST_BOUND,
    RatioEstimate,
    StratumCounts,
    mantel_haenszel,
    risk_ratio,
)


def finite(estimate: RatioEstimate) -> bool:
    values = (estimate.ratio, estimate.ci_low, estimate.ci_high, estimate.p_value)
    return all(math.isfinite(v) for v in values) and 0.0 <= estimate.p_value <= 1.0


def test_two_groups_give_the_log_risk_ratio_interval() -> None:
    # 10/100 against 5/100: RR 2, Var(ln RR) = 1/10 - 1/100 + 1/5 - 1/100 = 0.28
    estimate = risk_ratio(StratumCounts(10, 100, 5, 100))
    half = 1.959963984540054 * math.sqrt(0.28)
    assert estimate.ratio == pytest.approx(2.0)
    assert estimate.ci_low == pytest.approx(2.0 * math.exp(-half))
    assert estimate.ci_high == pytest.approx(2.0 * math.exp(half))
    assert estimate.estimable
    assert estimate.note == ""


def test_one_stratum_test_is_the_continuity_corrected_chi_square() -> None:
    # Observed 10 against an expected 100·15/200 = 7.5; hypergeometric variance
    # 100·100·15·185 / (200²·199) = 3.4862; (|10 - 7.5| - 0.5)² / 3.4862 = 1.1474
    estimate = risk_ratio(StratumCounts(10, 100, 5, 100))
    chi_square = (abs(10 - 7.5) - 0.5) ** 2 / (100 * 100 * 15 * 185 / (200**2 * 199))
    assert estimate.p_value == pytest.approx(math.erfc(math.sqrt(chi_square / 2)))
    assert estimate.p_value == pytest.approx(0.2841, abs=1e-4)


def test_simpson_strata_give_a_ratio_of_one_where_the_crude_ratio_is_large() -> None:
    """Group A is reported more, into the stratum where restrictions are common: the crude
    ratio is 301/1100 over 40/1100, but within each stratum the rates are equal."""
    low = StratumCounts(events_a=1, n_a=100, events_b=10, n_b=1000)
    high = StratumCounts(events_a=300, n_a=1000, events_b=30, n_b=100)
    crude = risk_ratio(StratumCounts(301, 1100, 40, 1100))
    stratified = mantel_haenszel([low, high])
    assert crude.ratio == pytest.approx(301 / 40)
    assert crude.p_value < 1e-6
    # R = (1·1000 + 300·100)/1100 = S = (10·100 + 30·1000)/1100, so RR_MH = 1; the
    # Greenland–Robins variance is (0.9 + 19.0909)/28.1818² = 0.025171 (by hand).
    assert stratified.ratio == pytest.approx(1.0)
    assert stratified.ci_low == pytest.approx(0.73275, abs=1e-5)
    assert stratified.ci_high == pytest.approx(1.36473, abs=1e-5)
    # Observed equals expected in each stratum (1 = 100·11/1100, 300 = 1000·330/1100).
    assert stratified.p_value == pytest.approx(1.0)


def test_a_single_stratum_is_the_crude_ratio() -> None:
    counts = StratumCounts(30, 400, 12, 350)
    assert mantel_haenszel([counts]) == risk_ratio(counts)


def test_strata_with_one_group_only_are_left_out() -> None:
    shared = StratumCounts(10, 100, 5, 100)
    only_a = StratumCounts(50, 60, 0, 0)
    only_b = StratumCounts(0, 0, 1, 900)
    assert mantel_haenszel([shared, only_a, only_b]) == mantel_haenszel([shared])


@pytest.mark.parametrize(
    ("strata", "note"),
    [
        ([], "no stratum holds units of both groups"),
        ([StratumCounts(3, 10, 0, 0)], "no stratum holds units of both groups"),
        ([StratumCounts(0, 10, 0, 10)], "no event in either group"),
        ([StratumCounts(0, 10, 4, 10), StratumCounts(0, 5, 1, 7)], "no event in group A"),
        ([StratumCounts(2, 10, 0, 10)], "no event in group B"),
    ],
)
def test_strata_that_cannot_support_a_ratio_are_not_estimable(
    strata: list[StratumCounts], note: str
) -> None:
    estimate = mantel_haenszel(strata)
    assert not estimate.estimable
    assert (estimate.ratio, estimate.ci_low, estimate.ci_high, estimate.p_value) == (
        1.0,
        0.0,
        LARGEST_BOUND,
        1.0,
    )
    assert note in estimate.note


@pytest.mark.parametrize(
    ("counts", "note"),
    [
        (StratumCounts(0, 0, 3, 10), "group A has no unit"),
        (StratumCounts(3, 10, 0, 0), "group B has no unit"),
        (StratumCounts(0, 0, 0, 0), "neither group"),
        (StratumCounts(0, 10, 0, 10), "no event in either group"),
    ],
)
def test_two_groups_without_units_or_events_are_not_estimable(
    counts: StratumCounts, note: str
) -> None:
    estimate = risk_ratio(counts)
    assert not estimate.estimable
    assert note in estimate.note


def test_no_event_in_one_group_is_estimated_with_half_counts_added() -> None:
    estimate = risk_ratio(StratumCounts(0, 100, 12, 100))
    # (0.5/101) / (12.5/101)
    assert estimate.ratio == pytest.approx(0.04)
    assert estimate.estimable
    assert "Haldane" in estimate.note
    assert finite(estimate)
    assert estimate.ci_high < 1.0


def test_every_unit_with_the_event_gives_a_ratio_of_one_and_no_evidence() -> None:
    estimate = mantel_haenszel([StratumCounts(10, 10, 4, 4), StratumCounts(3, 3, 8, 8)])
    assert (estimate.ratio, estimate.p_value) == (1.0, 1.0)
    assert finite(estimate)


def test_a_ratio_estimate_refuses_a_number_that_is_not_finite() -> None:
    with pytest.raises(ValueError, match="finite"):
        RatioEstimate(math.inf, 0.0, 1.0, 0.5)


def test_counts_refuse_more_events_than_units() -> None:
    with pytest.raises(ValueError, match="between 0"):
        StratumCounts(11, 10, 0, 10)


@st.composite
def strata(draw: st.DrawFn) -> list[StratumCounts]:
    def one() -> st.SearchStrategy[StratumCounts]:
        return st.tuples(st.integers(0, 50), st.integers(0, 50)).flatmap(
            lambda n: st.builds(
                StratumCounts,
                st.integers(0, n[0]),
                st.just(n[0]),
                st.integers(0, n[1]),
                st.just(n[1]),
            )
        )

    return draw(st.lists(one(), max_size=6))


@given(strata())
def test_any_strata_give_finite_numbers(given_strata: list[StratumCounts]) -> None:
    estimate = mantel_haenszel(given_strata)
    assert finite(estimate)
    assert estimate.ci_low <= estimate.ratio <= estimate.ci_high or not estimate.estimable


@given(strata())
def test_swapping_the_groups_inverts_the_ratio(given_strata: list[StratumCounts]) -> None:
    forward = mantel_haenszel(given_strata)
    swapped = mantel_haenszel(
        [StratumCounts(s.events_b, s.n_b, s.events_a, s.n_a) for s in given_strata]
    )
    assert forward.estimable == swapped.estimable
    if forward.estimable and forward.ratio < LARGEST_BOUND and swapped.ratio < LARGEST_BOUND:
        assert forward.ratio * swapped.ratio == pytest.approx(1.0)
        assert forward.p_value == pytest.approx(swapped.p_value)
