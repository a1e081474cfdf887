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


def test_the_rules_are_the_policies_in_english_and_french(client: Client) -> None:
    policies = client.get("/api/v1/townsquare/policies").json()
    rules = client.get("/api/v1/instance/rules").json()
    instance = client.get("/api/v2/instance").json()

    assert [r["id"] for r in rules] == [p["id"] for p in policies]
    assert rules[0]["text"] == policies[0]["title"]["en"]
    assert rules[0]["hint"] == policies[0]["summary"]["en"]
    assert rules[0]["translations"]["fr"]["text"] == policies[0]["title"]["fr"]
    assert instance["rules"] == rules


def test_what_apps_read_at_start_up(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")

    preferences = client.get("/api/v1/preferences", headers=alice.headers)

    assert client.get("/api/v1/custom_emojis").json() == []
    assert client.get("/api/v1/announcements", headers=alice.headers).json() == []
    assert client.get("/api/v1/announcements").status_code == 401
    assert preferences.json()["posting:default:visibility"] == "public"
    assert client.get("/api/v1/preferences").status_code == 401
