"""Planning the demo's moderation: a pure function of the world plan, the policies and the seed.

After the activity, members report what they saw — the election debate from both camps,
spam accounts and their links, a harassment thread, a doxxing attempt, a synthetic-media
claim — and the demo's moderators (@noor, @theo, admin @alix) take the cases, discuss them
and decide; some authors (and one reporter of a "no action") appeal, and a different
moderator upholds or reverses. Between the two rounds of the election, an election window
is open: there, a decision on election content is proposed by one moderator and approved by
a third one (once, rejected first). Loading it is `_moderation_loader`'s job.

Stages: (1) the scenarios, one per case, cycled until the wanted number of cases, each
choosing its item, reporters and moderators; (2) the timeline, every step of every case in
time order after the activity ends; (3) the election window's second moderators.
"""

import enum
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from random import Random

from townsquare.demo._cast import STAFF, Camp, Persona
from townsquare.demo._plan import ACTIVITY_ENDS_AT, PlannedPost, Topic, WorldPlan
from townsquare.demo._templates import CAMP_TAGS
from townsquare.microblog import Role
from townsquare.moderation import ActionKind, PolicySet, ReportCategory

__all__ = [
    "ELECTION_CLOSES_AT",
    "ELECTION_OPENS_AT",
    "MODERATION_ENDS_AT",
    "AccountRef",
    "ModerationPlan",
    "PlannedAppeal",
    "PlannedCase",
    "PlannedIncident",
    "PlannedRejection",
    "PlannedReport",
    "PlannedStep",
    "PlannedWindow",
    "PostRef",
    "Step",
    "UrlRef",
    "plan_moderation",
]

MODERATION_ENDS_AT = ACTIVITY_ENDS_AT + timedelta(days=21)
"""Cases open in the three weeks after the activity (well inside every appeal window)."""

ELECTION_OPENS_AT = ACTIVITY_ENDS_AT + timedelta(days=4)
ELECTION_CLOSES_AT = ACTIVITY_ENDS_AT + timedelta(days=12)
"""The election window: the fortnight of the second round, declared when moderation starts."""

_MIN_CASES = 50
_POSTS_PER_CASE = 150
_FAKE_PHONE = "01 99 00 47 12"  # the 01 99 00 range is reserved for fiction (ARCEP)
_SPAM_DOMAINS = ("abonnes-gratuits.example", "gagner-vite.example", "followers-pas-cher.example")


@dataclass(frozen=True)
class PostRef:
    """A post: an index into the world's planned posts, or into the plan's incidents."""

    index: int
    incident: bool = False


@dataclass(frozen=True)
class AccountRef:
    account: int


@dataclass(frozen=True)
class UrlRef:
    url: str


PlannedTarget = PostRef | AccountRef | UrlRef


@dataclass(frozen=True)
class PlannedIncident:
    """A post written for a case (the world's templates never break a rule)."""

    author: int
    text: str
    language: str
    reply_to: int | None = None  # an index into the world's planned posts


@dataclass(frozen=True)
class PlannedReport:
    reporter: int
    category: ReportCategory
    clause: str
    comment: str


@dataclass(frozen=True)
class PlannedAppeal:
    """Who appeals (the author, or a reporter of a no-action), who reviews, and the outcome."""

    appellant: int
    reason: str
    reviewer: int
    reverse: bool
    reasons: str


@dataclass(frozen=True)
class PlannedRejection:
    """A first proposal on a case, which its second moderator rejects before the decision."""

    action: ActionKind
    facts: str
    label: str
    reason: str


@dataclass(frozen=True)
class PlannedWindow:
    """The election window an admin (`declared_by`) declares when moderation starts."""

    name: str
    starts_at: datetime
    ends_at: datetime
    territories: tuple[str, ...]
    hashtags: tuple[str, ...]
    declared_by: int


@dataclass(frozen=True)
class PlannedCase:
    """One item reported, taken, discussed and decided. A URL has no case: it is decided
    directly (`reports` and `comments` are empty)."""

    target: PlannedTarget
    reports: tuple[PlannedReport, ...]
    moderator: int
    comments: tuple[tuple[int, str], ...]
    action: ActionKind
    clause: str  # "id@version", whose allowed actions include `action`
    facts: str
    label: str = ""
    content_warning: str = ""
    territorial_scope: tuple[str, ...] = ()
    appeal: PlannedAppeal | None = None
    approver: int | None = None  # approves the decision if the election window governs it
    rejected: PlannedRejection | None = None


class Step(enum.StrEnum):
    POST = "post"  # an incident is posted
    REPORT = "report"
    TAKE = "take"
    COMMENT = "comment"
    DECIDE = "decide"
    APPEAL = "appeal"
    REVIEW = "review"  # the appeal is assigned and decided


@dataclass(frozen=True)
class PlannedStep:
    """Step `step` of case `case` (or incident `case` for POST); `index` picks the report or
    comment."""

    at: datetime
    step: Step
    case: int
    index: int = 0


@dataclass(frozen=True)
class ModerationPlan:
    incidents: tuple[PlannedIncident, ...]
    cases: tuple[PlannedCase, ...]
    steps: tuple[PlannedStep, ...]
    election: PlannedWindow

    @property
    def decisions(self) -> int:
        """Decisions enforced: one per case, plus a restore per reversed appeal of an action
        that restricts (a warning or "no action" leaves nothing to restore)."""
        unrestricting = {ActionKind.WARN, ActionKind.NO_ACTION}
        reversed_ = sum(
            1 for c in self.cases if c.appeal and c.appeal.reverse and c.action not in unrestricting
        )
        return len(self.cases) + reversed_


def plan_moderation(world: WorldPlan, policies: PolicySet, seed: int) -> ModerationPlan:
    """The cases for `world`: about one per 150 posts, at least 50, every action kind."""
    rng = Random(f"moderation:{seed}")  # noqa: S311 (reproducible fiction, not secrets)
    builder = _CaseBuilder(rng, world, policies)
    wanted = max(_MIN_CASES, len(world.posts) // _POSTS_PER_CASE)
    scenarios = itertools.cycle(_SCENARIOS)
    while len(builder.cases) < wanted:
        next(scenarios)(builder)
    cases = tuple(builder.cases[:wanted])
    incidents = tuple(builder.incidents)
    steps = _timeline(rng, cases)
    cases = _second_moderators(builder.staff, cases, steps)
    return ModerationPlan(incidents, cases, steps, _window(world))


# -- (1) the scenarios -----------------------------------------------------------------------


class _CaseBuilder:
    """Chooses items, reporters and moderators; each post is the item of one case only."""

    def __init__(self, rng: Random, world: WorldPlan, policies: PolicySet) -> None:
        self.rng = rng
        self.people = world.cast
        self.posts = world.posts
        self.policies = policies
        self.cases: list[PlannedCase] = []
        self.incidents: list[PlannedIncident] = []
        staff = {p.username: i for i, p in enumerate(world.cast) if p.role != Role.MEMBER}
        self.staff = [staff[p.username] for p in STAFF]
        self.members = [i for i, p in enumerate(world.cast) if p.role == Role.MEMBER]
        self.by_camp = {
            camp: [i for i in self.members if self.people[i].camp == camp] for camp in Camp
        }
        self.debate = {camp: _debate_posts(world.posts, world.cast, camp) for camp in Camp}
        self.used: set[int] = set()
        # Spam accounts: quiet generated members nobody would miss, kept for spam only.
        quiet = sorted(self.by_camp[Camp.NEUTRAL], key=lambda i: (self.people[i].activity, i))
        self.spammers = quiet[-3:] if len(quiet) > 8 else quiet[:1]

    def clause(self, clause_id: str, action: ActionKind) -> str:
        clause = self.policies.clause(clause_id)
        if action not in clause.allowed_actions and action != ActionKind.NO_ACTION:
            raise ValueError(f"clause {clause.ref} does not allow {action.value}")
        return clause.ref

    def post_of(self, camp: Camp) -> int:
        free = [i for i in self.debate[camp] if i not in self.used]
        post = self.rng.choice(free)
        self.used.add(post)
        return post

    def member(self, camp: Camp | None, *, besides: Sequence[int] = ()) -> int:
        pool = self.members if camp is None else self.by_camp[camp] or self.members
        return self.rng.choice([i for i in pool if i not in besides and i not in self.spammers])

    def moderators(self) -> tuple[int, int]:
        """The deciding moderator and another one (the appeal reviewer)."""
        first, second = self.rng.sample(self.staff, 2)
        return first, second

    def incident(
        self, author: int, text: str, language: str, reply_to: int | None = None
    ) -> PostRef:
        self.incidents.append(PlannedIncident(author, text, language, reply_to))
        return PostRef(len(self.incidents) - 1, incident=True)

    def author_of(self, target: PlannedTarget) -> int:
        if isinstance(target, AccountRef):
            return target.account
        if isinstance(target, PostRef) and target.incident:
            return self.incidents[target.index].author
        if isinstance(target, PostRef):
            return self.posts[target.index].author
        raise ValueError("a URL has no author")

    def add(self, case: PlannedCase) -> None:
        self.cases.append(case)

    def spam_round(self) -> int:
        return sum(1 for c in self.cases if c.action == ActionKind.BLOCK_URL)


_Scenario = Callable[[_CaseBuilder], None]


def _debate_posts(posts: Sequence[PlannedPost], people: Sequence[Persona], camp: Camp) -> list[int]:
    """Election posts by members of `camp` (neutral: news and election posts by neutrals)."""
    topics = {Camp.HORIZON: {Topic.HORIZON}, Camp.SOCLE: {Topic.SOCLE}}
    wanted = topics.get(camp, {Topic.ELECTION, Topic.NEWS})
    return [
        i
        for i, p in enumerate(posts)
        if p.topic in wanted
        and people[p.author].camp == camp
        and people[p.author].role == Role.MEMBER
    ]


def _debate(action: ActionKind, camp: Camp, appeal: str | None = None) -> _Scenario:
    """A post of `camp` in the election debate, reported by the other side."""

    def scenario(b: _CaseBuilder) -> None:
        post = b.post_of(camp)
        author = b.author_of(PostRef(post))
        other = camp.opponent or Camp.NEUTRAL
        reporters = [b.member(other, besides=[author]), b.member(other, besides=[author])]
        clause_id = _DEBATE_CLAUSE[action]
        clause = b.clause(clause_id, action)
        decider, reviewer = b.moderators()
        reports = tuple(
            PlannedReport(r, ReportCategory.VIOLATION, clause_id, _REPORT_TEXT[action])
            for r in dict.fromkeys(reporters)
        )
        comments = ((decider, _DEBATE_COMMENT[action]), (reviewer, _SECOND_OPINION[action]))
        planned_appeal = None
        if appeal is not None:
            reverse = appeal == "reverse"
            appellant = reports[0].reporter if action == ActionKind.NO_ACTION else author
            planned_appeal = PlannedAppeal(
                appellant,
                _APPEAL_REASON[action],
                reviewer,
                reverse,
                _REVERSED if reverse else _UPHELD,
            )
        b.add(
            PlannedCase(
                PostRef(post),
                reports,
                decider,
                comments,
                action,
                clause,
                _DEBATE_FACTS[action],
                label=_LABEL if action in {ActionKind.LABEL} else "",
                content_warning=_WARNING if action == ActionKind.INTERSTITIAL else "",
                appeal=planned_appeal,
            )
        )

    return scenario


_DEBATE_CLAUSE = {
    ActionKind.NO_ACTION: "civic-integrity/3",
    ActionKind.LABEL: "civic-integrity/1",
    ActionKind.REDUCE_REACH: "civic-integrity/3",
    ActionKind.INTERSTITIAL: "civic-integrity/3",
}
_REPORT_TEXT = {
    ActionKind.NO_ACTION: "Propagande mensongère, à retirer. / This is a lie about our programme.",
    ActionKind.LABEL: "Wrong date for the vote: the second round is on 2 May, not 9 May.",
    ActionKind.REDUCE_REACH: "Annonce des résultats avant la fermeture des bureaux.",
    ActionKind.INTERSTITIAL: "Claims the count is rigged, with a fake 'official' tally.",
}
_DEBATE_COMMENT = {
    ActionKind.NO_ACTION: "Sharp, but an opinion on a party's programme. The policy does not "
    "cover opinions, however heated.",
    ActionKind.LABEL: "The date is wrong per the official notice. First step under the clause is "
    "a label linking to it.",
    ActionKind.REDUCE_REACH: "Presents projections as final results. Not removal material; "
    "reduce reach until the official count.",
    ActionKind.INTERSTITIAL: "Unverified tally presented as official. Warning screen with context.",
}
_SECOND_OPINION = {
    ActionKind.NO_ACTION: "Agreed, no action. D'accord, rien à faire.",
    ActionKind.LABEL: "Agreed. The notice is at the prefecture's site; link it in the label.",
    ActionKind.REDUCE_REACH: "OK for reduced reach; checked the other camp's similar posts too.",
    ActionKind.INTERSTITIAL: "Fine by me, the tally's numbers do not add up.",
}
_DEBATE_FACTS = {
    ActionKind.NO_ACTION: "The post criticises a party's programme; it states no false fact "
    "about voting or results. Political opinion is outside the clause.",
    ActionKind.LABEL: "The post gives a wrong date for the second round; the official election "
    "notice gives another. Labelled with a link to the notice.",
    ActionKind.REDUCE_REACH: "The post announces results before polls closed, presented as "
    "final. Its reach is reduced until the official count.",
    ActionKind.INTERSTITIAL: "The post shows an unverified tally presented as official results.",
}
_APPEAL_REASON = {
    ActionKind.NO_ACTION: "The post is still up and it is spreading a lie about us.",
    ActionKind.LABEL: "I corrected the date in a reply; the label is unfair.",
    ActionKind.REDUCE_REACH: "C'étaient des estimations, et je l'ai dit dans le fil.",
    ActionKind.INTERSTITIAL: "The tally is from our volunteers, not fake.",
}
_LABEL = "Check the official election notice for voting dates and places."
_WARNING = "Unverified claim about the election count."
_UPHELD = "Reviewed the post and the clause again: the decision stands."
_REVERSED = "On review the post does not meet the clause; the restriction is lifted."


def _spam(b: _CaseBuilder) -> None:
    """A spam account: its post removed, the account suspended, its domain blocked."""
    spam_round = b.spam_round()
    spammer = b.spammers[spam_round % len(b.spammers)]
    domain = _SPAM_DOMAINS[spam_round % len(_SPAM_DOMAINS)]
    text = f"🔥 1000 abonnés GRATUITS en 24h !!! https://{domain}/offre #Horizon2027 #Socle"
    post = b.incident(spammer, text, "fr")
    decider, _ = b.moderators()
    reporter = b.member(None, besides=[spammer])
    report = PlannedReport(
        reporter, ReportCategory.SPAM, "spam-and-platform-manipulation/1", "Spam."
    )
    comment = ((decider, "Same text posted under both campaign hashtags. Spam."),)
    b.add(
        PlannedCase(
            post,
            (report,),
            decider,
            comment,
            ActionKind.REMOVE,
            b.clause("spam-and-platform-manipulation/1", ActionKind.REMOVE),
            "The post repeats a link to a follower-selling site under unrelated hashtags.",
        )
    )
    kind, clause_id = ActionKind.SUSPEND, "spam-and-platform-manipulation/1"
    b.add(
        PlannedCase(
            AccountRef(spammer),
            (
                PlannedReport(
                    b.member(None, besides=[spammer]),
                    ReportCategory.SPAM,
                    clause_id,
                    "Compte robot.",
                ),
            ),
            decider,
            ((decider, "Only posts the same link; follows hundreds of accounts a day."),),
            kind,
            b.clause(clause_id, kind),
            "The account posts nothing but the same promotional link and mass-follows members.",
        )
    )


def _blocked_url(b: _CaseBuilder) -> None:
    decider, _ = b.moderators()
    domain = _SPAM_DOMAINS[b.spam_round() % len(_SPAM_DOMAINS)]
    b.add(
        PlannedCase(
            UrlRef(domain),
            (),
            decider,
            (),
            ActionKind.BLOCK_URL,
            b.clause("spam-and-platform-manipulation/3", ActionKind.BLOCK_URL),
            f"{domain} redirects to a page imitating this server's sign-in page.",
        )
    )


def _harassment(b: _CaseBuilder) -> None:
    """A reply thread targeting a member: the worst reply removed, the author warned."""
    target_post = b.post_of(Camp.NEUTRAL)
    harasser = b.member(Camp.SOCLE)
    victim_name = "@" + b.people[b.member(Camp.NEUTRAL)].username
    reply = b.incident(
        harasser,
        f"{victim_name} encore toi ? Personne ne veut lire tes posts. Dégage d'ici, on va "
        "tous te le rappeler chaque jour.",
        "fr",
        reply_to=target_post,
    )
    decider, reviewer = b.moderators()
    reports = (
        PlannedReport(
            b.member(Camp.NEUTRAL, besides=[harasser]),
            ReportCategory.VIOLATION,
            "harassment/1",
            "Harcèlement.",
        ),
    )
    comments = (
        (decider, "Third reply of the kind in this thread, aimed at one member."),
        (reviewer, "Remove this one; limit the account rather than suspend for now."),
    )
    b.add(
        PlannedCase(
            reply,
            reports,
            decider,
            comments,
            ActionKind.REMOVE,
            b.clause("harassment/1", ActionKind.REMOVE),
            "The reply tells a member to leave and promises daily messages to that end.",
        )
    )
    b.add(
        PlannedCase(
            AccountRef(harasser),
            (
                PlannedReport(
                    b.member(None, besides=[harasser]),
                    ReportCategory.VIOLATION,
                    "harassment/2",
                    "Meute.",
                ),
            ),
            reviewer,
            ((reviewer, "Limit its reach, as discussed on the post's case."),),
            ActionKind.LIMIT,
            b.clause("harassment/2", ActionKind.LIMIT),
            "The account joined a pile-on against one member across a thread.",
            appeal=PlannedAppeal(
                harasser, "I was answering, not harassing.", decider, False, _UPHELD
            ),
        )
    )


def _doxxing(b: _CaseBuilder) -> None:
    """A doxxing attempt with a fictional phone number, which the deliberation redacts."""
    author = b.member(Camp.HORIZON)
    victim = "@" + b.people[b.member(Camp.SOCLE)].username
    post = b.incident(
        author,
        f"Vous voulez dire à {victim} ce que vous pensez ? Son portable : {_FAKE_PHONE}. "
        "Appelez-le !",
        "fr",
    )
    decider, reviewer = b.moderators()
    report = PlannedReport(
        b.member(Camp.SOCLE), ReportCategory.VIOLATION, "private-information/1", "Numéro privé !"
    )
    comments = (
        (decider, f"Private number {_FAKE_PHONE} published with a call to ring it. Remove."),
        (reviewer, "Confirmed not a public business number. Agree on removal."),
    )
    b.add(
        PlannedCase(
            post,
            (report,),
            decider,
            comments,
            ActionKind.REMOVE,
            b.clause("private-information/1", ActionKind.REMOVE),
            "The post publishes a member's private phone number and calls on others to use it.",
            appeal=PlannedAppeal(
                author,
                "Ce numéro circulait déjà.",
                reviewer,
                False,
                "Circulating elsewhere does not make it public by the person: the removal stands.",
            ),
        )
    )


def _synthetic(action: ActionKind, camp: Camp, reverse: bool | None) -> _Scenario:
    """A synthetic-media claim: a fabricated recording of the other camp's leader."""

    def scenario(b: _CaseBuilder) -> None:
        author = b.member(camp)
        party = "Socle" if camp == Camp.HORIZON else "Horizon"
        post = b.incident(
            author,
            f"EXCLUSIF : l'audio où la tête de liste {party} avoue truquer les sondages. "
            "Écoutez avant que ça disparaisse !",
            "fr",
        )
        decider, reviewer = b.moderators()
        report = PlannedReport(
            b.member(camp.opponent), ReportCategory.VIOLATION, "synthetic-media/1", "Deepfake."
        )
        comments = (
            (decider, "Voice analysis and the original speech both show the audio is generated."),
            (reviewer, "Agreed; it says nothing about being synthetic."),
        )
        appeal = None
        if reverse is not None:
            outcome = _REVERSED if reverse else _UPHELD
            appeal = PlannedAppeal(
                author, "Je ne savais pas que c'était faux.", reviewer, reverse, outcome
            )
        b.add(
            PlannedCase(
                post,
                (report,),
                decider,
                comments,
                action,
                b.clause("synthetic-media/1", action),
                "The post shares generated audio presented as a real recording of a candidate.",
                label="Synthetic audio: not a real recording."
                if action == ActionKind.LABEL
                else "",
                content_warning="Synthetic media presented as real."
                if action == ActionKind.INTERSTITIAL
                else "",
                appeal=appeal,
            )
        )

    return scenario


def _copyright(b: _CaseBuilder) -> None:
    post = b.post_of(Camp.NEUTRAL)
    decider, _ = b.moderators()
    report = PlannedReport(
        b.member(None, besides=[b.author_of(PostRef(post))]),
        ReportCategory.LEGAL,
        "illegal-content/4",
        "Rediffusion sans droits (FR).",
    )
    b.add(
        PlannedCase(
            PostRef(post),
            (report,),
            decider,
            ((decider, "Rights holder's notice covers France only; restrict there."),),
            ActionKind.GEO_RESTRICT,
            b.clause("illegal-content/4", ActionKind.GEO_RESTRICT),
            "A rights holder notified that the post shares a broadcast licensed only in France.",
            territorial_scope=("FR",),
        )
    )


def _impersonation(b: _CaseBuilder) -> None:
    account = b.member(Camp.NEUTRAL)
    decider, reviewer = b.moderators()
    report = PlannedReport(
        b.member(None, besides=[account]),
        ReportCategory.VIOLATION,
        "impersonation/2",
        "Fake mayor account?",
    )
    b.add(
        PlannedCase(
            AccountRef(account),
            (report,),
            decider,
            ((decider, "Parody of the mayor, but the bio does not say so. Ask first."),),
            ActionKind.WARN,
            b.clause("impersonation/2", ActionKind.WARN),
            "The account parodies a public figure without saying so in its name or bio.",
            appeal=PlannedAppeal(
                account,
                "My bio says 'parody' since last week.",
                reviewer,
                True,
                "The bio now says it is a parody: the warning is withdrawn.",
            ),
        )
    )


_SCENARIOS = (
    _debate(ActionKind.NO_ACTION, Camp.HORIZON, appeal="uphold"),
    _debate(ActionKind.LABEL, Camp.SOCLE, appeal="reverse"),
    _spam,
    _debate(ActionKind.REDUCE_REACH, Camp.HORIZON),
    _debate(ActionKind.NO_ACTION, Camp.SOCLE),
    _doxxing,
    _debate(ActionKind.LABEL, Camp.HORIZON, appeal="uphold"),
    _harassment,
    _synthetic(ActionKind.LABEL, Camp.HORIZON, None),
    _debate(ActionKind.REDUCE_REACH, Camp.SOCLE, appeal="reverse"),
    _blocked_url,
    _debate(ActionKind.NO_ACTION, Camp.NEUTRAL),
    _copyright,
    _synthetic(ActionKind.INTERSTITIAL, Camp.SOCLE, False),
    _impersonation,
    _debate(ActionKind.INTERSTITIAL, Camp.NEUTRAL),
    _synthetic(ActionKind.REDUCE_REACH, Camp.HORIZON, True),
    _debate(ActionKind.NO_ACTION, Camp.HORIZON),
    _debate(ActionKind.NO_ACTION, Camp.SOCLE),
    _debate(ActionKind.LABEL, Camp.NEUTRAL),
)


# -- (2) the timeline ------------------------------------------------------------------------

_STEP_ORDER = {step: n for n, step in enumerate(Step)}


def _timeline(rng: Random, cases: Sequence[PlannedCase]) -> tuple[PlannedStep, ...]:
    """Every step of every case, in time order; a case runs over hours, its appeal over days,
    and everything ends before `MODERATION_ENDS_AT`."""
    first = ACTIVITY_ENDS_AT + timedelta(hours=1)
    span = (MODERATION_ENDS_AT - timedelta(days=8) - first).total_seconds()
    steps: list[PlannedStep] = []
    for n, case in enumerate(cases):
        start = first + timedelta(seconds=rng.random() * span)
        steps.extend(_case_steps(rng, n, case, start))
        if isinstance(case.target, PostRef) and case.target.incident:
            posted = start - timedelta(minutes=rng.randint(20, 600))
            steps.append(PlannedStep(posted, Step.POST, case.target.index))
    return tuple(sorted(steps, key=lambda s: (s.at, s.case, _STEP_ORDER[s.step], s.index)))


def _case_steps(rng: Random, n: int, case: PlannedCase, start: datetime) -> list[PlannedStep]:
    def later(low: int, high: int) -> datetime:
        nonlocal start
        start += timedelta(minutes=rng.randint(low, high))
        return start

    if isinstance(case.target, UrlRef):
        return [PlannedStep(start, Step.DECIDE, n)]
    steps = [PlannedStep(later(5, 90), Step.REPORT, n, i) for i in range(len(case.reports))]
    steps.append(PlannedStep(later(60, 600), Step.TAKE, n))
    steps += [PlannedStep(later(10, 120), Step.COMMENT, n, i) for i in range(len(case.comments))]
    steps.append(PlannedStep(later(10, 60), Step.DECIDE, n))
    if case.appeal is not None:
        steps.append(PlannedStep(later(12 * 60, 3 * 24 * 60), Step.APPEAL, n))
        steps.append(PlannedStep(later(12 * 60, 3 * 24 * 60), Step.REVIEW, n))
    return steps


# -- (3) the election window's second moderators ------------------------------------------


def _window(world: WorldPlan) -> PlannedWindow:
    admin = next(i for i, p in enumerate(world.cast) if p.role == Role.ADMIN)
    return PlannedWindow(
        name="Élection présidentielle 2027 — second tour",
        starts_at=ELECTION_OPENS_AT,
        ends_at=ELECTION_CLOSES_AT,
        territories=("FR",),
        hashtags=tuple(sorted(CAMP_TAGS.values())),
        declared_by=admin,
    )


def _second_moderators(
    staff: Sequence[int], cases: tuple[PlannedCase, ...], steps: Sequence[PlannedStep]
) -> tuple[PlannedCase, ...]:
    """Each case's approver (the staff member who neither decides nor reviews its appeal),
    and, on the first "no action" on election content decided inside the window, a label
    proposed first and rejected by its second moderator."""
    decided_at = {step.case: step.at for step in steps if step.step == Step.DECIDE}
    chosen: list[PlannedCase] = []
    rejection_left = True
    for n, case in enumerate(cases):
        busy = {case.moderator, case.appeal.reviewer if case.appeal else case.moderator}
        case = replace(case, approver=next(s for s in staff if s not in busy))
        in_window = ELECTION_OPENS_AT <= decided_at[n] < ELECTION_CLOSES_AT
        civic = case.clause.startswith("civic-integrity/")
        if rejection_left and in_window and civic and case.action == ActionKind.NO_ACTION:
            case = replace(case, rejected=_REJECTED_LABEL)
            rejection_left = False
        chosen.append(case)
    return tuple(chosen)


_REJECTED_LABEL = PlannedRejection(
    ActionKind.LABEL,
    "The post says the other camp's programme would cancel the second round; label it with "
    "the official election calendar.",
    _LABEL,
    "Rejected: the post is a forecast about a programme, not a claim about how or when to "
    "vote. Opinion is outside the clause; no label.",
)
