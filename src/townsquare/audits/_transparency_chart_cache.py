"""The charts of recently shown reports, kept so a page view does not redraw them.

Drawing a report's charts costs far more than counting its numbers (matplotlib lays out and
writes five SVGs). A chart is a pure function of the report's numbers and the language, and
the report's SHA-256 names its numbers exactly, so (hash, language) is a key that can never
serve a stale chart: the live page of the half-year under way gets new charts as soon as a
number changes, and the same ones otherwise. The impartiality audit's forest plot is kept the
same way, by its result's hash and the language (`drawn`).
"""

import threading
from collections import OrderedDict
from collections.abc import Callable

from townsquare.audits._transparency_charts import RenderedChart, chart_specs, render_chart
from townsquare.audits._transparency_report import TransparencyReport

__all__ = ["ChartCache"]


class ChartCache:
    """At most `size` reports' charts, the least recently used dropped first; safe to share
    between request threads."""

    def __init__(self, size: int = 32) -> None:
        self._size = size
        self._charts: OrderedDict[tuple[str, str], tuple[RenderedChart, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def charts(
        self, report: TransparencyReport, sha256: str, language: str, words: Callable[[str], str]
    ) -> tuple[RenderedChart, ...]:
        """The charts of `report` (whose JSON hashes to `sha256`) in `language`, drawn with
        `words` unless already drawn."""
        return self.drawn(
            sha256, language, lambda: tuple(render_chart(s, words) for s in chart_specs(report))
        )

    def drawn(
        self, sha256: str, language: str, draw: Callable[[], tuple[RenderedChart, ...]]
    ) -> tuple[RenderedChart, ...]:
        """The charts of the document hashed `sha256` in `language`: `draw()` unless they are
        already drawn. `draw` MUST depend only on that document and language."""
        key = (sha256, language)
        with self._lock:
            if key in self._charts:
                self._charts.move_to_end(key)
                return self._charts[key]
        drawn = draw()
        with self._lock:
            self._charts[key] = drawn
            while len(self._charts) > self._size:
                self._charts.popitem(last=False)
        return drawn
