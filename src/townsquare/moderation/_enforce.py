"""`enforce`: the one code path that changes what anyone can see (DESIGN.md, "The
enforcement path"). Everything it writes, it writes in one transaction with the ledger entry
that records it, so there is no moderation the public log does not show.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import Connection, insert, select

from townsquare.kernel import Clock, SnowflakeGenerator
from townsquare.ledger import decode_entry, encode_entry, leaf_hash
from townsquare.microblog import (
    NotificationType,
    StreamEvent,
    StreamEventKind,
    announce,
    record_moderation_notification,
)
from townsquare.moderation._decisions import (
    AccountTarget,
    Action,
    Decision,
    PostTarget,
    UrlTarget,
    check_decision,
    url_key,
)
from townsquare.moderation._election_windows import post_hashtags, windows_open_at
from townsquare.moderation._elections import (
    BlanketActionError,
    ElectionWindow,
    SecondModeratorRequiredError,
    governing_window,
    needs_two_moderators,
)
from townsquare.moderation._entry_log import EntryLog
from townsquare.moderation._errors import (
    ActionNotAllowedError,
    ActionNotFoundError,
    AlreadyLiftedError,
    InvalidDecisionError,
    OwnContentError,
    TargetNotFoundError,
)
from townsquare.moderation._policies import ActionKind, Clause, PolicySet
from townsquare.moderation._projection import RESTRICTING_ACTIONS, apply_entry, is_in_force
from townsquare.moderation._proposal_records import mark_approved, verified_proposal
from townsquare.moderation._reasons import (
    DECISION_ENTRY_TYPE,
    DECISION_ENTRY_VERSION,
    Circumstances,
    statement_of_reasons,
)
from townsquare.moderation._roles import require_moderator
from townsquare.moderation._sources import source_type
from townsquare.storage import Database
from townsquare.storage.tables import (
    accounts,
    moderation_actions,
    moderation_notices,
    moderation_reports,
    posts,
)

__all__ = [
    "Authorized",
    "Enforce",
    "Enforcement",
    "EntryLog",
    "authorize",
    "enforce",
    "joined_transaction",
]

_ALWAYS_ALLOWED = frozenset({ActionKind.RESTORE, ActionKind.NO_ACTION})


class Enforce(Protocol):
    """`Moderation.enforce`, as the case and appeal workflows are given it. With `conn`, it
    MUST write in that (write) transaction and MUST NOT commit it: the caller's own writes
    and the enforcement then commit together or not at all."""

    def __call__(self, decision: Decision, *, conn: Connection | None = None) -> Action: ...


@dataclass(frozen=True)
class Enforcement:
    """What `enforce` is given: the database, the log, the policies, the clock and ids."""

    db: Database
    log: EntryLog
    policies: PolicySet
    clock: Clock
    ids: SnowflakeGenerator


@dataclass(frozen=True)
class Authorized:
    """What step (1) learned: whom the decision affects, the date of its content, the
    election window whose two-person rule governs it (None: one moderator suffices), and
    the kind of notice it follows (DSA-TDB `source_type`)."""

    affected_account_id: int | None
    content_date: datetime | None
    election_window: ElectionWindow | None
    source_type: str


def enforce(given: Enforcement, decision: Decision, *, conn: Connection | None = None) -> Action:
    """Apply `decision`, or raise a `ModerationError` saying why it may not be applied.

    (1) Check the actor may take it: a moderator or admin, not on their own post or account,
        under a clause version that allows the action (restore and no action always are);
        in an election window, on election-related content, naming its item, with a
        second moderator's approval of the proposal recorded for exactly this decision.
    (2) Build the statement of reasons from the decision and the cited clause version.
    (3) In ONE write transaction: insert the action, update the visibility projection, append
        the ledger entry, queue notices to the author and the case's reporters, settle the
        approved proposal. That is `conn` when given (the caller's; it commits or rolls back
        everything together and this never commits it), else a transaction of its own.
    (4) After commit, the sequencer integrates the entry into the tree and signs a checkpoint
        (the server's background thread; tests call `LedgerLog.integrate()`), and the
        streams hear that the target changed (announced in (3), published on commit).
    """
    check_decision(decision)
    clause = given.policies.clause(decision.clause)
    with joined_transaction(given.db, conn) as writing:
        now = given.clock.now()
        # (1)
        allowed = authorize(writing, decision, clause, now)
        window_id = _second_moderator(writing, decision, allowed)
        # (2)
        affected = allowed.affected_account_id
        facts = Circumstances(
            given.ids.next_id(),
            now,
            affected,
            allowed.content_date,
            window_id,
            allowed.source_type,
        )
        reasons = statement_of_reasons(decision, clause, facts)
        entry = encode_entry(DECISION_ENTRY_TYPE, DECISION_ENTRY_VERSION, reasons)
        # (3) the projection is updated from the entry as logged, exactly as replay will
        writing.execute(insert(moderation_actions), _action_row(decision, facts, entry))
        apply_entry(writing, decode_entry(entry).fields)
        _announce_change(writing, decision)
        given.log.append(writing, entry)
        _queue_notices(writing, given.ids, decision, facts)
        if decision.approval is not None:
            mark_approved(writing, decision, facts.action_id, now)
    # (4) nothing to do here: integration is the sequencer's, after the commit.
    return Action(facts.action_id, decision, now, affected, entry)


@contextmanager
def joined_transaction(db: Database, conn: Connection | None) -> Iterator[Connection]:
    """The caller's write transaction `conn`, left open, or a new one committed on success."""
    if conn is not None:
        yield conn
        return
    with db.write() as own:
        yield own


def _announce_change(conn: Connection, decision: Decision) -> None:
    """(3): tell the streams, once this commits, which post or account to look at again.
    Each connection then asks the visibility port what its viewer may still see: the
    stream reports the decision, it does not make a second one. A URL block names no post,
    so its posts leave the streams' clients at their next refresh."""
    target = decision.target
    if decision.action == ActionKind.NO_ACTION:
        return
    if isinstance(target, PostTarget):
        announce(conn, StreamEvent(StreamEventKind.POST_CHANGED, target.post_id))
    elif isinstance(target, AccountTarget):
        announce(conn, StreamEvent(StreamEventKind.ACCOUNT_CHANGED, target.account_id))


def _queue_notices(
    conn: Connection, ids: SnowflakeGenerator, decision: Decision, facts: Circumstances
) -> None:
    """(3): a notice, and a notification linking to it, for the case's reporters and
    (unless nothing was done) the affected account; once each, the affected account's
    kind of notification winning."""
    told = dict.fromkeys(_reporters(conn, decision.case_id), NotificationType.REPORT_DECIDED)
    affected = facts.affected_account_id
    if affected is not None and decision.action != ActionKind.NO_ACTION:
        told[affected] = _affected_notification(decision.action)
    for account_id, kind in told.items():
        notice = {"id": ids.next_id(), "account_id": account_id, "created_at": facts.decided_at}
        conn.execute(insert(moderation_notices), {**notice, "action_id": facts.action_id})
        record_moderation_notification(
            conn,
            notification_id=ids.next_id(),
            recipient_id=account_id,
            type_=kind,
            action_id=facts.action_id,
            created_at=facts.decided_at,
        )


def _affected_notification(action: ActionKind) -> NotificationType:
    """Mastodon's `moderation_warning` for a restriction or a warning; a restoration is
    good news, which Mastodon has no type for (docs/design/moderation-notifications.md)."""
    if action == ActionKind.RESTORE:
        return NotificationType.RESTORED
    return NotificationType.MODERATION_WARNING


def _reporters(conn: Connection, case_id: int | None) -> list[int]:
    """(3): whoever reported the case's item is told its outcome, "no action" included."""
    if case_id is None:
        return []
    query = select(moderation_reports.c.reporter_id).where(moderation_reports.c.case_id == case_id)
    return sorted(set(conn.execute(query).scalars()))


def authorize(conn: Connection, decision: Decision, clause: Clause, now: datetime) -> Authorized:
    """(1) but the second moderator: what `enforce` checks of any decision, proposed or not.
    Raises the `ModerationError` that says why the decision may not be taken."""
    require_moderator(conn, decision.actor_id)
    affected, content_date = _target_owner(conn, decision)
    if affected == decision.actor_id:
        raise OwnContentError(
            "a moderator never acts on their own content: another moderator must decide"
        )
    if decision.action not in _ALWAYS_ALLOWED and decision.action not in clause.allowed_actions:
        allowed = ", ".join(sorted(a.value for a in clause.allowed_actions))
        raise ActionNotAllowedError(
            f"clause {clause.ref}: allows {allowed}, not {decision.action.value}"
        )
    if decision.action == ActionKind.RESTORE:
        _check_restorable(conn, decision)
    window = _governing_window(conn, decision, clause, now)
    if window is not None:
        _require_named_item(decision, window)
    return Authorized(affected, content_date, window, source_type(conn, decision.case_id))


def _governing_window(
    conn: Connection, decision: Decision, clause: Clause, now: datetime
) -> ElectionWindow | None:
    """(1): the election window whose two-person rule governs the decision, if any."""
    if not needs_two_moderators(decision.action):
        return None
    open_now = windows_open_at(conn, now)
    if not open_now:
        return None
    target = decision.target
    hashtags = post_hashtags(conn, target.post_id) if isinstance(target, PostTarget) else []
    return governing_window(open_now, at=now, category=clause.dsa_category, hashtags=hashtags)


def _require_named_item(decision: Decision, window: ElectionWindow) -> None:
    """(1): in an election window, an election-related action names its item, by hand."""
    if isinstance(decision.target, UrlTarget):
        raise BlanketActionError(
            f"election window {window.name!r}: a URL or domain block would hide every post "
            "that links there; act on each election-related post or account by name"
        )
    if decision.automated_decision:
        raise BlanketActionError(
            f"election window {window.name!r}: an action on election-related content is "
            "decided by two moderators, never automatically"
        )


def _second_moderator(conn: Connection, decision: Decision, allowed: Authorized) -> int | None:
    """(1): check the approval, if any; the id of the window the entry is flagged with."""
    window = allowed.election_window
    if decision.approval is None:
        if window is not None:
            raise SecondModeratorRequiredError(
                f"election window {window.name!r} (until {window.ends_at:%Y-%m-%d %H:%M} UTC): "
                "an action on election-related content needs a second moderator; propose it "
                "for approval"
            )
        return None
    proposal = verified_proposal(conn, decision, allowed.affected_account_id)
    # A proposal made under a window that closed before its approval stays flagged with it.
    return window.id if window is not None else proposal.window_id


def _target_owner(conn: Connection, decision: Decision) -> tuple[int | None, datetime | None]:
    target = decision.target
    if isinstance(target, PostTarget):
        query = select(posts.c.account_id, posts.c.created_at).where(posts.c.id == target.post_id)
        post = conn.execute(query).first()
        if post is None:
            raise TargetNotFoundError(f"post {target.post_id}: no such post")
        return post.account_id, post.created_at
    if isinstance(target, AccountTarget):
        query = select(accounts.c.created_at).where(accounts.c.id == target.account_id)
        created = conn.execute(query).scalar()
        if created is None:
            raise TargetNotFoundError(f"account {target.account_id}: no such account")
        return target.account_id, created
    return None, None


def _check_restorable(conn: Connection, decision: Decision) -> None:
    original = conn.execute(
        select(moderation_actions).where(moderation_actions.c.id == decision.restores)
    ).first()
    if original is None:
        raise ActionNotFoundError(f"restores {decision.restores}: no such action")
    if original.kind not in RESTRICTING_ACTIONS:
        raise InvalidDecisionError(
            f"restores {decision.restores}: a {original.kind} restricts nothing to restore"
        )
    was = (original.target_kind, original.post_id, original.account_id, original.url)
    if original.target_kind != "account":
        was = (original.target_kind, original.post_id, None, original.url)
    if _target_columns(decision) != was:
        raise InvalidDecisionError(
            f"restores {decision.restores}: expected the target of that action"
        )
    if not is_in_force(conn, original.id):
        raise AlreadyLiftedError(f"restores {decision.restores}: that action was already lifted")


def _action_row(decision: Decision, facts: Circumstances, entry: bytes) -> dict[str, object]:
    kind, post_id, _, url = _target_columns(decision)
    return {
        "id": facts.action_id,
        "kind": decision.action.value,
        "target_kind": kind,
        "post_id": post_id,
        "account_id": facts.affected_account_id,
        "url": url,
        "actor_id": decision.actor_id,
        "clause": decision.clause,
        "case_id": decision.case_id,
        "restores_id": decision.restores,
        "copy_of_id": decision.copy_of.action_id if decision.copy_of else None,
        "created_at": facts.decided_at,
        "ends_at": decision.ends_at,
        "entry": entry,
        "leaf_hash": leaf_hash(entry),
    }


def _target_columns(decision: Decision) -> tuple[str, int | None, int | None, str | None]:
    """(target kind, post id, account id, URL key), as `moderation_actions` records them."""
    target = decision.target
    if isinstance(target, PostTarget):
        return "post", target.post_id, None, None
    if isinstance(target, AccountTarget):
        return "account", None, target.account_id, None
    return "url", None, None, url_key(target.url)
