"""The demo's audit stage: a logged draw of decisions, blind second reviews answered by
moderators who took no part in them, and a published impartiality audit run."""

import json

import pytest

from demo.conftest import LoadedDemo
from townsquare.app import Services
from townsquare.audits import read_audit_json
from townsquare.demo import DemoWorld, Stage
from townsquare.ledger import decode_entry
from townsquare.storage import tables

Loaded = tuple[DemoWorld, list[tuple[Stage, int, int]]]


@pytest.fixture
def services(shared_demo: LoadedDemo) -> Services:
    """These tests only read the world: they share the process's loaded demo."""
    return shared_demo.services


@pytest.fixture
def loaded(shared_demo: LoadedDemo) -> Loaded:
    return shared_demo.world, list(shared_demo.progress)


def _entry_types(services: Services) -> list[str]:
    with services.db.read() as conn:
        rows = conn.execute(tables.ledger_entries.select().order_by(tables.ledger_entries.c.idx))
        return [decode_entry(row.entry).type for row in rows]


def test_the_drawn_decisions_are_reviewed_blind_by_someone_else(
    services: Services, loaded: Loaded
) -> None:
    world, progress = loaded
    completed = services.moderation.second_reviews.completed()
    assert len(completed) == world.audit.reviewed > 0
    assert world.audit.disagreed == sum(r.second != r.original for r in completed)
    assert 0 < world.audit.disagreed < world.audit.reviewed
    with services.db.read() as conn:
        deciders = dict(
            conn.execute(
                tables.moderation_actions.select().with_only_columns(
                    tables.moderation_actions.c.id, tables.moderation_actions.c.actor_id
                )
            ).all()
        )
        reviewers = dict(
            conn.execute(
                tables.second_reviews.select().with_only_columns(
                    tables.second_reviews.c.action_id, tables.second_reviews.c.reviewer_id
                )
            ).all()
        )
    assert all(reviewers[r.action_id] != deciders[r.action_id] for r in completed)
    assert _entry_types(services).count("audit.review_draw") == 1
    stages = list(dict.fromkeys(stage for stage, _, _ in progress))
    assert stages[-2:] == [Stage.AUDIT, Stage.RULES]  # the rules' stories come after the audit


def test_an_audit_run_is_published_with_the_reviews_and_in_the_ledger(
    services: Services, loaded: Loaded
) -> None:
    world, _ = loaded
    [run] = services.audits.published()
    assert run.ledger_index is not None
    assert _entry_types(services)[run.ledger_index] == "audit.impartiality"
    audit = read_audit_json(run.document)
    metrics = [comparison.metric.value for comparison in audit.comparisons]
    assert "blind_review_disagreement" in metrics
    assert "slower_than_median_decision_share" in metrics
    assert json.loads(run.document)["alert"] == run.alert
    assert len(run.alert_indexes) == world.audit.alerts
