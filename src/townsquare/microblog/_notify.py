"""Recording a notification, in the same transaction as what caused it."""

from sqlalchemy import Connection, and_, exists, or_, select

from townsquare.microblog._context import Context
from townsquare.microblog._models import NotificationType
from townsquare.storage.tables import blocks, mutes, notifications

__all__ = ["record_notification"]


def record_notification(
    conn: Connection,
    context: Context,
    *,
    recipient_id: int,
    actor_id: int,
    type_: NotificationType,
    post_id: int | None = None,
) -> None:
    """Tell `recipient_id` that `actor_id` did something, unless they are the same person or
    the recipient has blocked or muted the actor."""
    if recipient_id == actor_id or _silenced(conn, recipient_id, actor_id):
        return
    conn.execute(
        notifications.insert().values(
            id=context.ids.next_id(),
            account_id=recipient_id,
            type=type_.value,
            from_account_id=actor_id,
            post_id=post_id,
            created_at=context.clock.now(),
        )
    )


def _silenced(conn: Connection, recipient_id: int, actor_id: int) -> bool:
    query = select(
        or_(
            exists().where(
                and_(blocks.c.account_id == recipient_id, blocks.c.target_id == actor_id)
            ),
            exists().where(and_(mutes.c.account_id == recipient_id, mutes.c.target_id == actor_id)),
        )
    )
    return bool(conn.scalar(query))
