"""Decisions are values: what a moderator decided, before `enforce` checks and applies it.

A `Decision` names its target (a post, an account, or a URL/domain), the action, and the
clause version it relies on; `enforce` turns it into an `Action` (the row it wrote and the
ledger entry that records it).
"""

import re
from dataclasses import dataclass
from datetime import datetime

from townsquare.microblog import Surface
from townsquare.moderation._errors import InvalidDecisionError
from townsquare.moderation._policies import ActionKind

__all__ = [
    "ACCOUNT_ACTIONS",
    "DEFAULT_REDUCED_SURFACES",
    "POST_ACTIONS",
    "REDUCIBLE_SURFACES",
    "URL_ACTIONS",
    "AccountTarget",
    "Action",
    "Approval",
    "CopyOf",
    "Decision",
    "PostTarget",
    "Target",
    "UrlTarget",
    "check_decision",
    "url_key",
]

POST_ACTIONS = frozenset(
    {
        ActionKind.LABEL,
        ActionKind.INTERSTITIAL,
        ActionKind.REDUCE_REACH,
        ActionKind.REMOVE,
        ActionKind.GEO_RESTRICT,
    }
)
ACCOUNT_ACTIONS = frozenset({ActionKind.WARN, ActionKind.LIMIT, ActionKind.SUSPEND})
URL_ACTIONS = frozenset({ActionKind.BLOCK_URL})
_ANY_TARGET = frozenset({ActionKind.RESTORE, ActionKind.NO_ACTION})

# Reduced reach hides a post where it would reach strangers; the profile, the thread and the
# link keep showing it, with the restriction labelled (issue 4, "One enforcement path").
REDUCIBLE_SURFACES = frozenset(
    {Surface.HOME, Surface.PUBLIC, Surface.HASHTAG, Surface.SEARCH, Surface.NOTIFICATIONS}
)
DEFAULT_REDUCED_SURFACES = (Surface.PUBLIC, Surface.HASHTAG, Surface.SEARCH)

_COUNTRY = re.compile(r"[A-Z]{2}")
_URL_KEY = re.compile(r"[^\s/]+\.[^\s/]+(/\S*)?")
_SCHEME = re.compile(r"^https?://", re.IGNORECASE)
_MAX_FACTS = 5000  # DSA-TDB `decision_facts`
_MAX_TEXT = 500


@dataclass(frozen=True)
class PostTarget:
    post_id: int


@dataclass(frozen=True)
class AccountTarget:
    account_id: int


@dataclass(frozen=True)
class UrlTarget:
    """A domain (`example.com`, which covers its subdomains) or a URL prefix
    (`https://example.com/scam`); compared without scheme and case (see `url_key`)."""

    url: str


Target = PostTarget | AccountTarget | UrlTarget


@dataclass(frozen=True)
class Approval:
    """A second moderator's approval of a recorded proposal (`proposal_id`), which the
    two-person rule of an election window requires; `enforce` checks it against the record."""

    proposal_id: int
    approver_id: int


@dataclass(frozen=True)
class CopyOf:
    """What a decision on a copy says of its original: the action that decided the original
    post (`action_id`, on `post_id`) and how similar the copy is (the Jaccard index of their
    shingles, 0 to 1, rounded to two decimals in the entry)."""

    action_id: int
    post_id: int
    similarity: float


@dataclass(frozen=True)
class Decision:
    """What a moderator (`actor_id`) decided, citing `clause` as `id@version`.

    `ends_at` ends a temporary action (None: until restored). `territorial_scope` holds ISO
    3166 alpha-2 codes (geo-restriction only). `surfaces` are those reduced reach hides
    (default: public and hashtag timelines, search). `restores` is the id of the action a
    RESTORE reverses; its `target` must be that action's target. `approval` is the second
    moderator's, when an election window requires one (`_elections`). `copy_of` links a
    decision on a copy of a decided post to that post's decision (`_copies`). `rule` is the
    automated rule (`id@version`) that detected the item, if one did: the rule that acted,
    or the one that opened the case a moderator decides.
    """

    actor_id: int
    action: ActionKind
    target: Target
    clause: str
    facts: str
    automated_detection: bool = False
    automated_decision: bool = False
    territorial_scope: tuple[str, ...] = ()
    ends_at: datetime | None = None
    surfaces: tuple[Surface, ...] = ()
    label: str = ""
    content_warning: str = ""
    case_id: int | None = None
    restores: int | None = None
    approval: Approval | None = None
    copy_of: CopyOf | None = None
    rule: str | None = None


@dataclass(frozen=True)
class Action:
    """A decision as enforced: its id, when, whom it affects, and its ledger entry's bytes."""

    id: int
    decision: Decision
    created_at: datetime
    affected_account_id: int | None
    entry: bytes


def url_key(written: str) -> str:
    """`https://Example.com/Path/` → `example.com/path`: the form URL blocks match on."""
    key = _SCHEME.sub("", written.strip()).rstrip("/").lower()
    if not _URL_KEY.fullmatch(key):
        raise InvalidDecisionError(
            f"URL target {written!r}: expected a domain such as example.com or an http(s) URL"
        )
    return key


def check_decision(decision: Decision) -> None:
    """Raise `InvalidDecisionError` unless the decision is complete and consistent."""
    kind = decision.action
    _require(
        kind in _ANY_TARGET or kind in _actions_for(decision.target),
        f"action {kind}: not applicable to a {_target_name(decision.target)} target",
    )
    _require(
        (decision.restores is not None) == (kind == ActionKind.RESTORE),
        "restores: expected the id of the action reversed for a restore, and only then",
    )
    _require(
        0 < len(decision.facts.strip()) <= _MAX_FACTS,
        f"facts: expected 1 to {_MAX_FACTS} characters stating what the decision relies on",
    )
    _check_scope(decision)
    _check_texts(decision)
    _check_copy(decision)
    _check_rule(decision)
    if isinstance(decision.target, UrlTarget):
        url_key(decision.target.url)
    if decision.ends_at is not None:
        _require(decision.ends_at.tzinfo is not None, "ends_at: expected an aware datetime")


def _check_rule(decision: Decision) -> None:
    if decision.rule is None:
        return
    rule, at, version = decision.rule.partition("@")
    _require(bool(rule and at and version.isdigit()), "rule: expected a rule version as id@version")
    _require(decision.automated_detection, "rule: a rule's detection is an automated detection")


def _check_scope(decision: Decision) -> None:
    geo = decision.action == ActionKind.GEO_RESTRICT
    scope = decision.territorial_scope
    _require(
        bool(scope) == geo,
        "territorial_scope: expected country codes for a geo-restriction, and only then",
    )
    bad = [code for code in scope if not _COUNTRY.fullmatch(code)]
    _require(not bad, f"territorial_scope: expected ISO 3166 alpha-2 codes, found {bad}")
    reduces = decision.action in {ActionKind.REDUCE_REACH, ActionKind.LIMIT}
    _require(reduces or not decision.surfaces, "surfaces: only reduced reach or limit names them")
    wrong = [s.value for s in decision.surfaces if s not in REDUCIBLE_SURFACES]
    _require(
        not wrong,
        f"surfaces: reduced reach may hide {sorted(REDUCIBLE_SURFACES)}, found {wrong}",
    )


def _check_texts(decision: Decision) -> None:
    label, warning = decision.label.strip(), decision.content_warning.strip()
    is_label = decision.action == ActionKind.LABEL
    is_warning = decision.action == ActionKind.INTERSTITIAL
    may_label = decision.action in {ActionKind.LABEL, ActionKind.REDUCE_REACH}
    _require(bool(label) or not is_label, "label: expected the text to show for a label")
    _require(may_label or not label, "label: only a label or reduced reach shows one")
    _require(bool(warning) == is_warning, "content_warning: expected it for an interstitial only")
    _require(
        len(label) <= _MAX_TEXT and len(warning) <= _MAX_TEXT,
        f"label, content_warning: expected at most {_MAX_TEXT} characters",
    )


def _check_copy(decision: Decision) -> None:
    copy = decision.copy_of
    if copy is None:
        return
    _require(isinstance(decision.target, PostTarget), "copy_of: only a post is a copy")
    _require(0.0 <= copy.similarity <= 1.0, "copy_of: expected a similarity from 0 to 1")
    _require(decision.target != PostTarget(copy.post_id), "copy_of: a post is not a copy of itself")


def _actions_for(target: Target) -> frozenset[ActionKind]:
    if isinstance(target, PostTarget):
        return POST_ACTIONS
    if isinstance(target, AccountTarget):
        return ACCOUNT_ACTIONS
    return URL_ACTIONS


def _target_name(target: Target) -> str:
    return {PostTarget: "post", AccountTarget: "account", UrlTarget: "URL"}[type(target)]


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidDecisionError(f"decision: {message}")
