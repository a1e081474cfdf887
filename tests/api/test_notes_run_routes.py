"""The notes shown, and the review of a held scoring run, over the API (per role)."""

import pytest

from api.conftest import Client, RoleUser, UserFactory
from conftest import AccountFactory, PostFactory
from notes.factories_runs import TwoCamps, two_camps
from townsquare.app import Services
from townsquare.microblog import Role
from townsquare.notes import DriftGuard, ScoringRuns


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


def test_the_shown_notes_are_public(client: Client, services: Services, world: TwoCamps) -> None:
    assert client.get("/api/v1/townsquare/notes/shown").json() == {"notes": []}
    services.scoring_runs.run()
    shown = client.get("/api/v1/townsquare/notes/shown").json()["notes"]
    assert shown == [
        {
            "note_id": str(world.bridging),
            "post_id": str(world.post_id),
            "status": "CURRENTLY_RATED_HELPFUL",
        }
    ]


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN])
def test_a_moderator_or_admin_lists_and_releases_a_held_run(
    client: Client, services: Services, world: TwoCamps, make_staff: RoleUser, role: Role
) -> None:
    run_id = held_run(services)
    reviewer = make_staff("reviewer", role)
    (listed,) = client.get("/api/v1/townsquare/notes/runs/held", headers=reviewer.headers).json()
    assert (listed["id"], listed["changes"]) == (str(run_id), 2)
    assert "more than 10%" in listed["reason"]
    released = client.post(
        f"/api/v1/townsquare/notes/runs/{run_id}/release", headers=reviewer.headers
    )
    assert released.status_code == 200, released.text
    assert released.json()["state"] == "released"
    assert len(client.get("/api/v1/townsquare/notes/shown").json()["notes"]) == 1
    again = client.post(f"/api/v1/townsquare/notes/runs/{run_id}/discard", headers=reviewer.headers)
    assert again.status_code == 409
    assert "not held for review" in again.text


def test_a_member_may_not_review_and_a_visitor_must_sign_in(
    client: Client, services: Services, world: TwoCamps, make_user: UserFactory
) -> None:
    run_id = held_run(services)
    member = make_user("member")
    for path in (f"runs/{run_id}/release", f"runs/{run_id}/discard"):
        refused = client.post(f"/api/v1/townsquare/notes/{path}", headers=member.headers)
        assert refused.status_code == 403
        assert "expected a moderator or admin" in refused.text
        assert client.post(f"/api/v1/townsquare/notes/{path}").status_code == 401
    listing = client.get("/api/v1/townsquare/notes/runs/held", headers=member.headers)
    assert listing.status_code == 403
    assert services.scoring_runs.held() == [run_id]


def test_an_unknown_run_is_a_404_and_a_bad_id_a_4xx(client: Client, make_staff: RoleUser) -> None:
    moderator = make_staff("reviewer", Role.MODERATOR)
    missing = client.post("/api/v1/townsquare/notes/runs/42/release", headers=moderator.headers)
    assert missing.status_code == 404
    bad = client.post("/api/v1/townsquare/notes/runs/x/release", headers=moderator.headers)
    assert 400 <= bad.status_code < 500
