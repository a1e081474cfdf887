"""The audit's forest plot: one row per comparison, its rate ratio as a dot and its 95 %
interval as a line, on a log scale (a ratio of 2 and one of 1/2 lie as far from 1), with a
line at 1 (no difference) and dashed lines at the alert threshold and its inverse. Its ticks
come from one evenly spaced ladder (`ratio_ticks`), so their labels never run together.

Conditional comparisons (those that may alert) are filled dots, descriptive ones hollow
squares, alerting ones red. A comparison that cannot be estimated has no row (its sentence
says why). The words (title, legend, row names) and the way numbers are written come from
the caller, so a French page gets a French plot; the SVG is deterministic, as the report
charts' are (`_transparency_charts`).
"""

import math
from collections.abc import Callable
from itertools import pairwise

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from townsquare.audits._impartiality import Comparison, ImpartialityAudit
from townsquare.audits._svg_figures import drawing, svg_of
from townsquare.audits._transparency_charts import RenderedChart

__all__ = ["FOREST_PLOT_WORDS", "forest_plot_figure", "ratio_ticks", "render_forest_plot"]

# The plot's own words, passed through the caller's `words`; the rows are named by
# `words(metric.value)`.
FOREST_PLOT_WORDS = (
    "Group %(a)s over group %(b)s: each ratio and its 95 %% interval (log scale)",
    "Conditional: may alert",
    "Descriptive: never alerts",
    "Alerts",
    "Alert thresholds",
    "No comparison can be estimated yet",
)
_TITLE, _CONDITIONAL, _DESCRIPTIVE, _ALERTS, _THRESHOLDS, _NONE = FOREST_PLOT_WORDS
_CONDITIONAL_COLOUR = "#3465a4"
_DESCRIPTIVE_COLOUR = "#555753"
_ALERT_COLOUR = "#cc0000"
_WIDTH_INCHES = 6.4
_WIDEST = 100.0  # intervals are cut at 1/100 and 100, past which a reader learns nothing
# Tick ladders, finest first, each (nearly) evenly spaced on the log axis and written in two
# decimals at most. One ladder is used, never a mix: a mix put 0.2 beside 0.25 and 0.8, 1
# and 1.25 side by side on a wide axis, and their labels ran together.
_LADDERS = (
    (0.8, 1.0, 1.25),
    (0.25, 0.5, 1.0, 2.0, 4.0),
    (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0),
    (0.01, 0.1, 1.0, 10.0, 100.0),
)
_MIN_GAP = 1 / 6  # the least distance between two ticks, as a share of the axis' width


def render_forest_plot(
    audit: ImpartialityAudit, words: Callable[[str], str], number: Callable[[float], str]
) -> RenderedChart:
    """The forest plot of `audit`'s estimable comparisons (`words` translates, `number`
    writes a tick's ratio)."""
    with drawing("townsquare-impartiality-audit"):
        svg = svg_of(forest_plot_figure(audit, words, number))
    return RenderedChart("forest-plot", _title(audit, words), svg)


def ratio_ticks(low: float, high: float) -> tuple[float, ...]:
    """The ticks of a log axis from `low` to `high`: of the ladders whose ticks in range lie
    at least `_MIN_GAP` of the axis apart, the one with the most (the finer on a tie)."""
    span = math.log(high / low)

    def spaced(ticks: tuple[float, ...]) -> bool:
        return all(math.log(b / a) >= _MIN_GAP * span for a, b in pairwise(ticks))

    candidates = [tuple(t for t in ladder if low <= t <= high) for ladder in _LADDERS]
    return max((ticks for ticks in candidates if spaced(ticks)), key=len, default=())


def forest_plot_figure(
    audit: ImpartialityAudit, words: Callable[[str], str], number: Callable[[float], str]
) -> Figure:
    """The forest plot as a figure (make it inside a `drawing` block, which sets its style)."""
    rows = [c for c in audit.comparisons if c.estimate.estimable]
    threshold = audit.parameters.threshold
    figure = Figure(figsize=(_WIDTH_INCHES, 1.6 + 0.42 * len(rows)), layout="constrained")
    axes = figure.add_subplot()
    low, high = _limits(rows, threshold)
    for place, comparison in enumerate(rows):
        _row(axes, place, comparison, low, high)
    axes.axvline(1.0, color="black", linewidth=0.8)
    for line in (threshold, 1.0 / threshold):
        axes.axvline(line, color=_ALERT_COLOUR, linewidth=0.8, linestyle="--")
    axes.set_xscale("log")
    axes.set_xlim(low, high)
    axes.xaxis.set_major_locator(FixedLocator(ratio_ticks(low, high)))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: number(value)))
    axes.xaxis.set_minor_locator(NullLocator())
    axes.set_yticks(range(len(rows)), [words(c.metric.value) for c in rows])
    axes.set_ylim(max(len(rows), 1) - 0.5, -0.5)  # the first comparison on top
    if not rows:
        axes.text(1.0, 0.0, words(_NONE), ha="center", va="center")
    axes.spines[["top", "right"]].set_visible(False)
    # A figure title, not an axes one: it may use the width the row names take.
    figure.suptitle(_title(audit, words), x=0.01, ha="left", fontsize=9.0)
    # Outside the axes, laid out by the figure: a long French label cannot be cut off.
    figure.legend(handles=_legend(words), loc="outside lower center", ncol=2)
    return figure


def _title(audit: ImpartialityAudit, words: Callable[[str], str]) -> str:
    a, b = audit.parameters.groups
    return words(_TITLE) % {"a": a, "b": b}


def _limits(rows: list[Comparison], threshold: float) -> tuple[float, float]:
    """An axis wide enough for every interval and both thresholds, within 1/100 to 100."""
    lows = [c.estimate.ci_low for c in rows if c.estimate.ci_low > 0]
    highs = [c.estimate.ci_high for c in rows]
    low = min([*lows, 1.0 / threshold]) / 1.25
    high = max([*highs, threshold]) * 1.25
    return max(low, 1.0 / _WIDEST), min(high, _WIDEST)


def _row(axes: Axes, place: int, comparison: Comparison, low: float, high: float) -> None:
    estimate = comparison.estimate
    colour = _ALERT_COLOUR if comparison.alert else _colour(comparison)
    start = min(max(estimate.ci_low, low), high)
    end = min(max(estimate.ci_high, low), high)
    ratio = min(max(estimate.ratio, low), high)
    axes.hlines(place, start, end, color=colour, linewidth=1.6)
    axes.plot(
        [ratio],
        [place],
        marker="o" if comparison.conditional else "s",
        markersize=7,
        color=colour,
        markerfacecolor=colour if comparison.conditional else "white",
        linestyle="none",
    )


def _colour(comparison: Comparison) -> str:
    return _CONDITIONAL_COLOUR if comparison.conditional else _DESCRIPTIVE_COLOUR


def _legend(words: Callable[[str], str]) -> list[Line2D]:
    def marker(label: str, shape: str, colour: str, face: str) -> Line2D:
        return Line2D(
            [], [], marker=shape, color=colour, markerfacecolor=face, linestyle="-", label=label
        )

    return [
        marker(words(_CONDITIONAL), "o", _CONDITIONAL_COLOUR, _CONDITIONAL_COLOUR),
        marker(words(_DESCRIPTIVE), "s", _DESCRIPTIVE_COLOUR, "white"),
        marker(words(_ALERTS), "o", _ALERT_COLOUR, _ALERT_COLOUR),
        Line2D([], [], color=_ALERT_COLOUR, linestyle="--", label=words(_THRESHOLDS)),
    ]
