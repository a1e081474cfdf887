"""The ledger browser: the latest checkpoint, entries newest first, each entry with its proof."""

import base64

import pytest

from townsquare.app import Services
from townsquare.ledger import JSON, encode_entry
from web.forms import WebClient


def _log(services: Services, count: int) -> None:
    with services.db.write() as conn:
        for number in range(count):
            fields: dict[str, JSON] = {"number": number, "reason": "<script>alert(1)</script>"}
            services.ledger.append(conn, encode_entry("test.event", 1, fields))
    services.ledger.integrate()


def test_an_empty_ledger_says_so(client: WebClient) -> None:
    response = client.get("/ledger")
    assert response.status_code == 200
    assert "The ledger has no entries yet." in response.text
    assert "testserver/ledger" in response.text
    assert "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=" in response.text  # the empty root


def test_entries_are_listed_newest_first_and_paged(client: WebClient, services: Services) -> None:
    _log(services, 120)
    first = client.get("/ledger").text
    assert first.index("/ledger/view/119") < first.index("/ledger/view/70")
    assert "/ledger/view/69" not in first
    assert 'href="/ledger?before=70"' in first
    older = client.get("/ledger?before=70").text
    assert "/ledger/view/69" in older
    assert "/ledger/view/70" not in older
    last = client.get("/ledger?before=20").text
    assert "/ledger/view/0" in last
    assert 'rel="next"' not in last


def test_an_entry_page_shows_the_json_the_proof_and_how_to_verify(
    client: WebClient, services: Services
) -> None:
    _log(services, 5)
    page = client.get("/ledger/view/3").text
    assert "&#34;number&#34;: 3" in page
    assert "&lt;script&gt;" in page  # entries are escaped like any other text
    assert "<script>alert" not in page
    assert 'href="/ledger/entries/3/receipt"' in page
    assert f"--vkey {services.ledger.vkey()}" in page
    for element in services.ledger.inclusion_proof(3, 5):
        assert base64.b64encode(element).decode() in page


def test_the_pages_speak_french(client: WebClient, services: Services) -> None:
    _log(services, 1)
    page = client.get("/ledger/view/0", headers={"Accept-Language": "fr"}).text
    assert '<html lang="fr">' in page
    assert "Preuve d’inclusion" in page
    assert "Vérifiez par vous-même" in page
    assert "Registre de modération" in client.get("/ledger", headers={"Accept-Language": "fr"}).text


@pytest.mark.parametrize("path", ["/ledger/view/5", "/ledger/view/-1"])
def test_an_entry_beyond_the_ledger_is_a_404_page(client: WebClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
