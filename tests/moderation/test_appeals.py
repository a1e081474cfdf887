"""Appeals: the state machine one step at a time, who may appeal and review, the six-month
window, the ledger entry, and a reversal restoring visibility through `enforce`."""

import json
import threading
from datetime import timedelta

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from conftest import AccountFactory, PostFactory
from moderation.conftest import ANYTHING, Decide
from townsquare.kernel import FixedClock
from townsquare.ledger import decode_entry
from townsquare.microblog import Account, Role
from townsquare.moderation import (
    APPEAL_ENTRY_TYPE,
    ActionKind,
    AppealState,
    AppealTransitionError,
    AppealWindowClosedError,
    Moderation,
    NotAModeratorError,
    NotAppealReviewerError,
    NotAppellantError,
    PostTarget,
    SameModeratorError,
    appeal_deadline,
    overturn_rates,
)
from townsquare.moderation._appeals import TRANSITIONS, next_state
from townsquare.storage.tables import ledger_pending, moderation_appeals, moderation_restrictions


@pytest.fixture
def author(make_account: AccountFactory) -> Account:
    return make_account("zoewriter")


@pytest.fixture
def reviewer(make_account: AccountFactory) -> Account:
    return make_account("second", role=Role.MODERATOR)


@pytest.fixture
def removal(moderation: Moderation, decide: Decide, author: Account, make_post: PostFactory) -> int:
    post = make_post(author, "a post the moderator removes")
    return moderation.enforce(decide(ActionKind.REMOVE, PostTarget(post.id))).id


def _restricted(moderation: Moderation) -> set[int]:
    with moderation.db.read() as conn:
        return set(conn.execute(moderation_restrictions.select()).scalars())


def _logged(moderation: Moderation, type: str) -> list[dict[str, object]]:
    with moderation.db.read() as conn:
        entries = conn.execute(ledger_pending.select().order_by(ledger_pending.c.id)).all()
    decoded = [decode_entry(row.entry) for row in entries]
    return [dict(e.fields) for e in decoded if e.type == type]


def test_the_declared_transitions_are_the_only_moves() -> None:
    assert next_state(AppealState.FILED, AppealState.ASSIGNED) == AppealState.ASSIGNED
    assert next_state(AppealState.ASSIGNED, AppealState.REVERSED) == AppealState.REVERSED
    for current, allowed in TRANSITIONS.items():
        for wanted in set(AppealState) - allowed:
            with pytest.raises(AppealTransitionError, match=f"a {current} appeal"):
                next_state(current, wanted)


def test_an_appeal_steps_filed_assigned_upheld(
    moderation: Moderation, removal: int, author: Account, reviewer: Account
) -> None:
    appeals = moderation.appeals
    filed = appeals.file(author.id, removal, "It was satire.")
    assert filed.state == AppealState.FILED
    assert appeals.pending(reviewer.id) == [filed]
    with pytest.raises(AppealTransitionError):
        appeals.decide(filed.id, reviewer.id, AppealState.UPHELD, "too early")
    assigned = appeals.assign(filed.id, reviewer.id)
    assert assigned.state == AppealState.ASSIGNED
    with pytest.raises(AppealTransitionError):
        appeals.assign(filed.id, reviewer.id)
    upheld = appeals.decide(filed.id, reviewer.id, AppealState.UPHELD, "It names a person.")
    assert upheld.state == AppealState.UPHELD
    assert upheld.restore_action_id is None
    assert _restricted(moderation) == {removal}
    with pytest.raises(AppealTransitionError):
        appeals.decide(filed.id, reviewer.id, AppealState.REVERSED, "changed my mind")
    assert appeals.pending(reviewer.id) == []


def test_the_reviewer_sees_a_pseudonym_not_the_author(
    moderation: Moderation, removal: int, author: Account, reviewer: Account
) -> None:
    moderation.appeals.file(author.id, removal, "It was satire.")
    (seen,) = moderation.appeals.pending(reviewer.id)
    assert seen.appellant.startswith("appellant-")
    assert "zoewriter" not in json.dumps(seen.__dict__, default=str)
    assert str(author.id) not in json.dumps(seen.__dict__, default=str)


def test_the_deciding_moderator_may_not_review(
    moderation: Moderation, removal: int, author: Account, moderator: Account
) -> None:
    filed = moderation.appeals.file(author.id, removal, "It was satire.")
    with pytest.raises(SameModeratorError, match="the moderator who decided"):
        moderation.appeals.assign(filed.id, moderator.id)


def test_only_a_moderator_reviews_and_only_the_assigned_one_decides(
    moderation: Moderation,
    removal: int,
    author: Account,
    reviewer: Account,
    make_account: AccountFactory,
) -> None:
    filed = moderation.appeals.file(author.id, removal, "It was satire.")
    member = make_account("bystander")
    with pytest.raises(NotAModeratorError):
        moderation.appeals.assign(filed.id, member.id)
    moderation.appeals.assign(filed.id, reviewer.id)
    third = make_account("third", role=Role.ADMIN)
    with pytest.raises(NotAppealReviewerError):
        moderation.appeals.decide(filed.id, third.id, AppealState.UPHELD, "fine")


def test_only_the_author_appeals_a_restriction(
    moderation: Moderation, removal: int, make_account: AccountFactory
) -> None:
    with pytest.raises(NotAppellantError):
        moderation.appeals.file(make_account("stranger").id, removal, "Unfair!")


def test_the_window_closes_six_months_after_the_decision(
    moderation: Moderation, removal: int, author: Account, clock: FixedClock
) -> None:
    deadline = appeal_deadline(clock.now())
    assert (deadline.month - clock.now().month) % 12 == 6
    clock.advance(deadline - clock.now())
    moderation.appeals.file(author.id, removal, "Just in time.")
    with pytest.raises(AppealWindowClosedError, match="already appealed"):
        moderation.appeals.file(author.id, removal, "Again.")


def test_an_appeal_after_six_months_is_refused(
    moderation: Moderation, removal: int, author: Account, clock: FixedClock
) -> None:
    clock.advance(appeal_deadline(clock.now()) - clock.now() + timedelta(seconds=1))
    with pytest.raises(AppealWindowClosedError, match="appeals closed"):
        moderation.appeals.file(author.id, removal, "Too late.")


def test_a_reversal_restores_through_enforce_and_replay_matches(
    moderation: Moderation, removal: int, author: Account, reviewer: Account
) -> None:
    filed = moderation.appeals.file(author.id, removal, "It was satire.")
    moderation.appeals.assign(filed.id, reviewer.id)
    assert moderation.check_projection().matches
    reversed_ = moderation.appeals.decide(
        filed.id, reviewer.id, AppealState.REVERSED, "Satire, clearly marked."
    )
    assert reversed_.restore_action_id is not None
    assert _restricted(moderation) == set()
    assert moderation.check_projection().matches
    (restore,) = [d for d in _logged(moderation, "moderation.decision") if d["action"] == "restore"]
    assert restore["restores"] == str(removal)
    assert restore["action_id"] == str(reversed_.restore_action_id)


def test_the_outcome_is_a_ledger_entry_without_identities(
    moderation: Moderation, removal: int, author: Account, reviewer: Account
) -> None:
    filed = moderation.appeals.file(author.id, removal, "It was satire, @zoewriter says.")
    moderation.appeals.assign(filed.id, reviewer.id)
    moderation.appeals.decide(filed.id, reviewer.id, AppealState.REVERSED, "Satire.")
    (entry,) = _logged(moderation, APPEAL_ENTRY_TYPE)
    assert entry["appeal_id"] == str(filed.id)
    assert entry["action_id"] == str(removal)
    assert entry["outcome"] == "reversed"
    assert entry["outcome_reasons"] == "Satire."
    assert entry["appellant"] == filed.appellant
    assert entry["clause"] == f"{ANYTHING}@3"
    text = json.dumps(entry)
    for secret in (str(author.id), str(reviewer.id), "zoewriter", "It was satire"):
        assert secret not in text


def test_overturn_rates_count_decided_appeals_per_clause(
    moderation: Moderation, removal: int, author: Account, reviewer: Account
) -> None:
    filed = moderation.appeals.file(author.id, removal, "It was satire.")
    assert moderation.appeals.overturn_rates().decided == 0
    moderation.appeals.assign(filed.id, reviewer.id)
    moderation.appeals.decide(filed.id, reviewer.id, AppealState.REVERSED, "Satire.")
    rates = moderation.appeals.overturn_rates()
    assert (rates.decided, rates.reversed, rates.rate) == (1, 1, 1.0)
    assert [(c.clause, c.rate) for c in rates.per_clause] == [(ANYTHING, 1.0)]


def test_overturn_rates_pure() -> None:
    rates = overturn_rates(
        [
            ("a/1@1", AppealState.UPHELD),
            ("a/1@2", AppealState.REVERSED),
            ("b/2@1", AppealState.UPHELD),
        ]
    )
    assert (rates.decided, rates.reversed) == (3, 1)
    assert [(c.clause, c.decided, c.reversed) for c in rates.per_clause] == [
        ("a/1", 2, 1),
        ("b/2", 1, 0),
    ]


def test_a_notice_says_how_and_until_when_to_appeal(
    moderation: Moderation, removal: int, author: Account, clock: FixedClock
) -> None:
    (notice,) = moderation.notices.for_account(author.id)
    assert notice.action_id == removal
    assert notice.statement["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_REMOVED"]
    assert notice.appeal_deadline == appeal_deadline(clock.now())
    assert notice.can_appeal
    assert "/api/v1/townsquare/appeals" in notice.how_to_appeal
    moderation.appeals.file(author.id, removal, "It was satire.")
    assert not moderation.notices.for_account(author.id)[0].can_appeal


def test_the_same_appeal_filed_four_times_at_once_is_stored_once(
    moderation: Moderation, removal: int, author: Account
) -> None:
    # Regression: on PostgreSQL each of four simultaneous filings read "no appeal yet" and
    # inserted its own. Now the unique key lets one in; the others hear it exists (409).
    attempts = 4
    barrier = threading.Barrier(attempts)
    filed: list[int] = []
    refused: list[str] = []

    def file() -> None:
        barrier.wait()
        try:
            filed.append(moderation.appeals.file(author.id, removal, "It was satire.").id)
        except AppealWindowClosedError as error:
            refused.append(str(error))

    threads = [threading.Thread(target=file) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(filed) == 1
    assert refused == [f"action {removal}: you have already appealed it"] * (attempts - 1)
    with moderation.db.read() as conn:
        stored = conn.execute(select(moderation_appeals.c.id)).scalars().all()
    assert stored == filed


def test_the_schema_itself_refuses_a_second_appeal_by_the_same_person(
    moderation: Moderation, removal: int, author: Account
) -> None:
    first = moderation.appeals.file(author.id, removal, "It was satire.")
    copy = {"id": first.id + 1, "action_id": removal, "appellant_id": author.id}
    details = {"appellant_role": "author", "reason": "again", "state": "filed"}
    with pytest.raises(IntegrityError), moderation.db.write() as conn:
        conn.execute(insert(moderation_appeals), {**copy, **details, "filed_at": first.filed_at})
