"""Notices, appeals and notifications on the web pages, in English and French: who is
offered an appeal (exactly who may file one), what a refusal looks like (a page saying what
to do, never a bare 403), notices that name and link their post, notifications that link
their notice, and a case page that says what is in force after an appeal."""

import re

import pytest

from conftest import AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.microblog import Account, Post, Role
from townsquare.moderation import (
    ActionKind,
    AppealState,
    CaseDecision,
    PostTarget,
    ReportCategory,
    ReportDraft,
)
from web.forms import WebClient, sign_in, submit

CLAUSE = "civic-integrity/1@2"  # allows reduce_reach
FACTS = "It misleads voters about the date."
ENGLISH, FRENCH = {"Accept-Language": "en"}, {"Accept-Language": "fr"}


@pytest.fixture
def author(make_account: AccountFactory) -> Account:
    return make_account("alice")


@pytest.fixture
def reporter(make_account: AccountFactory) -> Account:
    return make_account("bob")


@pytest.fixture
def moderator(make_account: AccountFactory) -> Account:
    return make_account("mod1", role=Role.MODERATOR)


@pytest.fixture
def reported(author: Account, make_post: PostFactory) -> Post:
    return make_post(author, "Vote on Wednesday, not Sunday")


def _decided(
    services: Services, reporter: Account, moderator: Account, post: Post, kind: ActionKind
) -> tuple[int, int]:
    """(case id, action id) of a report by `reporter` that `moderator` decided as `kind`."""
    draft = ReportDraft(reporter.id, PostTarget(post.id), ReportCategory.VIOLATION)
    case_id = services.moderation.cases.report(draft).case_id
    services.moderation.cases.take(case_id, moderator.id)
    decision = CaseDecision(kind, CLAUSE, FACTS)
    action_id = services.moderation.cases.decide(case_id, moderator.id, decision).action_id
    assert action_id is not None
    return case_id, action_id


@pytest.mark.parametrize(
    ("language", "refusal"),
    [(ENGLISH, "You may not appeal this decision"), (FRENCH, "Vous ne pouvez pas former")],
)
def test_a_reporter_is_not_offered_an_appeal_of_an_action_and_forcing_one_gets_a_page(
    client: WebClient,
    services: Services,
    reporter: Account,
    moderator: Account,
    reported: Post,
    language: dict[str, str],
    refusal: str,
) -> None:
    _, action_id = _decided(services, reporter, moderator, reported, ActionKind.REDUCE_REACH)
    sign_in(client, "bob")
    notices = client.get("/notices", headers=language)
    assert f'id="notice-{action_id}"' in notices.text
    assert f"/notices/{action_id}/appeal" not in notices.text
    client.headers.update(language)
    forced = submit(client, f"/notices/{action_id}/appeal", {"reason": "Remove it."})
    assert forced.status_code == 403
    assert forced.headers["content-type"].startswith("text/html")
    assert refusal in forced.text
    assert services.moderation.appeals.filed_by(reporter.id) == []


def test_a_reporter_contests_a_decision_to_take_no_action(
    client: WebClient,
    services: Services,
    reporter: Account,
    moderator: Account,
    reported: Post,
) -> None:
    _, action_id = _decided(services, reporter, moderator, reported, ActionKind.NO_ACTION)
    sign_in(client, "bob")
    notices = client.get("/notices").text
    assert "Moderators decided to take no action on what you reported" in notices
    assert "About the post you reported: “Vote on Wednesday, not Sunday”" in notices
    filed = submit(client, f"/notices/{action_id}/appeal", {"reason": "The date is wrong."})
    assert filed.status_code == 303
    assert "You appealed this decision" in client.get("/notices").text
    (appeal,) = services.moderation.appeals.filed_by(reporter.id)
    assert appeal.appellant_role == "reporter"


@pytest.mark.parametrize(
    ("language", "about"),
    [
        (ENGLISH, "About your post “Vote on Wednesday, not Sunday”"),
        (FRENCH, "À propos de votre message « Vote on Wednesday, not Sunday »"),
    ],
)
def test_a_notice_names_and_links_its_post_and_a_notification_links_the_notice(
    client: WebClient,
    services: Services,
    reporter: Account,
    moderator: Account,
    reported: Post,
    language: dict[str, str],
    about: str,
) -> None:
    case_id, action_id = _decided(services, reporter, moderator, reported, ActionKind.REDUCE_REACH)
    sign_in(client, "alice")
    notices = client.get("/notices", headers=language).text
    assert about in notices
    assert f'href="/@alice/{reported.id}"' in notices
    assert f'href="/posts/{reported.id}/why"' in notices
    assert f'href="/cases/{case_id}"' in notices
    notifications = client.get("/notifications", headers=language).text
    assert f'href="/notices#notice-{action_id}"' in notifications
    line = "Les modérateurs ont pris une décision" if language == FRENCH else "Moderators took"
    assert line in notifications


def test_a_removed_post_is_named_by_its_date(
    client: WebClient,
    services: Services,
    reporter: Account,
    moderator: Account,
    reported: Post,
) -> None:
    _decided(services, reporter, moderator, reported, ActionKind.REMOVE)
    sign_in(client, "alice")
    notices = client.get("/notices").text
    assert "Vote on Wednesday" not in notices
    assert re.search(r"About your post of \w+ \d+, \d{4}", notices)
    client.cookies.clear()
    sign_in(client, "bob")
    assert "About the post of" in client.get("/notices").text
    assert "Moderators decided on something you reported." in client.get("/notifications").text


def test_after_a_reversal_the_author_is_not_invited_to_appeal_and_the_case_says_what_holds(
    client: WebClient,
    services: Services,
    make_account: AccountFactory,
    author: Account,
    reporter: Account,
    moderator: Account,
    reported: Post,
) -> None:
    case_id, action_id = _decided(services, reporter, moderator, reported, ActionKind.REMOVE)
    appeals = services.moderation.appeals
    appeal = appeals.file(author.id, action_id, "The date is right.")
    reviewer = make_account("mod2", role=Role.MODERATOR)
    appeals.assign(appeal.id, reviewer.id)
    decided = appeals.decide(appeal.id, reviewer.id, AppealState.REVERSED, "Right date.")
    sign_in(client, "alice")
    notices = client.get("/notices").text
    assert f'id="notice-{decided.restore_action_id}"' in notices
    assert f"/notices/{decided.restore_action_id}/appeal" not in notices
    assert "This decision is in your favour: there is nothing to appeal." in notices
    assert "Your appeal was decided." in client.get("/notifications").text
    case = client.get(f"/cases/{case_id}").text
    assert "In force now" in case
    assert "Nothing: the restriction was lifted" in case
    assert FACTS in case
    assert "the decision was reversed" in case
    french = client.get(f"/cases/{case_id}", headers=FRENCH).text
    assert "Rien : la restriction a été levée" in french


def test_the_deciding_moderator_is_not_shown_the_appeal_and_is_told_why_if_they_try(
    client: WebClient,
    services: Services,
    make_account: AccountFactory,
    author: Account,
    reporter: Account,
    moderator: Account,
    reported: Post,
) -> None:
    _, action_id = _decided(services, reporter, moderator, reported, ActionKind.REMOVE)
    appeal = services.moderation.appeals.file(author.id, action_id, "The date is right.")
    sign_in(client, "mod1")
    assert f"/moderation/appeals/{appeal.id}/decide" not in client.get("/moderation/appeals").text
    fields = {"outcome": "reversed", "reasons": "I was wrong."}
    client.headers.update(FRENCH)
    refused = submit(client, f"/moderation/appeals/{appeal.id}/decide", fields)
    assert refused.status_code == 403
    assert "un autre modérateur doit examiner ce recours" in refused.text
    assert services.moderation.appeals.state_of(appeal.id) == AppealState.FILED
    client.cookies.clear()
    make_account("mod2", role=Role.MODERATOR)
    sign_in(client, "mod2")
    assert f"/moderation/appeals/{appeal.id}/decide" in client.get("/moderation/appeals").text


def test_a_stranger_forcing_an_appeal_is_told_why_on_the_page(
    client: WebClient,
    services: Services,
    make_account: AccountFactory,
    reporter: Account,
    moderator: Account,
    reported: Post,
) -> None:
    _, action_id = _decided(services, reporter, moderator, reported, ActionKind.REMOVE)
    make_account("carol")
    sign_in(client, "carol")
    forced = submit(client, f"/notices/{action_id}/appeal", {"reason": "Unfair."})
    assert forced.status_code == 403
    assert "You may not appeal this decision" in forced.text
    assert "You have no notices." in forced.text
    missing = submit(client, "/notices/12345/appeal", {"reason": "Unfair."})
    assert missing.status_code == 404
    assert "There is no such decision to appeal." in missing.text
