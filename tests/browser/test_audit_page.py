"""The impartiality audit page in a real browser, in English and French: the alert comes
first, the forest plot is drawn (visible, with a size, a row per comparison), the downloads
and the ledger entry are links, it fits a phone, and a screenshot is taken."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from audits.audit_runs import alerting
from live_server import serve_asgi
from townsquare.app import Services, create_app

pytestmark = pytest.mark.browser

PAGE = "/transparency/audit"
PHONE: ViewportSize = {"width": 390, "height": 844}
# Set to a directory to keep a screenshot of the page (to look at it).
SHOTS = os.environ.get("TOWNSQUARE_TEST_SCREENSHOTS")


@pytest.fixture
def server_url(services: Services) -> Iterator[str]:
    """A server whose published audit run alerts (group A's comparable posts restricted
    twice as often as group B's)."""
    served = alerting(services)
    served.audits.publish()
    services.ledger.integrate()
    with serve_asgi(create_app(served)) as url:
        yield url


def _plot_is_drawn(page: Page) -> None:
    plot = page.locator("#forest-plot svg")
    expect(plot).to_be_visible()
    box = plot.bounding_box()
    assert box is not None
    assert box["width"] > 200
    assert box["height"] > 100
    # Matplotlib drew the intervals and marks: paths inside the axes.
    assert plot.locator("path").count() > 10


def test_the_audit_page_shows_its_alert_and_plot_in_english_and_french(
    services: Services, browser: Browser, server_url: str, tmp_path: Path
) -> None:
    english = browser.new_context(locale="en-GB").new_page()
    english.goto(server_url + PAGE)
    expect(english.get_by_role("heading", level=1)).to_have_text("Impartiality audit")
    expect(english.locator("#alerts")).to_contain_text("1 comparison alerts.")
    expect(english.locator("#alerts")).to_contain_text("Restricted, comparable posts")
    _plot_is_drawn(english)
    expect(english.locator("#forest-plot")).to_contain_text("Conditional: may alert")
    shot = tmp_path / "audit-en.png"
    english.screenshot(path=str(shot), full_page=True)
    if SHOTS:
        english.screenshot(path=str(Path(SHOTS) / "audit-en.png"), full_page=True)
    assert shot.stat().st_size > 10_000
    english.get_by_role("link", name="The run's ledger entry").click()
    expect(english.locator("main")).to_contain_text("audit.impartiality")

    french = browser.new_context(locale="fr-FR").new_page()
    french.goto(server_url + PAGE)
    expect(french.get_by_role("heading", level=1)).to_have_text("Audit d’impartialité")
    expect(french.locator("#alerts")).to_contain_text("1 comparaison donne l’alerte.")
    expect(french.locator("#comparisons")).to_contain_text("2,00 fois aussi souvent")
    _plot_is_drawn(french)
    expect(french.locator("#forest-plot")).to_contain_text("Conditionnelle : peut donner l’alerte")
    french.screenshot(path=str(tmp_path / "audit-fr.png"), full_page=True)
    if SHOTS:
        french.screenshot(path=str(Path(SHOTS) / "audit-fr.png"), full_page=True)


def test_the_audit_page_is_linked_from_the_footer_and_fits_a_phone(
    browser: Browser, server_url: str
) -> None:
    page = browser.new_context(locale="en-GB", viewport=PHONE).new_page()
    page.goto(server_url + "/public")
    page.get_by_role("link", name="Impartiality audit", exact=True).click()
    expect(page).to_have_url(server_url + PAGE)
    for path in ("/transparency/audits", PAGE):
        page.goto(server_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], path
    _plot_is_drawn(page)
