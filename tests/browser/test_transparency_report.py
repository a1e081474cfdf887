"""The transparency report page in a real browser: its charts are drawn (each SVG visible,
with a non-zero size), in English and French, it fits a phone, and a screenshot is taken."""

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from audits.transparency_world import PERIOD, World, build_world
from conftest import AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.kernel import FixedClock

pytestmark = pytest.mark.browser

PAGE = "/transparency/reports/2026-01-01/2026-07-01"
PHONE: ViewportSize = {"width": 390, "height": 844}
# Set to a directory to keep a screenshot of the page (to look at it).
SHOTS = os.environ.get("TOWNSQUARE_TEST_SCREENSHOTS")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 1, 5, tzinfo=UTC))


@pytest.fixture
def world(
    services: Services, clock: FixedClock, make_account: AccountFactory, make_post: PostFactory
) -> World:
    built = build_world(services, clock, make_account, make_post)
    services.transparency.publish(PERIOD)
    services.ledger.integrate()
    return built


def _charts_are_drawn(page: Page) -> None:
    charts = page.locator("figure.chart svg")
    expect(charts).to_have_count(5)
    for index in range(5):
        chart = charts.nth(index)
        expect(chart).to_be_visible()
        box = chart.bounding_box()
        assert box is not None
        assert box["width"] > 100
        assert box["height"] > 20
        # Matplotlib drew bars: filled paths inside the chart's axes.
        assert chart.locator("path").count() > 3


def test_the_report_page_draws_its_charts_in_english_and_french(
    world: World, browser: Browser, server_url: str, tmp_path: Path
) -> None:
    english = browser.new_context(locale="en-GB").new_page()
    english.goto(server_url + PAGE)
    expect(english.get_by_role("heading", level=1)).to_have_text(
        "Transparency report, 2026-01-01 to 2026-07-01"
    )
    _charts_are_drawn(english)
    expect(english.locator("#chart-appeals-outcome")).to_contain_text("Reversed")
    english.get_by_role("link", name="Its ledger entry").click()
    expect(english.locator("main")).to_contain_text("transparency.report")
    shot = tmp_path / "report-en.png"
    english.goto(server_url + PAGE)
    english.screenshot(path=str(shot), full_page=True)
    if SHOTS:
        english.screenshot(path=str(Path(SHOTS) / "transparency-report-en.png"), full_page=True)
    assert shot.stat().st_size > 10_000

    french = browser.new_context(locale="fr-FR").new_page()
    french.goto(server_url + PAGE)
    expect(french.get_by_role("heading", level=1)).to_have_text(
        "Rapport de transparence, du 2026-01-01 au 2026-07-01"
    )
    _charts_are_drawn(french)
    expect(french.locator("#chart-appeals-outcome")).to_contain_text("Infirmé")
    french.screenshot(path=str(tmp_path / "report-fr.png"), full_page=True)


def test_the_report_page_fits_a_phone(world: World, browser: Browser, server_url: str) -> None:
    page = browser.new_context(locale="en-GB", viewport=PHONE).new_page()
    for path in ("/transparency/reports", PAGE):
        page.goto(server_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], path
    _charts_are_drawn(page)
