"""Every page fits a 390 px wide phone: nothing scrolls sideways, however long the hashes,
links, JSON, tables or words on it. Each page is opened in a 390×844 viewport, as the
visitor who can see it, and the document must be no wider than the screen."""

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from conftest import PASSWORD, AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.microblog import Role
from townsquare.moderation import (
    ActionKind,
    CaseDecision,
    Ground,
    PostTarget,
    ReportDraft,
    RequestDraft,
    RequesterKind,
    WindowDraft,
)

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}
CLAUSE = "civic-integrity/1@2"  # allows reduce_reach
LONG_LINK = "https://example.org/" + "a-very-long-path-segment-" * 8 + "?q=" + "x" * 60
LONG_WORD = "Unbreakable" * 12
# Set to a directory to keep a screenshot of every page (to look at them).
SHOTS = os.environ.get("TOWNSQUARE_TEST_SCREENSHOTS")


@dataclass(frozen=True)
class World:
    post_id: int
    decided_case: int
    open_case: int
    request_id: int
    window_id: int


def _world(services: Services, make_account: AccountFactory, make_post: PostFactory) -> World:
    """Content that tends to overflow: long links and words, a decision and its appeal, an
    open case, an outside request with a long name, an election window; all in the ledger."""
    alice = make_account("alice")
    bob = make_account("bob")
    mona = make_account("mona", role=Role.MODERATOR)
    make_account("milo", role=Role.MODERATOR)
    post = make_post(alice, f"Polls close at noon, see {LONG_LINK} {LONG_WORD} #elections")
    other = make_post(alice, f"Another one: {LONG_WORD}")
    cases = services.moderation.cases
    decided = cases.report(ReportDraft(bob.id, PostTarget(post.id), comment=LONG_WORD)).case_id
    cases.take(decided, mona.id)
    facts = f"Wrong closing time; the prefecture's page {LONG_LINK} says 8pm."
    case = cases.decide(decided, mona.id, CaseDecision(ActionKind.REDUCE_REACH, CLAUSE, facts))
    assert case.action_id is not None
    services.moderation.appeals.file(alice.id, case.action_id, f"It is right. {LONG_LINK}")
    pending = cases.report(ReportDraft(bob.id, PostTarget(other.id), comment="spam")).case_id
    cases.take(pending, mona.id)
    request = services.moderation.requests.receive(
        RequestDraft(
            RequesterKind.GOVERNMENT,
            "Préfecture de police de Paris, service des affaires numériques et de la sécurité",
            f"Article 6-1 of the LCEN, see {LONG_LINK}",
            Ground.ILLEGAL_CONTENT,
            ActionKind.REMOVE,
            (PostTarget(post.id),),
            f"Asks to remove a post. {LONG_WORD}",
            country="FR",
        ),
        logged_by=mona.id,
    )
    now = datetime.now(UTC)
    window = services.moderation.elections.declare(
        WindowDraft(
            "Municipal elections",
            now + timedelta(hours=2),
            now + timedelta(days=3),
            ("FR",),
            ("elections",),
        ),
        declared_by=None,
    )
    services.ledger.integrate()
    return World(post.id, decided, pending, request.id, window.id)


def _phone(browser: Browser, server_url: str, handle: str | None, locale: str) -> Page:
    page = browser.new_context(viewport=PHONE, locale=locale).new_page()
    if handle is not None:
        page.goto(f"{server_url}/login")
        page.locator("input[name='login']").fill(handle)
        page.locator("input[name='password']").fill(PASSWORD)
        page.locator("form[action='/login'] button[type='submit']").click()
        expect(page.locator("h1")).not_to_have_text("Sign in")
    return page


def _fits(page: Page, url: str, name: str) -> str:
    """Open `url`; fail unless it fits the screen. The name of a page that does not fit,
    else an empty string."""
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, f"{name}: {url} answered {response.status}"
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    return "" if width <= PHONE["width"] else f"{name} ({width}px)"


@pytest.mark.parametrize("locale", ["en-GB", "fr-FR"])
def test_every_page_fits_a_390_px_screen(
    server_url: str,
    browser: Browser,
    services: Services,
    make_account: AccountFactory,
    make_post: PostFactory,
    locale: str,
) -> None:
    world = _world(services, make_account, make_post)
    public = {
        "home-anonymous": "/",
        "profile": "/@alice",
        "post": f"/@alice/{world.post_id}",
        "why": f"/posts/{world.post_id}/why",
        "case": f"/cases/{world.decided_case}",
        "decisions": "/decisions",
        "policies": "/policies",
        "policy": "/policies/civic-integrity",
        "ledger": "/ledger",
        "ledger-entry": "/ledger/view/0",
        "requests": "/requests",
        "request": f"/requests/{world.request_id}",
        "elections": "/elections",
        "election": f"/elections/{world.window_id}",
    }
    by_visitor = {
        None: public,
        "alice": {"home-signed-in": "/", "notices": "/notices"},
        "mona": {
            "moderation-queue": "/moderation",
            "moderation-case": f"/moderation/cases/{world.open_case}",
            "moderation-request": f"/moderation/requests/{world.request_id}",
        },
        "milo": {"appeals": "/moderation/appeals"},
    }
    too_wide = []
    for handle, pages in by_visitor.items():
        phone = _phone(browser, server_url, handle, locale)
        for name, path in pages.items():
            too_wide.append(_fits(phone, server_url + path, f"{locale}-{name}"))
    wide = [name for name in too_wide if name]
    if wide:
        pytest.fail("wider than the screen: " + ", ".join(wide))


def test_the_moderators_preview_fits_a_390_px_screen(
    server_url: str,
    browser: Browser,
    services: Services,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> None:
    world = _world(services, make_account, make_post)
    mona = _phone(browser, server_url, "mona", "en-GB")
    mona.goto(f"{server_url}/moderation/cases/{world.open_case}")
    mona.get_by_label("Action").select_option("reduce_reach")
    mona.get_by_label("Clause").select_option(CLAUSE)
    mona.get_by_label("Facts the decision rests on").fill(f"See {LONG_LINK} {LONG_WORD}")
    mona.get_by_role("button", name="Preview the statement of reasons").click()
    expect(mona.locator("section.preview")).to_contain_text("Reduced reach")
    mona.locator("details.raw summary").click()  # the raw statement, opened
    if SHOTS:
        mona.screenshot(path=str(Path(SHOTS) / "moderation-preview.png"), full_page=True)
    assert mona.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
