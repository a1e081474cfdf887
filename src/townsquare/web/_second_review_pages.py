"""The moderators' blind second reviews: the queue of drawn decisions they may review again,
and one page per review with what they decide on and the answer form.

The page shows what `moderation.second_reviews.blind` returns — the post's content (served
like a case's item, with no id, link, time or author: docs/design/blind-review.md) and the
reports' categories and clauses — and the policy clauses to choose from; never the original
action, its decider or the author. The service refuses moderators involved in the decision;
the page says so in the visitor's language.
"""

from typing import Any

from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect

from townsquare.microblog import Account
from townsquare.moderation import (
    ActionKind,
    InvalidReviewError,
    Moderation,
    ModerationError,
    NotAModeratorError,
    PolicySet,
    ReviewerInvolvedError,
    ReviewNotFoundError,
    ReviewTakenError,
)
from townsquare.web._forms import FormData
from townsquare.web._messages import N_
from townsquare.web._moderation_access import clause_groups, require_moderator
from townsquare.web._moderation_pages import CATEGORY_CHOICES
from townsquare.web._policy_pages import ACTION_LABELS
from townsquare.web._templates import page
from townsquare.web._visitors import AnyRequest, Visitor, sign_in_first

__all__ = ["answer_second_review", "second_review_page", "second_reviews_page"]

QUEUE = "/moderation/second-reviews"
# The actions the case page offers, `none` first: not acting is as much an answer as any.
_ANSWERS = (
    ActionKind.NO_ACTION,
    *(
        k
        for k in ActionKind
        if k not in {ActionKind.NO_ACTION, ActionKind.RESTORE, ActionKind.BLOCK_URL}
    ),
)
# What the moderator is told when the service refuses, with the status and the headline.
_REFUSALS: dict[type[ModerationError], tuple[int, str, str]] = {
    ReviewerInvolvedError: (
        403,
        N_("You may not do this"),
        N_(
            "You took part in this decision, or it is about your post: another moderator "
            "must review it again."
        ),
    ),
    NotAModeratorError: (403, N_("You may not do this"), N_("Only moderators review decisions.")),
    ReviewNotFoundError: (404, N_("Page not found"), N_("There is no such second review.")),
    ReviewTakenError: (
        409,
        N_("This clashes with something that exists"),
        N_("Another moderator is reviewing this decision, or it was reviewed already."),
    ),
    InvalidReviewError: (
        422,
        N_("Some values need fixing"),
        N_("Choose an action, and a rule that allows it."),
    ),
}


def _refusal_page(visitor: Visitor, refused: ModerationError) -> Response[Any]:
    for kind, (status, headline, message) in _REFUSALS.items():
        if isinstance(refused, kind):
            return page(
                visitor,
                "error.html",
                status_code=status,
                status=status,
                headline=visitor.gettext(headline),
                message=visitor.gettext(message),
            )
    raise refused


@get(QUEUE, sync_to_thread=True)
def second_reviews_page(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    moderation: NamedDependency[Moderation],
) -> Response[Any]:
    """The drawn decisions this moderator may review again, oldest draw first."""
    if visitor.account is None:
        return sign_in_first(request)
    moderator = require_moderator(visitor.account)
    reviews = moderation.second_reviews.open_for(moderator.id)
    return page(visitor, "mod_second_reviews.html", reviews=reviews, me=moderator.id)


def _review_page(
    visitor: Visitor,
    services: tuple[Moderation, PolicySet],
    moderator: Account,
    review_id: int,
    *,
    values: dict[str, str] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response[Any]:
    moderation, policies = services
    try:
        blind = moderation.second_reviews.blind(review_id, moderator.id)
    except ModerationError as refused:
        return _refusal_page(visitor, refused)
    cited = sorted({report.clause for report in blind.reports if report.clause})
    return page(
        visitor,
        "mod_second_review.html",
        status_code=status_code,
        blind=blind,
        item=blind.item,
        categories=CATEGORY_CHOICES,
        cited=[policies.clause(ref) for ref in cited if _known(policies, ref)],
        actions=[
            ("none" if k == ActionKind.NO_ACTION else k.value, ACTION_LABELS[k]) for k in _ANSWERS
        ],
        groups=clause_groups(policies, visitor),
        values=values or {},
        error=error,
    )


def _answer_value(kind: ActionKind) -> str:
    return "none" if kind == ActionKind.NO_ACTION else kind.value


def _known(policies: PolicySet, ref: str) -> bool:
    try:
        policies.clause(ref)
    except ModerationError:
        return False
    return True


@get(QUEUE + "/{review_id:int}", sync_to_thread=True)
def second_review_page(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    moderation: NamedDependency[Moderation],
    policies: NamedDependency[PolicySet],
    review_id: FromPath[int],
) -> Response[Any]:
    """The drawn decision, blind: the post, the reports, the rules; and the answer form."""
    if visitor.account is None:
        return sign_in_first(request)
    moderator = require_moderator(visitor.account)
    return _review_page(visitor, (moderation, policies), moderator, review_id)


@post(QUEUE + "/{review_id:int}", sync_to_thread=True)
def answer_second_review(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    moderation: NamedDependency[Moderation],
    policies: NamedDependency[PolicySet],
    review_id: FromPath[int],
    data: FormData,
) -> Response[Any]:
    """Record the action this moderator would take and the rule; an open review is theirs
    from now on."""
    if visitor.account is None:
        return sign_in_first(request, QUEUE)
    moderator = require_moderator(visitor.account)
    action, clause = data.get("action", ""), data.get("clause", "")
    try:
        moderation.second_reviews.answer(review_id, moderator.id, action, clause)
    except (InvalidReviewError, ReviewTakenError) as refused:
        status, _, message = _REFUSALS[type(refused)]
        values = {"action": action, "clause": clause}
        return _review_page(
            visitor,
            (moderation, policies),
            moderator,
            review_id,
            values=values,
            error=visitor.gettext(message),
            status_code=status,
        )
    except ModerationError as refused:
        return _refusal_page(visitor, refused)
    return Redirect(QUEUE, status_code=303)
