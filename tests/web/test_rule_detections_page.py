"""The case page shows the automated rules' detections that opened or joined the case, a
report storm among them, in English and French; a moderator only sees them."""

from datetime import UTC, datetime, timedelta

import pytest

from conftest import AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.kernel import FixedClock
from townsquare.microblog import Role
from townsquare.moderation import PostTarget, ReportCategory, ReportDraft
from web.forms import WebClient, sign_in

FRENCH = {"Accept-Language": "fr"}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 6, 1, 12, 0, tzinfo=UTC))


def test_a_report_storm_is_shown_on_the_case_page_in_both_languages(
    client: WebClient,
    services: Services,
    make_account: AccountFactory,
    make_post: PostFactory,
    clock: FixedClock,
) -> None:
    post = make_post(make_account("alice"), "A post many people dislike.")
    make_account("mod_one", role=Role.MODERATOR)
    reporters = [make_account(f"reporter{n}") for n in range(10)]
    clock.advance(timedelta(days=3))  # the reporters are not new accounts
    for reporter in reporters:
        draft = ReportDraft(reporter.id, PostTarget(post.id), ReportCategory.SPAM)
        case_id = services.moderation.cases.report(draft).case_id
    services.rule_runner.run_once()

    sign_in(client, "mod_one")
    page = client.get(f"/moderation/cases/{case_id}").text
    assert "Automated rules that flagged this item" in page
    assert "Report storm: this item was reported many times" in page
    assert "report-storm@1" in page
    assert "was reported 10 times in less than 30 minutes" in page
    french = client.get(f"/moderation/cases/{case_id}", headers=FRENCH).text
    assert "Règles automatiques ayant signalé cet élément" in french
    assert "Avalanche de signalements : cet élément a été signalé" in french


def test_a_case_no_rule_flagged_shows_no_detections(
    client: WebClient, services: Services, make_account: AccountFactory, make_post: PostFactory
) -> None:
    post = make_post(make_account("alice"), "An ordinary post.")
    make_account("mod_one", role=Role.MODERATOR)
    reporter = make_account("bob")
    case_id = services.moderation.cases.report(
        ReportDraft(reporter.id, PostTarget(post.id))
    ).case_id
    services.rule_runner.run_once()
    sign_in(client, "mod_one")
    page = client.get(f"/moderation/cases/{case_id}").text
    assert "Automated rules that flagged this item" not in page
