"""Copies surfaced and decided one by one: a case's post's identical and near-identical
copies are listed with their similarity; deciding the case with some of them makes one
`enforce`, one action and one ledger entry per copy, each linked to the original's."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from conftest import AccountFactory, PostFactory
from moderation.conftest import ANYTHING
from townsquare.app import Services
from townsquare.kernel import FixedClock
from townsquare.ledger import decode_entry
from townsquare.microblog import Account, Post, PostDraft, Role
from townsquare.moderation import (
    COPY_THRESHOLD,
    ActionKind,
    CaseDecision,
    CaseState,
    InvalidDecisionError,
    Moderation,
    PostTarget,
    ReportCategory,
    ReportDraft,
    WindowDraft,
)
from townsquare.storage.tables import (
    ledger_pending,
    moderation_actions,
    moderation_restrictions,
    post_fingerprint_bands,
    post_fingerprints,
)

SCAM = (
    "Congratulations! You have won a free phone. Claim it now at https://prize.example/claim "
    "before midnight, only three left!"
)
SAME_SCAM = (
    "CONGRATULATIONS you have won a FREE phone — claim it now at "
    "https://prize.example/other?ref=42 before midnight only three left"
)
NEAR_SCAM = SCAM.replace("phone", "tablet")
UNRELATED = "The bakery on the corner has fresh croissants this morning, come early."
REMOVE = CaseDecision(ActionKind.REMOVE, f"{ANYTHING}@3", "A prize scam asking for details.")


@pytest.fixture
def spammers(make_account: AccountFactory) -> list[Account]:
    return [make_account(f"spammer{n}") for n in range(3)]


@pytest.fixture
def posted(spammers: list[Account], make_post: PostFactory) -> dict[str, Post]:
    first, second, third = spammers
    return {
        "original": make_post(first, SCAM),
        "same": make_post(second, SAME_SCAM),
        "near": make_post(third, NEAR_SCAM),
        "unrelated": make_post(second, UNRELATED),
    }


@pytest.fixture
def case_id(
    moderation: Moderation,
    make_account: AccountFactory,
    posted: dict[str, Post],
    moderator: Account,
) -> int:
    reporter = make_account("reporter")
    target = PostTarget(posted["original"].id)
    made = moderation.cases.report(ReportDraft(reporter.id, target, ReportCategory.SPAM))
    moderation.cases.take(made.case_id, moderator.id)
    return made.case_id


def test_a_post_gets_its_fingerprint_when_written(
    services: Services, posted: dict[str, Post]
) -> None:
    with services.db.read() as conn:
        signed = set(conn.execute(select(post_fingerprints.c.post_id)).scalars())
        bands = conn.execute(
            select(post_fingerprint_bands).where(
                post_fingerprint_bands.c.post_id == posted["original"].id
            )
        ).all()
    assert {p.id for p in posted.values()} <= signed
    assert len(bands) == 20


def test_identical_and_near_copies_are_surfaced_and_unrelated_posts_are_not(
    moderation: Moderation, moderator: Account, case_id: int, posted: dict[str, Post]
) -> None:
    copies = moderation.cases.copies(case_id, moderator.id)
    assert [c.post_id for c in copies] == [posted["same"].id, posted["near"].id]
    same, near = copies
    assert same.similarity == 1.0
    assert COPY_THRESHOLD <= near.similarity < 1.0


def test_copies_decided_one_by_one_are_one_entry_each_linked_to_the_original(
    services: Services,
    moderation: Moderation,
    moderator: Account,
    case_id: int,
    posted: dict[str, Post],
) -> None:
    chosen = [posted["same"].id, posted["near"].id]
    decided = moderation.cases.decide(case_id, moderator.id, REMOVE, copies=chosen)
    assert decided.state == CaseState.DECIDED
    with services.db.read() as conn:
        actions = conn.execute(select(moderation_actions).order_by(moderation_actions.c.id)).all()
        pending = conn.execute(select(ledger_pending.c.entry)).scalars().all()
        removed = set(conn.execute(select(moderation_restrictions.c.post_id)).scalars())
    assert len(actions) == 3  # the original and one per copy: N + 1
    decision_entries = [e for e in pending if decode_entry(e).type == "moderation.decision"]
    assert sorted(a.entry for a in actions) == sorted(decision_entries)
    original, *copies = actions
    assert original.id == decided.action_id
    assert original.copy_of_id is None
    assert [c.post_id for c in copies] == chosen
    assert {c.copy_of_id for c in copies} == {decided.action_id}
    assert removed == {posted["original"].id, *chosen}
    for copy in copies:
        fields = decode_entry(copy.entry).fields
        assert fields["clause"] == f"{ANYTHING}@3"
        assert fields["case_id"] is None
        assert fields["automated_detection"] == "Yes"
        assert fields["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED"
        link = fields["copy_of"]
        assert isinstance(link, dict)
        assert link["action_id"] == str(decided.action_id)
        assert link["post_id"] == str(posted["original"].id)
        assert f"of post {posted['original'].id}" in str(fields["decision_facts"])
        assert f"(similarity {link['similarity']})" in str(fields["decision_facts"])
    covered = moderation.copies_covered(decided.action_id or 0)
    assert [c.post_id for c in covered] == chosen
    assert covered[0].similarity == "1.00"
    assert moderation.check_projection().matches


def test_a_copys_own_open_case_is_decided_by_the_decision_that_covered_it(
    moderation: Moderation,
    make_account: AccountFactory,
    moderator: Account,
    case_id: int,
    posted: dict[str, Post],
) -> None:
    # The copy was reported too: deciding it from the original's case leaves no open case
    # about a post already decided (the demo's campaign left four in the queue).
    reporter = make_account("another_reporter")
    copy_case = moderation.cases.report(
        ReportDraft(reporter.id, PostTarget(posted["same"].id), ReportCategory.SPAM)
    ).case_id
    unrelated_case = moderation.cases.report(
        ReportDraft(reporter.id, PostTarget(posted["unrelated"].id), ReportCategory.SPAM)
    ).case_id

    moderation.cases.decide(case_id, moderator.id, REMOVE, copies=[posted["same"].id])

    covered = moderation.cases.case_file(copy_case, moderator.id).case
    assert covered.state == CaseState.DECIDED
    assert covered.outcome == "remove"
    assert [c.action_id for c in moderation.copies_covered(_action(moderation, case_id))] == [
        covered.action_id
    ]
    assert moderation.cases.case_file(unrelated_case, moderator.id).case.state == CaseState.OPEN


def test_a_subset_of_copies_is_decided_and_the_rest_stay_listed_for_later(
    moderation: Moderation, moderator: Account, case_id: int, posted: dict[str, Post]
) -> None:
    moderation.cases.decide(case_id, moderator.id, REMOVE, copies=[posted["near"].id])
    with moderation.db.read() as conn:
        count = len(conn.execute(select(moderation_actions.c.id)).all())
    assert count == 2
    assert moderation.copies_covered(_action(moderation, case_id))[0].post_id == posted["near"].id


def test_a_post_that_is_not_a_copy_is_refused_and_nothing_is_enforced(
    moderation: Moderation, moderator: Account, case_id: int, posted: dict[str, Post]
) -> None:
    with pytest.raises(InvalidDecisionError, match="not copies"):
        moderation.cases.decide(case_id, moderator.id, REMOVE, copies=[posted["unrelated"].id])
    with moderation.db.read() as conn:
        assert conn.execute(select(moderation_actions.c.id)).all() == []
    assert moderation.cases.case_file(case_id, moderator.id).case.state == CaseState.IN_REVIEW


def test_a_copy_already_decided_the_same_way_is_not_listed_again(
    moderation: Moderation,
    moderator: Account,
    case_id: int,
    posted: dict[str, Post],
    make_account: AccountFactory,
) -> None:
    moderation.cases.decide(case_id, moderator.id, REMOVE, copies=[posted["same"].id])
    reporter = make_account("second_reporter")
    draft = ReportDraft(reporter.id, PostTarget(posted["near"].id), ReportCategory.SPAM)
    other = moderation.cases.report(draft).case_id
    moderation.cases.take(other, moderator.id)
    listed = [c.post_id for c in moderation.cases.copies(other, moderator.id)]
    assert listed == []  # the original and the identical copy are both removed already
    with pytest.raises(InvalidDecisionError, match="already decided"):
        moderation.cases.decide(other, moderator.id, REMOVE, copies=[posted["same"].id])


def test_the_moderators_own_copy_is_left_out(
    moderation: Moderation,
    moderator: Account,
    case_id: int,
    posted: dict[str, Post],
    services: Services,
) -> None:
    services.microblog.posts.create(moderator.id, PostDraft(text=SCAM))
    listed = {c.post_id for c in moderation.cases.copies(case_id, moderator.id)}
    assert listed == {posted["same"].id, posted["near"].id}


def test_the_backfill_fingerprints_posts_written_before_fingerprints(
    services: Services, posted: dict[str, Post]
) -> None:
    with services.db.write() as conn:
        conn.execute(post_fingerprints.delete())
        conn.execute(post_fingerprint_bands.delete())
    assert services.microblog.posts.fingerprint_missing() == len(posted)
    assert services.microblog.posts.fingerprint_missing() == 0
    with services.db.read() as conn:
        assert len(conn.execute(select(post_fingerprints.c.post_id)).all()) == len(posted)


def _action(moderation: Moderation, case_id: int) -> int:
    with moderation.db.read() as conn:
        query = select(moderation_actions.c.id).where(moderation_actions.c.case_id == case_id)
        return int(conn.execute(query).scalar_one())


def test_a_deleted_post_takes_its_fingerprint_with_it(
    services: Services, posted: dict[str, Post]
) -> None:
    same = posted["same"]
    services.microblog.posts.delete(same.account_id, same.id)
    with services.db.read() as conn:
        query = select(post_fingerprint_bands).where(post_fingerprint_bands.c.post_id == same.id)
        assert conn.execute(query).all() == []
        signed = select(post_fingerprints).where(post_fingerprints.c.post_id == same.id)
        assert conn.execute(signed).all() == []


def test_a_copy_under_an_election_windows_two_person_rule_refuses_the_decision(
    moderation: Moderation,
    moderator: Account,
    make_account: AccountFactory,
    make_post: PostFactory,
    clock: FixedClock,
) -> None:
    admin = make_account("operator_ann", role=Role.ADMIN)
    starts = clock.now() + timedelta(hours=2)
    draft = WindowDraft(
        name="Municipal elections",
        starts_at=starts,
        ends_at=starts + timedelta(days=10),
        territories=("FR",),
        hashtags=("#Municipales2026",),
    )
    moderation.elections.declare(draft, declared_by=admin.id)
    clock.advance(timedelta(hours=3))
    text = (
        "You can vote twice tomorrow, they never check the lists in the small towns, so "
        "bring your friends and go to two polling stations before the doors close at eight."
    )
    original = make_post(make_account("first"), text)
    tagged = make_post(make_account("second"), f"{text} #Municipales2026")
    reporter = make_account("reporter")
    report = ReportDraft(reporter.id, PostTarget(original.id), ReportCategory.VIOLATION)
    case_id = moderation.cases.report(report).case_id
    moderation.cases.take(case_id, moderator.id)
    assert [c.post_id for c in moderation.cases.copies(case_id, moderator.id)] == [tagged.id]
    with pytest.raises(InvalidDecisionError, match="second moderator"):
        moderation.cases.decide(case_id, moderator.id, REMOVE, copies=[tagged.id])
    with moderation.db.read() as conn:
        assert conn.execute(select(moderation_actions.c.id)).all() == []
