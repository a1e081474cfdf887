"""The forest plot: deterministic SVG, a row per estimable comparison named through the
caller's words, ticks written by the caller's numbers, text kept as text, tick labels that
never run together."""

import itertools
import math
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audits.factories import biased_dataset, make_dataset, simpson_dataset
from audits.plot_ticks import assert_ticks_apart, tick_labels
from townsquare.audits import (
    AuditDataset,
    Metric,
    audit_impartiality,
    render_forest_plot,
)
from townsquare.audits._forest_plot import ratio_ticks


def _spaced(text: str) -> str:
    """A "translation" a test can see: metric keys lose their underscores."""
    return text.replace("_", " ")


def _comma(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def test_the_same_audit_draws_the_same_bytes() -> None:
    audit = audit_impartiality(biased_dataset())
    assert render_forest_plot(audit, _spaced, _comma) == render_forest_plot(audit, _spaced, _comma)


def test_rows_are_the_estimable_comparisons_in_the_callers_words() -> None:
    audit = audit_impartiality(biased_dataset())
    plot = render_forest_plot(audit, _spaced, _comma)
    estimable = [c.metric for c in audit.comparisons if c.estimate.estimable]
    left_out = [c.metric for c in audit.comparisons if not c.estimate.estimable]
    assert left_out  # biased_dataset has no appeal, so some comparisons cannot be made
    for metric in estimable:
        assert metric.value.replace("_", " ") in plot.svg
    for metric in left_out:
        assert metric.value.replace("_", " ") not in plot.svg
    assert plot.title == "Group A over group B: each ratio and its 95 % interval (log scale)"
    assert "1,00" in plot.svg  # the tick at 1 (always shown), written by the caller
    assert plot.svg.startswith("<svg")


def test_an_audit_with_nothing_to_estimate_still_draws() -> None:
    audit = audit_impartiality(make_dataset({("A", "", 0): (3, 0), ("B", "", 0): (3, 0)}))
    plot = render_forest_plot(audit, _spaced, _comma)
    assert "No comparison can be estimated yet" in plot.svg
    assert Metric.RESTRICTED_COMPARABLE.value.upper() not in plot.svg


WIDE = {("A", "", 0): (12, 3), ("B", "", 0): (15, 1)}  # few posts: wide intervals


@pytest.mark.parametrize(
    "dataset",
    [biased_dataset(), simpson_dataset(), make_dataset(WIDE), make_dataset({})],
    ids=["biased", "simpson", "wide", "empty"],
)
@pytest.mark.parametrize("number", [_comma, str], ids=["comma", "repr"])
def test_tick_labels_are_distinct_and_apart(
    dataset: AuditDataset, number: Callable[[float], str]
) -> None:
    assert_ticks_apart(tick_labels(audit_impartiality(dataset), _spaced, number))


def test_regression_ticks_0_2_and_0_25_or_0_8_1_and_1_25_ran_together() -> None:
    # The demo world's axis ran from about 0.15 to 2.5: "0.20.25" and "0.81.01.25" were drawn.
    assert ratio_ticks(0.15, 2.5) == (0.25, 0.5, 1.0, 2.0)
    assert ratio_ticks(0.64, 1.5625) == (0.8, 1.0, 1.25)  # the narrowest axis keeps its ticks
    assert ratio_ticks(0.01, 100.0) == (0.01, 0.1, 1.0, 10.0, 100.0)


@given(
    low=st.floats(min_value=0.01, max_value=0.64),
    high=st.floats(min_value=1.5625, max_value=100.0),
)
def test_ticks_are_at_least_a_sixth_of_the_axis_apart(low: float, high: float) -> None:
    ticks = ratio_ticks(low, high)
    assert len(ticks) >= 2
    assert all(low <= tick <= high for tick in ticks)
    span = math.log(high / low)
    assert all(math.log(b / a) >= span / 6 for a, b in itertools.pairwise(ticks))
