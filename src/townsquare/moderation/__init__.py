"""Layer 4: moderation in the open — policies as code, reports, cases, `enforce`, visibility.

Policies are versioned files (`policies/` at the repository root, shipped in the wheel):
`load_policies` parses and validates them into a `PolicySet` of `Clause`s, each cited as
`clause@version`; `record_policies` appends every clause version not yet recorded to the
ledger, so a decision can only cite a text the public log already holds.

Errors: `PolicyError` for a policy file that breaks a rule (an `InvalidInputError`),
`UnknownClauseError` / `UnknownPolicyError` for a clause or policy that does not exist
(`NotFoundError`s); all are `ModerationError`s (`TownsquareError`s).

Enforcement: `Moderation.enforce(Decision)` is the one code path that changes what anyone
sees. It writes the action, the visibility projection (`Restriction`s), the ledger entry
(`moderation.decision`, the statement of reasons) and the author's notice in one
transaction. `ModerationVisibility` is the microblog's visibility port over that projection;
`replay` rebuilds the projection from the ledger alone. Refusals: `NotAModeratorError`,
`OwnContentError`, `ActionNotAllowedError`, `InvalidDecisionError`, `TargetNotFoundError`,
`ActionNotFoundError`, `AlreadyLiftedError`.
"""

from townsquare.moderation._decisions import (
    AccountTarget,
    Action,
    Decision,
    PostTarget,
    Target,
    UrlTarget,
)
from townsquare.moderation._errors import (
    ActionNotAllowedError,
    ActionNotFoundError,
    AlreadyLiftedError,
    InvalidDecisionError,
    NotAModeratorError,
    OwnContentError,
    TargetNotFoundError,
)
from townsquare.moderation._moderation import Moderation
from townsquare.moderation._policies import (
    ActionKind,
    Clause,
    Ground,
    Policy,
    PolicySet,
)
from townsquare.moderation._policy_errors import (
    ModerationError,
    PolicyError,
    UnknownClauseError,
    UnknownPolicyError,
)
from townsquare.moderation._policy_files import default_policy_directory, load_policies
from townsquare.moderation._policy_ledger import record_policies, recorded_policy_versions
from townsquare.moderation._projection import Restriction
from townsquare.moderation._reasons import DECISION_ENTRY_TYPE
from townsquare.moderation._replay import ProjectionDifference, Replayed, replay
from townsquare.moderation._visibility import ModerationVisibility, viewer_country

__all__ = [
    "DECISION_ENTRY_TYPE",
    "AccountTarget",
    "Action",
    "ActionKind",
    "ActionNotAllowedError",
    "ActionNotFoundError",
    "AlreadyLiftedError",
    "Clause",
    "Decision",
    "Ground",
    "InvalidDecisionError",
    "Moderation",
    "ModerationError",
    "ModerationVisibility",
    "NotAModeratorError",
    "OwnContentError",
    "Policy",
    "PolicyError",
    "PolicySet",
    "PostTarget",
    "ProjectionDifference",
    "Replayed",
    "Restriction",
    "Target",
    "TargetNotFoundError",
    "UnknownClauseError",
    "UnknownPolicyError",
    "UrlTarget",
    "default_policy_directory",
    "load_policies",
    "record_policies",
    "recorded_policy_versions",
    "replay",
    "viewer_country",
]
