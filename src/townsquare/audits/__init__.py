"""Layer 5: the impartiality audit (read-only over the layers below).

- `read_dataset` / `write_dataset` read and write the published dataset: `accounts.csv`,
  `posts.csv`, `decisions.csv` (`AuditDataset` of `AuditAccount`, `AuditPost`,
  `AuditDecision`) and, when published, `reviews.csv` (`AuditReview`) and `helpful_notes.csv`
  (`AuditHelpfulNote`).
- `audit_impartiality` compares two groups on every `Metric` under `AuditParameters` and
  returns an `ImpartialityAudit` of `Comparison`s; `audit_json` writes it as deterministic
  JSON, `comparison_sentence` says one comparison in a plain sentence.
- `townsquare.audits.statistics` is the pure statistics underneath (numpy only).
- `infer_viewpoints` scores and groups accounts (`Viewpoints`, `Viewpoint` A / B / neither)
  from behaviour only: the notes rater factor and the follow graph (`FollowEdges`,
  `ViewpointParameters`); `read_viewpoints` does it from the database, and
  `dataset_from_database` reads this server's dataset with those groups
  (docs/design/audit-viewpoints.md). Nothing stores the groups; moderation cannot import them.

Errors: `AuditDatasetError` for a dataset that cannot be read (naming file, line and column),
`AuditParameterError` for parameters out of range; both are `AuditError`s.
docs/design/audit.md explains the method.
"""

from townsquare.audits._dataset import (
    AuditAccount,
    AuditDataset,
    AuditDecision,
    AuditHelpfulNote,
    AuditPost,
    AuditReview,
)
from townsquare.audits._dataset_csv import (
    ACCOUNTS_FILE,
    DECISIONS_FILE,
    HELPFUL_NOTES_FILE,
    POSTS_FILE,
    REVIEWS_FILE,
    read_dataset,
    write_dataset,
)
from townsquare.audits._dataset_export import dataset_from_database
from townsquare.audits._errors import AuditDatasetError, AuditError, AuditParameterError
from townsquare.audits._impartiality import (
    Comparison,
    GroupCount,
    ImpartialityAudit,
    audit_impartiality,
)
from townsquare.audits._metrics import Metric
from townsquare.audits._parameters import AuditParameters
from townsquare.audits._report_json import AUDIT_FORMAT, audit_json
from townsquare.audits._sentences import comparison_sentence
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
    "AUDIT_FORMAT",
    "DECISIONS_FILE",
    "HELPFUL_NOTES_FILE",
    "POSTS_FILE",
    "REVIEWS_FILE",
    "AuditAccount",
    "AuditDataset",
    "AuditDatasetError",
    "AuditDecision",
    "AuditError",
    "AuditHelpfulNote",
    "AuditParameterError",
    "AuditParameters",
    "AuditPost",
    "AuditReview",
    "Comparison",
    "FollowEdges",
    "GroupCount",
    "ImpartialityAudit",
    "Metric",
    "Viewpoint",
    "ViewpointParameters",
    "Viewpoints",
    "audit_impartiality",
    "audit_json",
    "comparison_sentence",
    "dataset_from_database",
    "infer_viewpoints",
    "read_dataset",
    "read_viewpoints",
    "write_dataset",
]
