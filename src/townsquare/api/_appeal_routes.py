"""Appeals, notices and the DSA statements of reasons (issue 4, "Appeals" and "Exports").

GET  /api/v1/townsquare/statements                          public: DSA-TDB statements, paged
GET  /api/v1/townsquare/appeals/stats                       public: overturn rates
GET  /api/v1/townsquare/notices                             the signed-in member's notices
POST /api/v1/townsquare/appeals                             a member with the right appeals
GET  /api/v1/townsquare/moderation/appeals                  moderators: appeals they may review
POST /api/v1/townsquare/moderation/appeals/<id>/decide      moderators: upheld | reversed

Who may do what is decided by `moderation.appeals` (a moderator role, a moderator who took
no part in the decision, the restricted author or a reporter of a decision to take no
action); these handlers only authenticate and translate.
"""

from typing import Any

from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from townsquare.api._auth import require_user
from townsquare.api._errors import InvalidParameterError
from townsquare.api._fields import BODY, AnyRequest, Fields, query_fields
from townsquare.api._paging import clamp_limit, paged_response
from townsquare.microblog import Links, Microblog
from townsquare.moderation import (
    Appeal,
    AppealState,
    Moderation,
    Notice,
    NoticeSubject,
    OverturnRates,
)
from townsquare.settings import Settings

__all__ = ["appeal_routes"]


@get("/api/v1/townsquare/statements", sync_to_thread=True)
def statements(
    request: AnyRequest,
    moderation: NamedDependency[Moderation],
    settings: NamedDependency[Settings],
) -> Response[Any]:
    """Every restricting decision as a DSA-TDB statement of reasons, newest first; `limit`
    and `max_id` page (Link header). Public: moderation is never secret."""
    fields = query_fields(request)
    page = moderation.statements.page(limit=clamp_limit(fields), max_id=fields.identifier("max_id"))
    ids = [action_id for action_id, _ in page]
    return paged_response(request, settings.base_url, [s for _, s in page], ids)


@get("/api/v1/townsquare/appeals/stats", sync_to_thread=True)
def appeal_stats(moderation: NamedDependency[Moderation]) -> dict[str, Any]:
    """Appeals decided, reversed and the overturn rate, overall and per clause."""
    return _rates(moderation.appeals.overturn_rates())


@get("/api/v1/townsquare/notices", sync_to_thread=True)
def notices(
    request: AnyRequest,
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
) -> list[dict[str, Any]]:
    """The signed-in account's notices: what each is about, the statement of reasons, and
    whether (`can_appeal`, `appeal_right`) and how to appeal."""
    viewer = require_user(request, microblog, "read")
    return [_notice(n, microblog.links) for n in moderation.notices.for_account(viewer)]


@post("/api/v1/townsquare/appeals", dependencies=BODY, status_code=201, sync_to_thread=True)
def file_appeal(
    request: AnyRequest,
    fields: NamedDependency[Fields],
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
) -> dict[str, Any]:
    """Appeal a decision (`action_id`) with a `reason`."""
    viewer = require_user(request, microblog, "write")
    action_id = fields.identifier("action_id")
    if action_id is None:
        raise InvalidParameterError("action_id: expected the id of the decision appealed")
    appeal = moderation.appeals.file(viewer, action_id, fields.required_text("reason"))
    return _appeal(appeal)


@get("/api/v1/townsquare/moderation/appeals", sync_to_thread=True)
def pending_appeals(
    request: AnyRequest,
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
) -> list[dict[str, Any]]:
    """Appeals the caller may decide, oldest first: never one of a decision they took,
    proposed or approved, or that concerns them. Appellants appear only as pseudonyms."""
    viewer = require_user(request, microblog, "read")
    return [_appeal(a) for a in moderation.appeals.pending(viewer)]


@post(
    "/api/v1/townsquare/moderation/appeals/{appeal_id:int}/decide",
    dependencies=BODY,
    status_code=200,
    sync_to_thread=True,
)
def decide_appeal(
    request: AnyRequest,
    appeal_id: FromPath[int],
    fields: NamedDependency[Fields],
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
) -> dict[str, Any]:
    """`outcome` upheld | reversed, with `reasons`. An unassigned appeal is first assigned
    to the caller, which refuses the moderator who took the decision."""
    viewer = require_user(request, microblog, "write")
    outcome = fields.required_text("outcome")
    if outcome not in {AppealState.UPHELD, AppealState.REVERSED}:
        raise InvalidParameterError("outcome: expected upheld or reversed")
    reasons = fields.required_text("reasons")
    appeals = moderation.appeals
    if appeals.state_of(appeal_id) == AppealState.FILED:
        appeals.assign(appeal_id, viewer)
    return _appeal(appeals.decide(appeal_id, viewer, AppealState(outcome), reasons))


def _appeal(appeal: Appeal) -> dict[str, Any]:
    return {
        "id": str(appeal.id),
        "action_id": str(appeal.action_id),
        "action": appeal.action.value,
        "clause": appeal.clause,
        "state": appeal.state.value,
        "appellant": appeal.appellant,
        "appellant_role": appeal.appellant_role,
        "reason": appeal.reason,
        "filed_at": appeal.filed_at.isoformat(),
        "outcome_reasons": appeal.outcome_reasons,
        "decided_at": appeal.decided_at.isoformat() if appeal.decided_at else None,
        "restore_action_id": _id(appeal.restore_action_id),
    }


def _notice(notice: Notice, links: Links) -> dict[str, Any]:
    return {
        "id": str(notice.id),
        "action_id": str(notice.action_id),
        "created_at": notice.created_at.isoformat(),
        "role": notice.role,
        "subject": _subject(notice.subject, links),
        "statement": notice.statement,
        "appeal_deadline": notice.appeal_deadline.isoformat(),
        "appeal_right": notice.appeal_right,
        "can_appeal": notice.can_appeal,
        "how_to_appeal": notice.how_to_appeal,
        "outside_requests": [str(request_id) for request_id in notice.outside_requests],
    }


def _subject(subject: NoticeSubject, links: Links) -> dict[str, Any]:
    """What the notice is about, with the URLs of the post (or account) and its receipt."""
    found: dict[str, Any] = {"kind": subject.kind}
    if subject.kind == "post" and subject.post_id is not None:
        found |= {
            "post_id": str(subject.post_id),
            "posted_on": subject.posted_on.isoformat() if subject.posted_on else None,
            "excerpt": subject.excerpt,
            "url": links.post(subject.handle, subject.post_id) if subject.handle else None,
            "why_url": f"{links.base_url}/posts/{subject.post_id}/why",
        }
    if subject.handle is not None:
        found["acct"] = subject.handle
    if subject.kind == "account" and subject.handle is not None:
        found["url"] = links.account(subject.handle)
    if subject.kind == "url":
        found["url"] = subject.url
    return found


def _rates(rates: OverturnRates) -> dict[str, Any]:
    return {
        "decided": rates.decided,
        "reversed": rates.reversed,
        "rate": rates.rate,
        "per_clause": [
            {"clause": c.clause, "decided": c.decided, "reversed": c.reversed, "rate": c.rate}
            for c in rates.per_clause
        ],
    }


def _id(value: int | None) -> str | None:
    return None if value is None else str(value)


appeal_routes = [statements, appeal_stats, notices, file_appeal, pending_appeals, decide_appeal]
