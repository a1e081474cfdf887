"""The policy set over the API: public, in the OpenAPI schema, every version with its hash."""

from api.conftest import Client, UserFactory
from townsquare.app import Services


def test_the_list_has_every_policy_with_its_current_clauses(
    client: Client, services: Services
) -> None:
    response = client.get("/api/v1/townsquare/policies")
    assert response.status_code == 200
    policies = response.json()
    assert [p["id"] for p in policies] == sorted(services.policies.policies)
    civic = next(p for p in policies if p["id"] == "civic-integrity")
    assert civic["title"] == {"en": "Civic integrity", "fr": "Intégrité civique"}
    first = civic["clauses"][0]
    clause = services.policies.clause("civic-integrity/1")
    assert first == {
        "id": "civic-integrity/1",
        "ref": "civic-integrity/1@2",
        "policy": "civic-integrity",
        "number": 1,
        "version": 2,
        "title": dict(clause.title),
        "text": dict(clause.text),
        "ground": "DSA_GROUND_INCOMPATIBLE_CONTENT",
        "dsa_category": "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
        "dsa_keywords": ["KEYWORD_MISINFORMATION_DISINFORMATION"],
        "allowed_actions": [
            "label",
            "interstitial",
            "reduce_reach",
            "remove",
            "restore",
            "no_action",
        ],
        "content_hash": clause.content_hash,
    }


def test_one_policy_has_every_version_of_each_clause(client: Client, services: Services) -> None:
    policy = client.get("/api/v1/townsquare/policies/civic-integrity").json()
    first = policy["clauses"][0]
    assert (first["id"], first["number"], first["current_version"]) == ("civic-integrity/1", 1, 2)
    assert [v["ref"] for v in first["versions"]] == ["civic-integrity/1@1", "civic-integrity/1@2"]
    assert first["versions"][0]["content_hash"] == (
        services.policies.clause("civic-integrity/1@1").content_hash
    )


def test_an_unknown_policy_is_a_404_problem(client: Client) -> None:
    response = client.get("/api/v1/townsquare/policies/nope")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "civic-integrity" in response.json()["detail"]


def test_the_routes_are_public_for_members_too(client: Client, make_user: UserFactory) -> None:
    member = make_user()
    response = client.get("/api/v1/townsquare/policies/harassment", headers=member.headers)
    assert response.status_code == 200


def test_the_routes_are_in_the_openapi_schema(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "get" in paths["/api/v1/townsquare/policies"]
    assert "get" in paths["/api/v1/townsquare/policies/{policy_id}"]
