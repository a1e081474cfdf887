"""Reporting a post, the moderators' blind queue and the case page with its action form.

The forms call the same services as the API (`moderation.cases`); the action form has a
preview step (`preview=1`) that shows the decision as its statement of reasons will record
it, before anything is enforced. The case page is blind: the post's content, never its id
or its author's, until the moderator reveals the author with a reason (`/reveal`), which
is published with the decision.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from townsquare.microblog import Account, LimitedAction, Microblog
from townsquare.moderation import (
    REDUCIBLE_SURFACES,
    AccountTarget,
    ActionKind,
    ActionNotAllowedError,
    BlanketActionError,
    Case,
    CaseDecision,
    CaseState,
    ElectionWindow,
    IllegalTransitionError,
    InvalidDecisionError,
    InvalidReportError,
    Moderation,
    PolicySet,
    PostTarget,
    ProposalState,
    ProposalTransitionError,
    QueueFilter,
    Report,
    ReportCategory,
    ReportDraft,
    SecondModeratorRequiredError,
    UnknownClauseError,
    case_decision,
)
from townsquare.web._forms import FormData
from townsquare.web._messages import N_
from townsquare.web._moderation_access import (
    clause_groups,
    ends_at,
    require_moderator,
    territories,
)
from townsquare.web._policy_pages import ACTION_LABELS
from townsquare.web._request_labels import REQUESTER_LABELS
from townsquare.web._statement_words import SURFACE_LABELS, StatementInWords, statement_in_words
from townsquare.web._templates import page
from townsquare.web._visitors import AnyRequest, Visitor, count_attempt, sign_in_first

__all__ = [
    "Reported",
    "approve_case",
    "case_page",
    "comment_on_case",
    "decide_case",
    "moderation_queue",
    "reject_case",
    "report_account",
    "report_account_form",
    "report_form",
    "report_post",
    "reveal_author",
    "take_case",
]

_REFUSED = (
    ActionNotAllowedError,
    BlanketActionError,
    IllegalTransitionError,
    ProposalTransitionError,
    SecondModeratorRequiredError,
    InvalidDecisionError,
    InvalidReportError,
    UnknownClauseError,
    ValueError,
)
CATEGORY_CHOICES = {
    ReportCategory.VIOLATION: N_("It breaks a rule of this site"),
    ReportCategory.LEGAL: N_("It is illegal"),
    ReportCategory.SPAM: N_("It is spam"),
    ReportCategory.OTHER: N_("Something else"),
}
STATE_LABELS = {
    CaseState.OPEN: N_("Open"),
    CaseState.IN_REVIEW: N_("In review"),
    CaseState.AWAITING_APPROVAL: N_("Awaiting a second moderator"),
    CaseState.DECIDED: N_("Decided"),
    CaseState.CLOSED: N_("Closed"),
}
_DECIDABLE = tuple(k for k in ActionKind if k not in {ActionKind.RESTORE, ActionKind.BLOCK_URL})
_REDUCING = frozenset({ActionKind.REDUCE_REACH, ActionKind.LIMIT})
PROPOSAL_STATE_LABELS = {
    ProposalState.PROPOSED: N_("Awaiting a second moderator"),
    ProposalState.APPROVED: N_("Approved by a second moderator"),
    ProposalState.REJECTED: N_("Rejected by a second moderator"),
    ProposalState.WITHDRAWN: N_("Withdrawn by its proposer"),
}


# Reporting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reported:
    """What a report form is about: a post or an account, and where the form posts to."""

    target: PostTarget | AccountTarget
    action: str  # the form's URL
    username: str = ""  # an account's handle, shown in the heading

    @property
    def is_account(self) -> bool:
        return isinstance(self.target, AccountTarget)


def _report_page(
    visitor: Visitor,
    policies: PolicySet,
    reported: Reported,
    *,
    values: dict[str, str],
    error: str | None = None,
    filed: Report | None = None,
    status_code: int = 200,
) -> Response[Any]:
    return page(
        visitor,
        "report.html",
        status_code=status_code,
        reported=reported,
        groups=clause_groups(policies, visitor),
        categories=CATEGORY_CHOICES,
        values=values,
        error=error,
        filed=filed,
    )


def _file_report(
    visitor: Visitor,
    moderation: Moderation,
    policies: PolicySet,
    reported: Reported,
    data: dict[str, str],
) -> Response[Any]:
    """File the report into the item's open case, then confirm it (or say what is wrong)."""
    reporter = _signed_in(visitor)
    try:
        category = ReportCategory(data.get("category", "other"))
        draft = ReportDraft(
            reporter.id,
            reported.target,
            category,
            data.get("clause") or None,
            data.get("comment", "").strip(),
        )
        filed = moderation.cases.report(draft)
    except _REFUSED as refused:
        return _report_page(
            visitor, policies, reported, values=data, error=str(refused), status_code=422
        )
    return _report_page(visitor, policies, reported, values={}, filed=filed)


def _reported_post(post_id: int) -> Reported:
    return Reported(PostTarget(post_id), f"/posts/{post_id}/report")


@get("/posts/{post_id:int}/report", sync_to_thread=True)
def report_form(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    policies: NamedDependency[PolicySet],
    post_id: FromPath[int],
) -> Response[Any]:
    """What is wrong with the post: a clause it breaks (optional) and a comment."""
    if visitor.account is None:
        return sign_in_first(request)
    microblog.timelines.post(visitor.account.id, post_id)  # 404 unless the reporter sees it
    return _report_page(visitor, policies, _reported_post(post_id), values={})


@post("/posts/{post_id:int}/report", sync_to_thread=True)
def report_post(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
    policies: NamedDependency[PolicySet],
    post_id: FromPath[int],
    data: FormData,
) -> Response[Any]:
    """File the report into the post's open case, then confirm it."""
    if visitor.account is None:
        return sign_in_first(request, f"/posts/{post_id}/report")
    microblog.timelines.post(visitor.account.id, post_id)
    count_attempt(request, microblog, LimitedAction.REPORT, visitor.account.id)
    return _file_report(visitor, moderation, policies, _reported_post(post_id), data)


def _reported_account(microblog: Microblog, visitor: Visitor, account_id: int) -> Reported:
    """The account, unless it is the visitor's own (nobody reports themselves)."""
    account = microblog.accounts.get(account_id)
    if visitor.account is not None and visitor.account.id == account.id:
        raise InvalidReportError("You cannot report your own account.")
    path = f"/accounts/{account.id}/report"
    return Reported(AccountTarget(account.id), path, account.username)


@get("/accounts/{account_id:int}/report", sync_to_thread=True)
def report_account_form(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    policies: NamedDependency[PolicySet],
    account_id: FromPath[int],
) -> Response[Any]:
    """What is wrong with the account (impersonation, spam, a pattern of abuse…)."""
    if visitor.account is None:
        return sign_in_first(request)
    reported = _reported_account(microblog, visitor, account_id)
    return _report_page(visitor, policies, reported, values={})


@post("/accounts/{account_id:int}/report", sync_to_thread=True)
def report_account(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
    policies: NamedDependency[PolicySet],
    account_id: FromPath[int],
    data: FormData,
) -> Response[Any]:
    """File the report into the account's open case, then confirm it."""
    if visitor.account is None:
        return sign_in_first(request, f"/accounts/{account_id}/report")
    reported = _reported_account(microblog, visitor, account_id)
    count_attempt(request, microblog, LimitedAction.REPORT, visitor.account.id)
    return _file_report(visitor, moderation, policies, reported, data)


# The queue ---------------------------------------------------------------------------------


def _states(state: str | None) -> tuple[CaseState, ...]:
    try:
        return (CaseState(state),) if state else (CaseState.OPEN, CaseState.IN_REVIEW)
    except ValueError:
        return (CaseState.OPEN, CaseState.IN_REVIEW)


@get("/moderation", sync_to_thread=True)
def moderation_queue(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    moderation: NamedDependency[Moderation],
    policies: NamedDependency[PolicySet],
    case_state: FromQuery[str | None] = None,
    clause: FromQuery[str | None] = None,
) -> Response[Any]:
    """Cases to review, most urgent first (the service's order), authors under pseudonyms."""
    if visitor.account is None:
        return sign_in_first(request)
    moderator = require_moderator(visitor.account)
    wanted = QueueFilter(states=_states(case_state), clause=clause or None)
    return page(
        visitor,
        "mod_queue.html",
        items=moderation.cases.queue(moderator.id, wanted),
        states=STATE_LABELS,
        chosen_state=case_state or "",
        chosen_clause=clause or "",
        groups=clause_groups(policies, visitor),
    )


# A case ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    """The statement of reasons `enforce` would log for the decision (but the action id,
    only assigned on enforcing), in words, and the election window that makes it a proposal
    for a second moderator first."""

    statement: StatementInWords
    election_window: ElectionWindow | None


def _decision(data: dict[str, str]) -> CaseDecision:
    """The action form's fields; raises `ValueError` for an unknown action or bad date."""
    action = ActionKind(data.get("action", ""))
    ticked = (s for s in SURFACE_LABELS if s in REDUCIBLE_SURFACES and data.get(f"surface_{s}"))
    return CaseDecision(
        action=action,
        clause=data.get("clause", ""),
        facts=data.get("facts", "").strip(),
        label=data.get("label", "").strip(),
        content_warning=data.get("content_warning", "").strip(),
        territorial_scope=territories(data.get("territorial_scope", "")),
        ends_at=ends_at(data.get("ends_on", "")),
        surfaces=tuple(ticked) if action in _REDUCING else (),
    )


def _copies(data: dict[str, str]) -> list[int]:
    """The copies ticked in the action form (`copy_<post id>` checkboxes)."""
    ticked = (name.removeprefix("copy_") for name in data if name.startswith("copy_"))
    return sorted(
        int(post_id) for post_id in ticked if post_id.isdigit() and data[f"copy_{post_id}"]
    )


def _preview(
    decided: CaseDecision, moderation: Moderation, case_id: int, visitor: Visitor
) -> Preview:
    """The statement of reasons exactly as `enforce` would log it, in words, without
    enforcing."""
    moderator = require_moderator(_signed_in(visitor))
    clause = moderation.policies.clause(decided.clause)
    if decided.action not in clause.allowed_actions:
        raise ActionNotAllowedError(
            f"{clause.ref} does not allow {visitor.gettext(ACTION_LABELS[decided.action])}"
        )
    if not decided.facts:
        raise InvalidDecisionError(visitor.gettext("Say which facts the decision rests on."))
    case = moderation.cases.case_file(case_id, moderator.id).case
    previewed = moderation.preview(case_decision(case, moderator.id, decided))
    return Preview(statement_in_words(previewed.fields, clause, visitor), previewed.election_window)


def _case_page(
    visitor: Visitor,
    deps: tuple[Microblog, Moderation, PolicySet],
    case_id: int,
    *,
    values: dict[str, str] | None = None,
    preview: Preview | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response[Any]:
    _, moderation, policies = deps
    moderator = require_moderator(_signed_in(visitor))
    found = moderation.cases.case_file(case_id, moderator.id)
    # Earlier decisions name the post in the ledger: shown once the author is revealed.
    post_id = found.revealed.post_id if found.revealed else None
    allowing = _chosen_action((values or {}).get("action", ""))
    mine = found.case.reviewer_id == moderator.id
    deciding = mine and found.case.state == CaseState.IN_REVIEW
    return page(
        visitor,
        "mod_case.html",
        status_code=status_code,
        found=found,
        item=found.item,
        revealed=found.revealed,
        prior=moderation.receipt_for_post(post_id) if post_id is not None else [],
        states=STATE_LABELS,
        actions=[(k.value, ACTION_LABELS[k]) for k in _DECIDABLE],
        groups=clause_groups(policies, visitor, allowing),
        surfaces=[(s.value, SURFACE_LABELS[s]) for s in SURFACE_LABELS],
        values=values or {},
        preview=preview,
        error=error,
        mine=mine,
        copies=moderation.cases.copies(case_id, moderator.id) if deciding else [],
        proposal_states=PROPOSAL_STATE_LABELS,
        action_labels=ACTION_LABELS,
        requests=moderation.requests.for_case(case_id, moderator.id),
        requester_labels=REQUESTER_LABELS,
    )


def _chosen_action(raw: str) -> ActionKind | None:
    try:
        return ActionKind(raw)
    except ValueError:
        return None


def _signed_in(visitor: Visitor) -> Account:
    if visitor.account is None:
        raise PermissionError("the page handlers send anonymous visitors to sign in first")
    return visitor.account


@get("/moderation/cases/{case_id:int}", sync_to_thread=True)
def case_page(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
    policies: NamedDependency[PolicySet],
    case_id: FromPath[int],
) -> Response[Any]:
    """The item, its reports, prior decisions, the deliberation and the action form."""
    if visitor.account is None:
        return sign_in_first(request)
    return _case_page(visitor, (microblog, moderation, policies), case_id)


@post("/moderation/cases/{case_id:int}/take", sync_to_thread=True)
def take_case(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    moderation: NamedDependency[Moderation],
    case_id: FromPath[int],
) -> Response[Any]:
    """open → in_review, the visitor reviewing."""
    if visitor.account is None:
        return sign_in_first(request, f"/moderation/cases/{case_id}")
    moderation.cases.take(case_id, require_moderator(visitor.account).id)
    return Redirect(f"/moderation/cases/{case_id}", status_code=303)


def _case_step(
    request: AnyRequest,
    visitor: Visitor,
    deps: tuple[Microblog, Moderation, PolicySet],
    case_id: int,
    step: Callable[[int], str],
) -> Response[Any]:
    """Run a moderator's `step` on the case (given their id, it returns where to go next);
    a refusal shows the case page again with the reason."""
    if visitor.account is None:
        return sign_in_first(request, f"/moderation/cases/{case_id}")
    moderator = require_moderator(visitor.account)
    try:
        return Redirect(step(moderator.id), status_code=303)
    except _REFUSED as refused:
        return _case_page(visitor, deps, case_id, error=str(refused), status_code=422)


def _where(case: Case) -> str:
    """A decided case's public page; a case still in the workflow, its moderators' page."""
    if case.state in {CaseState.DECIDED, CaseState.CLOSED}:
        return f"/cases/{case.id}"
    return f"/moderation/cases/{case.id}"


@post("/moderation/cases/{case_id:int}/comments", sync_to_thread=True)
def comment_on_case(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
    policies: NamedDependency[PolicySet],
    case_id: FromPath[int],
    data: FormData,
) -> Response[Any]:
    """Add to the deliberation (published with the decision, under a pseudonym)."""

    def comment(moderator_id: int) -> str:
        moderation.cases.comment(case_id, moderator_id, data.get("text", ""))
        return f"/moderation/cases/{case_id}#deliberation"

    return _case_step(request, visitor, (microblog, moderation, policies), case_id, comment)


@post("/moderation/cases/{case_id:int}/reveal", sync_to_thread=True)
def reveal_author(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
    policies: NamedDependency[PolicySet],
    case_id: FromPath[int],
    data: FormData,
) -> Response[Any]:
    """See who the case is about, saying why (published with the decision)."""

    def reveal(moderator_id: int) -> str:
        reason = data.get("reason", "")
        if not reason.strip():
            raise InvalidDecisionError(
                visitor.gettext("Say why you need to know who the author is.")
            )
        moderation.cases.reveal(case_id, moderator_id, reason)
        return f"/moderation/cases/{case_id}#author"

    return _case_step(request, visitor, (microblog, moderation, policies), case_id, reveal)


@post("/moderation/cases/{case_id:int}/decide", sync_to_thread=True)
def decide_case(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
    policies: NamedDependency[PolicySet],
    case_id: FromPath[int],
    data: FormData,
) -> Response[Any]:
    """`preview=1`: show the statement of reasons; otherwise enforce the decision (or, in an
    election window, propose it to a second moderator)."""
    if visitor.account is None:
        return sign_in_first(request, f"/moderation/cases/{case_id}")
    moderator = require_moderator(visitor.account)
    deps = (microblog, moderation, policies)
    try:
        decided = _decision(data)
        if data.get("preview"):
            shown = _preview(decided, moderation, case_id, visitor)
            return _case_page(visitor, deps, case_id, values=data, preview=shown)
        handled = moderation.cases.decide(case_id, moderator.id, decided, copies=_copies(data))
    except _REFUSED as refused:
        return _case_page(visitor, deps, case_id, values=data, error=str(refused), status_code=422)
    return Redirect(_where(handled), status_code=303)


@post("/moderation/cases/{case_id:int}/approve", sync_to_thread=True)
def approve_case(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
    policies: NamedDependency[PolicySet],
    case_id: FromPath[int],
) -> Response[Any]:
    """As a second moderator, approve the decision proposed on the case: it is enforced."""

    def approve(moderator_id: int) -> str:
        return _where(moderation.cases.approve(case_id, moderator_id))

    return _case_step(request, visitor, (microblog, moderation, policies), case_id, approve)


@post("/moderation/cases/{case_id:int}/reject", sync_to_thread=True)
def reject_case(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
    policies: NamedDependency[PolicySet],
    case_id: FromPath[int],
    data: FormData,
) -> Response[Any]:
    """Reject the proposed decision with reasons (its proposer: withdraw it)."""

    def reject(moderator_id: int) -> str:
        return _where(moderation.cases.reject(case_id, moderator_id, data.get("reason", "")))

    return _case_step(request, visitor, (microblog, moderation, policies), case_id, reject)
