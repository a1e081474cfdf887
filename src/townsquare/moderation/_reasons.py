"""The statement of reasons: the ledger entry that records one decision.

Its fields are a superset of DSA Art. 17 and of the DSA Transparency Database's statement
of reasons (its submission schema), under the DSA-TDB's own names and enum keys, so an
export is a projection. It also carries what the visibility
projection is rebuilt from (`replay`): the action id, the target, the texts shown, the
surfaces, the scope and the end. It never holds the moderated content itself, and ids are
strings (snowflakes exceed the entry format's integers).

Version 2 added `election_window` (the window whose two-person rule the decision was taken
under, or null) and `second_moderator_approval` (whether a second moderator approved it);
version 1 entries, written before election windows existed, have neither.
Version 3 added `copy_of`: for a decision on a copy of a decided post, the original's
action id and post id and the copy's similarity (a decimal string, two places); null
otherwise. It lets anyone count, from the log alone, the copies a decision covered.
Version 4 added `rule`: the automated rule version (`id@version`) that detected the item —
the rule that acted, or the one whose case a moderator decided — or null. With the
`rule.detection` entries, it lets anyone count each rule's actions from the log alone.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from townsquare.ledger import JSON
from townsquare.moderation._decisions import (
    DEFAULT_REDUCED_SURFACES,
    AccountTarget,
    Decision,
    PostTarget,
    url_key,
)
from townsquare.moderation._policies import ActionKind, Clause, Ground

__all__ = [
    "DECISION_ENTRY_TYPE",
    "DECISION_ENTRY_VERSION",
    "DECISION_ENTRY_VERSIONS",
    "Circumstances",
    "statement_of_reasons",
]

DECISION_ENTRY_TYPE = "moderation.decision"
DECISION_ENTRY_VERSION = 4
DECISION_ENTRY_VERSIONS = frozenset({1, 2, 3, 4})
"""Every version of the entry a ledger may hold; readers accept them all."""

_VISIBILITY: Mapping[ActionKind, tuple[str, ...]] = {
    ActionKind.REMOVE: ("DECISION_VISIBILITY_CONTENT_REMOVED",),
    ActionKind.GEO_RESTRICT: ("DECISION_VISIBILITY_CONTENT_DISABLED",),
    ActionKind.BLOCK_URL: ("DECISION_VISIBILITY_CONTENT_DISABLED",),
    ActionKind.REDUCE_REACH: ("DECISION_VISIBILITY_CONTENT_DEMOTED",),
    ActionKind.LIMIT: ("DECISION_VISIBILITY_CONTENT_DEMOTED",),
    ActionKind.LABEL: ("DECISION_VISIBILITY_CONTENT_LABELLED",),
    ActionKind.INTERSTITIAL: ("DECISION_VISIBILITY_OTHER",),
}
_INTERSTITIAL = "Content placed behind a warning the reader must click through"
# Art. 17(3)(f): every statement names the three ways to seek redress.
_REDRESS = ("INTERNAL_COMPLAINT_HANDLING", "OUT_OF_COURT_DISPUTE_SETTLEMENT", "JUDICIAL_REDRESS")


@dataclass(frozen=True)
class Circumstances:
    """What `enforce` learned while checking the decision: the action's id and time, the
    account affected, the date of the content (DSA-TDB `content_date`), the election
    window whose two-person rule it was taken under, and the kind of notice it followed
    (DSA-TDB `source_type`, see `_sources`)."""

    action_id: int
    decided_at: datetime
    affected_account_id: int | None
    content_date: datetime | None
    election_window_id: int | None = None
    source_type: str = "SOURCE_VOLUNTARY"


def statement_of_reasons(
    decision: Decision, clause: Clause, facts: Circumstances
) -> dict[str, JSON]:
    """The fields of the `moderation.decision` entry for `decision` (pure)."""
    return {
        **_what_happened(decision, facts),
        **_restriction_type(decision),
        **_ground(clause),
        "decision_facts": decision.facts,
        "category": clause.dsa_category,
        "category_specification": _strings(sorted(clause.dsa_keywords)),
        "content_type": _strings(["CONTENT_TYPE_TEXT"]),
        "content_date": _date(facts.content_date),
        "source_type": facts.source_type,
        "automated_detection": "Yes" if decision.automated_detection else "No",
        "automated_decision": (
            "AUTOMATED_DECISION_FULLY"
            if decision.automated_decision
            else "AUTOMATED_DECISION_NOT_AUTOMATED"
        ),
        "territorial_scope": _strings(sorted(decision.territorial_scope)),
        "application_date": _date(facts.decided_at),
        **_end_dates(decision),
        "redress": _strings(_REDRESS),
    }


def _what_happened(decision: Decision, facts: Circumstances) -> dict[str, JSON]:
    """Our own fields: what was done to what, and what replay needs to rebuild it."""
    reduces = decision.action in {ActionKind.REDUCE_REACH, ActionKind.LIMIT}
    surfaces = decision.surfaces or (DEFAULT_REDUCED_SURFACES if reduces else ())
    return {
        "action_id": str(facts.action_id),
        "action": decision.action.value,
        "target": _target(decision),
        "account_id": _id(facts.affected_account_id),
        "restores": _id(decision.restores),
        "case_id": _id(decision.case_id),
        "clause": decision.clause,
        "decided_at": facts.decided_at.isoformat(),
        "ends_at": decision.ends_at.isoformat() if decision.ends_at else None,
        "label": decision.label.strip() or None,
        "content_warning": decision.content_warning.strip() or None,
        "surfaces": _strings(sorted(s.value for s in surfaces)),
        "election_window": _id(facts.election_window_id),
        "second_moderator_approval": decision.approval is not None,
        "copy_of": _copy_of(decision),
        "rule": decision.rule,
    }


def _copy_of(decision: Decision) -> JSON:
    copy = decision.copy_of
    if copy is None:
        return None
    return {
        "action_id": str(copy.action_id),
        "post_id": str(copy.post_id),
        "similarity": f"{copy.similarity:.2f}",
    }


def _target(decision: Decision) -> dict[str, JSON]:
    target = decision.target
    if isinstance(target, PostTarget):
        return {"kind": "post", "id": str(target.post_id)}
    if isinstance(target, AccountTarget):
        return {"kind": "account", "id": str(target.account_id)}
    return {"kind": "url", "url": url_key(target.url)}


def _restriction_type(decision: Decision) -> dict[str, JSON]:
    visibility = _VISIBILITY.get(decision.action)
    suspended = decision.action == ActionKind.SUSPEND
    return {
        "decision_visibility": _strings(visibility) if visibility else None,
        "decision_visibility_other": (
            _INTERSTITIAL if decision.action == ActionKind.INTERSTITIAL else None
        ),
        "decision_account": "DECISION_ACCOUNT_SUSPENDED" if suspended else None,
        "decision_provision": (
            "DECISION_PROVISION_PARTIAL_SUSPENSION" if decision.action == ActionKind.LIMIT else None
        ),
    }


def _ground(clause: Clause) -> dict[str, JSON]:
    """Art. 17(3)(d)/(e): the legal or contractual ground, cited by clause version and hash."""
    cited = f"{clause.ref}: {clause.title_in('en')}"
    illegal = clause.ground == Ground.ILLEGAL_CONTENT
    return {
        "decision_ground": clause.ground.decision_ground,
        "illegal_content_legal_ground": cited if illegal else None,
        "incompatible_content_ground": None if illegal else cited,
        "clause_title": dict(clause.title),
        "policy_hash": clause.content_hash,
    }


def _end_dates(decision: Decision) -> dict[str, JSON]:
    on_account = decision.action in {ActionKind.SUSPEND, ActionKind.LIMIT}
    end = _date(decision.ends_at)
    return {
        "end_date_visibility_restriction": None if on_account else end,
        "end_date_account_restriction": end if on_account else None,
    }


def _date(moment: datetime | None) -> str | None:
    return moment.date().isoformat() if moment else None


def _id(value: int | None) -> str | None:
    return None if value is None else str(value)


def _strings(items: Iterable[str]) -> list[JSON]:
    return list(items)
