"""Lists: an account's named lists of accounts it follows, each read as a timeline.

A list is its owner's alone: every method takes the owner and answers `ListNotFoundError`
for a list that is someone else's, as for one that does not exist. Members must be
accounts the owner follows (as in Mastodon); unfollowing someone takes them off the
owner's lists (`Graph.unfollow`).
"""

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, Select, and_, delete, exists, func, select, update

from townsquare.microblog._context import Context
from townsquare.microblog._counting import holds_at_least
from townsquare.microblog._errors import InvalidListError, ListNotFoundError
from townsquare.microblog._models import Account
from townsquare.microblog._rows import POST_COLUMNS, account_from_row
from townsquare.storage import insert_ignoring_conflicts
from townsquare.storage.tables import accounts, follows, list_accounts, lists, posts

__all__ = [
    "MAX_LIST_TITLE",
    "AccountList",
    "Lists",
    "RepliesPolicy",
    "drop_from_lists",
    "list_posts",
    "owned_list",
]

MAX_LIST_TITLE = 200
MAX_LISTS = 100
MAX_MEMBERS = 1000


# The same order on both databases (SQLite compares bytes, PostgreSQL by locale).
_BY_TITLE = (func.lower(lists.c.title), lists.c.id)


class RepliesPolicy(enum.StrEnum):
    """Which replies by members a list's timeline shows (Mastodon's names)."""

    LIST = "list"  # replies to members of the list
    FOLLOWED = "followed"  # replies to anyone the owner follows
    NONE = "none"  # no replies


@dataclass(frozen=True)
class AccountList:
    """A list: its owner, title, and which replies its timeline shows."""

    id: int
    owner_id: int
    title: str
    replies_policy: RepliesPolicy


def _title(title: str) -> str:
    cleaned = title.strip()
    if not cleaned:
        raise InvalidListError("A list needs a title.")
    if len(cleaned) > MAX_LIST_TITLE:
        raise InvalidListError(f"A list's title has at most {MAX_LIST_TITLE} characters.")
    return cleaned


def _list_from_row(row: Row[Any]) -> AccountList:
    return AccountList(row.id, row.account_id, row.title, RepliesPolicy(row.replies_policy))


def list_posts(owned: AccountList) -> Select[tuple[object, ...]]:
    """The posts a list's timeline shows, as a query over `posts`: the members' posts and
    reposts, and their replies as its `replies_policy` says."""
    members = select(list_accounts.c.account_id).where(list_accounts.c.list_id == owned.id)
    query = select(*POST_COLUMNS).where(posts.c.account_id.in_(members))
    replying = posts.c.in_reply_to_account_id
    if owned.replies_policy == RepliesPolicy.NONE:
        return query.where(replying.is_(None))
    if owned.replies_policy == RepliesPolicy.LIST:
        return query.where(
            replying.is_(None) | replying.in_(members) | (replying == owned.owner_id)
        )
    followed = select(follows.c.target_id).where(follows.c.account_id == owned.owner_id)
    return query.where(replying.is_(None) | replying.in_(followed) | (replying == owned.owner_id))


class Lists:
    """Every account's lists; each method acts for the owner it is given."""

    def __init__(self, context: Context) -> None:
        self._ctx = context

    def of(self, owner_id: int) -> list[AccountList]:
        """The owner's lists, by title."""
        query = select(lists).where(lists.c.account_id == owner_id).order_by(*_BY_TITLE)
        with self._ctx.db.read() as c:
            return [_list_from_row(r) for r in c.execute(query)]

    def containing(self, owner_id: int, account_id: int) -> list[AccountList]:
        """The owner's lists that `account_id` is on."""
        query = (
            select(lists)
            .join(list_accounts, list_accounts.c.list_id == lists.c.id)
            .where(lists.c.account_id == owner_id, list_accounts.c.account_id == account_id)
            .order_by(*_BY_TITLE)
        )
        with self._ctx.db.read() as c:
            return [_list_from_row(r) for r in c.execute(query)]

    def get(self, owner_id: int, list_id: int) -> AccountList:
        with self._ctx.db.read() as c:
            return owned_list(c, owner_id, list_id)

    def create(
        self, owner_id: int, title: str, replies_policy: RepliesPolicy = RepliesPolicy.LIST
    ) -> AccountList:
        created = AccountList(self._ctx.ids.next_id(), owner_id, _title(title), replies_policy)
        with self._ctx.db.write() as c:
            count = select(lists.c.id).where(lists.c.account_id == owner_id)
            if holds_at_least(c, count, MAX_LISTS):
                raise InvalidListError(f"An account has at most {MAX_LISTS} lists.")
            c.execute(
                lists.insert().values(
                    id=created.id,
                    account_id=owner_id,
                    title=created.title,
                    replies_policy=replies_policy.value,
                    created_at=self._ctx.clock.now(),
                )
            )
        return created

    def change(
        self,
        owner_id: int,
        list_id: int,
        *,
        title: str | None = None,
        replies_policy: RepliesPolicy | None = None,
    ) -> AccountList:
        """Rename a list or change its replies policy (what is None stays)."""
        with self._ctx.db.write() as c:
            owned = owned_list(c, owner_id, list_id)
            changed = AccountList(
                owned.id,
                owner_id,
                _title(title) if title is not None else owned.title,
                replies_policy or owned.replies_policy,
            )
            c.execute(
                update(lists)
                .where(lists.c.id == list_id)
                .values(title=changed.title, replies_policy=changed.replies_policy.value)
            )
            return changed

    def delete(self, owner_id: int, list_id: int) -> None:
        with self._ctx.db.write() as c:
            owned_list(c, owner_id, list_id)
            c.execute(delete(lists).where(lists.c.id == list_id))

    def members(self, owner_id: int, list_id: int, *, limit: int = MAX_MEMBERS) -> list[Account]:
        """The list's members, the most recently added first."""
        query = (
            select(accounts)
            .join(list_accounts, list_accounts.c.account_id == accounts.c.id)
            .where(list_accounts.c.list_id == list_id)
            .order_by(list_accounts.c.created_at.desc(), accounts.c.id)
            .limit(limit)
        )
        with self._ctx.db.read() as c:
            owned_list(c, owner_id, list_id)
            return [account_from_row(r) for r in c.execute(query)]

    def add(self, owner_id: int, list_id: int, account_ids: Iterable[int]) -> None:
        """Put accounts the owner follows on the list (one already there stays once); an
        account the owner does not follow is refused, and nothing is added."""
        wanted = sorted(set(account_ids))
        with self._ctx.db.write() as c:
            owned_list(c, owner_id, list_id)
            followed = set(
                c.scalars(
                    select(follows.c.target_id).where(
                        follows.c.account_id == owner_id, follows.c.target_id.in_(wanted)
                    )
                )
            )
            if missing := [a for a in wanted if a not in followed]:
                raise InvalidListError(
                    f"Only accounts you follow can be on your lists; you do not follow {missing}."
                )
            now = self._ctx.clock.now()
            rows = [{"list_id": list_id, "account_id": a, "created_at": now} for a in wanted]
            insert_ignoring_conflicts(c, list_accounts, rows, on=("list_id", "account_id"))
            on_list = select(list_accounts.c.account_id).where(list_accounts.c.list_id == list_id)
            if holds_at_least(c, on_list, MAX_MEMBERS + 1):
                raise InvalidListError(f"A list has at most {MAX_MEMBERS} accounts.")

    def remove(self, owner_id: int, list_id: int, account_ids: Iterable[int]) -> None:
        with self._ctx.db.write() as c:
            owned_list(c, owner_id, list_id)
            c.execute(
                delete(list_accounts).where(
                    list_accounts.c.list_id == list_id,
                    list_accounts.c.account_id.in_(list(account_ids)),
                )
            )


def owned_list(c: Connection, owner_id: int, list_id: int) -> AccountList:
    """The owner's list by id; `ListNotFoundError` for none, or for another's."""
    row = c.execute(
        select(lists).where(and_(lists.c.id == list_id, lists.c.account_id == owner_id))
    ).first()
    if row is None:
        raise ListNotFoundError(f"You have no list with id {list_id}.")
    return _list_from_row(row)


def drop_from_lists(c: Connection, owner_id: int, account_id: int) -> None:
    """Take `account_id` off every list of `owner_id` (they stopped following it)."""
    owned = exists().where(lists.c.id == list_accounts.c.list_id, lists.c.account_id == owner_id)
    c.execute(delete(list_accounts).where(list_accounts.c.account_id == account_id, owned))
