"""Layer 5: audits and transparency reports (read-only over the layers below).

- `TransparencyReports` builds a period's transparency report live (`live`), publishes it
  with a `transparency.report` ledger entry committing to its SHA-256 (`publish`), and lists
  the published ones (`published`). `TransparencyReport` is the value with every number of
  DSA Art. 15(1)/24(1) and the Santa Clara Principles; `report_json` its deterministic JSON,
  `report_hash` the hash the ledger holds; `chart_specs` / `render_chart` its SVG charts.
- `ReportPeriod` / `parse_period` / `half_year_of`: a half-open period of whole days.

Errors: `InvalidPeriodError` for a period that cannot be reported on, a
`TransparencyReportError`. docs/design/transparency-reports.md says which number answers
which article.
"""

from townsquare.audits._transparency_build import build_report
from townsquare.audits._transparency_charts import (
    ChartSpec,
    RenderedChart,
    chart_specs,
    render_chart,
)
from townsquare.audits._transparency_errors import InvalidPeriodError, TransparencyReportError
from townsquare.audits._transparency_facts import (
    LoggedAppeal,
    LoggedDecision,
    LoggedNotice,
    LoggedRequest,
    ReportFacts,
)
from townsquare.audits._transparency_json import report_hash, report_json
from townsquare.audits._transparency_period import (
    MAX_PERIOD_DAYS,
    ReportPeriod,
    half_year_of,
    parse_period,
)
from townsquare.audits._transparency_publication import (
    REPORT_ENTRY_TYPE,
    REPORT_ENTRY_VERSION,
    PublishedReport,
    report_entry,
)
from townsquare.audits._transparency_report import (
    REPORT_SCHEMA,
    AppealNumbers,
    AutomatedMeans,
    AutomatedRule,
    Counts,
    NoticeNumbers,
    OrderNumbers,
    OwnInitiativeNumbers,
    SantaClaraNumbers,
    TransparencyReport,
)
from townsquare.audits._transparency_service import LiveReport, TransparencyReports

__all__ = [
    "MAX_PERIOD_DAYS",
    "REPORT_ENTRY_TYPE",
    "REPORT_ENTRY_VERSION",
    "REPORT_SCHEMA",
    "AppealNumbers",
    "AutomatedMeans",
    "AutomatedRule",
    "ChartSpec",
    "Counts",
    "InvalidPeriodError",
    "LiveReport",
    "LoggedAppeal",
    "LoggedDecision",
    "LoggedNotice",
    "LoggedRequest",
    "NoticeNumbers",
    "OrderNumbers",
    "OwnInitiativeNumbers",
    "PublishedReport",
    "RenderedChart",
    "ReportFacts",
    "ReportPeriod",
    "SantaClaraNumbers",
    "TransparencyReport",
    "TransparencyReportError",
    "TransparencyReports",
    "build_report",
    "chart_specs",
    "half_year_of",
    "parse_period",
    "render_chart",
    "report_entry",
    "report_hash",
    "report_json",
]
