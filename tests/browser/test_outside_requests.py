"""Outside requests in a real browser: a moderator logs a court's sealed order from the
form, decides its post's case and answers it; the public register shows only the request's
fingerprint and release date, and the moderator's page shows it whole."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, expect

from browser.conftest import signed_in
from conftest import AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.microblog import Role

pytestmark = pytest.mark.browser


def test_a_sealed_court_order_from_intake_to_answer(
    server_url: str,
    browser: Browser,
    services: Services,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> None:
    post = make_post(make_account("writer"), "The mayor took bribes, I am sure of it")
    make_account("mona", role=Role.MODERATOR)
    mona = signed_in(browser, server_url, "mona")

    # (1) Mona logs the order, sealed for thirty days.
    mona.goto(f"{server_url}/moderation/requests")
    mona.get_by_label("Who sent it").select_option("court")
    mona.get_by_label("Name of the sender").fill("Tribunal judiciaire de Lyon")
    mona.get_by_label("Issuing country").fill("FR")
    mona.get_by_label("Legal basis").fill("Ordonnance de référé")
    mona.get_by_label("What they ask for").select_option("remove")
    mona.get_by_label("Posts (links or ids, one per line)").fill(f"{server_url}/@writer/{post.id}")
    mona.get_by_label("Summary (published: no personal data)").fill("Remove a defamatory post.")
    release = datetime.now(UTC) + timedelta(days=30)
    mona.get_by_label("Sealed until (UTC, optional)").fill(release.strftime("%Y-%m-%dT%H:%M"))
    mona.get_by_role("button", name="Log the request").click()
    expect(mona.get_by_role("status")).to_contain_text("Sealed: the public sees only")
    request_page = mona.url

    # (2) Mona opens the post's case from the request, decides it, then answers.
    case_link = mona.locator("table.queue a[href^='/moderation/cases/']").first
    case_link.click()
    expect(mona.get_by_role("heading", name="Outside requests about this item")).to_be_visible()
    mona.get_by_role("button", name="Take this case").click()
    mona.get_by_label("Action").select_option("remove")
    mona.get_by_label("Clause").select_option("illegal-content/3@1")
    mona.get_by_label("Facts the decision rests on").fill("Defamatory under French law.")
    mona.get_by_role("button", name="Preview the statement of reasons").click()
    expect(mona.locator("section.preview")).to_contain_text("An outside request")
    mona.get_by_role("button", name="Decide", exact=True).click()
    mona.goto(request_page)
    mona.get_by_label("Reasons given to the requester (published)").fill("Removed on receipt.")
    mona.get_by_role("button", name="Send the answer").click()
    expect(mona.locator("main")).to_contain_text("Complied")

    # (3) The public sees a fingerprint until the release date; Mona sees it whole.
    anonymous = browser.new_context(locale="en-GB").new_page()
    anonymous.goto(f"{server_url}/requests")
    expect(anonymous.locator("main")).to_contain_text("1 still sealed")
    expect(anonymous.locator("main")).not_to_contain_text("Tribunal judiciaire")
    anonymous.get_by_role("link", name="Sealed request").click()
    expect(anonymous.get_by_role("status")).to_contain_text("This request is sealed until")
    expect(mona.locator("main")).to_contain_text("Tribunal judiciaire de Lyon")
