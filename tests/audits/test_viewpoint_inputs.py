"""Viewpoint groups read from a server's own follows and notes ratings."""

from conftest import AccountFactory, PostFactory
from notes.factories_runs import two_camps
from townsquare.app import Services
from townsquare.audits._viewpoint_inputs import read_viewpoints
from townsquare.audits._viewpoints import Viewpoint


def test_two_camps_that_rate_notes_apart_and_follow_their_own_land_in_opposite_groups(
    services: Services, make_account: AccountFactory, make_post: PostFactory
) -> None:
    world = two_camps(services, make_account, make_post, per_camp=12)
    camps = (world.left_camp, world.right_camp)
    for camp, other in (camps, camps[::-1]):
        for k, follower in enumerate(camp):
            for followed in [*camp[:6], other[k % 3]]:
                if follower.id != followed.id:
                    services.microblog.graph.follow(follower.id, followed.id)
    services.scoring_runs.run()

    with services.db.read() as conn:
        groups = read_viewpoints(conn).group_of()

    left = {groups[a.id] for a in world.left_camp}
    right = {groups[a.id] for a in world.right_camp}
    assert len(left) == 1
    assert len(right) == 1
    assert left | right == {Viewpoint.A, Viewpoint.B}
    writers = [a for a in groups if a not in {m.id for m in world.left_camp + world.right_camp}]
    assert writers
    assert all(groups[a] is Viewpoint.NEITHER for a in writers)
