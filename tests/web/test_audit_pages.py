"""The impartiality audit pages: alerts first, one sentence per comparison in English and
French (French numbers), the forest plot, the method, the downloads whose bytes hash to the
published SHA-256, an earlier run by its hash, the list of runs, and all of it public."""

import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import replace

import pytest
from litestar.testing import TestClient

from audits.audit_runs import alerting, audits_over
from audits.factories import make_dataset, simpson_dataset
from conftest import AccountFactory, PostFactory
from notes.factories_runs import two_camps
from townsquare.app import Services, create_app
from townsquare.audits import FOREST_PLOT_WORDS, AuditParameters, Metric
from townsquare.web import _audit_words
from townsquare.web._audit_words import plot_words, unworded_metrics
from web.forms import WebClient

FRENCH = {"Accept-Language": "fr"}
PAGE = "/transparency/audit"


@pytest.fixture
def client(services: Services) -> Iterator[WebClient]:
    """A client over a server whose audit finds group A's comparable posts restricted twice
    as often as group B's (an alert)."""
    with TestClient(app=create_app(alerting(services))) as test_client:
        yield test_client


def test_every_metric_has_words_in_every_table() -> None:
    assert unworded_metrics() == []


def test_a_metric_without_words_is_said_in_the_audits_english_not_a_crash(
    client: WebClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(_audit_words._CLAIMS, Metric.RESTRICTED_COMPARABLE)
    assert unworded_metrics() == [Metric.RESTRICTED_COMPARABLE]
    page = client.get(PAGE, headers=FRENCH)
    assert page.status_code == 200
    assert "Posts from group A are restricted 2.00× as often as comparable posts" in page.text


def test_every_word_of_the_forest_plot_is_worded() -> None:
    say = plot_words(lambda _english: "worded")
    assert [say(word) for word in FOREST_PLOT_WORDS] == ["worded"] * len(FOREST_PLOT_WORDS)
    assert {say(metric.value) for metric in Metric} == {"worded"}


def test_before_any_run_the_page_shows_the_live_audit_marked_unpublished(
    client: WebClient,
) -> None:
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.text
    assert "Not published yet" in html
    assert html.index('id="alerts"') < html.index('id="comparisons"') < html.index('id="method"')
    assert html.index('id="method"') < html.index('id="downloads"')
    assert "1 comparison alerts." in html
    assert (
        "Posts from group A are restricted 2.00× as often as comparable posts from group B" in html
    )
    assert html.count("<svg") == 1
    assert 'id="forest-plot"' in html
    assert 'href="/transparency/audit/audit.json"' in html


def test_a_published_run_leads_with_its_alert_and_links_its_ledger_entries(
    client: WebClient, services: Services
) -> None:
    audits = alerting(services).audits
    published = audits.publish()
    services.ledger.integrate()
    [run] = audits.published()
    html = client.get(PAGE).text
    assert "Not published yet" not in html
    assert published.sha256 in html
    assert published.dataset_sha256 in html
    assert f'href="/ledger/view/{run.ledger_index}"' in html
    [(_, alert_index)] = run.alert_indexes
    assert f'href="/ledger/view/{alert_index}"' in html
    assert html.index("Restricted, comparable posts") < html.index('id="comparisons"')
    assert f'href="/transparency/audit/{published.sha256}/audit.json"' in html


def test_the_page_speaks_french_with_french_numbers(client: WebClient) -> None:
    html = client.get(PAGE, headers=FRENCH).text
    assert "Audit d’impartialité" in html
    assert "restreintes 2,00 fois aussi souvent que des publications comparables" in html
    assert "2.00" not in html
    assert "intervalle à 95" in html
    assert "Posts from group" not in html


def test_the_downloads_hash_to_the_published_sha256(client: WebClient, services: Services) -> None:
    published = alerting(services).audits.publish()
    base = f"{PAGE}/{published.sha256}"
    document = client.get(f"{base}/audit.json")
    archive = client.get(f"{base}/dataset.zip")
    assert document.headers["content-type"].startswith("application/json")
    assert archive.headers["content-type"].startswith("application/zip")
    assert hashlib.sha256(document.content).hexdigest() == published.sha256
    assert hashlib.sha256(archive.content).hexdigest() == published.dataset_sha256
    assert client.get(f"{PAGE}/audit.json").content == document.content
    assert client.get(f"{PAGE}/dataset.zip").content == archive.content


def test_an_earlier_run_keeps_its_page_and_the_list_shows_every_run(
    client: WebClient, services: Services
) -> None:
    earlier = alerting(services).audits.publish()
    later = audits_over(services, simpson_dataset()).publish()
    latest = client.get(PAGE).text
    assert later.sha256 in latest
    assert "No alert:" in latest
    page = client.get(f"{PAGE}/{earlier.sha256}").text
    assert "1 comparison alerts." in page
    listing = client.get("/transparency/audits").text
    assert listing.index(later.sha256) < listing.index(earlier.sha256)
    assert f'href="{PAGE}/{earlier.sha256}"' in listing


def test_a_run_never_published_is_a_404(client: WebClient) -> None:
    for path in ("", "/audit.json", "/dataset.zip"):
        answer = client.get(f"{PAGE}/{'ab' * 32}{path}")
        assert answer.status_code == 404, path


def test_the_footer_and_the_reports_page_link_the_audit(client: WebClient) -> None:
    assert f'href="{PAGE}"' in client.get("/public").text
    assert f'href="{PAGE}"' in client.get("/transparency/reports").text


def test_group_labels_are_escaped_in_the_sentences_and_the_plot(services: Services) -> None:
    hostile = "<i>A</i>"
    dataset = make_dataset(
        {(hostile, "", 0): (200, 40), ("B", "", 0): (200, 10)}, groups=(hostile, "B")
    )
    audits = audits_over(services, dataset)
    audits.publish(AuditParameters(groups=(hostile, "B")))
    with TestClient(app=create_app(replace(services, audits=audits))) as anonymous:
        html = anonymous.get(PAGE).text
    assert hostile not in html
    assert "&lt;i&gt;A&lt;/i&gt;" in html


def test_the_server_audit_is_public_and_names_no_one(
    services: Services, make_account: AccountFactory, make_post: PostFactory
) -> None:
    world = two_camps(services, make_account, make_post, per_camp=10)
    services.scoring_runs.run()
    with TestClient(app=create_app(services)) as anonymous:
        page = anonymous.get(PAGE)
        archive = anonymous.get(f"{PAGE}/dataset.zip").content
    assert page.status_code == 200
    assert "Not published yet" in page.text
    files = zipfile.ZipFile(io.BytesIO(archive))
    accounts = files.read("accounts.csv").decode()
    everything = "".join(files.read(name).decode() for name in files.namelist())
    assert "a1," in accounts
    for account in [*world.left_camp, *world.right_camp]:
        assert account.username not in everything
        assert str(account.id) not in everything
    assert Metric.RESTRICTED_COMPARABLE.value not in page.text  # keys are worded, not shown
