"""Outside requests (DESIGN.md, promise 4): who asked us for what, and what it led to.

GET  /api/v1/townsquare/requests                        public: the numbers and every request
GET  /api/v1/townsquare/requests/<id>                   public: one request (sealed: commitments)
GET  /api/v1/townsquare/moderation/requests             moderators: every request, whole
POST /api/v1/townsquare/moderation/requests             moderators: log a request as it arrives
POST /api/v1/townsquare/moderation/requests/<id>/answer    moderators: answer it
POST /api/v1/townsquare/moderation/requests/<id>/withdraw  moderators: record its withdrawal

Who may do what is decided by `moderation.requests`; these handlers only authenticate and
translate.
"""

from enum import StrEnum
from typing import Any, TypeVar

from litestar import get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from townsquare.api._auth import require_user
from townsquare.api._errors import InvalidParameterError
from townsquare.api._fields import BODY, AnyRequest, Fields, parse_id, path_id
from townsquare.microblog import Microblog
from townsquare.moderation import (
    MAX_ITEMS,
    AccountTarget,
    ActionKind,
    ExternalRequest,
    Ground,
    Moderation,
    PostTarget,
    PublishedRequest,
    RequestDraft,
    RequesterKind,
    answer_fields,
    request_details,
    request_numbers,
)

__all__ = ["request_entity", "request_routes"]

_BASE = "/api/v1/townsquare/requests"
_STAFF = "/api/v1/townsquare/moderation/requests"


@get(_BASE, sync_to_thread=True)
def published_requests(moderation: NamedDependency[Moderation]) -> dict[str, Any]:
    """The numbers (per kind of requester and outcome, per issuing country, how many are
    sealed) and every request as the public may see it now, newest first."""
    published = moderation.requests.published_all()
    numbers = request_numbers(published)
    return {
        "numbers": {
            "total": numbers.total,
            "sealed": numbers.sealed,
            "by_requester": {kind.value: dict(tally) for kind, tally in numbers.by_requester},
            "by_country": dict(numbers.by_country),
        },
        "requests": [_published(p) for p in published],
    }


@get(f"{_BASE}/{{request_id:str}}", sync_to_thread=True)
def published_request(
    request_id: FromPath[str], moderation: NamedDependency[Moderation]
) -> dict[str, Any]:
    """One request. While sealed: when it arrived, its release date and its commitments;
    after: its details and nonce too, so anyone can recompute the commitment."""
    return _published(moderation.requests.published(path_id(request_id)))


@get(_STAFF, sync_to_thread=True)
def all_requests(
    request: AnyRequest,
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
) -> list[dict[str, Any]]:
    """Every request, sealed ones included, newest first (moderators and admins)."""
    viewer = require_user(request, microblog, "read")
    return [request_entity(r) for r in moderation.requests.all(viewer)]


@post(_STAFF, dependencies=BODY, status_code=201, sync_to_thread=True)
def log_request(
    request: AnyRequest,
    fields: NamedDependency[Fields],
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
) -> dict[str, Any]:
    """Log a request: `requester_kind`, `requester`, `country` (ISO 3166, optional),
    `legal_basis`, `ground` (illegal_content or terms_of_service), `requested_action`,
    `summary` (published: no personal data), the items as `status_ids` and `account_ids`,
    and `release_at` (ISO 8601) to seal it until then."""
    viewer = require_user(request, microblog, "write")
    draft = RequestDraft(
        requester_kind=_choice(fields, "requester_kind", RequesterKind),
        requester=fields.required_text("requester", max_length=200),
        legal_basis=fields.required_text("legal_basis", max_length=500),
        ground=_ground(fields.required_text("ground", max_length=40)),
        requested_action=_choice(fields, "requested_action", ActionKind),
        items=_items(fields),
        summary=fields.required_text("summary", max_length=5000),
        country=fields.text("country", max_length=2) or None,
        release_at=fields.required_moment("release_at") if "release_at" in fields else None,
    )
    return request_entity(moderation.requests.receive(draft, logged_by=viewer))


@post(
    f"{_STAFF}/{{request_id:int}}/answer", dependencies=BODY, status_code=200, sync_to_thread=True
)
def answer_request(
    request: AnyRequest,
    request_id: FromPath[int],
    fields: NamedDependency[Fields],
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
) -> dict[str, Any]:
    """Answer with `reasons`, once every item's case is decided (409 before)."""
    closing = _closing(request, microblog, fields)
    return request_entity(moderation.requests.answer(request_id, *closing))


@post(
    f"{_STAFF}/{{request_id:int}}/withdraw", dependencies=BODY, status_code=200, sync_to_thread=True
)
def withdraw_request(
    request: AnyRequest,
    request_id: FromPath[int],
    fields: NamedDependency[Fields],
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
) -> dict[str, Any]:
    """Record that the requester withdrew it, with `reasons` (how they said so)."""
    closing = _closing(request, microblog, fields)
    return request_entity(moderation.requests.withdraw(request_id, *closing))


def _closing(request: AnyRequest, microblog: Microblog, fields: Fields) -> tuple[int, str]:
    """Who answers or withdraws a request, and the reasons they give."""
    return require_user(request, microblog, "write"), fields.required_text(
        "reasons", max_length=5000
    )


def request_entity(found: ExternalRequest) -> dict[str, Any]:
    """A request, whole: what it asked and, once answered, what it led to."""
    draft = found.draft
    answer = found.answer
    return {
        "id": str(found.id),
        "state": found.state.value,
        "received_at": found.received_at.isoformat(),
        "release_at": draft.release_at.isoformat() if draft.release_at else None,
        "requester_kind": draft.requester_kind.value,
        "requester": draft.requester,
        "country": draft.country,
        "legal_basis": draft.legal_basis,
        "ground": _GROUND_NAMES[draft.ground],
        "requested_action": draft.requested_action.value,
        "summary": draft.summary,
        "items": [
            {
                "status_id": str(r.item.post_id) if isinstance(r.item, PostTarget) else None,
                "account_id": str(r.item.account_id) if isinstance(r.item, AccountTarget) else None,
                "case_id": str(r.case_id),
                "action": r.action.value if r.action else None,
                "action_id": str(r.action_id) if r.action_id is not None else None,
            }
            for r in found.items
        ],
        "outcome": answer.outcome.value if answer else None,
        "reasons": answer.reasons if answer else None,
        "answered_at": answer.answered_at.isoformat() if answer else None,
        "nonce": found.nonce,
        "commitment": found.commitment,
    }


def _published(found: PublishedRequest) -> dict[str, Any]:
    head = {
        "id": str(found.id),
        "state": found.state.value,
        "sealed": found.sealed,
        "received_at": found.received_at.isoformat(),
        "release_at": found.release_at.isoformat() if found.release_at else None,
        "answered_at": found.answered_at.isoformat() if found.answered_at else None,
        "commitment": found.commitment,
        "intake_ledger_index": found.intake_index,
        "answer_ledger_index": found.answer_index,
    }
    if found.request is None:
        return head
    # What the ledger entries commit to, exactly: hash {"details": …, "nonce": …} (and
    # {"answer": …, "nonce": …}) as RFC 8785 JSON to recompute the commitments.
    answer = found.request.answer
    committed = {
        "details": request_details(found.request.draft),
        "answer": answer_fields(answer) if answer else None,
    }
    return {**request_entity(found.request), **head, "committed": committed}


_GROUND_NAMES = {
    Ground.ILLEGAL_CONTENT: "illegal_content",
    Ground.INCOMPATIBLE_CONTENT: "terms_of_service",
}
_Choice = TypeVar("_Choice", bound=StrEnum)


def _ground(name: str) -> Ground:
    for ground, known in _GROUND_NAMES.items():
        if name == known:
            return ground
    raise InvalidParameterError("ground: expected illegal_content or terms_of_service")


def _choice(fields: Fields, name: str, kind: type[_Choice]) -> _Choice:
    value = fields.required_text(name, max_length=40)
    try:
        return kind(value)
    except ValueError:
        expected = ", ".join(member.value for member in kind)
        raise InvalidParameterError(f"{name}: expected one of {expected}") from None


def _items(fields: Fields) -> tuple[PostTarget | AccountTarget, ...]:
    items: list[PostTarget | AccountTarget] = []
    for raw in fields.texts("status_ids", max_items=MAX_ITEMS):
        items.append(PostTarget(_item_id(raw)))
    for raw in fields.texts("account_ids", max_items=MAX_ITEMS):
        items.append(AccountTarget(_item_id(raw)))
    return tuple(items)


def _item_id(raw: str) -> int:
    parsed = parse_id(raw)
    if parsed is None:
        raise InvalidParameterError("status_ids, account_ids: expected ids (digits only)")
    return parsed


request_routes = [
    published_requests,
    published_request,
    all_requests,
    log_request,
    answer_request,
    withdraw_request,
]
