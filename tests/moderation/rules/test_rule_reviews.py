"""The blind review of rule detections: a draw per rule version, seeded by a checkpoint and
recomputable from the ledger; who may answer, what they see; each verdict in the ledger."""

import pytest
from sqlalchemy import select

from conftest import AccountFactory, PostFactory
from moderation.rules.ledger_entries import detection
from townsquare.app import Services
from townsquare.ledger import JSON, decode_entry, encode_entry
from townsquare.microblog import Account, Role
from townsquare.moderation import (
    InvalidReviewError,
    NoCheckpointError,
    ReviewerInvolvedError,
    ReviewTakenError,
)
from townsquare.moderation.rules import (
    RULE_REVIEW_DRAW_ENTRY,
    RULE_REVIEW_ENTRY,
    DetectionOutcome,
    MalformedRuleReviewError,
    check_rule_reviews,
    read_rule_log,
)
from townsquare.storage.tables import ledger_entries, rule_reviews


def _integrate(services: Services) -> None:
    while services.ledger.integrate() is not None:
        pass


def _ledger(services: Services) -> list[bytes]:
    with services.db.read() as conn:
        query = select(ledger_entries.c.entry).order_by(ledger_entries.c.idx)
        return [bytes(entry) for entry in conn.execute(query).scalars()]


def _detected(services: Services, author: Account, make_post: PostFactory) -> list[int]:
    """Five detections by link-spam@1 and two by malicious-links@1, each of its own post;
    the posts' ids, in that order."""
    rules = ["link-spam@1"] * 5 + ["malicious-links@1"] * 2
    post_ids = [make_post(author, f"a post with a link, number {n}").id for n in range(7)]
    with services.db.write() as conn:
        for n, (rule, post_id) in enumerate(zip(rules, post_ids, strict=True)):
            entry = detection(100 + n, rule, target_id=post_id, account_id=author.id)
            services.ledger.append(conn, entry)
    _integrate(services)
    return post_ids


@pytest.fixture
def author(make_account: AccountFactory) -> Account:
    return make_account("linker")


@pytest.fixture
def reviewer(make_account: AccountFactory) -> Account:
    return make_account("blindreviewer", role=Role.MODERATOR)


def test_a_draw_takes_up_to_count_of_each_rule_version_and_the_ledger_bears_it_out(
    services: Services, author: Account, make_post: PostFactory
) -> None:
    _detected(services, author, make_post)

    draw = services.rule_reviews.draw(3)
    _integrate(services)

    assert draw.candidates == {"link-spam@1": 5, "malicious-links@1": 2}
    assert len(draw.drawn) == 5  # 3 of link-spam's five, both of malicious-links'
    log = _ledger(services)
    assert decode_entry(log[-1]).type == RULE_REVIEW_DRAW_ENTRY[0]
    assert check_rule_reviews(log) == 1


def test_a_second_draw_never_draws_a_detection_again(
    services: Services, author: Account, make_post: PostFactory
) -> None:
    _detected(services, author, make_post)
    first = services.rule_reviews.draw(3)
    _integrate(services)

    second = services.rule_reviews.draw(3)
    _integrate(services)

    assert second.candidates == {"link-spam@1": 2}
    assert set(first.drawn).isdisjoint(second.drawn)
    assert len(second.drawn) == 2
    assert check_rule_reviews(_ledger(services)) == 2


def test_a_draw_before_any_checkpoint_says_so(services: Services) -> None:
    with pytest.raises(NoCheckpointError, match="no signed checkpoint"):
        services.rule_reviews.draw(1)


def test_a_draw_whose_logged_sample_was_changed_is_caught(
    services: Services, author: Account, make_post: PostFactory
) -> None:
    _detected(services, author, make_post)
    services.rule_reviews.draw(1)
    _integrate(services)
    log = _ledger(services)
    fields: dict[str, JSON] = dict(decode_entry(log[-1]).fields)
    fields["drawn"] = [0]
    log[-1] = encode_entry(*RULE_REVIEW_DRAW_ENTRY, fields)

    with pytest.raises(MalformedRuleReviewError, match=r"expected drawn \[0\], recomputed"):
        check_rule_reviews(log)


def test_the_reviewer_sees_the_item_and_the_clause_and_the_verdict_is_logged_without_them(
    services: Services, author: Account, reviewer: Account, make_post: PostFactory
) -> None:
    _detected(services, author, make_post)
    services.rule_reviews.draw(1)
    _integrate(services)
    (first, _) = services.rule_reviews.open_for(reviewer.id)

    shown = services.rule_reviews.blind(first.id, reviewer.id)
    verdict = services.rule_reviews.answer(first.id, reviewer.id, "violates")
    _integrate(services)

    assert shown.clause == services.rules.rule("link-spam@1").clause
    assert shown.target_kind == "post"
    assert "a post with a link" in shown.items[0].content_html
    assert verdict.value == "violates"
    log = _ledger(services)
    review = decode_entry(log[-1])
    assert (review.type, review.version) == RULE_REVIEW_ENTRY
    assert set(review.fields) == {"detection_id", "rule", "verdict", "reviewed_at"}
    assert check_rule_reviews(log) == 1
    precision = read_rule_log(log).statistics["link-spam@1"].precision
    assert (precision.reviewed, precision.violating) == (1, 1)
    assert [r.id for r in services.rule_reviews.open_for(reviewer.id)] != [first.id]


def test_a_review_is_answered_once(
    services: Services,
    author: Account,
    reviewer: Account,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> None:
    _detected(services, author, make_post)
    services.rule_reviews.draw(1)
    _integrate(services)
    other = make_account("otherreviewer", role=Role.MODERATOR)
    review = services.rule_reviews.open_for(reviewer.id)[0]
    services.rule_reviews.answer(review.id, reviewer.id, "does_not_violate")

    with pytest.raises(ReviewTakenError, match="answered, or another moderator holds it"):
        services.rule_reviews.answer(review.id, other.id, "violates")


def test_a_verdict_other_than_the_two_is_refused(
    services: Services, author: Account, reviewer: Account, make_post: PostFactory
) -> None:
    _detected(services, author, make_post)
    services.rule_reviews.draw(1)
    _integrate(services)
    review = services.rule_reviews.open_for(reviewer.id)[0]
    with pytest.raises(InvalidReviewError, match="expected one of violates, does_not_violate"):
        services.rule_reviews.answer(review.id, reviewer.id, "maybe")


def test_the_account_detected_may_not_review_its_own_detection(
    services: Services, make_account: AccountFactory, make_post: PostFactory
) -> None:
    moderator_author = make_account("modlinker", role=Role.MODERATOR)
    _detected(services, moderator_author, make_post)
    services.rule_reviews.draw(1)
    _integrate(services)

    assert services.rule_reviews.open_for(moderator_author.id) == []
    with services.db.read() as conn:
        review_id = conn.execute(select(rule_reviews.c.id).limit(1)).scalar_one()
    with pytest.raises(ReviewerInvolvedError, match="another moderator must review it"):
        services.rule_reviews.blind(review_id, moderator_author.id)


def test_a_review_answering_a_detection_never_drawn_is_caught(
    services: Services, author: Account, make_post: PostFactory
) -> None:
    _detected(services, author, make_post)
    services.rule_reviews.draw(1)
    _integrate(services)
    forged = encode_entry(
        *RULE_REVIEW_ENTRY,
        {
            "detection_id": "999",
            "rule": "link-spam@1",
            "verdict": "violates",
            "reviewed_at": "2026-12-05T12:00:00+00:00",
        },
    )
    with pytest.raises(MalformedRuleReviewError, match="detection 999, never drawn"):
        check_rule_reviews([*_ledger(services), forged])


def test_an_account_detection_is_judged_by_its_latest_posts(
    services: Services, author: Account, reviewer: Account, make_post: PostFactory
) -> None:
    make_post(author, "the account's only post")
    with services.db.write() as conn:
        services.ledger.append(
            conn,
            detection(
                300,
                "posting-burst@1",
                DetectionOutcome.CASE,
                target_kind="account",
                target_id=author.id,
                account_id=author.id,
            ),
        )
    _integrate(services)
    services.rule_reviews.draw(1)
    review = services.rule_reviews.open_for(reviewer.id)[0]

    shown = services.rule_reviews.blind(review.id, reviewer.id)

    assert shown.target_kind == "account"
    assert ["the account's only post" in item.content_html for item in shown.items] == [True]
