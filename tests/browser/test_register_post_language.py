"""A real browser against a real server: register, post, see it at home, switch to French."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

SCREENSHOT = Path("/tmp/townsquare-home.png")
PASSWORD = "a long browser password"

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB", viewport={"width": 1000, "height": 900})
    yield context.new_page()
    context.close()


def test_register_post_and_switch_to_french(server_url: str, page: Page) -> None:
    page.goto(f"{server_url}/register")
    page.get_by_label("Handle", exact=True).fill("zoe")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.locator("form[action='/register']").get_by_role("button").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Home")
    page.get_by_label("What do you want to say?").fill("Hello from a real browser #firstpost")
    page.get_by_role("button", name="Publish").click()

    post = page.locator("article.post").first
    expect(post).to_contain_text("Hello from a real browser")
    expect(post.get_by_role("link", name="#firstpost")).to_be_visible()
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accueil")
    expect(page.get_by_role("button", name="Publier")).to_be_visible()
    expect(page.locator("article.post").first).to_contain_text("Hello from a real browser")
