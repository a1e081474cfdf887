"""The demo's audit stage: blind second reviews of a drawn sample, then a published audit run.

The draw goes the way every draw goes (`SecondReviews.draw`, seeded by the latest signed
checkpoint and logged); each drawn decision is then answered by a demo moderator who took no
part in it (`open_for` decides who may). What they answer is planned, not read from the blind
page: most agree with the first decision, a few do not, so the audit's blind-review comparison
has something to count. Last, the impartiality audit runs on the whole demo world and is
published (`ImpartialityAudits.publish`: its result and dataset hashed into the ledger), so the
audit page has a published run to show. The ledger's queued entries are integrated at the end.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from random import Random

from sqlalchemy import select

from townsquare.audits import ImpartialityAudits
from townsquare.demo._moderation_loader import DemoModeration
from townsquare.kernel import FixedClock
from townsquare.microblog import Microblog
from townsquare.moderation import ActionKind, Moderation, PolicySet, SecondReview
from townsquare.storage import tables

__all__ = ["NO_AUDIT", "AuditCounts", "load_audit"]

DRAWN = 24  # decisions drawn for a second review
_DISAGREEING = 0.2  # the planned share of second reviews that decide otherwise
_AFTER_NOTES = timedelta(days=1)
_BETWEEN_REVIEWS = timedelta(minutes=25)


@dataclass(frozen=True)
class AuditCounts:
    """What the audit stage did: reviews answered (and how many disagreed), and the published
    run's alerting comparisons."""

    reviewed: int
    disagreed: int
    alerts: int


NO_AUDIT = AuditCounts(0, 0, 0)


def load_audit(
    microblog: Microblog,
    clock: FixedClock,
    given: DemoModeration,
    moderators: Sequence[int],
    seed: int,
    progress: Callable[[int, int], None],
) -> AuditCounts:
    """Draw `DRAWN` decisions, have `moderators` answer them, publish the audit."""
    clock.advance(_AFTER_NOTES)
    moderation = Moderation(
        microblog.db, given.ledger, given.policies, clock=clock, ids=microblog.context.ids
    )
    reviews = moderation.second_reviews
    drawn = reviews.draw(DRAWN)
    total = len(drawn.drawn) + 1
    progress(0, total)
    rng = Random(seed)  # noqa: S311 (reproducible fiction, not secrets)
    answered = disagreed = 0
    for moderator, review in _assignments(reviews.open_for, moderators):
        clock.advance(_BETWEEN_REVIEWS)
        action, clause = _answer(microblog, given.policies, review, rng)
        completed = reviews.answer(review.id, moderator, action, clause)
        answered += 1
        disagreed += completed.second != completed.original
        progress(answered, total)
    published = ImpartialityAudits(microblog.db, given.ledger, clock).publish()
    progress(total, total)
    while given.ledger.integrate() is not None:
        pass
    return AuditCounts(answered, disagreed, len(published.alert_indexes))


def _assignments(
    open_for: Callable[[int], list[SecondReview]], moderators: Sequence[int]
) -> list[tuple[int, SecondReview]]:
    """Each open review once, given to the first moderator who may review it."""
    assigned: dict[int, tuple[int, SecondReview]] = {}
    for moderator in moderators:
        for review in open_for(moderator):
            assigned.setdefault(review.id, (moderator, review))
    return [assigned[review_id] for review_id in sorted(assigned)]


def _answer(
    microblog: Microblog, policies: PolicySet, review: SecondReview, rng: Random
) -> tuple[str, str]:
    """The planned answer: the first decision's action under its clause, or, for a share of
    them, the other way: no action on a restriction, a reduced reach on a decision not to act
    (when the clause allows it)."""
    original, cited = _decision_of(microblog, review.id)
    clause = policies.clause(cited.partition("@")[0])
    if rng.random() >= _DISAGREEING:
        return _spelled(original), clause.id
    if original != ActionKind.NO_ACTION:
        return "none", clause.id
    if ActionKind.REDUCE_REACH in clause.allowed_actions:
        return ActionKind.REDUCE_REACH.value, clause.id
    return "none", clause.id


def _decision_of(microblog: Microblog, review_id: int) -> tuple[ActionKind, str]:
    """The reviewed decision's action and cited clause: the loader plays the reviewer's part
    from the plan's side, so it may read what the blind page hides."""
    reviews, actions = tables.second_reviews, tables.moderation_actions
    with microblog.db.read() as conn:
        kind, clause = conn.execute(
            select(actions.c.kind, actions.c.clause)
            .join(reviews, reviews.c.action_id == actions.c.id)
            .where(reviews.c.id == review_id)
        ).one()
    return ActionKind(kind), clause


def _spelled(action: ActionKind) -> str:
    return "none" if action == ActionKind.NO_ACTION else action.value
