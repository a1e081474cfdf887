"""A case page's lead comes from the case's outcome, not from the ledger: it is there before
the sequencer integrates the decision, agrees with the post's "why?" receipt, and offers an
appeal exactly to whom `Appeals.open_until` does, until the deadline and no later."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from conftest import AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.kernel import FixedClock
from townsquare.microblog import Account, Post, Role
from townsquare.moderation import ActionKind, AppealState, CaseDecision, PostTarget, ReportDraft
from web.forms import WebClient, sign_in

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
CLAUSE = "civic-integrity/1@2"
FRENCH = {"Accept-Language": "fr"}
MAY_APPEAL = "This decision is about you: you can appeal it from your notices until"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def post(make_account: AccountFactory, make_post: PostFactory) -> Post:
    return make_post(make_account("alice"), "Vote on Wednesday, not Sunday")


@pytest.fixture
def moderator(make_account: AccountFactory) -> Account:
    return make_account("mod1", role=Role.MODERATOR)


def _decide(services: Services, post: Post, moderator: Account, kind: ActionKind) -> int:
    """bob reports `post`; `moderator` decides `kind`; the case's id (not integrated)."""
    reporter = services.microblog.accounts.by_username("bob")
    draft = ReportDraft(reporter.id, PostTarget(post.id), comment="wrong day")
    case_id = services.moderation.cases.report(draft).case_id
    services.moderation.cases.take(case_id, moderator.id)
    decision = CaseDecision(kind, CLAUSE, "It misleads voters.")
    services.moderation.cases.decide(case_id, moderator.id, decision)
    return case_id


def _lead(page: str) -> str:
    found = re.search(r'<p class="lead__sentence">(.*?)</p>', page, re.S)
    assert found, "the page has no lead sentence"
    return found.group(1)


@pytest.fixture(autouse=True)
def bob(make_account: AccountFactory) -> Account:
    return make_account("bob")


def test_the_case_page_leads_before_the_decision_is_integrated(
    client: WebClient, services: Services, post: Post, moderator: Account
) -> None:
    case_id = _decide(services, post, moderator, ActionKind.REDUCE_REACH)
    assert services.moderation.receipt_for_post(post.id) == []  # not in the tree yet
    page = client.get(f"/cases/{case_id}").text
    assert _lead(page) == (
        "This post’s reach was reduced under the rule “False information about how to vote” "
        f"({CLAUSE}); a moderator decided it; no appeal against it has been decided."
    )
    french = client.get(f"/cases/{case_id}", headers=FRENCH).text
    assert _lead(french).startswith("La diffusion de ce message a été réduite au titre de la")


def test_after_a_reversal_the_case_page_and_the_receipt_say_the_same(
    client: WebClient,
    services: Services,
    make_account: AccountFactory,
    post: Post,
    moderator: Account,
) -> None:
    case_id = _decide(services, post, moderator, ActionKind.REDUCE_REACH)
    outcome = services.moderation.case_outcome(case_id)
    assert outcome is not None
    appeals = services.moderation.appeals
    appeal = appeals.file(post.account_id, outcome.action_id, "The date is right.")
    reviewer = make_account("mod2", role=Role.MODERATOR)
    appeals.assign(appeal.id, reviewer.id)
    appeals.decide(appeal.id, reviewer.id, AppealState.REVERSED, "The date was right.")
    services.ledger.integrate()
    leads = {}
    for language, headers in (("en", {}), ("fr", FRENCH)):
        case_lead = _lead(client.get(f"/cases/{case_id}", headers=headers).text)
        assert case_lead == _lead(client.get(f"/posts/{post.id}/why", headers=headers).text)
        leads[language] = case_lead
    assert "on appeal, another moderator reversed it, and it is no longer in force." in leads["en"]
    assert "sur recours, un autre modérateur l’a annulée" in leads["fr"]


@pytest.mark.parametrize(
    ("kind", "who_may_appeal"),
    [(ActionKind.REDUCE_REACH, "alice"), (ActionKind.NO_ACTION, "bob")],
)
def test_the_appeal_is_offered_to_whom_the_moderation_rule_allows(
    client: WebClient,
    services: Services,
    make_account: AccountFactory,
    post: Post,
    moderator: Account,
    kind: ActionKind,
    who_may_appeal: str,
) -> None:
    case_id = _decide(services, post, moderator, kind)
    services.ledger.integrate()
    make_account("carol")
    for name in ("alice", "bob", "carol", "mod1"):
        sign_in(client, name)
        for path in (f"/cases/{case_id}", f"/posts/{post.id}/why"):
            page = client.get(path).text
            assert (MAY_APPEAL in page) == (name == who_may_appeal), (name, path)
        client.cookies.clear()


def test_no_appeal_is_offered_once_the_deadline_has_passed(
    client: WebClient,
    services: Services,
    post: Post,
    moderator: Account,
    clock: FixedClock,
) -> None:
    case_id = _decide(services, post, moderator, ActionKind.REDUCE_REACH)
    outcome = services.moderation.case_outcome(case_id)
    assert outcome is not None
    deadline = services.moderation.appeals.open_until(outcome.action_id, post.account_id)
    assert deadline is not None
    clock.advance(deadline - clock.now() + timedelta(minutes=1))
    sign_in(client, "alice")
    page = client.get(f"/cases/{case_id}").text
    assert _lead(page)
    assert MAY_APPEAL not in page
