"""Reports and cases.

POST /api/v1/reports                                      Mastodon: report an account or posts
GET  /api/v1/townsquare/moderation/queue                  moderators: the blind review queue
GET  /api/v1/townsquare/moderation/cases/<id>             moderators: a case file, blind
POST /api/v1/townsquare/moderation/cases/<id>/reveal      moderators: see the author, saying
                                                          why (published with the decision)
POST /api/v1/townsquare/moderation/cases/<id>/take        moderators: open → in_review
POST /api/v1/townsquare/moderation/cases/<id>/comments    moderators: deliberate
GET  /api/v1/townsquare/moderation/cases/<id>/copies      moderators: the copies of the case's
                                                          post, blind, with their similarity
POST /api/v1/townsquare/moderation/cases/<id>/decide      the reviewer: enforce, → decided
                                                          (or propose, → awaiting_approval),
                                                          and on each of the `copies` chosen
POST /api/v1/townsquare/moderation/cases/<id>/approve     a second moderator: enforce it
POST /api/v1/townsquare/moderation/cases/<id>/reject      ...or reject it (`reason`)
GET  /api/v1/townsquare/cases/<id>                        public: a decided case, redacted

Moderator routes need a token (401) and a moderator or admin (403, raised by `Cases`).
"""

from typing import Any

from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from townsquare.api._auth import require_user
from townsquare.api._entities import Renderer
from townsquare.api._errors import InvalidParameterError
from townsquare.api._fields import BODY, AnyRequest, Fields, parse_id, path_id, query_fields
from townsquare.api._rate_limits import count_attempt
from townsquare.api._status_routes import visible_post
from townsquare.microblog import LimitedAction, Microblog, Surface
from townsquare.moderation import (
    COPIES_LISTED,
    AccountTarget,
    ActionKind,
    Case,
    CaseDecision,
    CaseProposal,
    CaseState,
    Moderation,
    PostTarget,
    PublishedComment,
    QueueFilter,
    QueueItem,
    Report,
    ReportCategory,
    ReportDraft,
    RevealedAuthor,
    similarity_text,
)

__all__ = ["report_routes"]

_CASES = "/api/v1/townsquare/moderation/cases/{case_id:str}"


@post("/api/v1/reports", dependencies=BODY, status_code=200, sync_to_thread=True)
def create_report(
    request: AnyRequest,
    fields: NamedDependency[Fields],
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
) -> Response[dict[str, Any]]:
    """File a report on an account, or on some of its posts (one report per post, each
    joining that post's open case). `townsquare_clause` names the clause it breaks.
    Rate-limited (X-RateLimit-* headers); one request counts once, whatever it names."""
    reporter = require_user(request, microblog, "write:reports")
    account_id = fields.identifier("account_id")
    if account_id is None:
        raise InvalidParameterError("account_id is missing.")
    account = microblog.accounts.get(account_id)
    # Each post once: repeating a status id must not file (and count) it again.
    status_ids = list(dict.fromkeys(path_id(raw) for raw in fields.texts("status_ids")))
    for status_id in status_ids:
        if visible_post(microblog, reporter, str(status_id)).post.account_id != account_id:
            raise InvalidParameterError(f"status {status_id} is not by account {account_id}.")
    targets: list[PostTarget | AccountTarget] = [PostTarget(i) for i in status_ids]
    targets = targets or [AccountTarget(account_id)]
    drafts = [ReportDraft(reporter, target, *_report_details(fields)) for target in targets]
    headers = count_attempt(request, microblog, LimitedAction.REPORT, reporter)
    filed = [moderation.cases.report(draft) for draft in drafts]
    entity = _report_entity(filed[0], status_ids, fields.texts("rule_ids"))
    report = {**entity, "target_account": Renderer(microblog.links).account(account)}
    return Response(report, headers=headers)


def _report_details(fields: Fields) -> tuple[ReportCategory, str | None, str]:
    raw = fields.text("category", max_length=20) or "other"
    try:
        category = ReportCategory(raw)
    except ValueError:
        raise InvalidParameterError(
            "category must be one of spam, legal, violation or other."
        ) from None
    clause = fields.text("townsquare_clause", max_length=200)
    return category, clause or None, fields.text("comment", max_length=1000) or ""


def _report_entity(report: Report, status_ids: list[int], rule_ids: list[str]) -> dict[str, Any]:
    return {
        "id": str(report.id),
        "action_taken": False,
        "action_taken_at": None,
        "category": report.draft.category.value,
        "comment": report.draft.comment,
        "forwarded": False,
        "created_at": report.created_at.isoformat().replace("+00:00", "Z"),
        "status_ids": [str(i) for i in status_ids] or None,
        "rule_ids": rule_ids or None,
        "townsquare_case_id": str(report.case_id),
    }


@get("/api/v1/townsquare/moderation/queue", sync_to_thread=True)
def review_queue(
    request: AnyRequest,
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
) -> list[dict[str, Any]]:
    """Open and in-review cases, most urgent first; `state`, `clause`, `limit` (≤ 80) filter.
    Blind: authors by per-case pseudonyms, no post or account ids; a case's author is seen
    only through its `reveal` step."""
    moderator = require_user(request, microblog, "read")
    fields = query_fields(request)
    if "reveal_authors" in fields:
        raise InvalidParameterError(
            "reveal_authors is no longer accepted: to see who a case is about, POST "
            "/api/v1/townsquare/moderation/cases/<id>/reveal with a reason."
        )
    wanted = QueueFilter(
        states=_states(fields),
        clause=fields.text("clause", max_length=200) or None,
        limit=min(max(fields.integer("limit") or 40, 1), 80),
    )
    return [_queue_entity(item) for item in moderation.cases.queue(moderator, wanted)]


def _states(fields: Fields) -> tuple[CaseState, ...]:
    raw = fields.texts("state")
    try:
        return tuple(CaseState(s) for s in raw) or (CaseState.OPEN, CaseState.IN_REVIEW)
    except ValueError:
        states = ", ".join(s.value for s in CaseState)
        raise InvalidParameterError(f"state must be one of {states}.") from None


def _queue_entity(item: QueueItem) -> dict[str, Any]:
    return {
        "case_id": str(item.case_id),
        "state": item.state.value,
        "clause": item.clause,
        "severity": item.severity,
        "reach": item.reach,
        "report_count": item.report_count,
        "request_count": item.request_count,
        "priority": item.priority,
        "opened_at": item.opened_at.isoformat(),
        "author": item.author,
        "target_kind": item.target_kind,
    }


@get(_CASES, sync_to_thread=True)
def case_file(
    request: AnyRequest,
    case_id: FromPath[str],
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
) -> dict[str, Any]:
    """A case as moderators see it: blind — the post's content (`item`), the author by
    pseudonym, no post or account id — with its reports (not their reporters). `revealed`
    names the author once this moderator has revealed them."""
    moderator = require_user(request, microblog, "read")
    found = moderation.cases.case_file(path_id(case_id), moderator)
    item = found.item
    return {
        **_case_entity(found.case),
        "author": found.author,
        "item": None
        if item is None
        else {
            "content": item.content_html,
            "spoiler_text": item.spoiler_text,
            "language": item.language,
            "sensitive": item.sensitive,
            "deleted": item.deleted,
        },
        "revealed": None if found.revealed is None else _revealed_entity(found.revealed),
        "reports": [
            {
                "category": r.category.value,
                "clause": r.clause,
                "comment": r.comment,
                "created_at": r.created_at.isoformat(),
            }
            for r in found.reports
        ],
        "deliberation": [_comment_entity(c) for c in found.comments],
        "proposals": [_proposal_entity(p) for p in found.proposals],
    }


@post(f"{_CASES}/reveal", dependencies=BODY, status_code=200, sync_to_thread=True)
def reveal_author(
    request: AnyRequest,
    case_id: FromPath[str],
    fields: NamedDependency[Fields],
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
) -> dict[str, Any]:
    """Lift blind review on the case, saying why (`reason`): the reason joins the case's
    deliberation, published with its decision under your pseudonym. Answers who the
    author is."""
    moderator = require_user(request, microblog, "write")
    reason = fields.required_text("reason", max_length=5000)
    return _revealed_entity(moderation.cases.reveal(path_id(case_id), moderator, reason))


def _revealed_entity(revealed: RevealedAuthor) -> dict[str, Any]:
    return {
        "account_id": str(revealed.account_id),
        "username": revealed.username,
        "post_id": _id(revealed.post_id),
        "revealed_at": revealed.revealed_at.isoformat(),
    }


@post(f"{_CASES}/take", status_code=200, sync_to_thread=True)
def take_case(
    request: AnyRequest,
    case_id: FromPath[str],
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
) -> dict[str, Any]:
    """Take the case for review (open → in_review)."""
    moderator = require_user(request, microblog, "write")
    return _case_entity(moderation.cases.take(path_id(case_id), moderator))


@post(f"{_CASES}/comments", dependencies=BODY, status_code=200, sync_to_thread=True)
def comment_on_case(
    request: AnyRequest,
    case_id: FromPath[str],
    fields: NamedDependency[Fields],
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
) -> dict[str, Any]:
    """Add a comment to the deliberation (`text`); it is published with the decision."""
    moderator = require_user(request, microblog, "write")
    made = moderation.cases.comment(path_id(case_id), moderator, fields.required_text("text"))
    return {"id": str(made.id), "case_id": str(made.case_id), "text": made.body}


@post(f"{_CASES}/decide", dependencies=BODY, status_code=200, sync_to_thread=True)
def decide_case(
    request: AnyRequest,
    case_id: FromPath[str],
    fields: NamedDependency[Fields],
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
) -> dict[str, Any]:
    """Decide the case through `enforce`: `action`, `clause` as id@version, `facts`;
    `label` or `content_warning` when the action needs one; `territorial_scope` (country
    codes, for a geo-restriction), `surfaces` (where reduced reach hides the post; default
    public, hashtag and search) and `ends_at` (ISO 8601, for a temporary action). In an
    election window, on election-related content, the decision is proposed and the case
    awaits a second moderator (`state` is `awaiting_approval`). `copies`: ids of posts
    among the case's copies (`…/copies`), each decided the same way, on its own."""
    moderator = require_user(request, microblog, "write")
    decided = CaseDecision(
        action=_action(fields.required_text("action", max_length=20)),
        clause=fields.required_text("clause", max_length=200),
        facts=fields.required_text("facts", max_length=5000),
        label=fields.text("label", max_length=500) or "",
        content_warning=fields.text("content_warning", max_length=500) or "",
        territorial_scope=_countries(fields.texts("territorial_scope", max_items=250)),
        ends_at=fields.required_moment("ends_at") if "ends_at" in fields else None,
        surfaces=_surfaces(fields.texts("surfaces", max_items=len(Surface))),
    )
    copies = _post_ids(fields.texts("copies", max_items=COPIES_LISTED))
    return _case_entity(
        moderation.cases.decide(path_id(case_id), moderator, decided, copies=copies)
    )


@get(f"{_CASES}/copies", sync_to_thread=True)
def case_copies(
    request: AnyRequest,
    case_id: FromPath[str],
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
) -> list[dict[str, Any]]:
    """The case's post's copies not yet restricted, most similar first: blind (the text and
    the similarity, rounded down to two places, never the author)."""
    moderator = require_user(request, microblog, "read")
    return [
        {
            "post_id": str(copy.post_id),
            "similarity": similarity_text(copy.similarity),
            "text": copy.text,
        }
        for copy in moderation.cases.copies(path_id(case_id), moderator)
    ]


def _post_ids(raw: list[str]) -> list[int]:
    parsed = [parse_id(item) for item in raw]
    bad = [item for item, post_id in zip(raw, parsed, strict=True) if post_id is None]
    if bad:
        raise InvalidParameterError(f"copies: expected post ids, found {bad[:3]}")
    return [post_id for post_id in parsed if post_id is not None]


def _countries(codes: list[str]) -> tuple[str, ...]:
    """Country codes as typed ("fr", " DE") → ("DE", "FR"); `enforce` checks each."""
    return tuple(sorted({code.strip().upper() for code in codes if code.strip()}))


def _surfaces(names: list[str]) -> tuple[Surface, ...]:
    try:
        return tuple(Surface(name) for name in names)
    except ValueError:
        expected = ", ".join(s.value for s in Surface)
        raise InvalidParameterError(f"surfaces: expected some of {expected}") from None


@post(f"{_CASES}/approve", status_code=200, sync_to_thread=True)
def approve_case(
    request: AnyRequest,
    case_id: FromPath[str],
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
) -> dict[str, Any]:
    """As a second moderator, approve the decision proposed on the case: it is enforced."""
    moderator = require_user(request, microblog, "write")
    return _case_entity(moderation.cases.approve(path_id(case_id), moderator))


@post(f"{_CASES}/reject", dependencies=BODY, status_code=200, sync_to_thread=True)
def reject_case(
    request: AnyRequest,
    case_id: FromPath[str],
    fields: NamedDependency[Fields],
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
) -> dict[str, Any]:
    """Reject the decision proposed on the case, saying why (`reason`; published with the
    case); its proposer, doing so, withdraws it. The reviewer decides again."""
    moderator = require_user(request, microblog, "write")
    reason = fields.required_text("reason", max_length=5000)
    return _case_entity(moderation.cases.reject(path_id(case_id), moderator, reason))


def _action(raw: str) -> ActionKind:
    try:
        return ActionKind(raw)
    except ValueError:
        kinds = ", ".join(sorted(k.value for k in ActionKind))
        raise InvalidParameterError(f"action must be one of {kinds}.") from None


@get("/api/v1/townsquare/cases/{case_id:str}", sync_to_thread=True)
def published_case(
    case_id: FromPath[str], moderation: NamedDependency[Moderation]
) -> dict[str, Any]:
    """A decided case: its decision and its deliberation, moderators under pseudonyms and
    personal data redacted. Public; an undecided case is not found."""
    found = moderation.cases.published(path_id(case_id))
    case = found.case
    post_id = case.target.post_id if isinstance(case.target, PostTarget) else None
    account_id = case.target.account_id if isinstance(case.target, AccountTarget) else None
    return {
        **_case_entity(case),
        # Public once decided: the ledger entry of the decision names the item anyway.
        "target": {"post_id": _id(post_id), "account_id": _id(account_id)},
        "deliberation": [_comment_entity(c) for c in found.deliberation],
        "proposals": [_proposal_entity(p) for p in found.proposals],
    }


def _case_entity(case: Case) -> dict[str, Any]:
    """A case as its moderators' routes answer it: blind, no id of its item."""
    return {
        "id": str(case.id),
        "state": case.state.value,
        "target_kind": "post" if isinstance(case.target, PostTarget) else "account",
        "clause": case.clause,
        "report_count": case.report_count,
        "opened_at": case.opened_at.isoformat(),
        "decision": None
        if case.action_id is None
        else {
            "action_id": str(case.action_id),
            "outcome": case.outcome,
            "decided_at": case.decided_at.isoformat() if case.decided_at else None,
        },
    }


def _comment_entity(comment: PublishedComment) -> dict[str, Any]:
    return {
        "moderator": comment.moderator,
        "text": comment.body,
        "created_at": comment.created_at.isoformat(),
        "kind": comment.kind.value,
    }


def _proposal_entity(proposal: CaseProposal) -> dict[str, Any]:
    """A proposal under pseudonyms (facts and reason redacted in the public view)."""
    return {
        "id": str(proposal.id),
        "state": proposal.state.value,
        "proposer": proposal.proposer,
        "decided_by": proposal.decided_by,
        "action": proposal.decision.action.value,
        "clause": proposal.decision.clause,
        "facts": proposal.facts,
        "reason": proposal.reason,
        "election_window_id": _id(proposal.window_id),
        "created_at": proposal.created_at.isoformat(),
        "decided_at": proposal.decided_at.isoformat() if proposal.decided_at else None,
    }


def _id(value: int | None) -> str | None:
    return None if value is None else str(value)


report_routes = [
    create_report,
    review_queue,
    case_file,
    reveal_author,
    take_case,
    comment_on_case,
    decide_case,
    case_copies,
    approve_case,
    reject_case,
    published_case,
]
