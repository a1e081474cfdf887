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


@pytest.fixture(scope="module")
def _chromium() -> Iterator[Browser]:
    """One chromium per test file: starting it is the slow part of a browser test. Not one per
    process: while Playwright's synchronous API is open, its event loop runs in the main
    thread, and a later test file's `asyncio.run` would find it running."""
    if not CHROMIUM.exists():
        pytest.fail(MISSING_CHROMIUM)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


@pytest.fixture
def browser(_chromium: Browser) -> Iterator[Browser]:
    """The file's chromium; every context a test opens (its cookies, storage and pages) is
    closed when it ends, so each test starts from none."""
    yield _chromium
    for context in _chromium.contexts:
        context.close()


def signed_in(browser: Browser, server_url: str, handle: str) -> Page:
    """A fresh browser context (its own cookies) signed in as `handle`, in English."""
    page = browser.new_context(locale="en-GB").new_page()
    page.goto(f"{server_url}/login")
    page.get_by_label("Handle or e-mail").fill(handle)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.locator("form[action='/login'] button[type='submit']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Home")
    return page
