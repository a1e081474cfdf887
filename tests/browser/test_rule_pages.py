"""The rule pages in a real browser: from the policies to the list of automated rules, to a
rule, to the ledger entry that recorded its version and back; in English and French."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, expect

from moderation.rules.ledger_entries import decision, detection
from townsquare.app import Services
from townsquare.moderation.rules import DetectionOutcome, record_rules

pytestmark = pytest.mark.browser

AT = datetime(2026, 12, 5, 13, 0, tzinfo=UTC)


@pytest.fixture
def recorded(services: Services) -> None:
    """The rules recorded, and two detections by link-spam@1, one followed by an action."""
    with services.db.write() as conn:
        record_rules(conn, services.ledger, services.rules, AT)
        services.ledger.append_many(
            conn,
            [
                detection(1, "link-spam@1", DetectionOutcome.CASE, case_id=5),
                detection(2, "link-spam@1", DetectionOutcome.CASE, case_id=6),
                decision(10, "limit", "link-spam@1"),
            ],
        )
    while services.ledger.integrate() is not None:
        pass


def test_a_visitor_walks_from_the_policies_to_a_rule_and_its_ledger_entry(
    recorded: None, browser: Browser, server_url: str
) -> None:
    page = browser.new_context(locale="en-GB").new_page()
    page.goto(f"{server_url}/policies")
    page.get_by_role("link", name="Automated rules: which clauses they enforce").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Automated rules")
    spam = page.locator("section#link-spam")
    expect(
        spam.locator("dt", has_text="Hits").locator("xpath=following-sibling::dd[1]")
    ).to_have_text("2")
    expect(spam).to_contain_text("Not estimated: no detection of this version")

    spam.get_by_role("link", name="Link spam").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Link spam")
    version = page.locator("li#v1")
    expect(version).to_contain_text("match.kind = posting_burst")
    expect(
        version.locator("dt", has_text="Actions taken").locator("xpath=following-sibling::dd[1]")
    ).to_have_text("1")

    version.get_by_role("link", name="Entry").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "A version of an automated rule in the ledger"
    )
    page.get_by_role("link", name="This version's text, its changes and its numbers").click()
    expect(page).to_have_url(f"{server_url}/rules/link-spam#v1")


def test_the_rule_pages_read_in_french(recorded: None, browser: Browser, server_url: str) -> None:
    page = browser.new_context(locale="fr-FR").new_page()
    page.goto(f"{server_url}/rules")
    expect(page.get_by_role("heading", level=1)).to_have_text("Règles automatisées")
    page.get_by_role("link", name="Spam de liens").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Spam de liens")
    expect(page.locator("li#v1")).to_contain_text("Dossiers ouverts")
