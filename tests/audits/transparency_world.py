"""A small world for the transparency report, built through the real workflows on a fixed
clock: notices decided, an automated decision reversed on appeal, a court order from France,
a temporary suspension lifted without appeal, and a decision after the period.

Its period is the first half of 2026 (`PERIOD`); every number of its report is known in
advance and asserted by the tests.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from conftest import AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.audits import ReportPeriod
from townsquare.kernel import FixedClock
from townsquare.ledger import encode_entry, leaf_hash
from townsquare.microblog import Account, Role
from townsquare.moderation import (
    AccountTarget,
    ActionKind,
    AppealState,
    CaseDecision,
    Decision,
    Ground,
    PostTarget,
    ReportCategory,
    ReportDraft,
    RequestDraft,
    RequesterKind,
)
from townsquare.storage.tables import transparency_reports

PERIOD = ReportPeriod(date(2026, 1, 1), date(2026, 7, 1))
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
AFTER = datetime(2026, 7, 10, 9, 0, tzinfo=UTC)  # "now" once the world is built
HARASSMENT = "harassment/1@2"
SPAM = "spam-and-platform-manipulation/1@1"
SUSPENSION = "harassment/3@1"
ILLEGAL = "illegal-content/2@1"


@dataclass(frozen=True)
class World:
    author: Account
    reporter: Account
    moderator: Account
    reviewer: Account


def build_world(
    services: Services, clock: FixedClock, make_account: AccountFactory, make_post: PostFactory
) -> World:
    """Build the world at `T0` onwards; the clock ends at `AFTER`."""
    clock.advance(T0 - clock.now())
    world = World(
        author=make_account("alice"),
        reporter=make_account("bob"),
        moderator=make_account("mod", role=Role.MODERATOR),
        reviewer=make_account("rev", role=Role.MODERATOR),
    )
    posts = [make_post(world.author, f"post {n}") for n in range(5)]
    _reported(services, clock, world, posts[0].id, ActionKind.REMOVE, HARASSMENT, hours=2)
    clock.advance(timedelta(hours=1))
    _reported(services, clock, world, posts[1].id, ActionKind.NO_ACTION, SPAM, hours=4)
    _automated_then_reversed(services, clock, world, posts[2].id)
    _suspended_then_restored(services, clock, world)
    _court_order(services, clock, world, posts[3].id)
    clock.advance(AFTER - timedelta(days=5) - clock.now())
    _reported(services, clock, world, posts[4].id, ActionKind.REMOVE, HARASSMENT, hours=1)
    clock.advance(AFTER - clock.now())
    return world


def _reported(
    services: Services,
    clock: FixedClock,
    world: World,
    post_id: int,
    action: ActionKind,
    clause: str,
    *,
    hours: int,
) -> None:
    """A member's notice, decided `hours` later."""
    cases = services.moderation.cases
    category = ReportCategory.SPAM if clause == SPAM else ReportCategory.VIOLATION
    draft = ReportDraft(world.reporter.id, PostTarget(post_id), category, clause)
    case_id = cases.report(draft).case_id
    clock.advance(timedelta(hours=hours))
    cases.take(case_id, world.moderator.id)
    cases.decide(case_id, world.moderator.id, CaseDecision(action, clause, "Read the post."))


def _automated_then_reversed(
    services: Services, clock: FixedClock, world: World, post_id: int
) -> None:
    """An automated interstitial, appealed by its author an hour later and reversed two
    hours after that."""
    moderation = services.moderation
    action = moderation.enforce(
        Decision(
            actor_id=world.moderator.id,
            action=ActionKind.INTERSTITIAL,
            target=PostTarget(post_id),
            clause=HARASSMENT,
            facts="Matched the insult list.",
            content_warning="Insults",
            automated_detection=True,
            automated_decision=True,
        )
    )
    clock.advance(timedelta(hours=1))
    appeal = moderation.appeals.file(
        world.author.id, action.id, "It quotes an insult to condemn it."
    )
    moderation.appeals.assign(appeal.id, world.reviewer.id)
    clock.advance(timedelta(hours=2))
    moderation.appeals.decide(appeal.id, world.reviewer.id, AppealState.REVERSED, "A quotation.")


def _suspended_then_restored(services: Services, clock: FixedClock, world: World) -> None:
    """A 30-day suspension of the reporter, lifted by the moderator a day later."""
    moderation = services.moderation
    clock.advance(timedelta(hours=1))
    suspension = moderation.enforce(
        Decision(
            actor_id=world.moderator.id,
            action=ActionKind.SUSPEND,
            target=AccountTarget(world.reporter.id),
            clause=SUSPENSION,
            facts="Repeated insults.",
            ends_at=clock.now() + timedelta(days=30),
        )
    )
    clock.advance(timedelta(days=1))
    moderation.enforce(
        Decision(
            actor_id=world.moderator.id,
            action=ActionKind.RESTORE,
            target=AccountTarget(world.reporter.id),
            clause=SUSPENSION,
            facts="The insults were a quotation.",
            restores=suspension.id,
        )
    )


def _court_order(services: Services, clock: FixedClock, world: World, post_id: int) -> None:
    """A French court's order, its item geo-restricted two hours later, answered an hour
    after that."""
    moderation = services.moderation
    request = moderation.requests.receive(
        RequestDraft(
            requester_kind=RequesterKind.COURT,
            requester="Tribunal judiciaire de Paris",
            legal_basis="LCEN art. 6-I-8",
            ground=Ground.ILLEGAL_CONTENT,
            requested_action=ActionKind.REMOVE,
            items=(PostTarget(post_id),),
            summary="Orders a defamatory post removed.",
            country="FR",
        ),
        logged_by=world.moderator.id,
    )
    case_id = request.items[0].case_id
    clock.advance(timedelta(hours=2))
    moderation.cases.take(case_id, world.moderator.id)
    decision = CaseDecision(
        ActionKind.GEO_RESTRICT, ILLEGAL, "Defamatory under French law.", territorial_scope=("FR",)
    )
    moderation.cases.decide(case_id, world.moderator.id, decision)
    clock.advance(timedelta(hours=1))
    moderation.requests.answer(request.id, world.moderator.id, "Restricted in France.")


FIRST_SCHEMA = "townsquare.transparency-report/1"


def publish_in_first_schema(services: Services, period: ReportPeriod, now: datetime) -> str:
    """Store and log `period`'s report as a server before schema 2 published it (today's
    numbers without the fields schema 2 added); its SHA-256."""
    document = json.loads(services.transparency.live(period).document)
    document["schema"] = FIRST_SCHEMA
    for name in ("requester_kind", "requester", "country"):
        del document["orders"][f"median_hours_by_{name}"]
    for rule in document["automated"]["rules"]:
        del rule["kind"]
    text = json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    sha256 = hashlib.sha256(text.encode()).hexdigest()
    fields = {
        "period_from": period.start.isoformat(),
        "period_to": period.end.isoformat(),
        "schema": FIRST_SCHEMA,
        "sha256": sha256,
    }
    entry = encode_entry("transparency.report", 1, fields)
    row = {
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "sha256": sha256,
        "report_json": text,
        "published_at": now,
        "leaf_hash": leaf_hash(entry),
    }
    with services.db.write() as conn:
        conn.execute(transparency_reports.insert().values(row))
        services.ledger.append(conn, entry)
    return sha256
