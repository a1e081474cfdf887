"""Follows, blocks and mutes between accounts, and the relationships they add up to."""

from collections.abc import Sequence

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

from townsquare.microblog._context import Context
from townsquare.microblog._errors import AccountNotFoundError, NotAllowedError
from townsquare.microblog._lists import drop_from_lists
from townsquare.microblog._models import Account, NotificationType, Page, Relationship
from townsquare.microblog._notify import record_notification
from townsquare.microblog._rows import account_from_row
from townsquare.storage import Prebuilt, prebuilt_insert_ignoring_conflicts
from townsquare.storage.tables import accounts, blocks, follows, mutes

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
    )
)
_RELATIONSHIP = Prebuilt(
    select(
        _link_exists(follows, "account", "target"),
        _link_exists(follows, "target", "account"),
        _link_exists(blocks, "account", "target"),
        _link_exists(blocks, "target", "account"),
        _link_exists(mutes, "account", "target"),
    )
)
_LINK = {
    table.name: prebuilt_insert_ignoring_conflicts(
        table, ("account_id", "target_id", "created_at"), on=("account_id", "target_id")
    )
    for table in (follows, blocks, mutes)
}
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
        if account_id == target_id:
            raise NotAllowedError("You cannot follow yourself.")
        with self._ctx.writing(conn) as c:
            ((target_exists, blocked),) = _FOLLOWABLE.rows(c, one=account_id, other=target_id)
            if not target_exists:
                raise AccountNotFoundError(f"No account has id {target_id}.")
            if blocked:
                raise NotAllowedError("You cannot follow an account while a block stands.")
            if self._link(c, follows, account_id, target_id):
                self._count_follow(c, account_id, target_id, +1)
                self._ctx.feeds.drop(c, account_id)  # its home rules changed
                record_notification(
                    c,
                    self._ctx,
                    recipient_id=target_id,
                    actor_id=account_id,
                    type_=NotificationType.FOLLOW,
                )
            return self._relationship(c, account_id, target_id)

    def unfollow(self, account_id: int, target_id: int) -> Relationship:
        with self._ctx.db.write() as c:
            _require_account(c, target_id)
            self._unfollow(c, account_id, target_id)
            return self._relationship(c, account_id, target_id)

    def block(self, account_id: int, target_id: int) -> Relationship:
        if account_id == target_id:
            raise NotAllowedError("You cannot block yourself.")
        with self._ctx.db.write() as c:
            _require_account(c, target_id)
            self._link(c, blocks, account_id, target_id)
            # A block ends the follows in both directions, as in Mastodon.
            self._unfollow(c, account_id, target_id)
            self._unfollow(c, target_id, account_id)
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

    def followers(self, account_id: int, page: Page) -> list[Account]:
        return self._listing(follows, follows.c.target_id, follows.c.account_id, account_id, page)

    def following(self, account_id: int, page: Page) -> list[Account]:
        return self._listing(follows, follows.c.account_id, follows.c.target_id, account_id, page)

    def blocked(self, account_id: int, page: Page) -> list[Account]:
        """The accounts `account_id` blocks, the newest block first."""
        return self._listing(blocks, blocks.c.account_id, blocks.c.target_id, account_id, page)

    def muted(self, account_id: int, page: Page) -> list[Account]:
        """The accounts `account_id` mutes, the newest mute first."""
        return self._listing(mutes, mutes.c.account_id, mutes.c.target_id, account_id, page)

    def _listing(
        self, table: Table, own: Column[int], other: Column[int], account_id: int, page: Page
    ) -> list[Account]:
        query = (
            select(accounts)
            .join(table, accounts.c.id == other)
            .where(own == account_id)
            .order_by(table.c.created_at.desc(), accounts.c.id)
            .limit(page.limit)
        )
        with self._ctx.db.read() as c:
            return [account_from_row(r) for r in c.execute(query)]

    def _link(self, c: Connection, table: Table, account_id: int, target_id: int) -> bool:
        now = self._ctx.clock.now()
        added = _LINK[table.name].run(c, account_id=account_id, target_id=target_id, created_at=now)
        return added > 0

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
        (following, followed_by, blocking, blocked_by, muting) = _RELATIONSHIP.rows(
            c, account=account_id, target=target_id
        )[0]
        return Relationship(
            id=target_id,
            following=bool(following),
            followed_by=bool(followed_by),
            blocking=bool(blocking),
            blocked_by=bool(blocked_by),
            muting=bool(muting),
        )
