"""The report's charts: deterministic SVG with no date, translated words, a chart with
nothing to show left out, and drawn once per distinct numbers and language."""

from dataclasses import replace
from datetime import date

from townsquare.audits import (
    ChartSpec,
    ReportFacts,
    ReportPeriod,
    build_report,
    chart_specs,
    render_chart,
)
from townsquare.audits._transparency_chart_cache import ChartCache

SPEC = ChartSpec("appeals-outcome", "Appeals decided", (("reversed", 2), ("upheld", 5)))
EMPTY = build_report(ReportFacts(ReportPeriod(date(2026, 1, 1), date(2026, 7, 1)), (), (), (), ()))


def _french(text: str) -> str:
    return {"Appeals decided": "Recours tranchés", "reversed": "Infirmé"}.get(text, text)


def test_the_same_chart_is_the_same_svg_without_a_date() -> None:
    first, second = render_chart(SPEC, str), render_chart(SPEC, str)
    assert first.svg == second.svg
    assert first.svg.startswith("<svg")
    assert "<dc:date>" not in first.svg
    assert "Appeals decided" in first.svg  # text stays text (svg.fonttype none)


def test_a_chart_is_drawn_in_the_words_it_is_given() -> None:
    chart = render_chart(SPEC, _french)
    assert chart.title == "Recours tranchés"
    assert "Recours tranchés" in chart.svg
    assert "Infirmé" in chart.svg


def test_a_report_with_nothing_to_show_has_no_charts() -> None:
    assert chart_specs(EMPTY) == ()


def test_the_cache_draws_once_per_hash_and_language() -> None:
    report = replace(EMPTY, appeals=replace(EMPTY.appeals, decided=1, reversed=1))
    cache = ChartCache(size=2)
    english = cache.charts(report, "a" * 64, "en", str)
    assert [chart.name for chart in english] == ["appeals-outcome"]
    assert cache.charts(report, "a" * 64, "en", str) is english
    french = cache.charts(report, "a" * 64, "fr", _french)
    assert french is not english
    assert french[0].title == "Recours tranchés"
    cache.charts(report, "b" * 64, "en", str)  # the least recently used ("a", "en") goes
    assert cache.charts(report, "a" * 64, "en", str) is not english
