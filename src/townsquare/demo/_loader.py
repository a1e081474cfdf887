"""Loading a planned world through the microblog's own services, in one transaction.

Going through `Microblog` (not raw inserts) keeps counters, notifications, tags and mentions
exactly as real use would leave them. Speed comes from batching: every call joins the one
write transaction (`conn=`), and the demo password is hashed once for all accounts.
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection, func, select

from townsquare.demo._audit_loader import NO_AUDIT, AuditCounts, load_audit
from townsquare.demo._cast import NAMED, STAFF, Persona
from townsquare.demo._errors import DatabaseNotEmptyError, DemoSizeError
from townsquare.demo._moderation_loader import DemoModeration, ModerationCounts, load_moderation
from townsquare.demo._moderation_plan import plan_moderation
from townsquare.demo._notes_loader import NO_NOTES, NotesCounts, load_notes
from townsquare.demo._notes_plan import plan_notes
from townsquare.demo._plan import (
    PlannedLike,
    PlannedPost,
    PlannedRepost,
    WorldPlan,
    plan_world,
)
from townsquare.demo._request_plan import plan_requests
from townsquare.demo._rules_loader import NO_RULES, RulesCounts, load_rules_stage
from townsquare.demo._rules_plan import plan_rules
from townsquare.kernel import FixedClock
from townsquare.microblog import AccountNotFoundError, Microblog, PostDraft, Role
from townsquare.storage import tables

__all__ = [
    "DEMO_PASSWORD",
    "DemoLogin",
    "DemoWorld",
    "ProgressCallback",
    "Stage",
    "demo_logins",
    "load_demo_world",
]

DEMO_PASSWORD = "townsquare-demo"  # noqa: S105 (published on purpose)
"""Every demo account's password. The demo is for trying Townsquare out, never for real use."""

_REPORT_EVERY = 100
_NO_MODERATION = ModerationCounts(reports=0, decisions=0, appeals=0, reversed=0, requests=0)


class Stage(enum.StrEnum):
    """The stages of loading, in order, as reported to the progress callback."""

    ACCOUNTS = "accounts"
    FOLLOWS = "follows"
    ACTIVITY = "activity"
    MODERATION = "moderation"
    NOTES = "notes"
    AUDIT = "audit"
    RULES = "rules"


ProgressCallback = Callable[[Stage, int, int], None]
"""Called as `progress(stage, done, total)` while loading."""


@dataclass(frozen=True)
class DemoLogin:
    """A demo account worth signing in as."""

    username: str
    display_name: str
    role: Role


@dataclass(frozen=True)
class DemoWorld:
    """What was loaded."""

    seed: int
    accounts: int
    follows: int
    posts: int
    replies: int
    quotes: int
    reposts: int
    likes: int
    logins: tuple[DemoLogin, ...]
    password: str = DEMO_PASSWORD
    moderation: ModerationCounts = _NO_MODERATION
    notes: NotesCounts = NO_NOTES
    audit: AuditCounts = NO_AUDIT
    rules: RulesCounts = NO_RULES


def _login(persona: Persona) -> DemoLogin:
    return DemoLogin(persona.username, persona.display_name, persona.role)


def load_demo_world(
    microblog: Microblog,
    seed: int = 1,
    accounts: int = 300,
    posts: int = 10_000,
    progress: ProgressCallback | None = None,
    *,
    moderation: DemoModeration | None = None,
) -> DemoWorld:
    """Fill an empty database with the demo world for `seed` (the same world for the same
    seed and sizes). Either all of the world is loaded or, on any error, none of it.

    With `moderation`, the last stages then report, decide and appeal cases through the
    moderation services, write, rate and score community notes through the notes services,
    review decisions and publish an audit, and play the automated rules' stories (their own
    transactions, after the world's has committed)."""
    try:
        plan = plan_world(seed, accounts=accounts, posts=posts)
        cases = None if moderation is None else plan_moderation(plan, moderation.policies, seed)
        rules = None if cases is None else plan_rules(plan, cases, seed)
    except ValueError as error:
        raise DemoSizeError(f"Cannot build the demo world: {error}.") from error
    clock = FixedClock(plan.joined_at[0])
    demo = Microblog(
        microblog.db,
        clock=clock,
        base_url=microblog.links.base_url,
        visibility=microblog.context.visibility,
        passwords=microblog.context.passwords,
    )
    report = progress or _ignore_progress
    loader = _Loader(demo, clock, report)
    with microblog.db.write() as conn:
        _refuse_populated(conn)
        loader.load(plan, conn)
    world = _summary(plan)
    if moderation is None or cases is None or rules is None:
        return world
    requests = plan_requests(plan, cases.cases, seed)
    counts = load_moderation(
        demo,
        clock,
        moderation,
        (cases, requests),
        (loader.account_ids, loader.post_ids),
        lambda done, total: report(Stage.MODERATION, done, total),
    )
    notes = load_notes(
        demo,
        clock,
        moderation,
        plan_notes(plan, cases, requests, seed),
        (loader.account_ids, loader.post_ids, loader.account_ids[_reviewer(plan)]),
        lambda done, total: report(Stage.NOTES, done, total),
    )
    audit = load_audit(
        demo,
        clock,
        moderation,
        [loader.account_ids[i] for i in _moderators(plan)],
        seed,
        lambda done, total: report(Stage.AUDIT, done, total),
    )
    automated = load_rules_stage(
        demo,
        clock,
        moderation,
        rules,
        loader.account_ids,
        lambda done, total: report(Stage.RULES, done, total),
    )
    return replace(world, moderation=counts, notes=notes, audit=audit, rules=automated)


def _reviewer(plan: WorldPlan) -> int:
    """The moderator who reviews a held scoring run: the first of the demo's moderators."""
    return next(i for i, p in enumerate(plan.cast) if p.role == Role.MODERATOR)


def _moderators(plan: WorldPlan) -> list[int]:
    """The demo's moderators, then its administrators: who answers the second reviews."""
    return [
        i
        for role in (Role.MODERATOR, Role.ADMIN)
        for i, p in enumerate(plan.cast)
        if p.role == role
    ]


def _ignore_progress(stage: Stage, done: int, total: int) -> None:
    del stage, done, total


def _refuse_populated(conn: Connection) -> None:
    existing = conn.scalar(select(func.count()).select_from(tables.accounts)) or 0
    if existing:
        raise DatabaseNotEmptyError(
            f"The database already has {existing} account(s); the demo world is loaded into "
            "an empty database only."
        )


class _Loader:
    def __init__(self, microblog: Microblog, clock: FixedClock, progress: ProgressCallback):
        self.microblog = microblog
        self.clock = clock
        self.progress = progress
        self.account_ids: list[int] = []
        self.post_ids: list[int] = []

    def load(self, plan: WorldPlan, conn: Connection) -> None:
        self._accounts(plan, conn)
        self._follows(plan, conn)
        self._activity(plan, conn)

    def _move_to(self, moment: datetime) -> None:
        if moment > self.clock.now():
            self.clock.advance(moment - self.clock.now())

    def _report(self, stage: Stage, done: int, total: int) -> None:
        if done % _REPORT_EVERY == 0 or done == total:
            self.progress(stage, done, total)

    # (1) accounts: one password hash for everyone

    def _accounts(self, plan: WorldPlan, conn: Connection) -> None:
        accounts = self.microblog.accounts
        password_hash = self.microblog.context.passwords.hash(DEMO_PASSWORD)
        total = len(plan.cast)
        self.progress(Stage.ACCOUNTS, 0, total)
        for done, (person, joined) in enumerate(zip(plan.cast, plan.joined_at, strict=True), 1):
            self._move_to(joined)
            account = accounts.register(
                person.username,
                DEMO_PASSWORD,
                email=person.email,
                display_name=person.display_name,
                role=person.role,
                locale=person.language,
                password_hash=password_hash,
                conn=conn,
            )
            if person.bio:
                accounts.update_profile(account.id, bio=person.bio, conn=conn)
            self.account_ids.append(account.id)
            self._report(Stage.ACCOUNTS, done, total)

    # (2) the follow graph

    def _follows(self, plan: WorldPlan, conn: Connection) -> None:
        ids = self.account_ids
        total = len(plan.follows)
        self.progress(Stage.FOLLOWS, 0, total)
        for done, follow in enumerate(plan.follows, 1):
            self._move_to(follow.at)
            self.microblog.graph.follow(ids[follow.follower], ids[follow.followed], conn=conn)
            self._report(Stage.FOLLOWS, done, total)

    # (3) posts, replies, quotes, reposts and likes, in time order

    def _activity(self, plan: WorldPlan, conn: Connection) -> None:
        total = len(plan.activity)
        self.progress(Stage.ACTIVITY, 0, total)
        for done, event in enumerate(plan.activity, 1):
            self._move_to(event.at)
            if isinstance(event, PlannedPost):
                self._post(event, conn)
            elif isinstance(event, PlannedRepost):
                self.microblog.posts.reblog(
                    self.account_ids[event.actor], self.post_ids[event.post], conn=conn
                )
            else:
                self.microblog.posts.favourite(
                    self.account_ids[event.actor], self.post_ids[event.post], conn=conn
                )
            self._report(Stage.ACTIVITY, done, total)

    def _post(self, planned: PlannedPost, conn: Connection) -> None:
        draft = PostDraft(
            text=planned.text,
            in_reply_to_id=None if planned.reply_to is None else self.post_ids[planned.reply_to],
            quote_of_id=None if planned.quote_of is None else self.post_ids[planned.quote_of],
            language=planned.language,
            visibility=planned.visibility,
        )
        post = self.microblog.posts.create(self.account_ids[planned.author], draft, conn=conn)
        self.post_ids.append(post.id)


def _summary(plan: WorldPlan) -> DemoWorld:
    posts = plan.posts
    return DemoWorld(
        seed=plan.seed,
        accounts=len(plan.cast),
        follows=len(plan.follows),
        posts=len(posts),
        replies=sum(1 for p in posts if p.reply_to is not None),
        quotes=sum(1 for p in posts if p.quote_of is not None),
        reposts=sum(1 for a in plan.activity if isinstance(a, PlannedRepost)),
        likes=sum(1 for a in plan.activity if isinstance(a, PlannedLike)),
        logins=tuple(_login(p) for p in NAMED),
    )


def demo_logins(microblog: Microblog) -> tuple[DemoLogin, ...]:
    """The staff accounts to sign in as if this database holds the demo world, else none."""
    first = STAFF[0]
    try:
        admin = microblog.accounts.by_username(first.username)
    except AccountNotFoundError:
        return ()
    if admin.role != first.role or admin.email != first.email:
        return ()
    return tuple(_login(p) for p in STAFF)
