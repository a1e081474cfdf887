"""The moderators' page of held scoring runs: release, discard, and who may see it."""

import pytest

from conftest import AccountFactory, PostFactory
from notes.factories_runs import TwoCamps, two_camps
from townsquare.app import Services
from townsquare.microblog import Role
from townsquare.notes import DriftGuard, ScoringRuns
from web.forms import WebClient, sign_in, submit

PAGE = "/moderation/notes/runs"


@pytest.fixture
def world(services: Services, make_account: AccountFactory, make_post: PostFactory) -> TwoCamps:
    return two_camps(services, make_account, make_post)


def held_run(services: Services) -> int:
    runs = ScoringRuns(
        services.db,
        services.ledger,
        services.scoring_runs._apply,
        clock=services.microblog.context.clock,
        ids=services.microblog.context.ids,
        guard=DriftGuard(max_share=0.1, min_changes=2),
    )
    return runs.run().run_id


def test_a_moderator_sees_a_held_run_and_releases_it(
    client: WebClient, services: Services, world: TwoCamps, make_account: AccountFactory
) -> None:
    run_id = held_run(services)
    make_account("reviewer", role=Role.MODERATOR)
    sign_in(client, "reviewer")
    listing = client.get(PAGE, headers={"Accept-Language": "en"}).text
    assert f'id="run-{run_id}"' in listing
    assert "more than 10%" in listing
    assert (
        "Calculs des notes retenus pour examen"
        in client.get(PAGE, headers={"Accept-Language": "fr"}).text
    )
    response = submit(client, f"{PAGE}/{run_id}/release")
    assert response.status_code == 303
    assert services.scoring_runs.held() == []
    assert "No scoring run is waiting for review." in client.get(PAGE).text
    assert "Readers added context" in client.get(f"/@poster/{world.post_id}").text


def test_an_admin_discards_a_held_run(
    client: WebClient, services: Services, world: TwoCamps, make_account: AccountFactory
) -> None:
    run_id = held_run(services)
    make_account("alice", role=Role.ADMIN)
    sign_in(client, "alice")
    assert submit(client, f"{PAGE}/{run_id}/discard").status_code == 303
    assert services.scoring_runs.held() == []
    assert "Readers added context" not in client.get(f"/@poster/{world.post_id}").text


def test_a_member_is_refused_and_a_visitor_is_asked_to_sign_in(
    client: WebClient, services: Services, world: TwoCamps
) -> None:
    run_id = held_run(services)
    anonymous = client.get(PAGE, follow_redirects=False)
    assert anonymous.status_code in (302, 303)
    sign_in(client, world.left_camp[0].username)
    assert client.get(PAGE).status_code == 403
    refused = submit(client, f"{PAGE}/{run_id}/release")
    assert refused.status_code == 403
    assert "expected a moderator or admin" in refused.text
    assert services.scoring_runs.held() == [run_id]
