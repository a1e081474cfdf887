"""Blind second reviews: the draw (seeded by a checkpoint, logged, recomputable from the
ledger alone, never drawing a decision twice), who may review, what they see, and the
disagreement."""

import threading

import pytest
from sqlalchemy import select

from conftest import AccountFactory, PostFactory
from moderation.conftest import ANYTHING, LABEL_ONLY, Decide, decide_report
from townsquare.app import Services
from townsquare.kernel import FixedClock
from townsquare.ledger import JSON, decode_entry, encode_entry
from townsquare.microblog import Account, Role
from townsquare.moderation import (
    REVIEW_DRAW_ENTRY_TYPE,
    AccountTarget,
    ActionKind,
    InvalidReviewError,
    MalformedReviewDrawError,
    Moderation,
    NoCheckpointError,
    NotAModeratorError,
    PostTarget,
    ReviewerInvolvedError,
    ReviewTakenError,
    check_request_entries,
    check_review_draw,
    check_review_draws,
    disagrees,
    log_candidates,
    replay,
)
from townsquare.storage.tables import (
    ledger_entries,
    ledger_pending,
    moderation_restrictions,
    second_reviews,
)


@pytest.fixture
def author(make_account: AccountFactory) -> Account:
    return make_account("zoewriter", display_name="Zoé Writer")


@pytest.fixture
def reviewer(make_account: AccountFactory) -> Account:
    return make_account("second", role=Role.MODERATOR)


def _decisions(
    moderation: Moderation, decide: Decide, author: Account, make_post: PostFactory, n: int
) -> list[int]:
    """`n` decisions on `n` posts, alternating removal and no action, and one decision on
    the account and one restoration, which are never candidates."""
    ids, posts = [], []
    for i in range(n):
        posts.append(make_post(author, f"post number {i}").id)
        kind = ActionKind.REMOVE if i % 2 == 0 else ActionKind.NO_ACTION
        ids.append(moderation.enforce(decide(kind, PostTarget(posts[-1]))).id)
    moderation.enforce(decide(ActionKind.WARN, AccountTarget(author.id)))
    moderation.enforce(decide(ActionKind.RESTORE, PostTarget(posts[0]), restores=ids[0]))
    return ids


def _integrate(services: Services) -> None:
    while services.ledger.integrate() is not None:
        pass


def _ledger(services: Services) -> list[bytes]:
    with services.db.read() as conn:
        return list(
            conn.execute(select(ledger_entries.c.entry).order_by(ledger_entries.c.idx)).scalars()
        )


def test_a_draw_before_any_checkpoint_says_so(moderation: Moderation) -> None:
    with pytest.raises(NoCheckpointError, match="no signed checkpoint"):
        moderation.second_reviews.draw(3)


@pytest.mark.parametrize("count", [0, -1, 1001])
def test_a_draw_of_a_count_out_of_range_is_refused(moderation: Moderation, count: int) -> None:
    with pytest.raises(InvalidReviewError, match="count: expected 1 to 1000"):
        moderation.second_reviews.draw(count)


def test_the_draw_is_recomputed_from_the_ledger_alone(
    moderation: Moderation,
    services: Services,
    decide: Decide,
    author: Account,
    make_post: PostFactory,
) -> None:
    _decisions(moderation, decide, author, make_post, 12)
    _integrate(services)
    first = moderation.second_reviews.draw(5)
    second = moderation.second_reviews.draw(4)  # the same checkpoint: the seed is the same
    _integrate(services)
    entries = _ledger(services)
    draws = [i for i, e in enumerate(entries) if decode_entry(e).type == REVIEW_DRAW_ENTRY_TYPE]
    assert [check_review_draw(entries, i) for i in draws] == [first.drawn, second.drawn]
    assert check_review_draws(entries) == 2  # the one-pass check agrees
    assert (first.candidates, second.candidates) == (12, 7)
    assert len(first.drawn) == 5
    assert len(second.drawn) == 4
    fields = decode_entry(entries[draws[0]]).fields
    assert fields["seed_tree_size"] == first.tree_size
    assert fields["candidates"] == 12
    assert fields["drawn"] == list(first.drawn)


def test_a_draw_entry_that_lies_is_caught(
    moderation: Moderation,
    services: Services,
    decide: Decide,
    author: Account,
    make_post: PostFactory,
) -> None:
    _decisions(moderation, decide, author, make_post, 6)
    _integrate(services)
    drawn = moderation.second_reviews.draw(2).drawn
    _integrate(services)
    entries = _ledger(services)
    index = len(entries) - 1
    entry = decode_entry(entries[index])
    others = [c.index for c in log_candidates(entries, index) if c.index not in drawn]
    forged: dict[str, JSON] = {
        **entry.fields,
        "drawn": [min(drawn[0], others[0]), max(drawn[0], others[0])],
    }
    entries[index] = encode_entry(entry.type, entry.version, forged)
    with pytest.raises(MalformedReviewDrawError, match="expected drawn"):
        check_review_draw(entries, index)
    with pytest.raises(MalformedReviewDrawError, match=f"ledger entry {index}: expected drawn"):
        check_review_draws(entries)


def test_a_decision_is_never_drawn_twice(
    moderation: Moderation,
    services: Services,
    decide: Decide,
    author: Account,
    make_post: PostFactory,
) -> None:
    decisions = _decisions(moderation, decide, author, make_post, 5)
    _integrate(services)
    first = moderation.second_reviews.draw(3)
    _integrate(services)
    rest = moderation.second_reviews.draw(10)  # fewer left than asked: all of them
    assert len(rest.drawn) == 2
    assert not set(first.drawn) & set(rest.drawn)
    _integrate(services)
    empty = moderation.second_reviews.draw(10)
    assert (empty.candidates, empty.drawn) == (0, ())
    assert len(decisions) == len(first.drawn) + len(rest.drawn)


def test_decisions_not_yet_in_a_checkpoint_wait_for_a_later_draw(
    moderation: Moderation,
    services: Services,
    decide: Decide,
    author: Account,
    make_post: PostFactory,
) -> None:
    _decisions(moderation, decide, author, make_post, 2)
    _integrate(services)
    _decisions(moderation, decide, author, make_post, 3)  # queued, not integrated
    assert moderation.second_reviews.draw(10).candidates == 2
    _integrate(services)
    assert moderation.second_reviews.draw(10).candidates == 3


def test_the_draw_is_logged_in_its_transaction(
    moderation: Moderation,
    services: Services,
    decide: Decide,
    author: Account,
    make_post: PostFactory,
) -> None:
    _decisions(moderation, decide, author, make_post, 3)
    _integrate(services)
    moderation.second_reviews.draw(2)
    with services.db.read() as conn:
        queued = conn.execute(select(ledger_pending.c.entry)).scalars().all()
    assert [decode_entry(e).type for e in queued] == [REVIEW_DRAW_ENTRY_TYPE]


def _one_review(
    moderation: Moderation,
    services: Services,
    decide: Decide,
    author: Account,
    make_post: PostFactory,
) -> int:
    """One decision on a post by `moderator`, drawn; the review's id."""
    _decisions(moderation, decide, author, make_post, 1)
    _integrate(services)
    moderation.second_reviews.draw(1)
    with services.db.read() as conn:
        return int(conn.execute(select(second_reviews.c.id)).scalar_one())


def test_the_original_decider_may_not_review_it(
    moderation: Moderation,
    services: Services,
    decide: Decide,
    moderator: Account,
    author: Account,
    reviewer: Account,
    make_post: PostFactory,
) -> None:
    review_id = _one_review(moderation, services, decide, author, make_post)
    reviews = moderation.second_reviews
    assert reviews.open_for(moderator.id) == []
    assert [r.id for r in reviews.open_for(reviewer.id)] == [review_id]
    for refused in (
        lambda: reviews.blind(review_id, moderator.id),
        lambda: reviews.take(review_id, moderator.id),
        lambda: reviews.answer(review_id, moderator.id, "none", f"{ANYTHING}@3"),
    ):
        with pytest.raises(ReviewerInvolvedError, match="you took part in this decision"):
            refused()


def test_the_author_may_not_review_a_decision_on_their_post(
    moderation: Moderation,
    services: Services,
    decide: Decide,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> None:
    staff_author = make_account("staffwriter", role=Role.MODERATOR)
    review_id = _one_review(moderation, services, decide, staff_author, make_post)
    assert moderation.second_reviews.open_for(staff_author.id) == []
    with pytest.raises(ReviewerInvolvedError):
        moderation.second_reviews.blind(review_id, staff_author.id)


def test_a_member_may_not_review(
    moderation: Moderation,
    services: Services,
    decide: Decide,
    author: Account,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> None:
    review_id = _one_review(moderation, services, decide, author, make_post)
    member = make_account("member")
    with pytest.raises(NotAModeratorError):
        moderation.second_reviews.blind(review_id, member.id)
    with pytest.raises(NotAModeratorError):
        moderation.second_reviews.open_for(member.id)


def test_the_blind_view_shows_the_post_and_the_reports_only(
    moderation: Moderation,
    services: Services,
    moderator: Account,
    author: Account,
    reviewer: Account,
    make_account: AccountFactory,
    make_post: PostFactory,
    clock: FixedClock,
) -> None:
    post = make_post(author, "the words under review")
    decide_report(moderation, moderator, make_account("reporter"), post, ActionKind.REMOVE)
    _integrate(services)
    moderation.second_reviews.draw(1)
    (review,) = moderation.second_reviews.open_for(reviewer.id)
    blind = moderation.second_reviews.blind(review.id, reviewer.id)
    assert "the words under review" in blind.item.content_html
    assert [(r.category, r.clause) for r in blind.reports] == [("violation", None)]
    with services.db.read() as conn:  # removed, yet kept for moderators
        assert conn.execute(select(moderation_restrictions.c.kind)).scalars().all() == ["remove"]
    shown = repr(blind)
    assert "zoewriter" not in shown
    assert str(author.id) not in shown
    assert str(post.id) not in shown
    assert str(moderator.id) not in shown
    assert "remove" not in shown.lower()


def test_an_answer_is_stored_with_its_time_and_disagreement(
    moderation: Moderation,
    services: Services,
    decide: Decide,
    author: Account,
    reviewer: Account,
    make_account: AccountFactory,
    make_post: PostFactory,
    clock: FixedClock,
) -> None:
    _decisions(moderation, decide, author, make_post, 2)  # a removal, then no action
    _integrate(services)
    moderation.second_reviews.draw(2)
    reviews = moderation.second_reviews
    first, second = reviews.open_for(reviewer.id)
    reviews.answer(first.id, reviewer.id, "label", LABEL_ONLY)
    reviews.answer(second.id, reviewer.id, "none", f"{ANYTHING}@3")
    done = {(r.original, r.second, r.disagreed) for r in reviews.completed()}
    assert done == {
        (ActionKind.REMOVE, ActionKind.LABEL, True),
        (ActionKind.NO_ACTION, ActionKind.NO_ACTION, False),
    }
    assert {r.clause for r in reviews.completed()} == {f"{LABEL_ONLY}@3", f"{ANYTHING}@3"}
    assert {r.reviewed_at for r in reviews.completed()} == {clock.now()}
    assert reviews.open_for(reviewer.id) == []
    with pytest.raises(ReviewTakenError, match="already answered"):
        reviews.answer(first.id, reviewer.id, "none", f"{ANYTHING}@3")


def test_a_review_taken_by_one_moderator_is_not_another_s(
    moderation: Moderation,
    services: Services,
    decide: Decide,
    author: Account,
    reviewer: Account,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> None:
    review_id = _one_review(moderation, services, decide, author, make_post)
    third = make_account("third", role=Role.MODERATOR)
    moderation.second_reviews.take(review_id, reviewer.id)
    assert moderation.second_reviews.take(review_id, reviewer.id).reviewer_id == reviewer.id
    assert moderation.second_reviews.open_for(third.id) == []
    with pytest.raises(ReviewTakenError, match="another moderator has it"):
        moderation.second_reviews.answer(review_id, third.id, "none", f"{ANYTHING}@3")


@pytest.mark.parametrize(
    ("action", "clause", "expected"),
    [
        ("restore", f"{ANYTHING}@3", "action: expected one of none, label"),
        ("shout", f"{ANYTHING}@3", "action: expected"),
        ("remove", LABEL_ONLY, "does not allow remove"),
        ("remove", "nope/9", "clause:"),
    ],
)
def test_an_answer_must_be_an_action_under_a_clause_allowing_it(
    moderation: Moderation,
    services: Services,
    decide: Decide,
    author: Account,
    reviewer: Account,
    make_post: PostFactory,
    action: str,
    clause: str,
    expected: str,
) -> None:
    review_id = _one_review(moderation, services, decide, author, make_post)
    with pytest.raises(InvalidReviewError, match=expected):
        moderation.second_reviews.answer(review_id, reviewer.id, action, clause)


def test_disagreement_is_a_different_action() -> None:
    assert disagrees(ActionKind.REMOVE, ActionKind.NO_ACTION)
    assert disagrees(ActionKind.NO_ACTION, ActionKind.LABEL)
    assert not disagrees(ActionKind.LABEL, ActionKind.LABEL)


def test_the_verifier_s_replay_and_request_checks_accept_a_draw_entry(
    moderation: Moderation,
    services: Services,
    decide: Decide,
    author: Account,
    make_post: PostFactory,
) -> None:
    """`townsquare ledger verify` replays decisions and checks requests over every entry:
    a draw entry is neither, and passes both."""
    _decisions(moderation, decide, author, make_post, 2)
    _integrate(services)
    moderation.second_reviews.draw(1)
    _integrate(services)
    entries = _ledger(services)
    assert decode_entry(entries[-1]).type == REVIEW_DRAW_ENTRY_TYPE
    assert replay(entries) == replay(entries[:-1])
    assert check_request_entries(entries).logged == 0


def test_draws_at_once_never_draw_a_decision_twice_and_both_check(
    moderation: Moderation,
    services: Services,
    decide: Decide,
    author: Account,
    make_post: PostFactory,
) -> None:
    _decisions(moderation, decide, author, make_post, 8)
    _integrate(services)
    start = threading.Barrier(2)
    draws = []

    def draw() -> None:
        start.wait()
        draws.append(moderation.second_reviews.draw(5))

    threads = [threading.Thread(target=draw) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first, second = draws
    assert not set(first.drawn) & set(second.drawn)
    assert len(first.drawn) + len(second.drawn) == 8
    _integrate(services)
    assert check_review_draws(_ledger(services)) == 2
