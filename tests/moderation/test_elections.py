"""The two-person rule of election windows (DESIGN.md, promise 5): during a declared window,
an action on election-related content needs a second moderator, names its item, is never
automated, and is flagged in its ledger entry; replay checks the same rule from the log."""

import contextlib
import random
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Table, func, select

from conftest import AccountFactory, PostFactory
from moderation.conftest import ANYTHING, ELECTION_CATEGORY, ELECTIONS, START, Decide
from moderation.test_replay import _random_decision
from townsquare.app import Services
from townsquare.kernel import FixedClock
from townsquare.ledger import JSON, decode_entry, encode_entry
from townsquare.microblog import Account, Post, Role
from townsquare.moderation import (
    DECISION_ENTRY_TYPE,
    AccountTarget,
    Action,
    ActionKind,
    Approval,
    BlanketActionError,
    CaseDecision,
    CaseState,
    ElectionWindow,
    IllegalTransitionError,
    InvalidDecisionError,
    InvalidWindowError,
    MalformedDecisionEntryError,
    Moderation,
    ModerationError,
    NotAModeratorError,
    OwnContentError,
    PostTarget,
    Proposal,
    ProposalState,
    ProposalTransitionError,
    ReportCategory,
    ReportDraft,
    SecondModeratorRequiredError,
    UrlTarget,
    WindowDraft,
    replay,
)
from townsquare.moderation._elections import (
    NOTICE,
    governing_window,
    needs_two_moderators,
    new_window,
    window_entry,
)
from townsquare.storage.tables import ledger_entries, ledger_pending, moderation_actions

OPENS = START + timedelta(hours=2)
CLOSES = START + timedelta(days=10)
VOTE = f"{ELECTIONS}@3"


def _draft(**changes: object) -> WindowDraft:
    fields: dict[str, object] = {
        "name": "Municipal elections",
        "starts_at": OPENS,
        "ends_at": CLOSES,
        "territories": ("FR",),
        "hashtags": ("#Municipales2026",),
        **changes,
    }
    return WindowDraft(**fields)  # type: ignore[arg-type]


def _window(**changes: object) -> ElectionWindow:
    return new_window(7, _draft(**changes), START)


# The pure rule ------------------------------------------------------------------------------


def test_a_window_is_declared_ahead_bounded_and_normalised() -> None:
    window = _window(territories=("fr", "BE"), hashtags=("#Municipales2026", "municipales2026"))
    assert window.territories == ("BE", "FR")
    assert window.hashtags == ("municipales2026",)
    assert window.is_open(OPENS)
    assert not window.is_open(CLOSES)
    assert not window.is_open(OPENS - timedelta(seconds=1))


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"starts_at": START + NOTICE - timedelta(minutes=1)}, "at least 1 hour after now"),
        ({"ends_at": OPENS}, "ends_at: expected after starts_at"),
        ({"ends_at": OPENS + timedelta(days=93)}, "at most 92 days"),
        ({"territories": ()}, "territories: expected the country codes"),
        ({"territories": ("France",)}, "ISO 3166 alpha-2"),
        ({"name": "  "}, "name: expected 1 to 200"),
        ({"hashtags": ("two words",)}, "is not a hashtag"),
        ({"starts_at": datetime(2026, 6, 2)}, "aware datetimes"),
    ],
)
def test_a_window_out_of_bounds_is_refused_saying_why(changes: dict[str, object], why: str) -> None:
    with pytest.raises(InvalidWindowError, match=why):
        _window(**changes)


def test_content_is_election_related_by_category_or_by_hashtag() -> None:
    window = _window()
    during = OPENS + timedelta(days=1)
    assert governing_window([window], at=during, category=ELECTION_CATEGORY, hashtags=()) == window
    other = "STATEMENT_CATEGORY_CYBER_VIOLENCE"
    assert governing_window([window], at=during, category=other, hashtags=()) is None
    tagged = governing_window([window], at=during, category=other, hashtags=["municipales2026"])
    assert tagged == window
    after = governing_window([window], at=CLOSES, category=ELECTION_CATEGORY, hashtags=())
    assert after is None


def test_only_restore_and_no_action_may_be_taken_by_one_moderator() -> None:
    assert {k for k in ActionKind if not needs_two_moderators(k)} == {
        ActionKind.RESTORE,
        ActionKind.NO_ACTION,
    }


# Declaring ---------------------------------------------------------------------------------


@pytest.fixture
def admin(make_account: AccountFactory) -> Account:
    return make_account("operator_ann", role=Role.ADMIN)


@pytest.fixture
def window(moderation: Moderation, admin: Account, clock: FixedClock) -> ElectionWindow:
    """A window open from two hours after START, the clock moved into it."""
    declared = moderation.elections.declare(_draft(), declared_by=admin.id)
    clock.advance(timedelta(hours=3))
    return declared


@pytest.fixture
def second(make_account: AccountFactory) -> Account:
    return make_account("second", role=Role.MODERATOR)


@pytest.fixture
def post(make_account: AccountFactory, make_post: PostFactory) -> Post:
    return make_post(make_account("voter"), "Polls close at noon on Sunday")


def test_only_an_admin_or_the_operator_declares_a_window(
    moderation: Moderation, moderator: Account, services: Services
) -> None:
    with pytest.raises(NotAModeratorError, match="expected an admin"):
        moderation.elections.declare(_draft(), declared_by=moderator.id)
    declared = moderation.elections.declare(_draft(), declared_by=None)
    assert moderation.elections.all() == [declared]
    services.ledger.integrate()
    logged = decode_entry(services.ledger.entry(services.ledger.size() - 1))
    assert logged.type == "moderation.election_window"
    assert logged.fields["window_id"] == str(declared.id)
    assert logged.fields["hashtags"] == ["municipales2026"]


# Enforcing in a window ---------------------------------------------------------------------


def _count(moderation: Moderation, table: Table) -> int:
    with moderation.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_one_moderator_cannot_act_on_election_content_during_a_window(
    moderation: Moderation, decide: Decide, window: ElectionWindow, post: Post
) -> None:
    before = _count(moderation, ledger_pending)
    with pytest.raises(SecondModeratorRequiredError, match="Municipal elections"):
        moderation.enforce(decide(ActionKind.REMOVE, PostTarget(post.id), clause=VOTE))
    assert _count(moderation, ledger_pending) == before
    assert _count(moderation, moderation_actions) == 0


def test_the_rule_applies_only_inside_the_window(
    moderation: Moderation, decide: Decide, admin: Account, post: Post, clock: FixedClock
) -> None:
    moderation.elections.declare(_draft(), declared_by=admin.id)
    label = decide(ActionKind.LABEL, PostTarget(post.id), clause=VOTE, label="Check the date")
    moderation.enforce(label)  # declared, not open yet
    clock.advance(CLOSES - START)
    moderation.enforce(label)  # closed
    assert _count(moderation, moderation_actions) == 2


def test_other_content_needs_one_moderator_but_a_window_hashtag_makes_it_election_content(
    moderation: Moderation,
    decide: Decide,
    window: ElectionWindow,
    post: Post,
    make_post: PostFactory,
    make_account: AccountFactory,
) -> None:
    moderation.enforce(decide(ActionKind.REMOVE, PostTarget(post.id), clause=f"{ANYTHING}@3"))
    tagged = make_post(make_account("campaigner"), "Vote twice! #MUNICIPALES2026")
    with pytest.raises(SecondModeratorRequiredError):
        moderation.enforce(decide(ActionKind.REMOVE, PostTarget(tagged.id), clause=f"{ANYTHING}@3"))


def test_restoring_and_no_action_stay_with_one_moderator(
    moderation: Moderation, decide: Decide, window: ElectionWindow, post: Post
) -> None:
    moderation.enforce(decide(ActionKind.NO_ACTION, PostTarget(post.id), clause=VOTE))
    assert _count(moderation, moderation_actions) == 1


def test_no_blanket_suppression_and_no_automation_during_a_window(
    moderation: Moderation, decide: Decide, window: ElectionWindow, post: Post
) -> None:
    block = decide(ActionKind.BLOCK_URL, UrlTarget("polls.example"), clause=VOTE)
    with pytest.raises(BlanketActionError, match="act on each election-related post"):
        moderation.enforce(block)
    with pytest.raises(BlanketActionError):
        moderation.proposals.propose(block)
    robot = decide(ActionKind.LABEL, PostTarget(post.id), clause=VOTE, label="x")
    with pytest.raises(BlanketActionError, match="never automatically"):
        moderation.proposals.propose(replace(robot, automated_decision=True))


# Proposals ---------------------------------------------------------------------------------


def _propose(moderation: Moderation, decide: Decide, post: Post) -> Proposal:
    decision = decide(ActionKind.REDUCE_REACH, PostTarget(post.id), clause=VOTE)
    done = moderation.proposals.decide(decision)
    assert isinstance(done, Proposal)
    return done


def test_a_second_moderator_approves_and_the_entry_is_flagged(
    moderation: Moderation,
    decide: Decide,
    window: ElectionWindow,
    post: Post,
    second: Account,
    services: Services,
) -> None:
    proposal = _propose(moderation, decide, post)
    assert proposal.state == ProposalState.PROPOSED
    assert proposal.window_id == window.id
    assert _count(moderation, moderation_actions) == 0  # a proposal changes nothing yet

    action = moderation.proposals.approve(proposal.id, second.id)
    fields = decode_entry(action.entry).fields
    assert fields["election_window"] == str(window.id)
    assert fields["second_moderator_approval"] is True
    settled = moderation.proposals.get(proposal.id)
    assert (settled.state, settled.decided_by, settled.action_id) == (
        ProposalState.APPROVED,
        second.id,
        action.id,
    )
    assert [f.action_id for f in moderation.elections.flagged_decisions(window.id)] == [action.id]
    assert moderation.check_projection().matches
    services.ledger.integrate()
    with moderation.db.read() as conn:
        query = select(ledger_entries.c.entry).order_by(ledger_entries.c.idx)
        replayed = replay(conn.execute(query).scalars())
    assert (replayed.windows, replayed.flagged) == (1, 1)


def test_the_proposer_cannot_approve_their_own_proposal(
    moderation: Moderation, decide: Decide, window: ElectionWindow, post: Post, moderator: Account
) -> None:
    proposal = _propose(moderation, decide, post)
    with pytest.raises(SecondModeratorRequiredError, match="its proposer approving"):
        moderation.proposals.approve(proposal.id, moderator.id)


def test_a_member_cannot_approve_and_an_author_cannot_approve_about_their_own_post(
    moderation: Moderation,
    decide: Decide,
    window: ElectionWindow,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> None:
    author = make_account("candidate", role=Role.MODERATOR)
    post = make_post(author, "Results are in: we won")
    proposal = _propose(moderation, decide, post)
    with pytest.raises(NotAModeratorError, match="to approve"):
        moderation.proposals.approve(proposal.id, make_account("member").id)
    with pytest.raises(OwnContentError):
        moderation.proposals.approve(proposal.id, author.id)
    assert moderation.proposals.get(proposal.id).state == ProposalState.PROPOSED


def test_an_approval_must_match_the_decision_proposed(
    moderation: Moderation, decide: Decide, window: ElectionWindow, post: Post, second: Account
) -> None:
    proposal = _propose(moderation, decide, post)
    swapped = decide(
        ActionKind.REMOVE,
        PostTarget(post.id),
        clause=VOTE,
        approval=Approval(proposal.id, second.id),
    )
    with pytest.raises(InvalidDecisionError, match="was for another decision"):
        moderation.enforce(swapped)
    assert _count(moderation, moderation_actions) == 0


def test_a_proposal_is_settled_once(
    moderation: Moderation,
    decide: Decide,
    window: ElectionWindow,
    post: Post,
    second: Account,
    make_account: AccountFactory,
) -> None:
    proposal = _propose(moderation, decide, post)
    moderation.proposals.approve(proposal.id, second.id)
    third = make_account("third", role=Role.MODERATOR)
    with pytest.raises(ProposalTransitionError, match="approved"):
        moderation.proposals.approve(proposal.id, third.id)
    with pytest.raises(ProposalTransitionError):
        moderation.proposals.reject(proposal.id, third.id, "Too late")
    assert _count(moderation, moderation_actions) == 1


def test_a_rejected_or_withdrawn_proposal_enforces_nothing(
    moderation: Moderation,
    decide: Decide,
    window: ElectionWindow,
    post: Post,
    second: Account,
    moderator: Account,
) -> None:
    rejected = moderation.proposals.reject(
        _propose(moderation, decide, post).id, second.id, "Satire, clearly"
    )
    assert (rejected.state, rejected.reason) == (ProposalState.REJECTED, "Satire, clearly")
    with pytest.raises(ProposalTransitionError):
        moderation.proposals.approve(rejected.id, second.id)
    withdrawn = moderation.proposals.reject(
        _propose(moderation, decide, post).id, moderator.id, "I misread it"
    )
    assert withdrawn.state == ProposalState.WITHDRAWN
    with pytest.raises(InvalidDecisionError, match="reason"):
        moderation.proposals.reject(_propose(moderation, decide, post).id, second.id, " ")
    assert _count(moderation, moderation_actions) == 0


def test_a_proposal_approved_after_its_window_closed_stays_flagged(
    moderation: Moderation,
    decide: Decide,
    window: ElectionWindow,
    post: Post,
    second: Account,
    clock: FixedClock,
) -> None:
    proposal = _propose(moderation, decide, post)
    clock.advance(CLOSES - clock.now())
    action = moderation.proposals.approve(proposal.id, second.id)
    assert decode_entry(action.entry).fields["election_window"] == str(window.id)


def test_a_voluntary_proposal_outside_any_window_is_approved_unflagged(
    moderation: Moderation, decide: Decide, post: Post, second: Account
) -> None:
    proposal = moderation.proposals.propose(
        decide(ActionKind.LABEL, PostTarget(post.id), label="Unverified")
    )
    assert proposal.window_id is None
    fields = decode_entry(moderation.proposals.approve(proposal.id, second.id).entry).fields
    assert (fields["election_window"], fields["second_moderator_approval"]) == (None, True)


# Replay checks the rule from the log alone --------------------------------------------------


def _decision_fields(**changes: JSON) -> dict[str, JSON]:
    fields: dict[str, JSON] = {
        "action_id": "11",
        "action": "label",
        "target": {"kind": "post", "id": "5"},
        "clause": VOTE,
        "clause_title": {"en": "Voting misinformation"},
        "label": "Check",
        "category": ELECTION_CATEGORY,
        "decided_at": (OPENS + timedelta(days=1)).isoformat(),
        "automated_decision": "AUTOMATED_DECISION_NOT_AUTOMATED",
        "election_window": "7",
        "second_moderator_approval": True,
    }
    return {**fields, **changes}


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"election_window": None}, "without a second moderator"),
        ({"second_moderator_approval": False}, "flagged with election window 7 without"),
        ({"election_window": "8"}, "no earlier entry declares it"),
        (
            {"action": "block_url", "target": {"kind": "url", "url": "polls.example"}},
            "naming no item",
        ),
        ({"automated_decision": "AUTOMATED_DECISION_FULLY"}, "by automated means"),
    ],
)
def test_replay_refuses_a_log_that_breaks_the_two_person_rule(
    changes: dict[str, JSON], why: str
) -> None:
    entries = [
        window_entry(_window()),
        encode_entry(DECISION_ENTRY_TYPE, 2, _decision_fields(**changes)),
    ]
    with pytest.raises(MalformedDecisionEntryError, match="ledger entry 1: ") as refused:
        replay(entries)
    assert why in str(refused.value)


def test_replay_accepts_the_rule_kept_and_decisions_outside_the_window() -> None:
    before = (START + timedelta(minutes=30)).isoformat()
    entries = [
        window_entry(_window()),
        encode_entry(DECISION_ENTRY_TYPE, 2, _decision_fields()),
        encode_entry(
            DECISION_ENTRY_TYPE,
            2,
            _decision_fields(action_id="12", election_window=None, decided_at=before),
        ),
        encode_entry(
            DECISION_ENTRY_TYPE,
            2,
            _decision_fields(action_id="13", election_window=None, category="OTHER"),
        ),
    ]
    replayed = replay(entries)
    assert (replayed.decisions, replayed.windows, replayed.flagged) == (3, 1, 1)


def test_an_account_action_citing_an_election_clause_needs_two_as_well(
    moderation: Moderation,
    decide: Decide,
    window: ElectionWindow,
    make_account: AccountFactory,
) -> None:
    target = AccountTarget(make_account("troll").id)
    with pytest.raises(SecondModeratorRequiredError):
        moderation.enforce(decide(ActionKind.SUSPEND, target, clause=VOTE))


def test_windows_are_listed_latest_first(moderation: Moderation, admin: Account) -> None:
    first = moderation.elections.declare(_draft(), declared_by=admin.id)
    later = moderation.elections.declare(
        _draft(name="Runoff", starts_at=CLOSES, ends_at=CLOSES + timedelta(days=7)),
        declared_by=admin.id,
    )
    assert moderation.elections.all() == [later, first]
    assert moderation.elections.get(first.id) == first


# Cases in a window ----------------------------------------------------------------------------


@pytest.fixture
def case_in_review(
    moderation: Moderation, moderator: Account, post: Post, make_account: AccountFactory
) -> int:
    draft = ReportDraft(make_account("reporter").id, PostTarget(post.id), ReportCategory.VIOLATION)
    case_id = moderation.cases.report(draft).case_id
    moderation.cases.take(case_id, moderator.id)
    return case_id


LABEL_VOTE = CaseDecision(ActionKind.LABEL, VOTE, "Gives the wrong date.", label="Wrong date")


def test_a_case_decided_in_a_window_awaits_a_second_moderator(
    moderation: Moderation,
    window: ElectionWindow,
    moderator: Account,
    second: Account,
    case_in_review: int,
) -> None:
    waiting = moderation.cases.decide(case_in_review, moderator.id, LABEL_VOTE)
    assert waiting.state == CaseState.AWAITING_APPROVAL
    assert waiting.action_id is None
    with pytest.raises(SecondModeratorRequiredError):
        moderation.cases.approve(case_in_review, moderator.id)
    moderation.cases.comment(case_in_review, second.id, "Agreed, the date is wrong.")

    decided = moderation.cases.approve(case_in_review, second.id)
    assert (decided.state, decided.outcome, decided.reviewer_id) == (
        CaseState.DECIDED,
        "label",
        moderator.id,
    )
    published = moderation.cases.published(case_in_review)
    [proposal] = published.proposals
    assert proposal.state == ProposalState.APPROVED
    assert proposal.window_id == window.id
    assert proposal.proposer != proposal.decided_by
    assert proposal.proposer.startswith("Moderator ")
    assert moderation.check_projection().matches


def test_a_rejected_case_proposal_returns_the_case_to_its_reviewer(
    moderation: Moderation,
    window: ElectionWindow,
    moderator: Account,
    second: Account,
    case_in_review: int,
) -> None:
    moderation.cases.decide(case_in_review, moderator.id, LABEL_VOTE)
    back = moderation.cases.reject(case_in_review, second.id, "Call 555 123 4567 to check")
    assert (back.state, back.reviewer_id) == (CaseState.IN_REVIEW, moderator.id)
    no_action = CaseDecision(ActionKind.NO_ACTION, VOTE, "On reflection, it is satire.")
    assert moderation.cases.decide(case_in_review, moderator.id, no_action).state == (
        CaseState.DECIDED
    )
    [rejected] = moderation.cases.published(case_in_review).proposals
    assert rejected.state == ProposalState.REJECTED
    assert rejected.reason == "Call [phone redacted] to check"
    with pytest.raises(IllegalTransitionError, match="case is decided"):
        moderation.cases.approve(case_in_review, second.id)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_ledger_replays_and_keeps_the_rule_after_random_decisions_across_a_window(
    seed: int,
    moderation: Moderation,
    decide: Decide,
    admin: Account,
    second: Account,
    services: Services,
    make_account: AccountFactory,
    make_post: PostFactory,
    clock: FixedClock,
) -> None:
    """Decisions before, during and after a window, on election content and other content,
    each through `Proposals.decide` and approved or rejected when it becomes a proposal:
    after every step the projection equals the replay, and replay's two-person check holds."""
    rng = random.Random(seed)
    moderation.elections.declare(_draft(), declared_by=admin.id)
    authors = [make_account(f"author{i}") for i in range(3)]
    texts = ["#municipales2026 https://a.example/1", "https://b.example/x/y", "plain"]
    posts = [make_post(rng.choice(authors), rng.choice(texts)).id for _ in range(6)]
    taken: list[Action] = []
    proposed = 0
    for _step in range(50):
        decision = _random_decision(rng, decide, posts, authors, taken, clock)
        decision = replace(decision, clause=rng.choice([VOTE, f"{ANYTHING}@3"]))
        with contextlib.suppress(ModerationError):
            done = moderation.proposals.decide(decision)
            if isinstance(done, Proposal):
                proposed += 1
                if rng.random() < 0.2:
                    moderation.proposals.reject(done.id, second.id, "Not convinced.")
                    continue
                done = moderation.proposals.approve(done.id, second.id)
            taken.append(done)
        clock.advance(timedelta(hours=rng.randint(2, 10)))
        assert moderation.check_projection().matches
    services.ledger.integrate()
    assert moderation.check_projection().matches
    assert proposed >= 5
    assert clock.now() > CLOSES  # the walk went through the whole window and out of it
