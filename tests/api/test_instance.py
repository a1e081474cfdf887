"""Instance metadata, as Mastodon.py reads it."""

import pytest

from .conftest import Client, UserFactory
from .test_statuses import post_status


@pytest.mark.parametrize("path", ["/api/v1/instance", "/api/v1/instance/"])
def test_v1_instance(client: Client, make_user: UserFactory, path: str) -> None:
    post_status(client, make_user("alice"), "hello")
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 200
    instance = response.json()
    assert instance["version"].startswith("4.3.0 (compatible; Townsquare ")
    assert instance["uri"] == "testserver"
    assert instance["languages"] == ["en", "fr"]
    assert instance["registrations"] is True
    assert instance["configuration"]["statuses"]["max_characters"] == 500
    assert instance["stats"]["user_count"] == 1
    assert instance["stats"]["status_count"] == 1


@pytest.mark.parametrize("path", ["/api/v2/instance", "/api/v2/instance/"])
def test_v2_instance(client: Client, path: str) -> None:
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 200
    instance = response.json()
    assert instance["api_versions"] == {"mastodon": 2}
    assert instance["domain"] == "testserver"
    assert instance["registrations"]["enabled"] is True
    assert instance["configuration"]["statuses"]["max_characters"] == 500
