"""Audit services over a dataset built from counts (`factories`), for the publication tests
and pages: one whose comparable posts alert, one that does not alert; and a server world
whose own audit alerts, for the command line and the ledger verifier."""

from dataclasses import replace

from audits.factories import biased_dataset, simpson_dataset
from conftest import AccountFactory, PostFactory
from notes.factories_runs import two_camps
from townsquare.app import Services
from townsquare.audits import AuditDataset, ImpartialityAudits
from townsquare.kernel import Clock, SystemClock
from townsquare.microblog import Role
from townsquare.moderation import ActionKind, Decision, PostTarget

SPAM = "spam-and-platform-manipulation/1@1"


def audits_over(
    services: Services, dataset: AuditDataset, clock: Clock | None = None
) -> ImpartialityAudits:
    """The audit service of `services`, auditing `dataset` instead of the server's data."""
    return ImpartialityAudits(
        services.db, services.ledger, clock or SystemClock(), dataset=lambda _conn: dataset
    )


def alerting(services: Services) -> Services:
    """`services` whose audit finds group A's comparable posts restricted twice as often."""
    return replace(services, audits=audits_over(services, biased_dataset()))


def quiet(services: Services) -> Services:
    """`services` whose audit finds no disparity between comparable posts."""
    return replace(services, audits=audits_over(services, simpson_dataset()))


def restricted_camp(
    services: Services, make_account: AccountFactory, make_post: PostFactory
) -> None:
    """Two camps the viewpoint inference tells apart (`two_camps`), each member writing four
    unreported posts; a moderator removes 12 of one camp's 40 posts and 2 of the other's, so
    the server's own audit alerts on comparable posts (a ratio of 6 or 1/6)."""
    world = two_camps(services, make_account, make_post, per_camp=10)
    services.scoring_runs.run()
    moderator = make_account("audited_mod", role=Role.MODERATOR)
    for camp, removed in ((world.left_camp, 12), (world.right_camp, 2)):
        posts = [
            make_post(member, f"Post {k} of @{member.username}.")
            for member in camp
            for k in range(4)
        ]
        for post in posts[:removed]:
            services.moderation.enforce(
                Decision(
                    actor_id=moderator.id,
                    action=ActionKind.REMOVE,
                    target=PostTarget(post.id),
                    clause=SPAM,
                    facts="The same link posted forty times.",
                )
            )
