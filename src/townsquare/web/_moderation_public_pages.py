"""Moderation in public: the latest decisions, a decided case with its deliberation, and a
post's "why?" page listing every ledger entry that affects it, each with its proof.

Everything here is read from what the ledger and the published cases already make public:
the why page from the post's ledger entries, a case page from the case's outcome.
"""

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from townsquare.ledger import Entry, LedgerLog, decode_entry
from townsquare.microblog import Account, AccountNotFoundError, Microblog
from townsquare.moderation import (
    ANSWER_ENTRY_TYPE,
    APPEAL_ENTRY_TYPE,
    DECISION_ENTRY_TYPE,
    INTAKE_ENTRY_TYPE,
    CaseOutcome,
    Moderation,
    PolicySet,
    ProposalState,
    PublishedCase,
    UnknownClauseError,
)
from townsquare.web._lead import Lead, lead_from_entries, lead_from_outcome, lead_sentence
from townsquare.web._moderation_appeal_pages import (
    APPEAL_STATE_LABELS,
    action_label,
    clause_title,
)
from townsquare.web._moderation_pages import PROPOSAL_STATE_LABELS
from townsquare.web._policy_pages import ACTION_LABELS
from townsquare.web._request_labels import REQUESTER_LABELS
from townsquare.web._statement_words import clause_link
from townsquare.web._templates import page
from townsquare.web._visitors import Visitor

__all__ = [
    "LeadShown",
    "ShownDecision",
    "decisions_page",
    "public_case_page",
    "shown_decision",
    "why_page",
]

DECISIONS_SCANNED = 500  # the latest entries read for /decisions
_MODERATION_TYPES = frozenset({DECISION_ENTRY_TYPE, APPEAL_ENTRY_TYPE})


@dataclass(frozen=True)
class ShownDecision:
    """A decision or appeal outcome from the ledger, in the visitor's words. `index` is its
    ledger index (None while the sequencer has not integrated it yet)."""

    index: int | None
    entry: Entry
    action: str
    clause: str
    clause_title: str
    when: str
    case_id: str

    @property
    def is_appeal(self) -> bool:
        return self.entry.type == APPEAL_ENTRY_TYPE

    @property
    def is_request(self) -> bool:
        """An outside request's intake or answer (a post's receipt lists them once public)."""
        return self.entry.type in {INTAKE_ENTRY_TYPE, ANSWER_ENTRY_TYPE}

    @property
    def is_request_answer(self) -> bool:
        return self.entry.type == ANSWER_ENTRY_TYPE

    def field(self, name: str) -> str:
        return _string(self.entry, name)


def _string(entry: Entry, name: str) -> str:
    value = entry.fields.get(name)
    return value if isinstance(value, str) else ""


def shown_decision(index: int | None, entry: Entry, visitor: Visitor) -> ShownDecision:
    return ShownDecision(
        index=index,
        entry=entry,
        action=action_label(entry.fields.get("action"), visitor),
        clause=_string(entry, "clause"),
        clause_title=clause_title(entry.fields.get("clause_title"), visitor),
        when=_when(entry)[:10],
        case_id=_string(entry, "case_id"),
    )


def _when(entry: Entry) -> str:
    for name in ("decided_at", "filed_at", "answered_at", "received_at"):
        if found := _string(entry, name):
            return found
    return ""


def _latest_entries(ledger: LedgerLog) -> list[tuple[int, Entry]]:
    """The last `DECISIONS_SCANNED` entries of the ledger with their indexes, oldest first."""
    size = ledger.checkpoint().size
    start = max(0, size - DECISIONS_SCANNED)
    return [(start + i, decode_entry(raw)) for i, raw in enumerate(ledger.entries(start, size))]


@get("/decisions", sync_to_thread=True)
def decisions_page(
    visitor: NamedDependency[Visitor], ledger: NamedDependency[LedgerLog]
) -> Response[Any]:
    """The latest decisions and appeal outcomes in the ledger, newest first."""
    entries = _latest_entries(ledger)
    shown = [
        shown_decision(i, e, visitor) for i, e in reversed(entries) if e.type in _MODERATION_TYPES
    ]
    return page(visitor, "decisions.html", decisions=shown)


@dataclass(frozen=True)
class LeadShown:
    """A page's opening: the plain sentence, where to read the rule, and — for someone who
    may still appeal the decision (`Appeals.open_until`) — until when."""

    sentence: str
    rule_link: str
    appeal_until: datetime | None


def _lead_shown(
    lead: Lead, action_id: int, visitor: Visitor, moderation: Moderation, policies: PolicySet
) -> LeadShown:
    account = visitor.account
    return LeadShown(
        sentence=lead_sentence(lead, visitor),
        rule_link=_rule_link(policies, lead.clause),
        appeal_until=(
            moderation.appeals.open_until(action_id, account.id) if account is not None else None
        ),
    )


def _rule_link(policies: PolicySet, ref: str) -> str:
    try:
        return clause_link(policies.clause(ref))
    except UnknownClauseError:
        return "/policies"


def _receipt_lead(
    entries: Sequence[ShownDecision],
    visitor: Visitor,
    moderation: Moderation,
    policies: PolicySet,
) -> LeadShown | None:
    """The opening of a post's receipt: its latest decision among `entries` (restorations
    are what an appeal leads to, not decisions to lead with), or None when there is none."""
    decisions = [
        e for e in entries if e.entry.type == DECISION_ENTRY_TYPE and e.field("action") != "restore"
    ]
    if not decisions:
        return None
    decision = decisions[-1]
    action_id = decision.field("action_id")
    appeal = next(
        (e.entry.fields for e in entries if e.is_appeal and e.field("action_id") == action_id),
        None,
    )
    lead = lead_from_entries(decision.entry.fields, appeal, decision.clause_title)
    return _lead_shown(lead, int(action_id), visitor, moderation, policies)


def _case_lead(
    outcome: CaseOutcome | None,
    found: PublishedCase,
    visitor: Visitor,
    moderation: Moderation,
    policies: PolicySet,
) -> LeadShown | None:
    """The opening of a case page, from the case's outcome (None: not decided)."""
    if outcome is None:
        return None
    titles = outcome.clause_title
    title = titles.get(visitor.language) or titles.get("en", "")
    lead = lead_from_outcome(outcome, title, _deciders(found))
    return _lead_shown(lead, outcome.action_id, visitor, moderation, policies)


def _deciders(found: PublishedCase) -> tuple[str, ...]:
    """The pseudonyms of the two moderators of an approved proposal (an election window)."""
    for proposal in found.proposals:
        if proposal.state == ProposalState.APPROVED and proposal.decided_by:
            return (proposal.proposer, proposal.decided_by)
    return ()


def _author(microblog: Microblog, account_id: int) -> Account | None:
    try:
        return microblog.accounts.get(account_id)
    except AccountNotFoundError:
        return None


@get("/cases/{case_id:int}", sync_to_thread=True)
def public_case_page(
    visitor: NamedDependency[Visitor],
    moderation: NamedDependency[Moderation],
    microblog: NamedDependency[Microblog],
    policies: NamedDependency[PolicySet],
    case_id: FromPath[int],
) -> Response[Any]:
    """A decided case: a sentence saying what was decided, where it stands now (`outcome`,
    a `CaseOutcome`: the appeal, what is in force, the facts stated), then its redacted
    deliberation, under pseudonyms, and the copies the decision covered (`copy_of`)."""
    found = moderation.cases.published(case_id)
    outcome = moderation.case_outcome(case_id)
    action_id = found.case.action_id
    return page(
        visitor,
        "case_public.html",
        found=found,
        outcome=outcome,
        appeal_states=APPEAL_STATE_LABELS,
        author=_author(microblog, found.case.author_id),
        action=action_label(found.case.outcome, visitor),
        lead=_case_lead(outcome, found, visitor, moderation, policies),
        action_labels=ACTION_LABELS,
        proposal_states=PROPOSAL_STATE_LABELS,
        requests=moderation.requests.published_for_case(case_id),
        requester_labels=REQUESTER_LABELS,
        covered=moderation.copies_covered(action_id) if action_id is not None else [],
    )


@dataclass(frozen=True)
class ProvedDecision:
    """A ledger entry affecting a post, with its inclusion proof."""

    shown: ShownDecision
    leaf_hash: str
    tree_size: int
    proof: tuple[str, ...]


def _base64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@dataclass(frozen=True)
class ShownEdit:
    """An edit of the post, and the latest decision it came after ("" when none)."""

    when: str
    after_decision: str


def _shown_edits(edits: Sequence[datetime], entries: Sequence[ShownDecision]) -> list[ShownEdit]:
    decided = sorted(
        datetime.fromisoformat(found)
        for e in entries
        if e.entry.type == DECISION_ENTRY_TYPE and (found := e.field("decided_at"))
    )
    shown = []
    for at in edits:
        before = [d for d in decided if d <= at]
        shown.append(ShownEdit(at.isoformat()[:16].replace("T", " "), _day(before[-1:])))
    return shown


def _day(moments: Sequence[datetime]) -> str:
    return moments[0].date().isoformat() if moments else ""


@get("/posts/{post_id:int}/why", sync_to_thread=True)
def why_page(
    visitor: NamedDependency[Visitor],
    moderation: NamedDependency[Moderation],
    microblog: NamedDependency[Microblog],
    ledger: NamedDependency[LedgerLog],
    policies: NamedDependency[PolicySet],
    post_id: FromPath[int],
) -> Response[Any]:
    """Why a post is shown as it is: a sentence on the latest decision, then every ledger
    entry affecting the post, oldest first, each with its proof, and the post's edits, each
    saying which decision it came after."""
    proved = []
    for index in moderation.receipt_for_post(post_id):
        entry = ledger.prove(index)
        proved.append(
            ProvedDecision(
                shown=shown_decision(index, decode_entry(entry.entry), visitor),
                leaf_hash=_base64(entry.leaf_hash),
                tree_size=entry.checkpoint.size,
                proof=tuple(_base64(element) for element in entry.proof),
            )
        )
    shown = [p.shown for p in proved]
    lead = _receipt_lead(shown, visitor, moderation, policies)
    edits = _shown_edits(microblog.posts.edit_times(post_id), shown)
    return page(visitor, "why.html", post_id=post_id, entries=proved, lead=lead, edits=edits)
