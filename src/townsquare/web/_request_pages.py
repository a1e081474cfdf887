"""Outside requests on the web: the public register (numbers, every request, sealed ones as
commitments) and each request's page; for moderators, the intake form and the answer.

Who may log or answer is the service's call (`moderation.requests`: a moderator or admin);
the pages only ask, and what the public sees is what `published` lets through.
"""

import re
from datetime import UTC, datetime
from typing import Any

from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect

from townsquare.kernel import NotFoundError
from townsquare.microblog import Account, Microblog
from townsquare.moderation import (
    ASKABLE_ACTIONS,
    AccountTarget,
    ActionKind,
    ExternalRequest,
    Ground,
    IllegalRequestTransitionError,
    InvalidRequestError,
    Moderation,
    PostTarget,
    RequestDraft,
    RequesterKind,
    RequestNotReadyError,
    request_numbers,
)
from townsquare.web._forms import FormData, optional_int
from townsquare.web._moderation_access import may_moderate, require_moderator
from townsquare.web._policy_pages import ACTION_LABELS
from townsquare.web._request_labels import request_labels
from townsquare.web._templates import page
from townsquare.web._visitors import AnyRequest, Visitor, sign_in_first

__all__ = [
    "answer_request",
    "log_request",
    "request_page",
    "requests_page",
    "staff_request_page",
    "staff_requests_page",
]

_REFUSED = (InvalidRequestError, RequestNotReadyError, IllegalRequestTransitionError, NotFoundError)
_POST_ID = re.compile(r"(\d+)/?$")


# Public --------------------------------------------------------------------------------


@get("/requests", sync_to_thread=True)
def requests_page(
    visitor: NamedDependency[Visitor], moderation: NamedDependency[Moderation]
) -> Response[Any]:
    """Every outside request, newest first, with the numbers by requester and outcome."""
    published = moderation.requests.published_all()
    return page(
        visitor,
        "requests.html",
        published=published,
        numbers=request_numbers(published),
        is_staff=may_moderate(visitor),
        **request_labels(),
    )


@get("/requests/{request_id:int}", sync_to_thread=True)
def request_page(
    visitor: NamedDependency[Visitor],
    moderation: NamedDependency[Moderation],
    request_id: FromPath[int],
) -> Response[Any]:
    """One request: while sealed, its commitment and release date; after, all of it."""
    shown = moderation.requests.published(request_id)
    return page(visitor, "request.html", shown=shown, **request_labels())


# Moderators ----------------------------------------------------------------------------


def _staff_list(
    visitor: Visitor,
    moderation: Moderation,
    staff: Account,
    *,
    values: dict[str, str] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response[Any]:
    return page(
        visitor,
        "mod_requests.html",
        status_code=status_code,
        requests=moderation.requests.all(staff.id),
        askable=[(k.value, ACTION_LABELS[k]) for k in ActionKind if k in ASKABLE_ACTIONS],
        values=values or {},
        error=error,
        **request_labels(),
    )


@get("/moderation/requests", sync_to_thread=True)
def staff_requests_page(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    moderation: NamedDependency[Moderation],
) -> Response[Any]:
    """Every request, sealed ones whole, and the form that logs one as it arrives."""
    if visitor.account is None:
        return sign_in_first(request)
    return _staff_list(visitor, moderation, require_moderator(visitor.account))


@post("/moderation/requests", sync_to_thread=True)
def log_request(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
    data: FormData,
) -> Response[Any]:
    """Log a request; its items join their cases. Then show it."""
    if visitor.account is None:
        return sign_in_first(request, "/moderation/requests")
    staff = require_moderator(visitor.account)
    try:
        logged = moderation.requests.receive(_draft(data, microblog), logged_by=staff.id)
    except (*_REFUSED, ValueError) as refused:
        return _staff_list(
            visitor, moderation, staff, values=data, error=str(refused), status_code=422
        )
    return Redirect(f"/moderation/requests/{logged.id}", status_code=303)


def _draft(data: dict[str, str], microblog: Microblog) -> RequestDraft:
    """The form as a draft; `ValueError` (a bad choice or date) or `InvalidRequestError`."""
    release = data.get("release_at", "").strip()
    return RequestDraft(
        requester_kind=RequesterKind(data.get("requester_kind", "")),
        requester=data.get("requester", ""),
        legal_basis=data.get("legal_basis", ""),
        ground=Ground(data.get("ground", "")),
        requested_action=ActionKind(data.get("requested_action", "")),
        items=(*_posts(data.get("posts", "")), *_accounts(data.get("accounts", ""), microblog)),
        summary=data.get("summary", ""),
        country=data.get("country", "").strip() or None,
        release_at=datetime.fromisoformat(release).replace(tzinfo=UTC) if release else None,
    )


def _posts(written: str) -> list[PostTarget]:
    """Posts as links or ids, one per line: the id is the link's last number."""
    items = []
    for line in written.split():
        found = _POST_ID.search(line)
        post_id = optional_int(found.group(1)) if found else None
        if post_id is None:
            raise InvalidRequestError(f"posts: {line!r} is neither a post's link nor its id")
        items.append(PostTarget(post_id))
    return items


def _accounts(written: str, microblog: Microblog) -> list[AccountTarget]:
    """Accounts as handles (`@name` or `name`), one per line."""
    return [
        AccountTarget(microblog.accounts.by_username(handle.lstrip("@")).id)
        for handle in written.split()
    ]


def _staff_page(
    visitor: Visitor,
    moderation: Moderation,
    staff: Account,
    request_id: int,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response[Any]:
    found: ExternalRequest = moderation.requests.get(request_id, staff.id)
    return page(
        visitor,
        "mod_request.html",
        status_code=status_code,
        found=found,
        sealed=moderation.requests.is_sealed(found),
        error=error,
        **request_labels(),
    )


@get("/moderation/requests/{request_id:int}", sync_to_thread=True)
def staff_request_page(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    moderation: NamedDependency[Moderation],
    request_id: FromPath[int],
) -> Response[Any]:
    """A request whole, its items' cases, and the forms that answer or withdraw it."""
    if visitor.account is None:
        return sign_in_first(request)
    return _staff_page(visitor, moderation, require_moderator(visitor.account), request_id)


@post("/moderation/requests/{request_id:int}/{step:str}", sync_to_thread=True)
def answer_request(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    moderation: NamedDependency[Moderation],
    request_id: FromPath[int],
    step: FromPath[str],
    data: FormData,
) -> Response[Any]:
    """`answer` or `withdraw`, with reasons."""
    back = f"/moderation/requests/{request_id}"
    if visitor.account is None:
        return sign_in_first(request, back)
    staff = require_moderator(visitor.account)
    handlers = {"answer": moderation.requests.answer, "withdraw": moderation.requests.withdraw}
    handler = handlers.get(step)
    if handler is None:
        raise NotFoundError(f"{step}: expected answer or withdraw")
    try:
        handler(request_id, staff.id, data.get("reasons", ""))
    except _REFUSED as refused:
        return _staff_page(
            visitor, moderation, staff, request_id, error=str(refused), status_code=422
        )
    return Redirect(back, status_code=303)
