"""The demo's automated-rules stage: each rule's published numbers are what a plain count over
the ledger gives, and each story is there — the link-spam ring removed by the rule as an
automated decision, the campaign decided with its copies in one step, the false positive
appealed and reversed, and a blind review giving a rule its precision."""

from collections import Counter
from collections.abc import Mapping

import pytest
from litestar.testing import TestClient
from sqlalchemy import select

from demo.conftest import SEED, LoadedDemo
from townsquare.app import Services, create_app
from townsquare.demo import DemoWorld, Stage, plan_moderation, plan_rules, plan_world
from townsquare.ledger import JSON, Entry, decode_entry
from townsquare.moderation import default_policy_directory, load_policies
from townsquare.moderation.rules import RuleVersionStatistics
from townsquare.storage import tables

# Decision actions that take nothing away: they count as no rule action.
NOT_AGAINST = {"no_action", "restore"}


@pytest.fixture
def services(shared_demo: LoadedDemo) -> Services:
    """These tests only read the world: they share the process's loaded demo."""
    return shared_demo.services


@pytest.fixture
def world(shared_demo: LoadedDemo) -> DemoWorld:
    return shared_demo.world


def _entries(services: Services) -> list[Entry]:
    services.ledger.integrate()
    return [decode_entry(data) for data in services.ledger.entries(0, services.ledger.size())]


def _decisions(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.type == "moderation.decision"]


def _by_rule(entries: list[Entry], rule: str) -> list[Entry]:
    return [e for e in _decisions(entries) if e.fields["rule"] == rule]


def _inner(value: JSON, key: str) -> str:
    """`value[key]` as text, where `value` is an entry's object field."""
    assert isinstance(value, Mapping)
    return str(value[key])


def _naive_numbers(entries: list[Entry]) -> dict[str, tuple[int, int, int, int, int, int, int]]:
    """Each rule version's (hits, cases, actions, appeals, reversals, reviewed, violating),
    counted the plain way: one pass per number."""
    rules = {str(e.fields["rule"]) for e in entries if e.type == "rule.detection"}
    rules |= {
        f"{e.fields['rule']}@{e.fields['version']}" for e in entries if e.type == "rule.version"
    }
    acted = {
        str(e.fields["action_id"]): str(e.fields["rule"])
        for e in _decisions(entries)
        if e.fields["rule"] and e.fields["action"] not in NOT_AGAINST
    }
    appeals = [e for e in entries if e.type == "moderation.appeal"]
    reviews = [e for e in entries if e.type == "rule.review"]
    numbers = {}
    for rule in rules:
        detections = [e for e in entries if e.type == "rule.detection" and e.fields["rule"] == rule]
        on_rule = [a for a in appeals if acted.get(str(a.fields["action_id"])) == rule]
        reviewed = [r for r in reviews if r.fields["rule"] == rule]
        numbers[rule] = (
            len(detections),
            sum(1 for d in detections if d.fields["outcome"] != "action"),
            sum(1 for r in acted.values() if r == rule),
            len(on_rule),
            sum(1 for a in on_rule if a.fields["outcome"] == "reversed"),
            len(reviewed),
            sum(1 for r in reviewed if r.fields["verdict"] == "violates"),
        )
    return numbers


def _published(statistics: RuleVersionStatistics) -> tuple[int, int, int, int, int, int, int]:
    s = statistics
    return (
        s.hits,
        s.cases_opened,
        s.actions_taken,
        s.appeals,
        s.reversals,
        s.precision.reviewed,
        s.precision.violating,
    )


def test_each_rules_published_numbers_are_a_count_over_the_ledger(services: Services) -> None:
    published = services.rule_log.read().statistics
    counted = _naive_numbers(_entries(services))
    assert {rule: _published(s) for rule, s in published.items()} == counted
    hits, cases, actions, appeals, reversals, reviewed, _ = counted["malicious-links@1"]
    assert hits == actions >= 19
    assert cases == 0
    assert (appeals, reversals) == (1, 1)
    assert reviewed > 0
    assert counted["link-spam@1"][:3] == (3, 3, 3)  # a case per ring account, each limited
    copied = counted["copied-text@1"]
    assert copied[1] >= 10  # a case per identical copy, both campaigns


def test_the_rules_page_and_api_show_the_same_numbers(services: Services) -> None:
    published = services.rule_log.read().statistics["malicious-links@1"]
    with TestClient(app=create_app(services)) as client:
        answer = client.get("/api/v1/townsquare/rules/malicious-links")
        page = client.get("/rules", headers={"Accept-Language": "fr"})
    assert answer.status_code == 200
    [version] = [v for v in answer.json()["versions"] if v["version"] == 1]
    numbers = version["statistics"]
    assert (numbers["hits"], numbers["actions_taken"], numbers["reversals"]) == (
        published.hits,
        published.actions_taken,
        1,
    )
    assert numbers["precision"]["low"] is not None
    assert numbers["precision"]["high"] is not None
    assert "Précision" in page.text


def test_the_ring_is_removed_by_the_rule_as_automated_decisions(
    services: Services, world: DemoWorld
) -> None:
    removals = _by_rule(_entries(services), "malicious-links@1")
    assert len(removals) == world.rules.removed
    for entry in removals:
        assert entry.fields["action"] == "remove"
        assert entry.fields["automated_detection"] == "Yes"
        assert entry.fields["automated_decision"] == "AUTOMATED_DECISION_FULLY"
        assert entry.fields["clause"] == "spam-and-platform-manipulation/3@1"
    ring = {"colis_suivi_express", "account_check_desk", "cadeaux_crypto_now"}
    authors = Counter(
        services.microblog.accounts.get(int(str(entry.fields["account_id"]))).username
        for entry in removals
    )
    assert {handle: authors[handle] for handle in ring} == dict.fromkeys(ring, 6)
    limits = _by_rule(_entries(services), "link-spam@1")
    assert [str(e.fields["action"]) for e in limits] == ["limit"] * 3
    assert all(e.fields["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED" for e in limits)


def test_the_campaign_is_decided_with_its_copies_in_one_step(
    services: Services, world: DemoWorld
) -> None:
    decisions = _by_rule(_entries(services), "copied-text@1")
    originals = [e for e in decisions if e.fields["copy_of"] is None]
    copies = [e for e in decisions if e.fields["copy_of"] is not None]
    [original] = originals
    assert len(copies) == world.rules.copies == 10
    assert {_inner(c.fields["copy_of"], "action_id") for c in copies} == {
        str(original.fields["action_id"])
    }
    assert {e.fields["action"] for e in decisions} == {"reduce_reach"}
    covered = services.moderation.copies_covered(int(str(original.fields["action_id"])))
    assert len(covered) == 10
    case_id = original.fields["case_id"]
    with TestClient(app=create_app(services)) as client:
        english = client.get(f"/cases/{case_id}").text
        french = client.get(f"/cases/{case_id}", headers={"Accept-Language": "fr"}).text
    assert "This decision covered 10 copies of the post" in english
    assert "10 copies" in french


def test_the_second_campaign_waits_in_the_queue_with_its_copies(services: Services) -> None:
    plan = plan_world(SEED, accounts=40, posts=400)
    rules = plan_rules(plan, plan_moderation(plan, services.policies, SEED), SEED)
    waiting = rules.campaigns[1]
    assert waiting.moderator is None
    decided = _by_rule(_entries(services), "copied-text@1")
    assert all("Brightwave" not in str(e.fields["decision_facts"]) for e in decided)


def test_the_false_positive_is_appealed_reversed_and_shown_again(services: Services) -> None:
    entries = _entries(services)
    removals = {str(e.fields["action_id"]): e for e in _by_rule(entries, "malicious-links@1")}
    [appeal] = [
        e for e in entries if e.type == "moderation.appeal" and e.fields["action_id"] in removals
    ]
    assert appeal.fields["outcome"] == "reversed"
    removed = removals[str(appeal.fields["action_id"])]
    post_id = int(_inner(removed.fields["target"], "id"))
    [restore] = [
        e
        for e in _decisions(entries)
        if e.fields["action"] == "restore" and e.fields["restores"] == removed.fields["action_id"]
    ]
    assert restore.fields["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED"
    restrictions = tables.moderation_restrictions
    with services.db.read() as conn:
        text = conn.scalar(select(tables.posts.c.text).where(tables.posts.c.id == post_id))
        kept = conn.scalars(
            select(restrictions.c.kind).where(restrictions.c.post_id == post_id)
        ).all()
    assert "arnaque" in str(text)
    assert kept == []  # restored: nothing hides it any more


def test_the_rules_stage_comes_last_and_is_reported(shared_demo: LoadedDemo) -> None:
    stages = [stage for stage, _, _ in shared_demo.progress]
    assert stages[-1] == Stage.RULES
    assert shared_demo.world.rules.reviewed > 0
    assert shared_demo.world.rules.reversed == 1


def test_the_rules_plan_is_the_same_for_the_same_seed() -> None:
    policies = load_policies(default_policy_directory())
    plans = []
    for _ in range(2):
        plan = plan_world(SEED, accounts=40, posts=400)
        plans.append(plan_rules(plan, plan_moderation(plan, policies, SEED), SEED))
    assert plans[0] == plans[1]
    other = plan_world(SEED + 1, accounts=40, posts=400)
    assert plan_rules(other, plan_moderation(other, policies, SEED + 1), SEED + 1) != plans[0]
