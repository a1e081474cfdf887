"""The public policy pages: every policy, each clause with its facts, history and a diff."""

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from litestar.testing import TestClient

from townsquare.app import Services, create_app
from townsquare.moderation import load_policies
from townsquare.web._policy_pages import word_diff
from web.forms import WebClient

FRENCH = {"Accept-Language": "fr"}


def test_the_index_lists_every_policy_and_current_clause(client: WebClient) -> None:
    page = client.get("/policies")
    assert page.status_code == 200
    assert "Civic integrity" in page.text
    assert 'href="/policies/hateful-conduct"' in page.text
    assert "civic-integrity/1@2" in page.text
    assert "civic-integrity/1@1" not in page.text  # only current versions here
    assert 'href="/policies"' in client.get("/public").text  # linked from every page


def test_a_policy_page_shows_facts_and_the_history_with_a_diff(client: WebClient) -> None:
    page = client.get("/policies/civic-integrity").text
    assert 'id="clause-1"' in page
    assert "Incompatible with the terms of service" in page
    assert "Negative effects on civic discourse or elections" in page
    assert "KEYWORD_MISINFORMATION_DISINFORMATION" in page
    assert "Content warning" in page  # allowed actions, in words
    assert "Version 1" in page
    assert "Changes from version 1:" in page
    assert "<ins>" in page
    assert "documents a voter must bring" in page
    assert "This clause has not changed since its first version." in page  # clause 2


def test_the_pages_speak_french(client: WebClient) -> None:
    index = client.get("/policies", headers=FRENCH).text
    assert '<html lang="fr">' in index
    assert "Intégrité civique" in index
    page = client.get("/policies/civic-integrity", headers=FRENCH).text
    assert "Contraire aux conditions d’utilisation" in page
    assert "Modifications par rapport à la version 1" in page
    assert "Fausses informations sur les modalités du vote" in page


def test_an_unknown_policy_is_a_404_page(client: WebClient) -> None:
    response = client.get("/policies/no-such-policy")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


def test_word_diff_marks_removed_and_added_words() -> None:
    assert word_diff("Do not post spam.", "Do not post bulk spam.\nEver.") == (
        ("same", "Do not post "),
        ("added", "bulk "),
        ("same", "spam."),
        ("break", ""),
        ("added", "Ever."),
    )
    pieces = word_diff("a b c", "a x c")
    assert pieces == (("same", "a "), ("removed", "b"), ("added", "x"), ("same", " c"))


@pytest.fixture
def hostile_client(services: Services, tmp_path: Path) -> Iterator[WebClient]:
    """A server whose only policy has markup in its texts, in two versions."""
    (tmp_path / "markup.toml").write_text(
        (Path(__file__).parent / "hostile_policy.toml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    hostile = replace(services, policies=load_policies(tmp_path))
    with TestClient(app=create_app(hostile)) as test_client:
        yield test_client


def test_the_diff_escapes_html(hostile_client: WebClient) -> None:
    page = hostile_client.get("/policies/markup").text
    assert "<script>" not in page
    assert "<b>" not in page
    assert "&lt;script&gt;" in page
    assert '<ins><span class="visually-hidden">Added: </span>&lt;b&gt;bold&lt;/b&gt;' in page
