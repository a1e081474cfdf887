"""The demo's audit stage: a logged draw of decisions, blind second reviews answered by
moderators who took no part in them, and a published impartiality audit run."""

import json

import pytest

from townsquare.app import Services
from townsquare.audits import read_audit_json
from townsquare.demo import DemoModeration, DemoWorld, Stage, load_demo_world
from townsquare.ledger import decode_entry
from townsquare.storage import tables

SEED, ACCOUNTS, POSTS = 7, 40, 400

Loaded = tuple[DemoWorld, list[tuple[Stage, int, int]]]


@pytest.fixture
def loaded(services: Services) -> Loaded:
    seen: list[tuple[Stage, int, int]] = []
    world = load_demo_world(
        services.microblog,
        seed=SEED,
        accounts=ACCOUNTS,
        posts=POSTS,
        progress=lambda stage, done, total: seen.append((stage, done, total)),
        moderation=DemoModeration(services.ledger, services.policies),
    )
    return world, seen


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
    stages = [stage for stage, _, _ in progress]
    assert stages[-1] == Stage.AUDIT


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
