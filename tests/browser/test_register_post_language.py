"""A real browser against a real server: register, post, see it at home, switch to French."""

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Page, expect, sync_playwright

from townsquare.app import Services, create_app

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = Path("/tmp/townsquare-home.png")
PASSWORD = "a long browser password"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Debian's chromium is not at {CHROMIUM}"),
]


@pytest.fixture
def server_url(services: Services) -> Iterator[str]:
    """The application served by uvicorn on a free loopback port, in a background thread."""
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(services), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=15)
    listening.close()


@pytest.fixture
def page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(locale="en-GB", viewport={"width": 1000, "height": 900})
        yield context.new_page()
        context.close()
        browser.close()


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
