"""The transparency report pages: the list of published periods, a period's numbers as
tables with charts in English and French, its hash and ledger entry, `report.json`, and a
bad period answered with a 4xx naming it."""

import hashlib
import json
from datetime import UTC, datetime

import pytest

from audits.transparency_world import PERIOD, World, build_world, publish_in_first_schema
from conftest import AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.kernel import FixedClock
from web.forms import WebClient

FRENCH = {"Accept-Language": "fr"}
PAGE = "/transparency/reports/2026-01-01/2026-07-01"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 1, 5, tzinfo=UTC))


@pytest.fixture
def world(
    services: Services, clock: FixedClock, make_account: AccountFactory, make_post: PostFactory
) -> World:
    return build_world(services, clock, make_account, make_post)


def test_the_report_page_shows_every_section_and_its_charts(
    world: World, client: WebClient
) -> None:
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.text
    assert "Transparency report, 2026-01-01 to 2026-07-01" in html
    for heading in ("Orders and requests from outside", "Notices", "Appeals"):
        assert heading in html
    assert "Tribunal judiciaire de Paris" in html
    assert (
        "Clause harassment/1@2, automated, no rule named: decisions, appealed, reversed, rate"
        in html
    )
    assert "1 · 1 · 1 · 100%" in html
    assert "<caption>Median time to answer by issuing country, in hours</caption>" in html
    assert '<tr><th scope="row">FR</th><td>3.0</td></tr>' in html
    assert '<tr><th scope="row">Tribunal judiciaire de Paris</th><td>3.0</td></tr>' in html
    assert html.count("<svg") == 5
    assert "Not published yet" in html


def test_the_report_page_speaks_french(world: World, client: WebClient) -> None:
    html = client.get(PAGE, headers=FRENCH).text
    assert "Rapport de transparence, du 2026-01-01 au 2026-07-01" in html
    assert "Ordres et demandes venus de l’extérieur" in html
    assert "Recours" in html
    assert "Actions par motif" in html  # a chart's title, drawn in French
    assert "Délai médian de réponse par type de demandeur, en heures" in html
    assert "Clause harassment/1@2, automatisé, sans règle nommée" in html
    assert "Median time to answer by" not in html
    assert "no rule named" not in html
    assert "Orders and requests from outside" not in html
    # The page body is a macro: imported without the page's context it spoke English.
    assert '<h2 id="proof-heading">Preuve</h2>' in html
    assert "Télécharger report.json" in html
    assert "Download report.json" not in html


def test_a_published_report_shows_its_hash_and_ledger_entry(
    world: World, services: Services, client: WebClient
) -> None:
    published = services.transparency.publish(PERIOD)
    services.ledger.integrate()
    html = client.get(PAGE).text
    assert published.sha256 in html
    [listed] = services.transparency.published()
    assert f'href="/ledger/view/{listed.ledger_index}"' in html
    assert "numbers match the published report." in html
    listing = client.get("/transparency/reports").text
    assert published.sha256 in listing
    assert f'href="{PAGE}"' in listing


def test_report_json_is_the_published_document(
    world: World, services: Services, client: WebClient
) -> None:
    published = services.transparency.publish(PERIOD)
    answer = client.get(f"{PAGE}/report.json")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.content == published.document
    assert hashlib.sha256(answer.content).hexdigest() == published.sha256
    assert json.loads(answer.content)["period"] == {"from": "2026-01-01", "to": "2026-07-01"}


def test_a_report_published_in_an_earlier_schema_is_said_so_not_blamed_on_a_release(
    world: World, services: Services, clock: FixedClock, client: WebClient
) -> None:
    old_sha256 = publish_in_first_schema(services, PERIOD, clock.now())
    html = client.get(PAGE).text
    assert old_sha256 in html
    assert (
        "The published report is in an earlier format (townsquare.transparency-report/1); "
        "today's numbers are in townsquare.transparency-report/2" in html
    )
    assert "has been released since" not in html
    french = client.get(PAGE, headers=FRENCH).text
    assert "Le rapport publié est dans un format antérieur" in french
    answer = client.get(f"{PAGE}/report.json")
    assert hashlib.sha256(answer.content).hexdigest() == old_sha256


def test_the_list_links_the_half_year_under_way(world: World, client: WebClient) -> None:
    html = client.get("/transparency/reports", headers=FRENCH).text
    assert 'href="/transparency/reports/2026-07-01/2027-01-01"' in html
    assert "Aucun rapport n’a encore été publié." in html


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("/transparency/reports/2026-07-01/2026-01-01", "2026-07-01 → 2026-01-01"),
        ("/transparency/reports/2026-02-30/2026-07-01", "2026-02-30"),
        ("/transparency/reports/2020-01-01/2026-01-01/report.json", "expected at most 366 days"),
    ],
)
def test_a_bad_period_is_a_4xx_naming_it(client: WebClient, path: str, named: str) -> None:
    answer = client.get(path)
    assert 400 <= answer.status_code < 500
    assert named in answer.text


def test_a_bad_period_is_explained_in_french(client: WebClient) -> None:
    answer = client.get("/transparency/reports/2026-07-01/2026-01-01", headers=FRENCH)
    assert answer.status_code == 422
    assert "période 2026-07-01 → 2026-01-01 : la date --to doit suivre la date --from" in (
        answer.text
    )


def test_every_page_links_the_reports(client: WebClient) -> None:
    assert 'href="/transparency/reports"' in client.get("/public").text
