"""The schedule's tick: a run only when one is due, none while another server scores."""

from datetime import timedelta

from sqlalchemy import insert

from conftest import AccountFactory, PostFactory
from notes.factories_runs import rate, two_camps
from townsquare.app import Services
from townsquare.notes import RunState, ScoringSchedule
from townsquare.storage.tables import note_scoring_runs


def test_a_tick_runs_when_ratings_changed_and_skips_otherwise(
    services: Services, make_account: AccountFactory, make_post: PostFactory
) -> None:
    schedule = ScoringSchedule(services.scoring_runs, period=3600)
    assert schedule.step() is None  # nothing rated yet
    world = two_camps(services, make_account, make_post)
    first = schedule.step()
    assert first is not None
    assert first.state == RunState.APPLIED
    assert schedule.step() is None
    later = services.microblog.context.clock.now() + timedelta(seconds=1)
    rate(services, world.left, make_account("late"), "HELPFUL", at=later)
    assert schedule.step() is not None


def test_a_tick_skips_while_another_server_holds_the_lease(
    services: Services, make_account: AccountFactory, make_post: PostFactory
) -> None:
    two_camps(services, make_account, make_post)
    now = services.microblog.context.clock.now()
    with services.db.write() as conn:
        conn.execute(
            insert(note_scoring_runs),
            {"id": 1, "started_at": now, "state": "running", "scorer_version": "x"},
        )
    assert ScoringSchedule(services.scoring_runs, period=3600).step() is None
