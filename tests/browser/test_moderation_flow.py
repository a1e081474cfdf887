"""Issue 4's "done when", in a real browser: a member posts, another reports it, a moderator
(blind) reduces its reach with a clause, the author appeals from their notice, a second
moderator reverses, and the post's public "why?" page lists the three ledger entries."""

import re
import time

import pytest
from playwright.sync_api import Browser, expect

from browser.conftest import signed_in
from conftest import AccountFactory
from townsquare.app import Services
from townsquare.ledger import decode_entry
from townsquare.microblog import Role

CLAUSE = "civic-integrity/1@2"  # allows reduce_reach
# The author's handle as a word: pseudonyms are hex digests, which may spell "ada".
AUTHOR = re.compile(r"\bada\b")

pytestmark = pytest.mark.browser


def _receipt_types(services: Services, post_id: int) -> list[str]:
    services.ledger.integrate()
    indexes = services.moderation.receipt_for_post(post_id)
    return [decode_entry(services.ledger.entries(i, i + 1)[0]).type for i in indexes]


def test_report_reduce_appeal_reverse_and_the_public_receipt(
    server_url: str, browser: Browser, services: Services, make_account: AccountFactory
) -> None:
    make_account("ada")
    make_account("ben")
    make_account("mona", role=Role.MODERATOR)
    make_account("milo", role=Role.MODERATOR)

    # (1) Ada posts.
    ada = signed_in(browser, server_url, "ada")
    ada.get_by_label("What do you want to say?").fill("Polls close on Sunday at noon")
    ada.get_by_role("button", name="Publish").click()
    ada.locator("article.post .post__time").first.click()
    post_id = int(ada.url.rstrip("/").rsplit("/", 1)[1])

    # (2) Ben reports it.
    ben = signed_in(browser, server_url, "ben")
    ben.goto(f"{server_url}/@ada/{post_id}")
    ben.get_by_role("link", name="Report", exact=True).click()
    ben.get_by_label("The rule it breaks (optional)").select_option(CLAUSE)
    ben.get_by_label("Comment for the moderators (optional)").fill("Polls close at 8pm")
    ben.get_by_role("button", name="Send the report").click()
    expect(ben.get_by_role("status")).to_contain_text("Your report was filed")

    # (3) Mona takes the case from the blind queue and reduces the post's reach.
    mona = signed_in(browser, server_url, "mona")
    mona.get_by_role("link", name="Moderation", exact=True).click()
    expect(mona.locator("table.queue")).not_to_contain_text(AUTHOR)
    mona.locator("table.queue a").first.click()
    expect(mona.locator("main")).to_contain_text("Polls close on Sunday")
    mona.get_by_role("button", name="Take this case").click()
    mona.get_by_label("Action").select_option("reduce_reach")
    mona.get_by_label("Clause").select_option(CLAUSE)
    mona.get_by_label("Facts the decision rests on").fill("Wrong closing time for the polls.")
    mona.get_by_role("button", name="Preview the statement of reasons").click()
    expect(mona.locator("section.preview")).to_contain_text("Reduced reach")
    mona.get_by_role("button", name="Decide", exact=True).click()
    expect(mona.get_by_role("heading", name="Deliberation")).to_be_visible()
    assert _receipt_types(services, post_id) == ["moderation.decision"]

    # (4) Ada reads the notice and appeals.
    ada.get_by_role("link", name="Notices", exact=True).click()
    expect(ada.locator("main")).to_contain_text("Wrong closing time for the polls.")
    ada.get_by_label("Why should this decision be reversed?").fill("The prefecture says noon.")
    ada.get_by_role("button", name="Appeal", exact=True).click()
    expect(ada.locator("main")).to_contain_text("You appealed this decision")

    # (5) Milo, another moderator, reverses it.
    milo = signed_in(browser, server_url, "milo")
    milo.goto(f"{server_url}/moderation/appeals")
    expect(milo.locator("main")).not_to_contain_text(AUTHOR)
    milo.get_by_label("Reverse the decision").check()
    milo.get_by_label("Reasons").fill("The official notice confirms noon.")
    milo.get_by_role("button", name="Decide the appeal").click()
    expect(milo.locator("main")).to_contain_text("No appeal is waiting.")

    # (6) The public "why?" page lists the decision, the appeal outcome and the restore.
    types = _receipt_types(services, post_id)
    for _ in range(20):  # the appeal entry joins the receipt as soon as receipts index it
        if "moderation.appeal" in types:
            break
        time.sleep(0.1)
        types = _receipt_types(services, post_id)
    anonymous = browser.new_context(locale="en-GB").new_page()
    anonymous.goto(f"{server_url}/posts/{post_id}/why")
    proofs = anonymous.locator("main article.card")
    assert types.count("moderation.decision") == 2  # the reduction and the restore
    expect(proofs).to_have_count(len(types))
    expect(anonymous.locator("main")).to_contain_text("Restoration")
    assert "moderation.appeal" in types, f"the receipt lists only {types}"
    expect(anonymous.locator("main")).to_contain_text("Appeal reversed")
    assert services.moderation.check_projection().matches
