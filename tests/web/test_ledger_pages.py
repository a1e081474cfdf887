"""The ledger browser: the latest checkpoint, entries newest first, each entry with its proof."""

import ast
import base64
import re
from pathlib import Path

import pytest

import townsquare
from townsquare.app import Services
from townsquare.ledger import JSON, encode_entry
from townsquare.web._ledger_pages import ENTRY_HEADINGS
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


def _entry_types_in_the_code() -> set[str]:
    """Every ledger entry type the server defines: module-level `..._ENTRY...` constants
    holding `"kind.name"` or `("kind.name", version)`."""
    found = set()
    for path in Path(townsquare.__file__).parent.rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.Assign | ast.AnnAssign):
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            value = node.value
            if isinstance(value, ast.Tuple) and value.elts:
                value = value.elts[0]
            if (
                any("ENTRY" in name for name in names)
                and isinstance(value, ast.Constant)
                and isinstance(value.value, str)
                and re.fullmatch(r"[a-z]+\.[a-z_]+", value.value)
            ):
                found.add(value.value)
    return found


def test_every_kind_of_entry_the_server_writes_has_its_own_heading() -> None:
    kinds = _entry_types_in_the_code()
    assert {"moderation.decision", "rule.quarantine", "notes.status"} <= kinds  # the walk works
    assert len(kinds) >= 20
    assert kinds - ENTRY_HEADINGS.keys() == set()


def test_a_quarantine_entry_is_named_in_both_languages(
    client: WebClient, services: Services
) -> None:
    with services.db.write() as conn:
        services.ledger.append(conn, encode_entry("rule.quarantine", 1, {"rule": "link-spam"}))
    services.ledger.integrate()
    english = client.get("/ledger/view/0").text
    french = client.get("/ledger/view/0", headers={"Accept-Language": "fr"}).text
    assert "An automated rule set aside after an error, in the ledger" in english
    assert "Une règle automatisée mise à l’écart après une erreur" in french
