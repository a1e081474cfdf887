"""The report's charts: horizontal bar charts drawn by matplotlib (Agg), written as SVG.

The SVG is deterministic (`_svg_figures`), so the same report in the same language draws the
same bytes. Titles and bar names come translated from the caller (`words`), so a French page
gets French charts.
"""

from collections.abc import Callable
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from townsquare.audits._svg_figures import drawing, svg_of
from townsquare.audits._transparency_report import Counts, TransparencyReport

__all__ = ["ChartSpec", "RenderedChart", "chart_specs", "render_chart"]

_SALT = "townsquare-transparency-report"
_BAR_COLOUR = "#3465a4"
_WIDTH_INCHES = 6.4


@dataclass(frozen=True)
class ChartSpec:
    """One chart to draw: its file name (without `.svg`), its English title, its bars."""

    name: str
    title: str
    bars: Counts


@dataclass(frozen=True)
class RenderedChart:
    name: str
    title: str
    svg: str


def chart_specs(report: TransparencyReport) -> tuple[ChartSpec, ...]:
    """The charts of a report, in page order; a chart with no bars is left out."""
    appeals, notices, orders = report.appeals, report.notices, report.orders
    medians = (
        ("outside requests answered", orders.median_hours_to_answer),
        ("notices decided", notices.median_hours_to_decision),
        ("appeals decided", appeals.median_hours_to_decide),
    )
    grounds = dict(notices.actions_by_ground)
    for ground, n in report.own_initiative.by_ground:
        grounds[ground] = grounds.get(ground, 0) + n
    specs = (
        ChartSpec("actions-by-ground", "Actions by ground", tuple(sorted(grounds.items()))),
        ChartSpec(
            "actions-by-source", "Actions by source of flag", report.santa_clara.by_source_of_flag
        ),
        ChartSpec("notices-by-category", "Notices by type", notices.by_category),
        ChartSpec(
            "appeals-outcome",
            "Appeals decided",
            (("reversed", appeals.reversed), ("upheld", appeals.upheld)),
        ),
        ChartSpec(
            "median-hours",
            "Median time, in hours",
            tuple((name, round(hours)) for name, hours in medians if hours is not None),
        ),
    )
    return tuple(spec for spec in specs if any(count for _, count in spec.bars))


def render_chart(spec: ChartSpec, words: Callable[[str], str]) -> RenderedChart:
    """Draw `spec` as SVG, its title and bar names passed through `words` (a translation)."""
    with drawing(_SALT):
        svg = _draw(
            [words(key) for key, _ in spec.bars], [n for _, n in spec.bars], words(spec.title)
        )
    return RenderedChart(spec.name, words(spec.title), svg)


def _draw(labels: list[str], values: list[int], title: str) -> str:
    figure = Figure(figsize=(_WIDTH_INCHES, 0.6 + 0.4 * len(values)), layout="constrained")
    axes = figure.add_subplot()
    bars = axes.barh(range(len(values)), values, color=_BAR_COLOUR)
    axes.set_yticks(range(len(values)), labels)
    axes.invert_yaxis()
    axes.bar_label(bars, padding=3)
    axes.set_xlim(0, max(values) * 1.15 or 1)
    axes.spines[["top", "right"]].set_visible(False)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(title, loc="left")
    return svg_of(figure)
