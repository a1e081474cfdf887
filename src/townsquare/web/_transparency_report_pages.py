"""The transparency reports, for people: the list of published periods, and one page per
period with the numbers as tables, the charts, the hash and its ledger entry, in French or
English, plus `report.json`.

A period's page is computed live from the database on each request, so the half-year under
way is always up to date; when the period was published, the page also shows the published
hash, links its ledger entry and says whether today's numbers still match it. `report.json`
is the published document when there is one (the bytes the ledger entry commits to), else
the live one. `report_document` renders the same page as one self-contained file for
`townsquare report transparency`.
"""

from dataclasses import dataclass
from typing import Any

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from townsquare.audits import (
    REPORT_SCHEMA,
    LiveReport,
    PublishedReport,
    RenderedChart,
    TransparencyReports,
    chart_specs,
    parse_period,
    render_chart,
)
from townsquare.web._i18n import catalogs
from townsquare.web._templates import page, render_document
from townsquare.web._transparency_report_words import (
    ReportSection,
    key_words,
    report_sections,
)
from townsquare.web._visitors import Visitor

__all__ = [
    "report_document",
    "transparency_report_json",
    "transparency_report_page",
    "transparency_reports_page",
]


@dataclass(frozen=True)
class ShownReport:
    """What a report page shows: the live report, its sections and charts in the reader's
    language, and the publications of its period (latest first)."""

    live: LiveReport
    sections: tuple[ReportSection, ...]
    charts: tuple[RenderedChart, ...]
    published: tuple[PublishedReport, ...]

    @property
    def latest(self) -> PublishedReport | None:
        return self.published[0] if self.published else None

    @property
    def matches_published(self) -> bool:
        latest = self.latest
        return latest is not None and latest.sha256 == self.live.sha256

    @property
    def published_in_earlier_schema(self) -> bool:
        """Whether the latest publication is in a schema older than today's numbers: its
        hash differs because the format changed, not because the numbers did."""
        latest = self.latest
        return latest is not None and latest.schema != REPORT_SCHEMA

    @property
    def current_schema(self) -> str:
        return REPORT_SCHEMA

    @property
    def path(self) -> str:
        period = self.live.report.period
        return f"/transparency/reports/{period.start}/{period.end}"


def shown_report(
    live: LiveReport,
    published: list[PublishedReport],
    visitor: Visitor,
    charts: tuple[RenderedChart, ...],
) -> ShownReport:
    """The report as `visitor` reads it, with its charts drawn in their language."""
    sections = report_sections(live.report, visitor.gettext)
    return ShownReport(live, sections, charts, tuple(published))


@get("/transparency/reports", sync_to_thread=True)
def transparency_reports_page(
    visitor: NamedDependency[Visitor], transparency: NamedDependency[TransparencyReports]
) -> Response[Any]:
    """Every published report, newest period first, and the half-year under way."""
    return page(
        visitor,
        "transparency/reports.html",
        published=transparency.published(),
        current=transparency.current_period(),
    )


@get("/transparency/reports/{start:str}/{end:str}", sync_to_thread=True)
def transparency_report_page(
    visitor: NamedDependency[Visitor],
    transparency: NamedDependency[TransparencyReports],
    start: FromPath[str],
    end: FromPath[str],
) -> Response[Any]:
    """One period's report, computed now (a bad period is a 422 naming it)."""
    period = parse_period(start, end)
    live = transparency.live(period)
    charts = transparency.charts(live, visitor.language, key_words(visitor.gettext))
    shown = shown_report(live, transparency.published(period), visitor, charts)
    return page(visitor, "transparency/report.html", shown=shown)


@get("/transparency/reports/{start:str}/{end:str}/report.json", sync_to_thread=True)
def transparency_report_json(
    transparency: NamedDependency[TransparencyReports], start: FromPath[str], end: FromPath[str]
) -> Response[bytes]:
    """The published `report.json` of the period (the bytes its ledger entry commits to),
    or the live one when it was never published."""
    period = parse_period(start, end)
    published = transparency.published(period)
    document = published[0].document if published else transparency.live(period).document
    return Response(
        document,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="report-{start}-{end}.json"'},
    )


def report_document(live: LiveReport, published: list[PublishedReport], language: str) -> str:
    """The report page as one self-contained HTML file in `language` (charts inline)."""
    visitor = Visitor(None, None, language, catalogs()[language])
    say = key_words(visitor.gettext)
    charts = tuple(render_chart(spec, say) for spec in chart_specs(live.report))
    shown = shown_report(live, published, visitor, charts)
    return render_document(visitor, "transparency/document.html", shown=shown)
