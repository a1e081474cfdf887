"""Follows, follow requests, blocks and mutes between accounts, and the relationships they
add up to. Following a locked account asks it first: the follow exists only once it approves."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Exists,
    Table,
    and_,
    bindparam,
    delete,
    exists,
    or_,
    select,
    update,
)

from townsquare.microblog._batches import KeyListing, page_views
from townsquare.microblog._context import Context
from townsquare.microblog._errors import AccountNotFoundError, NotAllowedError
from townsquare.microblog._lists import drop_from_lists
from townsquare.microblog._models import Account, NotificationType, Page, Relationship
from townsquare.microblog._notify import record_notification
from townsquare.microblog._rows import ACCOUNT_COLUMNS, account_from_values
from townsquare.storage import Prebuilt, prebuilt_insert_ignoring_conflicts
from townsquare.storage.tables import accounts, blocks, follow_requests, follows, mutes

__all__ = ["Graph"]


def _link_exists(table: Table, account: str, target: str) -> Exists:
    return exists().where(
        table.c.account_id == bindparam(account), table.c.target_id == bindparam(target)
    )


_HAS = {
    table.name: Prebuilt(select(_link_exists(table, "account", "target")))
    for table in (follows, blocks, mutes)
}
_FOLLOWABLE = Prebuilt(
    select(
        exists().where(accounts.c.id == bindparam("other")),
        or_(_link_exists(blocks, "one", "other"), _link_exists(blocks, "other", "one")),
        select(accounts.c.locked).where(accounts.c.id == bindparam("other")).scalar_subquery(),
    )
)
_RELATIONSHIP = Prebuilt(
    select(
        _link_exists(follows, "account", "target"),
        _link_exists(follows, "target", "account"),
        _link_exists(blocks, "account", "target"),
        _link_exists(blocks, "target", "account"),
        _link_exists(mutes, "account", "target"),
        _link_exists(follow_requests, "account", "target"),
        _link_exists(follow_requests, "target", "account"),
    )
)
_REQUEST = prebuilt_insert_ignoring_conflicts(
    follow_requests, ("id", "account_id", "target_id", "created_at"), on=("account_id", "target_id")
)
_DROP_REQUEST = Prebuilt(
    delete(follow_requests).where(
        follow_requests.c.account_id == bindparam("account"),
        follow_requests.c.target_id == bindparam("target"),
    )
)
# Who asked to follow the account given as `target`, by the request's id.
_REQUESTERS = KeyListing(
    select(follow_requests.c.id, *ACCOUNT_COLUMNS)
    .join_from(follow_requests, accounts, accounts.c.id == follow_requests.c.account_id)
    .where(follow_requests.c.target_id == bindparam("account")),
    follow_requests.c.id,
)
_PENDING = Prebuilt(
    select(follow_requests.c.account_id).where(follow_requests.c.target_id == bindparam("target"))
)
_LINK = {
    table.name: prebuilt_insert_ignoring_conflicts(
        table, ("id", "account_id", "target_id", "created_at"), on=("account_id", "target_id")
    )
    for table in (follows, blocks, mutes)
}


def _related(table: Table, own: Column[int], other: Column[int]) -> KeyListing:
    """The accounts at the `other` end of `table`'s rows whose `own` end is the account
    given as `account`, by the row's id (what the list pages by)."""
    return KeyListing(
        select(table.c.id, *ACCOUNT_COLUMNS)
        .join_from(table, accounts, accounts.c.id == other)
        .where(own == bindparam("account")),
        table.c.id,
    )


_FOLLOWERS = _related(follows, follows.c.target_id, follows.c.account_id)
_FOLLOWING = _related(follows, follows.c.account_id, follows.c.target_id)
_BLOCKED = _related(blocks, blocks.c.account_id, blocks.c.target_id)
_MUTED = _related(mutes, mutes.c.account_id, mutes.c.target_id)
_ACCOUNT = Prebuilt(select(accounts.c.id).where(accounts.c.id == bindparam("id")))
_FOLLOWING_COUNT = Prebuilt(
    update(accounts)
    .where(accounts.c.id == bindparam("id"))
    .values(following_count=accounts.c.following_count + bindparam("delta"))
)
_FOLLOWERS_COUNT = Prebuilt(
    update(accounts)
    .where(accounts.c.id == bindparam("id"))
    .values(followers_count=accounts.c.followers_count + bindparam("delta"))
)


def _has(conn: Connection, table: Table, account_id: int, target_id: int) -> bool:
    return bool(_HAS[table.name].scalars(conn, account=account_id, target=target_id)[0])


def _require_account(conn: Connection, account_id: int) -> None:
    if not _ACCOUNT.scalars(conn, id=account_id):
        raise AccountNotFoundError(f"No account has id {account_id}.")


class Graph:
    def __init__(self, context: Context) -> None:
        self._ctx = context

    def follow(
        self, account_id: int, target_id: int, *, conn: Connection | None = None
    ) -> Relationship:
        """Follow the account, or, when it is locked, ask to (`requested`) and tell it."""
        if account_id == target_id:
            raise NotAllowedError("You cannot follow yourself.")
        with self._ctx.writing(conn) as c:
            ((target_exists, blocked, locked),) = _FOLLOWABLE.rows(
                c, one=account_id, other=target_id
            )
            if not target_exists:
                raise AccountNotFoundError(f"No account has id {target_id}.")
            if blocked:
                raise NotAllowedError("You cannot follow an account while a block stands.")
            if locked and not _has(c, follows, account_id, target_id):
                self._ask(c, account_id, target_id)
            elif self._link(c, follows, account_id, target_id):
                self._followed(c, account_id, target_id, NotificationType.FOLLOW)
            return self._relationship(c, account_id, target_id)

    def unfollow(self, account_id: int, target_id: int) -> Relationship:
        """Stop following, or take back a request to follow."""
        with self._ctx.db.write() as c:
            _require_account(c, target_id)
            _DROP_REQUEST.run(c, account=account_id, target=target_id)
            self._unfollow(c, account_id, target_id)
            return self._relationship(c, account_id, target_id)

    def pending_requests(self, account_id: int) -> int:
        """How many accounts wait for `account_id` to approve them."""
        with self._ctx.db.read() as c:
            return len(_PENDING.scalars(c, target=account_id))

    def authorize(self, account_id: int, requester_id: int) -> Relationship:
        """Approve `requester_id`'s request: it now follows `account_id`. Without a request
        pending, nothing changes."""
        with self._ctx.db.write() as c:
            _require_account(c, requester_id)
            self._approve(c, requester_id, account_id)
            return self._relationship(c, account_id, requester_id)

    def reject(self, account_id: int, requester_id: int) -> Relationship:
        """Refuse `requester_id`'s request to follow `account_id`."""
        with self._ctx.db.write() as c:
            _require_account(c, requester_id)
            _DROP_REQUEST.run(c, account=requester_id, target=account_id)
            return self._relationship(c, account_id, requester_id)

    def set_locked(self, account_id: int, locked: bool) -> None:
        """Lock the account (each new follower asks first) or unlock it, which approves the
        requests pending, as Mastodon does: nobody is left waiting on a door now open."""
        with self._ctx.db.write() as c:
            c.execute(update(accounts).where(accounts.c.id == account_id).values(locked=locked))
            if not locked:
                for requester_id in _PENDING.scalars(c, target=account_id):
                    self._approve(c, requester_id, account_id)

    def block(self, account_id: int, target_id: int) -> Relationship:
        if account_id == target_id:
            raise NotAllowedError("You cannot block yourself.")
        with self._ctx.db.write() as c:
            _require_account(c, target_id)
            self._link(c, blocks, account_id, target_id)
            # A block ends the follows in both directions, as in Mastodon, and the requests.
            self._unfollow(c, account_id, target_id)
            self._unfollow(c, target_id, account_id)
            _DROP_REQUEST.run(c, account=account_id, target=target_id)
            _DROP_REQUEST.run(c, account=target_id, target=account_id)
            return self._relationship(c, account_id, target_id)

    def unblock(self, account_id: int, target_id: int) -> Relationship:
        return self._remove(blocks, account_id, target_id)

    def mute(self, account_id: int, target_id: int) -> Relationship:
        if account_id == target_id:
            raise NotAllowedError("You cannot mute yourself.")
        with self._ctx.db.write() as c:
            _require_account(c, target_id)
            self._link(c, mutes, account_id, target_id)
            return self._relationship(c, account_id, target_id)

    def unmute(self, account_id: int, target_id: int) -> Relationship:
        return self._remove(mutes, account_id, target_id)

    def relationships(self, account_id: int, target_ids: Sequence[int]) -> list[Relationship]:
        with self._ctx.db.read() as c:
            return [self._relationship(c, account_id, t) for t in target_ids]

    def relationship(self, account_id: int, target_id: int) -> Relationship:
        return self.relationships(account_id, [target_id])[0]

    def is_following(self, conn: Connection, account_id: int, target_id: int) -> bool:
        return _has(conn, follows, account_id, target_id)

    def followers(self, account_id: int, page: Page) -> list[tuple[int, Account]]:
        """Who follows `account_id`, the newest follow first, each with the follow's id
        (what the list pages by); so for the lists below."""
        return self._listing(_FOLLOWERS, account_id, page)

    def following(self, account_id: int, page: Page) -> list[tuple[int, Account]]:
        return self._listing(_FOLLOWING, account_id, page)

    def blocked(self, account_id: int, page: Page) -> list[tuple[int, Account]]:
        return self._listing(_BLOCKED, account_id, page)

    def muted(self, account_id: int, page: Page) -> list[tuple[int, Account]]:
        return self._listing(_MUTED, account_id, page)

    def follow_requests(self, account_id: int, page: Page) -> list[tuple[int, Account]]:
        """Who asked to follow the account, the newest request first."""
        return self._listing(_REQUESTERS, account_id, page)

    def _listing(
        self, listing: KeyListing, account_id: int, page: Page
    ) -> list[tuple[int, Account]]:
        with self._ctx.db.read() as c:

            def to_accounts(rows: list[Any]) -> list[tuple[int, Account]]:
                return [(row[0], account_from_values(row[1:])) for row in rows]

            return page_views(listing.batches(c, account=account_id), page, to_accounts)

    def _link(self, c: Connection, table: Table, account_id: int, target_id: int) -> bool:
        now = self._ctx.clock.now()
        added = _LINK[table.name].run(
            c,
            id=self._ctx.ids.next_id(),
            account_id=account_id,
            target_id=target_id,
            created_at=now,
        )
        return added > 0

    def _ask(self, c: Connection, account_id: int, target_id: int) -> None:
        now = self._ctx.clock.now()
        request_id = self._ctx.ids.next_id()
        if _REQUEST.run(
            c, id=request_id, account_id=account_id, target_id=target_id, created_at=now
        ):
            record_notification(
                c,
                self._ctx,
                recipient_id=target_id,
                actor_id=account_id,
                type_=NotificationType.FOLLOW_REQUEST,
            )

    def _approve(self, c: Connection, requester_id: int, account_id: int) -> None:
        asked = _DROP_REQUEST.run(c, account=requester_id, target=account_id)
        ((_, blocked, _),) = _FOLLOWABLE.rows(c, one=requester_id, other=account_id)
        if asked and not blocked and self._link(c, follows, requester_id, account_id):
            self._followed(c, requester_id, account_id, None)

    def _followed(
        self, c: Connection, account_id: int, target_id: int, told: NotificationType | None
    ) -> None:
        """What a new follow changes: the counts, the follower's home rules, and who is told."""
        self._count_follow(c, account_id, target_id, +1)
        self._ctx.feeds.drop(c, account_id)  # its home rules changed
        if told is not None:
            record_notification(
                c, self._ctx, recipient_id=target_id, actor_id=account_id, type_=told
            )

    def _unfollow(self, c: Connection, account_id: int, target_id: int) -> None:
        done = c.execute(
            delete(follows).where(
                and_(follows.c.account_id == account_id, follows.c.target_id == target_id)
            )
        )
        if done.rowcount:
            self._count_follow(c, account_id, target_id, -1)
            self._ctx.feeds.drop(c, account_id)  # its home rules changed
            drop_from_lists(c, account_id, target_id)  # lists hold followed accounts only

    @staticmethod
    def _count_follow(c: Connection, account_id: int, target_id: int, delta: int) -> None:
        _FOLLOWING_COUNT.run(c, id=account_id, delta=delta)
        _FOLLOWERS_COUNT.run(c, id=target_id, delta=delta)

    def _remove(self, table: Table, account_id: int, target_id: int) -> Relationship:
        with self._ctx.db.write() as c:
            _require_account(c, target_id)
            c.execute(
                delete(table).where(
                    and_(table.c.account_id == account_id, table.c.target_id == target_id)
                )
            )
            return self._relationship(c, account_id, target_id)

    @staticmethod
    def _relationship(c: Connection, account_id: int, target_id: int) -> Relationship:
        (following, followed_by, blocking, blocked_by, muting, requested, requested_by) = (
            _RELATIONSHIP.rows(c, account=account_id, target=target_id)[0]
        )
        return Relationship(
            id=target_id,
            following=bool(following),
            followed_by=bool(followed_by),
            blocking=bool(blocking),
            blocked_by=bool(blocked_by),
            muting=bool(muting),
            requested=bool(requested),
            requested_by=bool(requested_by),
        )
