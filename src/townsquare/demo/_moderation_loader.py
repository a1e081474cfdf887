"""Loading the demo's moderation plan through the moderation services, step by step.

Reports, cases, comments and appeals go through `Moderation.cases` and `Moderation.appeals`,
and every decision through `enforce` (a URL block directly, the rest via their case): the
visibility projection is only ever written there. The election window is declared through
`Moderation.elections` first; a case it governs is proposed, then approved (or, once,
rejected and decided again) by its second moderator. Outside requests come last, logged
through `Moderation.requests`; their items' cases are decided like the others. The services
open one transaction per step, so this stage runs after the world's own transaction has
committed. At the end the
ledger's queued entries are integrated, so `townsquare ledger verify` sees them at once.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from townsquare.demo._moderation_plan import (
    AccountRef,
    ModerationPlan,
    PlannedCase,
    PlannedStep,
    Step,
    UrlRef,
)
from townsquare.demo._request_plan import PlannedRequest
from townsquare.kernel import FixedClock
from townsquare.ledger import LedgerLog
from townsquare.microblog import Microblog, PostDraft
from townsquare.moderation import (
    AccountTarget,
    AppealState,
    Case,
    CaseDecision,
    CaseState,
    Decision,
    Moderation,
    PolicySet,
    PostTarget,
    ReportDraft,
    RequestDraft,
    UrlTarget,
    WindowDraft,
    record_policies,
)
from townsquare.moderation.rules import RuleSet

__all__ = ["DemoModeration", "ModerationCounts", "load_moderation"]


@dataclass(frozen=True)
class DemoModeration:
    """What the moderation stages need besides the microblog: the server's ledger, policies
    and automated rules."""

    ledger: LedgerLog
    policies: PolicySet
    rules: RuleSet


@dataclass(frozen=True)
class ModerationCounts:
    reports: int
    decisions: int
    appeals: int
    reversed: int
    requests: int


@dataclass
class _Ids:
    """Database ids of what the plan refers to by index."""

    accounts: list[int]
    posts: list[int]
    incidents: dict[int, int]
    cases: dict[int, int]
    actions: dict[int, int]
    appeals: dict[int, int]


def load_moderation(
    microblog: Microblog,
    clock: FixedClock,
    given: DemoModeration,
    plans: tuple[ModerationPlan, tuple[PlannedRequest, ...]],
    ids: tuple[list[int], list[int]],
    progress: Callable[[int, int], None],
) -> ModerationCounts:
    """Run the cases' plan in time order on the demo clock, then the outside requests;
    `ids` are the accounts' and posts' ids."""
    plan, requests = plans
    moderation = Moderation(
        microblog.db, given.ledger, given.policies, clock=clock, ids=microblog.context.ids
    )
    with microblog.db.write() as conn:
        record_policies(conn, given.ledger, given.policies, clock.now())
    _declare_window(moderation, plan, ids[0])
    steps = _StepRunner(microblog, moderation, clock, plan, _Ids(*ids, {}, {}, {}, {}))
    total = len(plan.steps) + len(requests)
    progress(0, total)
    for done, step in enumerate(plan.steps, 1):
        steps.run(step)
        if done % 25 == 0:
            progress(done, total)
    for request in requests:
        steps.request(request)
    progress(total, total)
    while given.ledger.integrate() is not None:
        pass
    return _counts(plan, requests)


def _declare_window(moderation: Moderation, plan: ModerationPlan, accounts: list[int]) -> None:
    window = plan.election
    draft = WindowDraft(
        window.name, window.starts_at, window.ends_at, window.territories, window.hashtags
    )
    moderation.elections.declare(draft, declared_by=accounts[window.declared_by])


# A second moderator answers within the hour; the next step of the plan waits for the clock.
_SECOND_LOOK = timedelta(minutes=35)


class _StepRunner:
    def __init__(
        self,
        microblog: Microblog,
        moderation: Moderation,
        clock: FixedClock,
        plan: ModerationPlan,
        ids: _Ids,
    ) -> None:
        self.microblog = microblog
        self.moderation = moderation
        self.clock = clock
        self.plan = plan
        self.ids = ids

    def run(self, step: PlannedStep) -> None:
        if step.at > self.clock.now():
            self.clock.advance(step.at - self.clock.now())
        if step.step == Step.POST:
            self._post(step.case)
            return
        case = self.plan.cases[step.case]
        handlers = {
            Step.REPORT: self._report,
            Step.TAKE: self._take,
            Step.COMMENT: self._comment,
            Step.DECIDE: self._decide,
            Step.APPEAL: self._appeal,
            Step.REVIEW: self._review,
        }
        handlers[step.step](step, case)

    def _post(self, index: int) -> None:
        incident = self.plan.incidents[index]
        reply_to = None if incident.reply_to is None else self.ids.posts[incident.reply_to]
        draft = PostDraft(text=incident.text, in_reply_to_id=reply_to, language=incident.language)
        post = self.microblog.posts.create(self.ids.accounts[incident.author], draft)
        self.ids.incidents[index] = post.id

    def _target(self, case: PlannedCase) -> PostTarget | AccountTarget | UrlTarget:
        target = case.target
        if isinstance(target, AccountRef):
            return AccountTarget(self.ids.accounts[target.account])
        if isinstance(target, UrlRef):
            return UrlTarget(target.url)
        posts = self.ids.incidents if target.incident else self.ids.posts
        return PostTarget(posts[target.index])

    def _report(self, step: PlannedStep, case: PlannedCase) -> None:
        planned = case.reports[step.index]
        target = self._target(case)
        if isinstance(target, UrlTarget):
            raise ValueError("a URL is never reported as a case item")
        draft = ReportDraft(
            self.ids.accounts[planned.reporter],
            target,
            planned.category,
            planned.clause,
            planned.comment,
        )
        self.ids.cases[step.case] = self.moderation.cases.report(draft).case_id

    def _take(self, step: PlannedStep, case: PlannedCase) -> None:
        moderator = self.ids.accounts[case.moderator]
        self.moderation.cases.take(self.ids.cases[step.case], moderator)

    def _comment(self, step: PlannedStep, case: PlannedCase) -> None:
        moderator, body = case.comments[step.index]
        self.moderation.cases.comment(self.ids.cases[step.case], self.ids.accounts[moderator], body)

    def _decide(self, step: PlannedStep, case: PlannedCase) -> None:
        moderator = self.ids.accounts[case.moderator]
        if isinstance(case.target, UrlRef):
            decision = Decision(moderator, case.action, self._target(case), case.clause, case.facts)
            self.ids.actions[step.case] = self.moderation.enforce(decision).id
            return
        case_id = self.ids.cases[step.case]
        if case.rejected is not None:
            self._rejected_first(case_id, moderator, case)
        decided = CaseDecision(
            case.action,
            case.clause,
            case.facts,
            label=case.label,
            content_warning=case.content_warning,
            territorial_scope=case.territorial_scope,
        )
        handled = self._approved(self.moderation.cases.decide(case_id, moderator, decided), case)
        if handled.action_id is None:
            raise ValueError(f"case {handled.id}: decided without an action")
        self.ids.actions[step.case] = handled.action_id

    def _approved(self, handled: Case, case: PlannedCase) -> Case:
        """The case, once its second moderator approved the decision if it awaits one."""
        if handled.state != CaseState.AWAITING_APPROVAL:
            return handled
        if case.approver is None:
            raise ValueError(f"case {handled.id}: awaits a second moderator, none planned")
        self.clock.advance(_SECOND_LOOK)
        return self.moderation.cases.approve(handled.id, self.ids.accounts[case.approver])

    def _rejected_first(self, case_id: int, moderator: int, case: PlannedCase) -> None:
        """Propose the planned first decision and have the second moderator reject it."""
        rejected = case.rejected
        if rejected is None or case.approver is None:
            raise ValueError("a rejection without a first proposal or a second moderator")
        first = CaseDecision(rejected.action, case.clause, rejected.facts, label=rejected.label)
        proposed = self.moderation.cases.decide(case_id, moderator, first)
        if proposed.state != CaseState.AWAITING_APPROVAL:
            raise ValueError(f"case {case_id}: planned inside the election window, found outside")
        self.clock.advance(_SECOND_LOOK)
        approver = self.ids.accounts[case.approver]
        self.moderation.cases.reject(case_id, approver, rejected.reason)
        self.clock.advance(_SECOND_LOOK)

    def request(self, planned: PlannedRequest) -> None:
        """A request arrives a day after the last step; its items' cases are decided by
        `planned.moderator` (with a second moderator where a window requires one); then it
        is answered or withdrawn, or left waiting."""
        self.clock.advance(timedelta(days=1))
        accounts = self.ids.accounts
        draft = RequestDraft(
            requester_kind=planned.requester_kind,
            requester=planned.requester,
            legal_basis=planned.legal_basis,
            ground=planned.ground,
            requested_action=planned.requested_action,
            items=tuple(PostTarget(self.ids.posts[item.index]) for item in planned.items),
            summary=planned.summary,
            country=planned.country,
            release_at=planned.release_at,
        )
        received = self.moderation.requests.receive(draft, logged_by=accounts[planned.logged_by])
        moderator = accounts[planned.moderator]
        for result, decision in zip(received.items, planned.decisions, strict=True):
            if decision is None:
                continue
            self.clock.advance(timedelta(hours=2))
            self.moderation.cases.take(result.case_id, moderator)
            decided = CaseDecision(
                decision.action, decision.clause, decision.facts, label=decision.label
            )
            handled = self.moderation.cases.decide(result.case_id, moderator, decided)
            if handled.state == CaseState.AWAITING_APPROVAL:
                raise ValueError(f"case {handled.id}: a request's item decided in a window")
        if planned.closing is not None:
            self.clock.advance(timedelta(hours=3))
            step, reasons = planned.closing
            close = (
                self.moderation.requests.answer
                if step == "answer"
                else self.moderation.requests.withdraw
            )
            close(received.id, moderator, reasons)

    def _appeal(self, step: PlannedStep, case: PlannedCase) -> None:
        if case.appeal is None:
            raise ValueError("an appeal step for a case without an appeal")
        appellant = self.ids.accounts[case.appeal.appellant]
        action_id = self.ids.actions[step.case]
        filed = self.moderation.appeals.file(appellant, action_id, case.appeal.reason)
        self.ids.appeals[step.case] = filed.id

    def _review(self, step: PlannedStep, case: PlannedCase) -> None:
        if case.appeal is None:
            raise ValueError("a review step for a case without an appeal")
        appeals = self.moderation.appeals
        appeal_id, reviewer = self.ids.appeals[step.case], self.ids.accounts[case.appeal.reviewer]
        outcome = AppealState.REVERSED if case.appeal.reverse else AppealState.UPHELD
        appeals.assign(appeal_id, reviewer)
        appeals.decide(appeal_id, reviewer, outcome, case.appeal.reasons)


def _counts(plan: ModerationPlan, requests: tuple[PlannedRequest, ...]) -> ModerationCounts:
    appeals = [c.appeal for c in plan.cases if c.appeal is not None]
    item_decisions = sum(1 for r in requests for d in r.decisions if d is not None)
    return ModerationCounts(
        reports=sum(len(c.reports) for c in plan.cases),
        decisions=plan.decisions + item_decisions,
        appeals=len(appeals),
        reversed=sum(1 for a in appeals if a.reverse),
        requests=len(requests),
    )
