"""The forest plot: deterministic SVG, a row per estimable comparison named through the
caller's words, ticks written by the caller's numbers, text kept as text."""

from audits.factories import biased_dataset, make_dataset
from townsquare.audits import Metric, audit_impartiality, render_forest_plot


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
    assert "1,25" in plot.svg  # the threshold's tick, written by the caller
    assert plot.svg.startswith("<svg")


def test_an_audit_with_nothing_to_estimate_still_draws() -> None:
    audit = audit_impartiality(make_dataset({("A", "", 0): (3, 0), ("B", "", 0): (3, 0)}))
    plot = render_forest_plot(audit, _spaced, _comma)
    assert "No comparison can be estimated yet" in plot.svg
    assert Metric.RESTRICTED_COMPARABLE.value.upper() not in plot.svg
