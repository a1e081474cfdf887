"""The automated rules over the API: public, in the OpenAPI schema, every version with its
hash, its ledger entry and the numbers counted from the ledger."""

from datetime import UTC, datetime

from api.conftest import Client
from moderation.rules.ledger_entries import appeal, decision, detection
from townsquare.app import Services
from townsquare.moderation.rules import (
    DetectionOutcome,
    Verdict,
    record_rules,
    rule_log,
    rule_review_entry,
)

AT = datetime(2026, 12, 5, 13, 0, tzinfo=UTC)


def _record(services: Services) -> None:
    with services.db.write() as conn:
        record_rules(conn, services.ledger, services.rules, AT)
        services.ledger.append_many(
            conn,
            [
                detection(1, "malicious-links@1", DetectionOutcome.ACTION, action_id=10),
                detection(2, "malicious-links@1", DetectionOutcome.CASE_IN_ELECTION_WINDOW),
                decision(10, "remove", "malicious-links@1"),
                appeal(20, 10, "reversed"),
                rule_review_entry(1, "malicious-links@1", Verdict.VIOLATES, AT),
            ],
        )
    while services.ledger.integrate() is not None:
        pass


def test_the_list_has_every_rule_with_its_numbers(client: Client, services: Services) -> None:
    _record(services)

    rules = client.get("/api/v1/townsquare/rules").json()

    assert [r["id"] for r in rules] == sorted(services.rules.histories)
    links = next(r for r in rules if r["id"] == "malicious-links")
    current = links["current"]
    assert current["ref"] == "malicious-links@1"
    assert current["content_hash"] == services.rules.rule("malicious-links@1").content_hash
    assert current["effect"] == "act"
    assert current["ledger_index"] == rule_log(services.ledger).version_entries[current["ref"]]
    statistics = current["statistics"]
    assert {k: v for k, v in statistics.items() if k != "precision"} == {
        "hits": 2,
        "cases_opened": 1,
        "actions_taken": 1,
        "appeals": 1,
        "reversals": 1,
    }
    precision = statistics["precision"]
    assert (precision["reviewed"], precision["violating"], precision["estimate"]) == (1, 1, 1.0)
    assert round(precision["low"], 4) == 0.2065
    assert precision["high"] == 1.0


def test_a_version_never_reviewed_says_so_with_nulls(client: Client) -> None:
    rule = client.get("/api/v1/townsquare/rules/link-spam").json()
    precision = rule["versions"][0]["statistics"]["precision"]
    assert precision == {"reviewed": 0, "violating": 0, "estimate": None, "low": None, "high": None}
    assert rule["versions"][0]["ledger_index"] is None  # not recorded yet


def test_an_unknown_rule_is_a_404_problem(client: Client) -> None:
    response = client.get("/api/v1/townsquare/rules/nope")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "link-spam" in response.json()["detail"]


def test_the_routes_are_in_the_openapi_schema(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "get" in paths["/api/v1/townsquare/rules"]
    assert "get" in paths["/api/v1/townsquare/rules/{rule_id}"]
