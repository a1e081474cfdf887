"""Each rule version's numbers equal a count over `townsquare ledger dump`, made here by hand
from its JSON lines: the ledger alone is enough to recompute them."""

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from typer.testing import CliRunner

from cli.environment import cli_environment
from moderation.rules.ledger_entries import appeal, decision, detection, rule_version
from townsquare.app import Services
from townsquare.cli import app
from townsquare.moderation.rules import DetectionOutcome, Verdict, read_rule_log, rule_review_entry
from townsquare.settings import Settings

runner = CliRunner()
AT = datetime(2026, 12, 5, 13, 0, tzinfo=UTC)


def _log(services: Services) -> None:
    entries = [
        rule_version("link-spam", 1),
        rule_version("malicious-links", 1),
        detection(1, "link-spam@1", DetectionOutcome.CASE, case_id=50),
        detection(2, "link-spam@1", DetectionOutcome.CASE, case_id=51),
        detection(3, "malicious-links@1", DetectionOutcome.ACTION, action_id=10),
        detection(4, "malicious-links@1", DetectionOutcome.CASE_IN_ELECTION_WINDOW, case_id=52),
        decision(10, "remove", "malicious-links@1"),
        decision(11, "limit", "link-spam@1"),
        decision(12, "no_action", "link-spam@1"),
        decision(13, "remove", None),
        appeal(20, 10, "reversed"),
        appeal(21, 11, "upheld"),
        appeal(22, 13, "reversed"),
        rule_review_entry(1, "link-spam@1", Verdict.VIOLATES, AT),
        rule_review_entry(2, "link-spam@1", Verdict.DOES_NOT_VIOLATE, AT),
        rule_review_entry(3, "malicious-links@1", Verdict.VIOLATES, AT),
    ]
    with services.db.write() as conn:
        services.ledger.append_many(conn, entries)
    while services.ledger.integrate() is not None:
        pass


def _count(lines: list[dict[str, Any]]) -> dict[str, Counter[str]]:
    """The interface's definitions, applied to the dumped entries one by one."""
    counts: dict[str, Counter[str]] = {}
    entries = [line["entry"] for line in lines]
    actions = {
        e["action_id"]: e["rule"]
        for e in entries
        if e["type"] == "moderation.decision"
        and e.get("rule")
        and e["action"] not in ("no_action", "restore")
    }
    for e in entries:
        if e["type"] == "rule.version":
            counts.setdefault(f"{e['rule']}@{e['version']}", Counter())
        elif e["type"] == "rule.detection":
            counts.setdefault(e["rule"], Counter())["hits"] += 1
            opened = e["outcome"] in ("case", "case_in_election_window")
            counts[e["rule"]]["cases_opened"] += opened
        elif e["type"] == "moderation.decision" and e["action_id"] in actions:
            counts[e["rule"]]["actions_taken"] += 1
        elif e["type"] == "moderation.appeal" and e["action_id"] in actions:
            counts[actions[e["action_id"]]]["appeals"] += 1
            counts[actions[e["action_id"]]]["reversals"] += e["outcome"] == "reversed"
        elif e["type"] == "rule.review":
            counts[e["rule"]]["reviewed"] += 1
            counts[e["rule"]]["violating"] += e["verdict"] == "violates"
    return counts


def test_the_numbers_equal_a_count_over_the_dump(services: Services, settings: Settings) -> None:
    _log(services)

    result = runner.invoke(app, ["ledger", "dump"], env=cli_environment(settings))

    assert result.exit_code == 0, result.output
    by_hand = _count([json.loads(line) for line in result.stdout.splitlines()])
    statistics = read_rule_log(services.ledger.entries(0, services.ledger.size())).statistics
    assert set(statistics) == set(by_hand) == {"link-spam@1", "malicious-links@1"}
    for rule, counted in statistics.items():
        assert {
            "hits": counted.hits,
            "cases_opened": counted.cases_opened,
            "actions_taken": counted.actions_taken,
            "appeals": counted.appeals,
            "reversals": counted.reversals,
            "reviewed": counted.precision.reviewed,
            "violating": counted.precision.violating,
        } == {
            name: by_hand[rule][name]
            for name in (
                "hits",
                "cases_opened",
                "actions_taken",
                "appeals",
                "reversals",
                "reviewed",
                "violating",
            )
        }
    assert statistics["malicious-links@1"].reversals == 1
