"""The moderators' blind review of rule detections: the queue of drawn detections they may
judge, and one page per detection with the item, the clause and the two answers.

The page shows what `RuleReviews.blind` returns — the post (or a detected account's latest
posts) served with no id, link, time or author, and the clause the rule enforces — never the
rule, its facts, or whether it opened a case or acted. The service refuses moderators who
took part in what followed the detection; the page says so in the visitor's language.
"""

from typing import Any

from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, SkipValidation
from litestar.response import Redirect

from townsquare.microblog import Account
from townsquare.moderation import (
    InvalidReviewError,
    ModerationError,
    NotAModeratorError,
    PolicySet,
    ReviewerInvolvedError,
    ReviewNotFoundError,
    ReviewTakenError,
    UnknownClauseError,
)
from townsquare.moderation.rules import RuleReviews, Verdict
from townsquare.web._forms import FormData
from townsquare.web._messages import N_
from townsquare.web._moderation_access import require_moderator
from townsquare.web._templates import page
from townsquare.web._visitors import AnyRequest, Visitor, sign_in_first

__all__ = ["answer_rule_review", "rule_review_page", "rule_reviews_page"]

QUEUE = "/moderation/rule-reviews"
Reviews = NamedDependency[SkipValidation[RuleReviews]]
VERDICTS = (
    (Verdict.VIOLATES.value, N_("It breaks the clause")),
    (Verdict.DOES_NOT_VIOLATE.value, N_("It does not break the clause")),
)
# What the moderator is told when the service refuses, with the status and the headline.
_REFUSALS: dict[type[ModerationError], tuple[int, str, str]] = {
    ReviewerInvolvedError: (
        403,
        N_("You may not do this"),
        N_(
            "You took part in what this detection led to, or it is about you: another "
            "moderator must review it."
        ),
    ),
    NotAModeratorError: (403, N_("You may not do this"), N_("Only moderators review detections.")),
    ReviewNotFoundError: (404, N_("Page not found"), N_("There is no such drawn detection.")),
    ReviewTakenError: (
        409,
        N_("This clashes with something that exists"),
        N_("Another moderator is reviewing this detection, or it was reviewed already."),
    ),
    InvalidReviewError: (
        422,
        N_("Some values need fixing"),
        N_("Say whether the item breaks the clause or not."),
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
def rule_reviews_page(
    request: AnyRequest, visitor: NamedDependency[Visitor], rule_reviews: Reviews
) -> Response[Any]:
    """The drawn detections this moderator may judge, oldest draw first."""
    if visitor.account is None:
        return sign_in_first(request)
    moderator = require_moderator(visitor.account)
    reviews = rule_reviews.open_for(moderator.id)
    return page(visitor, "mod_rule_reviews.html", reviews=reviews, me=moderator.id)


def _review_page(
    visitor: Visitor,
    services: tuple[RuleReviews, PolicySet],
    moderator: Account,
    review_id: int,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response[Any]:
    rule_reviews, policies = services
    try:
        blind = rule_reviews.blind(review_id, moderator.id)
        clause = policies.clause(blind.clause)
    except UnknownClauseError:
        clause = None
    except ModerationError as refused:
        return _refusal_page(visitor, refused)
    return page(
        visitor,
        "mod_rule_review.html",
        status_code=status_code,
        blind=blind,
        clause=clause,
        verdicts=VERDICTS,
        error=error,
    )


@get(QUEUE + "/{review_id:int}", sync_to_thread=True)
def rule_review_page(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    rule_reviews: Reviews,
    policies: NamedDependency[PolicySet],
    review_id: FromPath[int],
) -> Response[Any]:
    """The drawn detection, blind: the item and the clause; and the answer form."""
    if visitor.account is None:
        return sign_in_first(request)
    moderator = require_moderator(visitor.account)
    return _review_page(visitor, (rule_reviews, policies), moderator, review_id)


@post(QUEUE + "/{review_id:int}", sync_to_thread=True)
def answer_rule_review(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    rule_reviews: Reviews,
    policies: NamedDependency[PolicySet],
    review_id: FromPath[int],
    data: FormData,
) -> Response[Any]:
    """Record whether the item breaks the clause; the verdict goes to the ledger."""
    if visitor.account is None:
        return sign_in_first(request, QUEUE)
    moderator = require_moderator(visitor.account)
    try:
        rule_reviews.answer(review_id, moderator.id, data.get("verdict", ""))
    except (InvalidReviewError, ReviewTakenError) as refused:
        status, _, message = _REFUSALS[type(refused)]
        return _review_page(
            visitor,
            (rule_reviews, policies),
            moderator,
            review_id,
            error=visitor.gettext(message),
            status_code=status,
        )
    except ModerationError as refused:
        return _refusal_page(visitor, refused)
    return Redirect(QUEUE, status_code=303)
