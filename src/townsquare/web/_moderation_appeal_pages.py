"""A member's notices with the appeal form, and the moderators' appeals to decide.

Who may appeal and who may decide is the service's call (`moderation.appeals`): the author
of a restricted post or account, or a reporter of a decision to take no action, within the
window; a moderator who took no part in the decision. The notices offer the form exactly
when the service would accept it (`Notice.can_appeal`); should it refuse anyway (a form
sent twice, a stale page), the page says why and what the visitor can do, in their
language, never a bare error.
"""

from dataclasses import dataclass
from typing import Any

from babel.dates import format_date
from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect

from townsquare.ledger import JSON
from townsquare.microblog import Account
from townsquare.moderation import (
    ActionKind,
    AppealNotFoundError,
    AppealState,
    AppealTransitionError,
    AppealWindowClosedError,
    InvalidAppealError,
    Moderation,
    ModerationError,
    NotAppealReviewerError,
    NotAppellantError,
    Notice,
    PublishedRequest,
    SameModeratorError,
)
from townsquare.web._forms import FormData
from townsquare.web._messages import N_
from townsquare.web._moderation_access import require_moderator
from townsquare.web._policy_pages import ACTION_LABELS
from townsquare.web._request_labels import REQUESTER_LABELS
from townsquare.web._templates import page
from townsquare.web._visitors import AnyRequest, Visitor, sign_in_first

__all__ = ["appeal_decision", "appeals_page", "file_appeal", "notices_page"]

APPEAL_STATE_LABELS = {
    AppealState.FILED: N_("waiting for a moderator"),
    AppealState.ASSIGNED: N_("in review"),
    AppealState.UPHELD: N_("the decision was upheld"),
    AppealState.REVERSED: N_("the decision was reversed"),
}
# What the member is told when filing is refused, and with which status.
_FILING_REFUSALS: dict[type[ModerationError], tuple[int, str]] = {
    NotAppellantError: (
        403,
        N_(
            "You may not appeal this decision. An appeal is open to the author of a "
            "restricted post or account, and, when moderators decide to take no action, "
            "to those who reported it. You can read the decision and its reasons on this "
            "page, and you may still turn to an out-of-court dispute settlement body or "
            "the courts."
        ),
    ),
    AppealWindowClosedError: (
        409,
        N_("You have already appealed this decision, or the time to appeal it has passed."),
    ),
    InvalidAppealError: (
        422,
        N_("Say in 1 to 5,000 characters why the decision should be reversed."),
    ),
    AppealNotFoundError: (404, N_("There is no such decision to appeal.")),
}
# What a moderator is told when deciding an appeal is refused.
_REVIEW_REFUSALS: dict[type[ModerationError], tuple[int, str]] = {
    SameModeratorError: (
        403,
        N_(
            "You took part in this decision, or it concerns you: another moderator must "
            "review this appeal."
        ),
    ),
    NotAppealReviewerError: (403, N_("Another moderator is reviewing this appeal.")),
    AppealTransitionError: (
        409,
        N_("This appeal was decided or taken meanwhile. Reload the page to see where it is."),
    ),
    InvalidAppealError: (422, N_("Give your reasons in 1 to 5,000 characters.")),
    AppealNotFoundError: (404, N_("There is no such appeal.")),
}
_NO_OUTCOME = (422, N_("Choose whether to uphold or to reverse the decision."))


def _refusal(
    refused: ModerationError, known: dict[type[ModerationError], tuple[int, str]]
) -> tuple[int, str]:
    for kind, said in known.items():
        if isinstance(refused, kind):
            return said
    raise refused


@dataclass(frozen=True)
class ShownNotice:
    """A notice as its reader reads it. `posted_on` is the day the post it is about was
    posted, written in the reader's language ("" for an account or a URL)."""

    notice: Notice
    action: str
    clause: str
    clause_title: str
    facts: str
    label: str
    requests: tuple[PublishedRequest, ...] = ()  # the outside requests behind the case
    posted_on: str = ""

    @property
    def in_favour(self) -> bool:
        """A restoration: good news, nothing to appeal."""
        return self.notice.statement.get("action") == ActionKind.RESTORE.value


def _text(value: JSON) -> str:
    return value if isinstance(value, str) else ""


def action_label(raw: JSON, visitor: Visitor) -> str:
    """An action kind's value in words, in the visitor's language."""
    try:
        return visitor.gettext(ACTION_LABELS[ActionKind(_text(raw))])
    except ValueError:
        return _text(raw)


def clause_title(titles: JSON, visitor: Visitor) -> str:
    """A statement's `clause_title` (by language) in the visitor's language."""
    if not isinstance(titles, dict):
        return ""
    return _text(titles.get(visitor.language)) or _text(titles.get("en"))


def _shown(notice: Notice, visitor: Visitor, moderation: Moderation) -> ShownNotice:
    statement = notice.statement
    return ShownNotice(
        notice=notice,
        action=action_label(statement.get("action"), visitor),
        clause=_text(statement.get("clause")),
        clause_title=clause_title(statement.get("clause_title"), visitor),
        facts=_text(statement.get("decision_facts")),
        label=_text(statement.get("label")) or _text(statement.get("content_warning")),
        requests=tuple(moderation.requests.published(i) for i in notice.outside_requests),
        posted_on=(
            format_date(notice.subject.posted_on, "long", locale=visitor.language)
            if notice.subject.posted_on
            else ""
        ),
    )


def _notices_page(
    visitor: Visitor,
    moderation: Moderation,
    *,
    error: tuple[int, str] | None = None,
    status_code: int = 200,
) -> Response[Any]:
    """`error` is (the action or appeal id, the message), shown by its form."""
    account = visitor.account
    notices = moderation.notices.for_account(account.id) if account else []
    return page(
        visitor,
        "notices.html",
        status_code=status_code,
        notices=[_shown(n, visitor, moderation) for n in notices],
        appeals={a.action_id: a for a in moderation.appeals.filed_by(account.id)}
        if account
        else {},
        appeal_states=APPEAL_STATE_LABELS,
        requester_labels=REQUESTER_LABELS,
        error=error,
    )


@get("/notices", sync_to_thread=True)
def notices_page(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    moderation: NamedDependency[Moderation],
) -> Response[Any]:
    """The signed-in member's notices: what was decided, why, and the appeal form."""
    if visitor.account is None:
        return sign_in_first(request)
    return _notices_page(visitor, moderation)


@post("/notices/{action_id:int}/appeal", sync_to_thread=True)
def file_appeal(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    moderation: NamedDependency[Moderation],
    action_id: FromPath[int],
    data: FormData,
) -> Response[Any]:
    """Appeal the decision `action_id` with a reason."""
    if visitor.account is None:
        return sign_in_first(request, "/notices")
    try:
        moderation.appeals.file(visitor.account.id, action_id, data.get("reason", ""))
    except ModerationError as refused:
        status, message = _refusal(refused, _FILING_REFUSALS)
        failed = (action_id, visitor.gettext(message))
        return _notices_page(visitor, moderation, error=failed, status_code=status)
    return Redirect(f"/notices#notice-{action_id}", status_code=303)


def _appeals_page(
    visitor: Visitor,
    moderation: Moderation,
    reviewer: Account,
    *,
    error: tuple[int, str] | None = None,
    status_code: int = 200,
) -> Response[Any]:
    pending = moderation.appeals.pending(reviewer.id)
    return page(
        visitor,
        "appeals.html",
        status_code=status_code,
        appeals=[(a, action_label(a.action.value, visitor)) for a in pending],
        error=error,
    )


@get("/moderation/appeals", sync_to_thread=True)
def appeals_page(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    moderation: NamedDependency[Moderation],
) -> Response[Any]:
    """Appeals not yet decided, oldest first, appellants under pseudonyms."""
    if visitor.account is None:
        return sign_in_first(request)
    return _appeals_page(visitor, moderation, require_moderator(visitor.account))


@post("/moderation/appeals/{appeal_id:int}/decide", sync_to_thread=True)
def appeal_decision(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    moderation: NamedDependency[Moderation],
    appeal_id: FromPath[int],
    data: FormData,
) -> Response[Any]:
    """Uphold or reverse; an unassigned appeal is first assigned to the visitor."""
    if visitor.account is None:
        return sign_in_first(request, "/moderation/appeals")
    reviewer = require_moderator(visitor.account)
    appeals = moderation.appeals
    outcome = data.get("outcome", "")
    if outcome not in {AppealState.UPHELD, AppealState.REVERSED}:
        status, message = _NO_OUTCOME
    else:
        try:
            if appeals.state_of(appeal_id) == AppealState.FILED:
                appeals.assign(appeal_id, reviewer.id)
            appeals.decide(appeal_id, reviewer.id, AppealState(outcome), data.get("reasons", ""))
        except ModerationError as refused:
            status, message = _refusal(refused, _REVIEW_REFUSALS)
        else:
            return Redirect("/moderation/appeals", status_code=303)
    failed = (appeal_id, visitor.gettext(message))
    return _appeals_page(visitor, moderation, reviewer, error=failed, status_code=status)
