"""Moderation in public: the latest decisions, a decided case with its deliberation, and a
post's "why?" page listing every ledger entry that affects it, each with its proof.

Everything here is read from what the ledger and the published cases already make public.
"""

import base64
from dataclasses import dataclass
from typing import Any

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from townsquare.ledger import Entry, LedgerLog, decode_entry
from townsquare.moderation import (
    ANSWER_ENTRY_TYPE,
    APPEAL_ENTRY_TYPE,
    DECISION_ENTRY_TYPE,
    INTAKE_ENTRY_TYPE,
    Moderation,
)
from townsquare.web._moderation_appeal_pages import (
    APPEAL_STATE_LABELS,
    action_label,
    clause_title,
)
from townsquare.web._moderation_pages import PROPOSAL_STATE_LABELS
from townsquare.web._policy_pages import ACTION_LABELS
from townsquare.web._request_labels import REQUESTER_LABELS
from townsquare.web._templates import page
from townsquare.web._visitors import Visitor

__all__ = ["ShownDecision", "decisions_page", "public_case_page", "shown_decision", "why_page"]

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


@get("/decisions", sync_to_thread=True)
def decisions_page(
    visitor: NamedDependency[Visitor], ledger: NamedDependency[LedgerLog]
) -> Response[Any]:
    """The latest decisions and appeal outcomes in the ledger, newest first."""
    size = ledger.checkpoint().size
    start = max(0, size - DECISIONS_SCANNED)
    entries = [(start + i, decode_entry(raw)) for i, raw in enumerate(ledger.entries(start, size))]
    shown = [
        shown_decision(i, e, visitor) for i, e in reversed(entries) if e.type in _MODERATION_TYPES
    ]
    return page(visitor, "decisions.html", decisions=shown)


@get("/cases/{case_id:int}", sync_to_thread=True)
def public_case_page(
    visitor: NamedDependency[Visitor],
    moderation: NamedDependency[Moderation],
    case_id: FromPath[int],
) -> Response[Any]:
    """A decided case: the decision, where it stands now (`outcome`, a `CaseOutcome`: the
    appeal, what is in force, the facts stated), its redacted deliberation, under
    pseudonyms."""
    found = moderation.cases.published(case_id)
    return page(
        visitor,
        "case_public.html",
        found=found,
        outcome=moderation.case_outcome(case_id),
        appeal_states=APPEAL_STATE_LABELS,
        action=action_label(found.case.outcome, visitor),
        action_labels=ACTION_LABELS,
        proposal_states=PROPOSAL_STATE_LABELS,
        requests=moderation.requests.published_for_case(case_id),
        requester_labels=REQUESTER_LABELS,
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


@get("/posts/{post_id:int}/why", sync_to_thread=True)
def why_page(
    visitor: NamedDependency[Visitor],
    moderation: NamedDependency[Moderation],
    ledger: NamedDependency[LedgerLog],
    post_id: FromPath[int],
) -> Response[Any]:
    """Why a post is shown as it is: every ledger entry affecting it, oldest first."""
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
    return page(visitor, "why.html", post_id=post_id, entries=proved)
