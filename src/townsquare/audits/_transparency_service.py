"""`TransparencyReports`: build a period's report live, publish it, read the published ones."""

from collections.abc import Callable
from dataclasses import dataclass

from townsquare.audits._transparency_build import build_report
from townsquare.audits._transparency_chart_cache import ChartCache
from townsquare.audits._transparency_charts import RenderedChart
from townsquare.audits._transparency_errors import InvalidPeriodError
from townsquare.audits._transparency_json import report_hash, report_json
from townsquare.audits._transparency_period import ReportPeriod, half_year_of
from townsquare.audits._transparency_publication import (
    PublishedReport,
    published_reports,
    record_report,
)
from townsquare.audits._transparency_reading import read_facts
from townsquare.audits._transparency_report import TransparencyReport
from townsquare.kernel import Clock
from townsquare.ledger import LedgerLog
from townsquare.storage import Database

__all__ = ["LiveReport", "TransparencyReports"]


@dataclass(frozen=True)
class LiveReport:
    """A report computed now, its JSON bytes and their SHA-256; `final` when its period is
    over (its numbers will not change)."""

    report: TransparencyReport
    document: bytes
    sha256: str
    final: bool


class TransparencyReports:
    """Reports over the database `db`, published to `ledger` (read-only but for `publish`)."""

    def __init__(self, db: Database, ledger: LedgerLog, clock: Clock) -> None:
        self._db = db
        self._ledger = ledger
        self._clock = clock
        self._chart_cache = ChartCache()

    def current_period(self) -> ReportPeriod:
        """The calendar half-year under way (the DSA's harmonised reporting period)."""
        return half_year_of(self._clock.now())

    def live(self, period: ReportPeriod) -> LiveReport:
        """The report of `period` as the database says now (one read transaction)."""
        now = self._clock.now()
        with self._db.read() as conn:
            report = build_report(read_facts(conn, period, now))
        document = report_json(report)
        return LiveReport(report, document, report_hash(document), period.is_over(now))

    def charts(
        self, live: LiveReport, language: str, words: Callable[[str], str]
    ) -> tuple[RenderedChart, ...]:
        """The report's charts in `language` (titles and bars through `words`), drawn once
        per distinct numbers and language (`ChartCache`)."""
        return self._chart_cache.charts(live.report, live.sha256, language, words)

    def publish(self, period: ReportPeriod) -> PublishedReport:
        """Publish the report of a period that is over; `InvalidPeriodError` otherwise. The
        same numbers published again append nothing (`PublishedReport.appended` is False)."""
        now = self._clock.now()
        if not period.is_over(now):
            raise InvalidPeriodError(
                f"period {period.start} → {period.end}: it is not over yet, so its numbers "
                "may still change; publish it from its --to date on (its live page shows "
                "the numbers so far)"
            )
        live = self.live(period)
        with self._db.write() as conn:
            return record_report(conn, self._ledger, period, live.document, live.sha256, now)

    def published(self, period: ReportPeriod | None = None) -> list[PublishedReport]:
        """The published reports (of `period` only, when given), newest first."""
        with self._db.read() as conn:
            return published_reports(conn, period)
