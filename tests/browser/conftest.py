"""Browser tests: the application on a loopback port and Debian's chromium driven by Playwright."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from conftest import PASSWORD
from live_server import serve_asgi
from townsquare.app import Services, create_app

CHROMIUM = Path("/usr/bin/chromium")
MISSING_CHROMIUM = (  # the line scripts/ensure-chromium prints (`make test` runs it first)
    f"Debian's chromium is not at {CHROMIUM}: the browser tests need it; install it with "
    "`sudo apt-get install --no-install-recommends chromium`, or run `make test` as root"
)


@pytest.fixture
def server_url(services: Services) -> Iterator[str]:
    with serve_asgi(create_app(services)) as url:
        yield url


@pytest.fixture
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(MISSING_CHROMIUM)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


def signed_in(browser: Browser, server_url: str, handle: str) -> Page:
    """A fresh browser context (its own cookies) signed in as `handle`, in English."""
    page = browser.new_context(locale="en-GB").new_page()
    page.goto(f"{server_url}/login")
    page.get_by_label("Handle or e-mail").fill(handle)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.locator("form[action='/login'] button[type='submit']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Home")
    return page
