"""The demo's moderation stage: cases reported, decided and appealed through the services."""

from datetime import datetime

import pytest
from sqlalchemy import func, select

from demo.conftest import ACCOUNTS, POSTS, SEED, LoadedDemo
from townsquare.app import Services
from townsquare.demo import DemoWorld, Stage, plan_moderation, plan_world
from townsquare.demo._moderation_plan import MODERATION_ENDS_AT, PostRef
from townsquare.demo._plan import ACTIVITY_ENDS_AT
from townsquare.ledger import decode_entry
from townsquare.moderation import (
    ActionKind,
    ProjectionDifference,
    default_policy_directory,
    load_policies,
)
from townsquare.storage import tables


@pytest.fixture
def services(shared_demo: LoadedDemo) -> Services:
    """The tests on a loaded world only read it: they share the process's loaded demo."""
    return shared_demo.services


@pytest.fixture
def world(shared_demo: LoadedDemo) -> DemoWorld:
    return shared_demo.world


def _actions(services: Services) -> list[tuple[str, str, datetime]]:
    table = tables.moderation_actions
    with services.db.read() as conn:
        rows = conn.execute(select(table.c.kind, table.c.clause, table.c.created_at)).all()
    return [(r.kind, r.clause, r.created_at) for r in rows]


def test_every_action_kind_is_decided_under_a_clause_allowing_it(
    services: Services, world: DemoWorld
) -> None:
    actions = _actions(services)
    assert {ActionKind(kind) for kind, _, _ in actions} == set(ActionKind)
    for kind, clause, _ in actions:
        allowed = services.policies.clause(clause).allowed_actions
        assert ActionKind(kind) in allowed | {ActionKind.RESTORE, ActionKind.NO_ACTION}
    assert len(actions) == world.moderation.decisions + world.rules.decisions
    assert world.moderation.decisions >= 50
    # The moderation stage's decisions fall in its weeks; the rules stage's come after them.
    naive = (ACTIVITY_ENDS_AT.replace(tzinfo=None), MODERATION_ENDS_AT.replace(tzinfo=None))
    times = sorted(at.replace(tzinfo=None) for _, _, at in actions)
    staged = world.moderation.decisions
    assert all(naive[0] <= at <= naive[1] for at in times[:staged])
    assert all(at > naive[1] for at in times[staged:])


def test_appeals_are_both_upheld_and_reversed_by_another_moderator(
    services: Services, world: DemoWorld
) -> None:
    appeals, actions = tables.moderation_appeals, tables.moderation_actions
    query = select(appeals.c.state, appeals.c.reviewer_id, actions.c.actor_id).join(
        actions, actions.c.id == appeals.c.action_id
    )
    with services.db.read() as conn:
        rows = conn.execute(query).all()
    assert {r.state for r in rows} == {"upheld", "reversed"}
    assert all(r.reviewer_id != r.actor_id for r in rows)
    assert len(rows) == world.moderation.appeals + world.rules.appeals
    assert sum(r.state == "reversed" for r in rows) == world.moderation.reversed + 1
    assert world.rules.reversed == 1  # the rules stage's false positive


def test_the_projection_replays_and_the_ledger_holds_every_entry(
    services: Services, world: DemoWorld
) -> None:
    difference = services.moderation.check_projection()
    assert difference == ProjectionDifference(difference.decisions, frozenset(), frozenset())
    with services.db.read() as conn:
        policies = conn.scalar(select(func.count()).select_from(tables.policy_versions)) or 0
        pending = conn.scalar(select(func.count()).select_from(tables.ledger_pending)) or 0
    assert pending == 0
    window = 1  # the election window's declaration
    requests = world.moderation.requests + 4  # each logged; all but one answered or withdrawn
    expected = world.moderation.decisions + world.moderation.appeals + policies + window
    # The notes stage's first scoring run: held, released, and a status entry per decided note.
    notes = 2 + world.notes.helpful + world.notes.not_helpful
    # The audit stage: the logged draw of second reviews, the published run and its alerts.
    audit = 2 + world.audit.alerts
    # The rules stage: each rule version recorded, each detection, each decision enforced,
    # the appeal, the logged draw of detections and each blind answer.
    rules = world.rules
    versions = sum(len(services.rules.history(r)) for r in services.rules.histories)
    automated = versions + rules.detections + rules.decisions + rules.appeals
    automated += 1 + rules.reviewed
    assert services.ledger.size() == expected + requests + notes + audit + automated


def test_outside_requests_cover_every_outcome_and_one_stays_sealed(
    services: Services, world: DemoWorld
) -> None:
    published = services.moderation.requests.published_all()
    assert len(published) == world.moderation.requests == 5
    outcomes = {p.request.answer.outcome.value for p in published if p.request and p.request.answer}
    assert outcomes == {"partially_complied", "declined", "withdrawn"}
    (sealed,) = [p for p in published if p.sealed]
    assert sealed.answered_at is not None  # answered, the answer sealed too
    assert [p.state.value for p in published if not p.sealed].count("received") == 1


def test_the_election_window_governs_cases_decided_by_two_moderators(
    services: Services, world: DemoWorld
) -> None:
    [window] = services.moderation.elections.all()
    flagged = services.moderation.elections.flagged_decisions(window.id)
    assert len(flagged) >= 3
    proposals, actions = tables.moderation_proposals, tables.moderation_actions
    query = select(proposals.c.state, proposals.c.proposer_id, proposals.c.decided_by).where(
        proposals.c.window_id == window.id
    )
    with services.db.read() as conn:
        rows = conn.execute(query).all()
        inside = conn.execute(
            select(actions.c.kind, actions.c.clause, actions.c.entry).where(
                actions.c.created_at >= window.starts_at, actions.c.created_at < window.ends_at
            )
        ).all()
    assert {r.state for r in rows} == {"approved", "rejected"}
    assert all(r.decided_by != r.proposer_id for r in rows)
    one_moderator = {"no_action", "restore"}
    civic = [
        r for r in inside if r.clause.startswith("civic-integrity/") and r.kind not in one_moderator
    ]
    assert civic, "the window should see election decisions"
    assert all(decode_entry(r.entry).fields["election_window"] == str(window.id) for r in civic)


def test_the_plan_is_the_same_for_the_same_seed() -> None:
    policies = load_policies(default_policy_directory())
    world = plan_world(SEED, accounts=ACCOUNTS, posts=POSTS)
    first, again = plan_moderation(world, policies, SEED), plan_moderation(world, policies, SEED)
    assert first == again
    assert plan_moderation(world, policies, SEED + 1) != first


def test_the_plan_is_balanced_between_the_camps() -> None:
    policies = load_policies(default_policy_directory())
    world = plan_world(SEED, accounts=ACCOUNTS, posts=POSTS)
    plan = plan_moderation(world, policies, SEED)
    camps = [
        world.cast[world.posts[c.target.index].author].camp
        for c in plan.cases
        if isinstance(c.target, PostRef) and not c.target.incident
    ]
    counts = {camp: camps.count(camp) for camp in set(camps)}
    assert len(counts) == 3
    assert max(counts.values()) - min(counts.values()) <= 3


def test_the_stage_reports_its_progress(shared_demo: LoadedDemo) -> None:
    seen = shared_demo.progress
    moderation = [(done, total) for stage, done, total in seen if stage == Stage.MODERATION]
    assert moderation[0][0] == 0
    assert moderation[-1][0] == moderation[-1][1] > 0
