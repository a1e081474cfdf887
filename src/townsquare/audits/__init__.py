"""Layer 5: the impartiality audit and the transparency reports (read-only over the layers
below).

- `read_dataset` / `write_dataset` read and write the published dataset: `accounts.csv`,
  `posts.csv`, `decisions.csv` (`AuditDataset` of `AuditAccount`, `AuditPost`,
  `AuditDecision`) and, when published, `reviews.csv` (`AuditReview`), `helpful_notes.csv`
  (`AuditHelpfulNote`) and `decision_times.csv` (`AuditDecisionTime`).
- `audit_impartiality` compares two groups on every `Metric` under `AuditParameters` and
  returns an `ImpartialityAudit` of `Comparison`s; `audit_json` writes it as deterministic
  JSON, `comparison_sentence` says one comparison in a plain sentence.
- `townsquare.audits.statistics` is the pure statistics underneath (numpy only).
- `infer_viewpoints` scores and groups accounts (`Viewpoints`, `Viewpoint` A / B / neither)
  from behaviour only: the notes rater factor and the follow graph (`FollowEdges`,
  `ViewpointParameters`); `read_viewpoints` does it from the database, and
  `dataset_from_database` reads this server's dataset with those groups
  (docs/design/audit-viewpoints.md). Nothing stores the groups; moderation cannot import them.
- `TransparencyReports` builds a period's transparency report live (`live`), publishes it
  with a `transparency.report` ledger entry committing to its SHA-256 (`publish`), and lists
  the published ones (`published`). `TransparencyReport` is the value with every number of
  DSA Art. 15(1)/24(1) and the Santa Clara Principles; `report_json` its deterministic JSON,
  `report_hash` the hash the ledger holds; `chart_specs` / `render_chart` its SVG charts.
- `ReportPeriod` / `parse_period` / `half_year_of`: a half-open period of whole days.
- `ImpartialityAudits` runs the audit on this server's data now (`live`, a `LiveAudit` with
  the result's JSON and the dataset as a zip of its CSV files, each with its SHA-256),
  publishes a run with an `audit.impartiality` ledger entry and one `audit.alert` entry per
  alerting comparison (`publish`, `audit_entries`), and reads the published runs
  (`published`, `run`, `dataset`) and draws a run's forest plot (`render_forest_plot`,
  whose own words are `FOREST_PLOT_WORDS`); `read_audit_json` reads a result back.

Errors, all `AuditError`s: `AuditDatasetError` for a dataset (or result) that cannot be read
(naming file, line and column), `AuditParameterError` for parameters out of range,
`AuditRunNotFoundError` for a run never published, `TransparencyReportError`
(`InvalidPeriodError` for a period that cannot be reported on). docs/design/audit.md explains
the audit's method; docs/design/transparency-reports.md says which number answers which
article.
"""

from townsquare.audits._audit_publication import (
    ALERT_ENTRY_TYPE,
    AUDIT_ENTRY_TYPE,
    AUDIT_ENTRY_VERSION,
    AuditEntries,
    PublishedAudit,
    audit_entries,
)
from townsquare.audits._audit_service import ImpartialityAudits, LiveAudit
from townsquare.audits._dataset import (
    AuditAccount,
    AuditDataset,
    AuditDecision,
    AuditDecisionTime,
    AuditHelpfulNote,
    AuditPost,
    AuditReview,
)
from townsquare.audits._dataset_csv import (
    ACCOUNTS_FILE,
    DECISION_TIMES_FILE,
    DECISIONS_FILE,
    HELPFUL_NOTES_FILE,
    POSTS_FILE,
    REVIEWS_FILE,
    read_dataset,
    write_dataset,
)
from townsquare.audits._dataset_export import dataset_from_database
from townsquare.audits._dataset_zip import dataset_zip
from townsquare.audits._errors import (
    AuditDatasetError,
    AuditError,
    AuditParameterError,
    AuditRunNotFoundError,
)
from townsquare.audits._forest_plot import FOREST_PLOT_WORDS, render_forest_plot
from townsquare.audits._impartiality import (
    Comparison,
    GroupCount,
    ImpartialityAudit,
    audit_impartiality,
)
from townsquare.audits._metrics import Metric
from townsquare.audits._parameters import AuditParameters
from townsquare.audits._report_json import AUDIT_FORMAT, audit_json, read_audit_json
from townsquare.audits._sentences import comparison_sentence
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
    AUTOMATED_BY_CLAUSE,
    AUTOMATED_BY_RULE,
    REPORT_SCHEMA,
    AppealNumbers,
    AutomatedMeans,
    AutomatedRule,
    Counts,
    Medians,
    NoticeNumbers,
    OrderNumbers,
    OwnInitiativeNumbers,
    SantaClaraNumbers,
    TransparencyReport,
)
from townsquare.audits._transparency_service import LiveReport, TransparencyReports
from townsquare.audits._viewpoint_inputs import read_viewpoints
from townsquare.audits._viewpoints import (
    FollowEdges,
    Viewpoint,
    ViewpointParameters,
    Viewpoints,
    infer_viewpoints,
)

__all__ = [
    "ACCOUNTS_FILE",
    "ALERT_ENTRY_TYPE",
    "AUDIT_ENTRY_TYPE",
    "AUDIT_ENTRY_VERSION",
    "AUDIT_FORMAT",
    "AUTOMATED_BY_CLAUSE",
    "AUTOMATED_BY_RULE",
    "DECISIONS_FILE",
    "DECISION_TIMES_FILE",
    "FOREST_PLOT_WORDS",
    "HELPFUL_NOTES_FILE",
    "MAX_PERIOD_DAYS",
    "POSTS_FILE",
    "REPORT_ENTRY_TYPE",
    "REPORT_ENTRY_VERSION",
    "REPORT_SCHEMA",
    "REVIEWS_FILE",
    "AppealNumbers",
    "AuditAccount",
    "AuditDataset",
    "AuditDatasetError",
    "AuditDecision",
    "AuditDecisionTime",
    "AuditEntries",
    "AuditError",
    "AuditHelpfulNote",
    "AuditParameterError",
    "AuditParameters",
    "AuditPost",
    "AuditReview",
    "AuditRunNotFoundError",
    "AutomatedMeans",
    "AutomatedRule",
    "ChartSpec",
    "Comparison",
    "Counts",
    "FollowEdges",
    "GroupCount",
    "ImpartialityAudit",
    "ImpartialityAudits",
    "InvalidPeriodError",
    "LiveAudit",
    "LiveReport",
    "LoggedAppeal",
    "LoggedDecision",
    "LoggedNotice",
    "LoggedRequest",
    "Medians",
    "Metric",
    "NoticeNumbers",
    "OrderNumbers",
    "OwnInitiativeNumbers",
    "PublishedAudit",
    "PublishedReport",
    "RenderedChart",
    "ReportFacts",
    "ReportPeriod",
    "SantaClaraNumbers",
    "TransparencyReport",
    "TransparencyReportError",
    "TransparencyReports",
    "Viewpoint",
    "ViewpointParameters",
    "Viewpoints",
    "audit_entries",
    "audit_impartiality",
    "audit_json",
    "build_report",
    "chart_specs",
    "comparison_sentence",
    "dataset_from_database",
    "dataset_zip",
    "half_year_of",
    "infer_viewpoints",
    "parse_period",
    "read_audit_json",
    "read_dataset",
    "read_viewpoints",
    "render_chart",
    "render_forest_plot",
    "report_entry",
    "report_hash",
    "report_json",
    "write_dataset",
]
