"""Browser tests: the application on a loopback port and Debian's chromium driven by Playwright."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from live_server import serve_asgi
from townsquare.app import Services, create_app

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def server_url(services: Services) -> Iterator[str]:
    with serve_asgi(create_app(services)) as url:
        yield url


@pytest.fixture
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"Debian's chromium is not at {CHROMIUM}: `apt-get install chromium`")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()
