"""Reading a forest plot's x tick labels as matplotlib laid them out, and checking that they
never run together (their boxes, not pixels)."""

import itertools
from collections.abc import Callable

from matplotlib.text import Text

from townsquare.audits import ImpartialityAudit
from townsquare.audits._forest_plot import forest_plot_figure
from townsquare.audits._svg_figures import drawing


def tick_labels(
    audit: ImpartialityAudit, words: Callable[[str], str], number: Callable[[float], str]
) -> list[Text]:
    """The x tick labels of `audit`'s drawn plot within the axis, left to right."""
    with drawing("test"):
        figure = forest_plot_figure(audit, words, number)
        figure.draw_without_rendering()
    [axes] = figure.axes
    low, high = axes.get_xlim()
    shown = [
        t for t in axes.get_xticklabels() if t.get_text() and low <= t.get_position()[0] <= high
    ]
    return sorted(shown, key=lambda t: t.get_position()[0])


def assert_ticks_apart(labels: list[Text]) -> None:
    """Each label is written once, and a label's box ends well before the next one's begins."""
    texts = [label.get_text() for label in labels]
    assert len(texts) >= 2
    assert len(set(texts)) == len(texts), texts
    boxes = [label.get_window_extent() for label in labels]
    for left, right in itertools.pairwise(boxes):
        assert right.x0 - left.x1 >= left.height, texts  # at least a line's height apart
