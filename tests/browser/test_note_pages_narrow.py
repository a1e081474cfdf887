"""Every notes page fits a 390 px wide phone, in English and French, with a long source link
and a long word in a note: nothing scrolls sideways."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from conftest import PASSWORD, AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.kernel import FixedClock
from townsquare.notes import note_draft

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}
LONG_LINK = "https://example.org/" + "a-very-long-path-segment-" * 8 + "?q=" + "x" * 60
LONG_WORD = "Unbreakable" * 12


@pytest.fixture
def clock() -> FixedClock:
    # Ten days back, so that the accounts made first are old enough once the clock reaches
    # today (sessions are dated by this clock, and the browser drops expired cookies).
    return FixedClock(datetime.now(UTC) - timedelta(days=10))


def _phone(browser: Browser, server_url: str, handle: str | None, locale: str) -> Page:
    page = browser.new_context(viewport=PHONE, locale=locale).new_page()
    if handle is not None:
        page.goto(f"{server_url}/login")
        page.locator("input[name='login']").fill(handle)
        page.locator("input[name='password']").fill(PASSWORD)
        page.locator("form[action='/login'] button[type='submit']").click()
        expect(page.locator("h1")).not_to_have_text("Sign in")
    return page


def _too_wide(page: Page, url: str) -> str:
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, f"{url} answered {response.status}"
    width = page.evaluate("document.documentElement.scrollWidth")
    return "" if width <= PHONE["width"] else f"{url} ({width}px)"


@pytest.mark.parametrize("locale", ["en-GB", "fr-FR"])
def test_every_notes_page_fits_a_390_px_screen(
    server_url: str,
    browser: Browser,
    services: Services,
    clock: FixedClock,
    make_account: AccountFactory,
    make_post: PostFactory,
    locale: str,
) -> None:
    poster, writer, rater = (make_account(n) for n in ("poster", "writer", "rater"))
    clock.advance(timedelta(days=10))
    post = make_post(poster, f"A claim with a long link {LONG_LINK} {LONG_WORD}")
    draft = note_draft(
        classification="MISINFORMED_OR_POTENTIALLY_MISLEADING",
        reasons=["misleadingMissingImportantContext", "misleadingOutdatedInformation"],
        trustworthy_sources=True,
        text=f"Context: {LONG_WORD}",
        sources=[LONG_LINK],
    )
    note = services.notes.write(writer.id, post.id, draft)
    pages = [
        f"/posts/{post.id}/notes",
        f"/posts/{post.id}/notes/new",
        f"/notes/{note.id}/rate",
        "/notes/needs-rating",
        "/notes/impact",
    ]
    page = _phone(browser, server_url, rater.username, locale)
    too_wide = [_too_wide(page, server_url + path) for path in pages]
    anonymous = _phone(browser, server_url, None, locale)
    too_wide.append(_too_wide(anonymous, f"{server_url}/posts/{post.id}/notes"))
    assert [name for name in too_wide if name] == []
