"""Reading notifications, newest first, hiding those about posts the reader may not see."""

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Connection, Row, and_, delete, func, select

from townsquare.microblog._access import hidden_account_ids
from townsquare.microblog._context import Context
from townsquare.microblog._hydrate import fetch_views, hydrate
from townsquare.microblog._models import Account, NotificationType, NotificationView, Page
from townsquare.microblog._rows import account_from_row, post_from_row
from townsquare.microblog._visibility import Surface
from townsquare.storage.tables import accounts, markers, notifications, posts

__all__ = ["Notifications"]


class Notifications:
    """A person's notifications, newest first, hiding those about posts they may not see."""

    def __init__(self, context: Context) -> None:
        self._ctx = context

    def list(
        self,
        account_id: int,
        page: Page,
        *,
        types: Collection[NotificationType] = (),
        exclude_types: Collection[NotificationType] = (),
    ) -> list[NotificationView]:
        query = select(notifications).where(notifications.c.account_id == account_id)
        if types:
            query = query.where(notifications.c.type.in_([t.value for t in types]))
        if exclude_types:
            query = query.where(notifications.c.type.not_in([t.value for t in exclude_types]))
        with self._ctx.db.read() as c:
            hidden = hidden_account_ids(c, account_id)
            # The same keyset loop as the timelines, so a page of notifications from muted
            # accounts is topped up instead of ending the client's walk early.
            return fetch_views(
                c,
                query,
                notifications.c.id,
                page,
                lambda rows: _notification_views(c, self._ctx, account_id, rows, hidden),
            )

    def dismiss(self, account_id: int, notification_id: int) -> bool:
        """Delete one of the account's notifications; False if it has none by that id."""
        mine = and_(notifications.c.account_id == account_id, notifications.c.id == notification_id)
        with self._ctx.db.write() as c:
            return c.execute(delete(notifications).where(mine)).rowcount > 0

    def clear(self, account_id: int) -> int:
        """Delete every notification of the account; how many there were."""
        with self._ctx.db.write() as c:
            return c.execute(
                delete(notifications).where(notifications.c.account_id == account_id)
            ).rowcount

    def unread_count(self, account_id: int, *, most: int = 100) -> int:
        """How many notifications arrived after the account's `notifications` marker (all
        of them without one), up to `most`; those from accounts it does not see are not
        counted, as they are not listed. The account's own filters are not applied here:
        a notification a `hide` filter leaves out of the list still counts."""
        marker = (
            select(markers.c.last_read_id)
            .where(markers.c.account_id == account_id, markers.c.timeline == "notifications")
            .scalar_subquery()
        )
        with self._ctx.db.read() as c:
            hidden = hidden_account_ids(c, account_id)
            unread = (
                select(notifications.c.id)
                .where(
                    notifications.c.account_id == account_id,
                    notifications.c.id > func.coalesce(marker, 0),
                    notifications.c.from_account_id.not_in(hidden),
                )
                .limit(most)
                .subquery()
            )
            return c.scalar(select(func.count()).select_from(unread)) or 0

    def count(self, account_id: int) -> int:
        with self._ctx.db.read() as c:
            query = select(func.count()).where(notifications.c.account_id == account_id)
            return c.scalar(query) or 0


def _notification_views(
    c: Connection,
    context: Context,
    account_id: int,
    rows: Sequence[Row[Any]],
    hidden: frozenset[int],
) -> list[NotificationView]:
    rows = [r for r in rows if r.from_account_id not in hidden]
    post_ids = {r.post_id for r in rows if r.post_id is not None}
    found = (
        [post_from_row(r) for r in c.execute(select(posts).where(posts.c.id.in_(post_ids)))]
        if post_ids
        else []
    )
    views = {v.post.id: v for v in hydrate(c, context, account_id, found, Surface.NOTIFICATIONS)}
    actors = _accounts_by_id(c, {r.from_account_id for r in rows})
    return [
        NotificationView(
            id=r.id,
            type=NotificationType(r.type),
            created_at=r.created_at,
            account=actors[r.from_account_id],
            post=views.get(r.post_id) if r.post_id is not None else None,
            action_id=r.action_id,
        )
        for r in rows
        if r.post_id is None or r.post_id in views
    ]


def _accounts_by_id(c: Connection, ids: set[int]) -> dict[int, Account]:
    if not ids:
        return {}
    return {
        r.id: account_from_row(r) for r in c.execute(select(accounts).where(accounts.c.id.in_(ids)))
    }
