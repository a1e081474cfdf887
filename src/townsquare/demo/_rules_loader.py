"""Loading the demo's automated-rules stories through the services production uses.

Posts go through `Posts.create`, which queues each for the rules (the `rule_events` outbox),
and `RuleRunner.run_once` then drains the outbox as the server's rules worker does: the
malicious-links rule removes through `enforce` as `@rules`, the others open cases. Moderators
decide those cases through `Moderation.cases` (a campaign with its copies in one step), the
false positive is appealed and reversed through `Moderation.appeals`, and a blind review of
the rules' detections is drawn and answered through `RuleReviews`. Nothing is written around
them. The runner's first run also takes in every event the earlier stages queued (the whole
world's posts), so a server started on the demo has none left to catch up on.

The rule versions are recorded in the ledger first, as `townsquare serve` would. At the end
the ledger's queued entries are integrated, so `townsquare ledger verify` sees them.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from townsquare.demo._moderation_loader import DemoModeration
from townsquare.demo._rules_plan import DECIDING_CLAUSE, PlannedCampaign, RulesPlan
from townsquare.kernel import FixedClock
from townsquare.ledger import LedgerLog
from townsquare.microblog import Microblog, PostDraft
from townsquare.moderation import ActionKind, AppealState, CaseDecision, Moderation
from townsquare.moderation.rules import (
    DetectionOutcome,
    RuleReviews,
    RuleRunner,
    Verdict,
    record_rules,
)
from townsquare.storage import tables

__all__ = ["NO_RULES", "RulesCounts", "load_rules_stage"]

_AFTER_AUDIT = timedelta(days=1)
_BETWEEN_SPAM = timedelta(seconds=80)  # six posts in 8 minutes: under link-spam@1's 10
_BETWEEN_COPIES = timedelta(minutes=3)  # five copies in 15 minutes: under copied-text@1's 30
_BETWEEN_STORIES = timedelta(hours=3)
_TO_DECIDE = timedelta(minutes=50)  # a moderator gets to the rules' cases within the hour
_REVIEWS_DRAWN = 8  # detections of each rule version drawn for the blind review
_RING_JOINED = timedelta(hours=5)  # the ring's accounts are a few hours old when they post


@dataclass(frozen=True)
class RulesCounts:
    """What the rules stage did: the rules' detections (each a ledger entry), the posts they
    removed at once and the cases they opened; the decisions enforced in the stage (those
    removals, the moderators' decisions on the rules' cases, copies and restorations
    included); the copies a campaign's decision covered; the appeals filed and reversed; and
    the rule detections reviewed blind."""

    detections: int
    removed: int
    cases: int
    decisions: int
    copies: int
    appeals: int
    reversed: int
    reviewed: int


NO_RULES = RulesCounts(0, 0, 0, 0, 0, 0, 0, 0)


def load_rules_stage(
    microblog: Microblog,
    clock: FixedClock,
    given: DemoModeration,
    plan: RulesPlan,
    accounts: list[int],
    progress: Callable[[int, int], None],
) -> RulesCounts:
    """Run the rules' stories in order on the demo clock; `accounts` are the cast's ids."""
    clock.advance(_AFTER_AUDIT)
    stories = _Stories(microblog, clock, given, plan, accounts)
    steps = (
        stories.catch_up,
        stories.ring,
        stories.limit_ring,
        stories.false_positive,
        *(stories.campaign_step(c) for c in plan.campaigns),
        stories.reviews,
    )
    progress(0, len(steps))
    for done, step in enumerate(steps, 1):
        step()
        progress(done, len(steps))
    integrate_all(given.ledger)
    return stories.counts()


class _Stories:
    def __init__(
        self,
        microblog: Microblog,
        clock: FixedClock,
        given: DemoModeration,
        plan: RulesPlan,
        accounts: list[int],
    ) -> None:
        ids = microblog.context.ids
        self.microblog, self.clock, self.given, self.plan = microblog, clock, given, plan
        self.accounts = accounts
        self.moderation = Moderation(
            microblog.db, given.ledger, given.policies, clock=clock, ids=ids
        )
        self.runner = RuleRunner(
            microblog.db,
            given.ledger,
            given.rules,
            microblog,
            self.moderation.enforce,
            clock=clock,
            ids=ids,
        )
        self.reviews_of_rules = RuleReviews(
            microblog.db, given.ledger, given.rules, clock=clock, ids=ids
        )
        self.ring_ids: list[int] = []
        self.warning_id: int | None = None
        self.decided = self.covered = self.appealed = self.reversed = self.reviewed = 0

    # (0) the rule versions in the ledger, and the world's queued events taken in

    def catch_up(self) -> None:
        with self.microblog.db.write() as conn:
            record_rules(conn, self.given.ledger, self.given.rules, self.clock.now())
        self.runner.run_once()

    # (1) the ring posts; the malicious-links rule removes, link-spam opens cases

    def ring(self) -> None:
        password_hash = self.microblog.context.passwords.hash(_RING_PASSWORD)
        for spammer in self.plan.spammers:
            account = self.microblog.accounts.register(
                spammer.username,
                _RING_PASSWORD,
                display_name=spammer.display_name,
                locale=spammer.language,
                password_hash=password_hash,
            )
            self.ring_ids.append(account.id)
        self.clock.advance(_RING_JOINED)
        bursts = zip(*(s.posts for s in self.plan.spammers), strict=True)
        for wave in bursts:  # the accounts take turns, a post each
            for account_id, spammer, text in zip(
                self.ring_ids, self.plan.spammers, wave, strict=True
            ):
                self._post(account_id, text, spammer.language)
            self.clock.advance(_BETWEEN_SPAM)
        self.runner.run_once()

    def limit_ring(self) -> None:
        """The moderator limits each ring account on the case link-spam opened."""
        self.clock.advance(_TO_DECIDE)
        moderator = self.accounts[self.plan.moderator]
        decided = CaseDecision(ActionKind.LIMIT, DECIDING_CLAUSE, self.plan.facts)
        for case_id in self._cases_opened_by("link-spam", self.ring_ids):
            self.moderation.cases.take(case_id, moderator)
            self.moderation.cases.decide(case_id, moderator, decided)
            self.decided += 1

    # (2) a warning the rule removes wrongly, appealed and reversed

    def false_positive(self) -> None:
        self.clock.advance(_BETWEEN_STORIES)
        planned = self.plan.false_positive
        author = self.accounts[planned.author]
        self.warning_id = self._post(author, planned.text, "fr")
        self.runner.run_once()
        action_id = self._rule_action_on(self.warning_id)
        self.clock.advance(timedelta(hours=2))
        appeal = self.moderation.appeals.file(author, action_id, planned.appeal)
        self.appealed += 1
        self.clock.advance(timedelta(hours=5))
        reviewer = self.accounts[planned.reviewer]
        self.moderation.appeals.assign(appeal.id, reviewer)
        self.moderation.appeals.decide(appeal.id, reviewer, AppealState.REVERSED, planned.reasons)
        self.reversed += 1
        self.decided += 1  # the restoration

    # (3) the campaigns: pasted, detected, and the decided one decided with its copies

    def campaign_step(self, campaign: PlannedCampaign) -> Callable[[], None]:
        return lambda: self._campaign(campaign)

    def _campaign(self, campaign: PlannedCampaign) -> None:
        self.clock.advance(_BETWEEN_STORIES)
        first = None
        writers = [(c, campaign.text) for c in campaign.copiers]
        writers += list(zip(campaign.rewriters, campaign.variants, strict=True))
        for member, text in writers:
            post_id = self._post(self.accounts[member], text, campaign.language)
            first = first or post_id
            self.clock.advance(_BETWEEN_COPIES)
        self.runner.run_once()
        if campaign.moderator is None or first is None:
            return
        self.clock.advance(_TO_DECIDE)
        moderator = self.accounts[campaign.moderator]
        case_id = self._case_on_post(first)
        cases = self.moderation.cases
        cases.take(case_id, moderator)
        copies = [c.post_id for c in cases.copies(case_id, moderator)]
        decided = CaseDecision(ActionKind.REDUCE_REACH, DECIDING_CLAUSE, campaign.facts)
        cases.decide(case_id, moderator, decided, copies=copies)
        self.covered += len(copies)
        self.decided += 1 + len(copies)

    # (4) a blind review of the rules' detections

    def reviews(self) -> None:
        """Draw detections of each rule version and have a moderator who took no part answer
        each: the loader plays the reviewers from the plan's side, so it knows that only the
        warning does not break the clause."""
        self.clock.advance(timedelta(days=1))
        integrate_all(self.given.ledger)  # the draw is seeded by a signed checkpoint
        self.reviews_of_rules.draw(_REVIEWS_DRAWN)
        assigned: dict[int, int] = {}
        for reviewer in self.plan.reviewers:
            for review in self.reviews_of_rules.open_for(self.accounts[reviewer]):
                assigned.setdefault(review.id, self.accounts[reviewer])
        for review_id in sorted(assigned):
            self.clock.advance(timedelta(minutes=6))
            verdict = self._verdict(review_id)
            self.reviews_of_rules.answer(review_id, assigned[review_id], verdict.value)
            self.reviewed += 1

    def _verdict(self, review_id: int) -> Verdict:
        reviews = tables.rule_reviews
        with self.microblog.db.read() as conn:
            kind, target = conn.execute(
                select(reviews.c.target_kind, reviews.c.target_id).where(reviews.c.id == review_id)
            ).one()
        wrong = kind == "post" and target == self.warning_id
        return Verdict.DOES_NOT_VIOLATE if wrong else Verdict.VIOLATES

    # Reading back what the rules did (the loader needs the ids the runner made) -------------

    def _post(self, account_id: int, text: str, language: str) -> int:
        draft = PostDraft(text=text, language=language)
        return self.microblog.posts.create(account_id, draft).id

    def _cases_opened_by(self, rule_id: str, account_ids: Sequence[int]) -> list[int]:
        table = tables.rule_detections
        query = (
            select(table.c.case_id)
            .where(
                table.c.rule_id == rule_id,
                table.c.opened_case.is_(True),
                table.c.account_id.in_(account_ids),
            )
            .order_by(table.c.id)
        )
        with self.microblog.db.read() as conn:
            return [int(case_id) for case_id in conn.execute(query).scalars()]

    def _case_on_post(self, post_id: int) -> int:
        table = tables.rule_detections
        query = select(table.c.case_id).where(
            table.c.target_kind == "post",
            table.c.target_id == post_id,
            table.c.opened_case.is_(True),
        )
        with self.microblog.db.read() as conn:
            return int(conn.execute(query).scalar_one())

    def _rule_action_on(self, post_id: int) -> int:
        table = tables.rule_detections
        query = select(table.c.action_id).where(
            table.c.target_kind == "post",
            table.c.target_id == post_id,
            table.c.outcome == DetectionOutcome.ACTION.value,
        )
        with self.microblog.db.read() as conn:
            return int(conn.execute(query).scalar_one())

    def counts(self) -> "RulesCounts":
        table = tables.rule_detections
        with self.microblog.db.read() as conn:
            outcomes = list(conn.execute(select(table.c.outcome, table.c.opened_case)))
        removed = sum(1 for o, _ in outcomes if o == DetectionOutcome.ACTION.value)
        return RulesCounts(
            detections=len(outcomes),
            removed=removed,
            cases=sum(1 for _, opened in outcomes if opened),
            decisions=removed + self.decided,
            copies=self.covered,
            appeals=self.appealed,
            reversed=self.reversed,
            reviewed=self.reviewed,
        )


_RING_PASSWORD = "not-a-demo-login-ring"  # noqa: S105 (no one signs in as the ring)


def integrate_all(ledger: LedgerLog) -> None:
    """Integrate every queued ledger entry into the tree, signing a checkpoint."""
    while ledger.integrate() is not None:
        pass
