"""Reporting a post, the moderators' blind queue and the case page with its action form.

The forms call the same services as the API (`moderation.cases`); the action form has a
preview step (`preview=1`) that shows the decision as its statement of reasons will record
it, before anything is enforced.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from townsquare.microblog import Account, Microblog, Surface
from townsquare.moderation import (
    REDUCIBLE_SURFACES,
    ActionKind,
    ActionNotAllowedError,
    CaseDecision,
    CaseState,
    Circumstances,
    Decision,
    IllegalTransitionError,
    InvalidDecisionError,
    InvalidReportError,
    Moderation,
    PolicySet,
    PostTarget,
    QueueFilter,
    ReportCategory,
    ReportDraft,
    UnknownClauseError,
    statement_of_reasons,
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
from townsquare.web._templates import page
from townsquare.web._visitors import AnyRequest, Visitor, sign_in_first

__all__ = [
    "case_page",
    "comment_on_case",
    "decide_case",
    "moderation_queue",
    "report_form",
    "report_post",
    "take_case",
]

_REFUSED = (
    ActionNotAllowedError,
    IllegalTransitionError,
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
    CaseState.DECIDED: N_("Decided"),
    CaseState.CLOSED: N_("Closed"),
}
_DECIDABLE = tuple(k for k in ActionKind if k not in {ActionKind.RESTORE, ActionKind.BLOCK_URL})
SURFACE_LABELS = {
    Surface.HOME: N_("Home timelines"),
    Surface.PUBLIC: N_("Public timeline"),
    Surface.HASHTAG: N_("Hashtag timelines"),
    Surface.SEARCH: N_("Search"),
    Surface.NOTIFICATIONS: N_("Notifications"),
}
_REDUCING = frozenset({ActionKind.REDUCE_REACH, ActionKind.LIMIT})


# Reporting ---------------------------------------------------------------------------------


def _report_page(
    visitor: Visitor,
    policies: PolicySet,
    post_id: int,
    *,
    values: dict[str, str],
    error: str | None = None,
    status_code: int = 200,
) -> Response[Any]:
    return page(
        visitor,
        "report.html",
        status_code=status_code,
        post_id=post_id,
        groups=clause_groups(policies, visitor),
        categories=CATEGORY_CHOICES,
        values=values,
        error=error,
        filed=None,
    )


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
    return _report_page(visitor, policies, post_id, values={})


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
    reporter = visitor.account
    if reporter is None:
        return sign_in_first(request, f"/posts/{post_id}/report")
    microblog.timelines.post(reporter.id, post_id)
    try:
        category = ReportCategory(data.get("category", "other"))
        draft = ReportDraft(
            reporter.id,
            PostTarget(post_id),
            category,
            data.get("clause") or None,
            data.get("comment", "").strip(),
        )
        filed = moderation.cases.report(draft)
    except _REFUSED as refused:
        return _report_page(
            visitor, policies, post_id, values=data, error=str(refused), status_code=422
        )
    return page(visitor, "report.html", post_id=post_id, filed=filed)


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
    """The decision and the statement of reasons `enforce` would log for it (its fields
    by their DSA-TDB names, but the action id, which is only assigned on enforcing)."""

    action: str
    clause_ref: str
    fields: tuple[tuple[str, str], ...]


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


def _preview(
    decided: CaseDecision,
    deps: tuple[Microblog, Moderation, PolicySet],
    case_id: int,
    visitor: Visitor,
) -> Preview:
    """Build the statement of reasons as `enforce` would, without enforcing anything."""
    microblog, moderation, policies = deps
    moderator = require_moderator(_signed_in(visitor))
    clause = policies.clause(decided.clause)
    if decided.action not in clause.allowed_actions:
        raise ActionNotAllowedError(
            f"{clause.ref} does not allow {visitor.gettext(ACTION_LABELS[decided.action])}"
        )
    if not decided.facts:
        raise InvalidDecisionError(visitor.gettext("Say which facts the decision rests on."))
    case = moderation.cases.case_file(case_id, moderator.id).case
    target = case.target
    posted = (
        microblog.timelines.post(moderator.id, target.post_id).post.created_at
        if isinstance(target, PostTarget)
        else None
    )
    decision = Decision(
        actor_id=moderator.id,
        action=decided.action,
        target=target,
        clause=decided.clause,
        facts=decided.facts,
        territorial_scope=decided.territorial_scope,
        ends_at=decided.ends_at,
        surfaces=decided.surfaces,
        label=decided.label,
        content_warning=decided.content_warning,
        case_id=case.id,
    )
    facts = Circumstances(0, datetime.now(UTC), case.author_id, posted)
    statement = statement_of_reasons(decision, clause, facts)
    shown = tuple(
        (key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
        for key, value in statement.items()
        if key != "action_id" and value is not None
    )
    return Preview(visitor.gettext(ACTION_LABELS[decided.action]), clause.ref, shown)


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
    microblog, moderation, policies = deps
    moderator = require_moderator(_signed_in(visitor))
    found = moderation.cases.case_file(case_id, moderator.id)
    target = found.case.target
    post_id = target.post_id if isinstance(target, PostTarget) else None
    allowing = _chosen_action((values or {}).get("action", ""))
    return page(
        visitor,
        "mod_case.html",
        status_code=status_code,
        found=found,
        item=microblog.timelines.post(moderator.id, post_id).post if post_id else None,
        prior=moderation.receipt_for_post(post_id) if post_id is not None else [],
        states=STATE_LABELS,
        actions=[(k.value, ACTION_LABELS[k]) for k in _DECIDABLE],
        groups=clause_groups(policies, visitor, allowing),
        surfaces=[(s.value, SURFACE_LABELS[s]) for s in SURFACE_LABELS],
        values=values or {},
        preview=preview,
        error=error,
        mine=found.case.reviewer_id == moderator.id,
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
    if visitor.account is None:
        return sign_in_first(request, f"/moderation/cases/{case_id}")
    try:
        moderation.cases.comment(
            case_id, require_moderator(visitor.account).id, data.get("text", "")
        )
    except _REFUSED as refused:
        deps = (microblog, moderation, policies)
        return _case_page(visitor, deps, case_id, error=str(refused), status_code=422)
    return Redirect(f"/moderation/cases/{case_id}#deliberation", status_code=303)


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
    """`preview=1`: show the statement of reasons; otherwise enforce the decision."""
    if visitor.account is None:
        return sign_in_first(request, f"/moderation/cases/{case_id}")
    moderator = require_moderator(visitor.account)
    deps = (microblog, moderation, policies)
    try:
        decided = _decision(data)
        if data.get("preview"):
            shown = _preview(decided, deps, case_id, visitor)
            return _case_page(visitor, deps, case_id, values=data, preview=shown)
        moderation.cases.decide(case_id, moderator.id, decided)
    except _REFUSED as refused:
        return _case_page(visitor, deps, case_id, values=data, error=str(refused), status_code=422)
    return Redirect(f"/cases/{case_id}", status_code=303)
