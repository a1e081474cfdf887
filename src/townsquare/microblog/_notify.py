"""Recording a notification, in the same transaction as what caused it."""

from datetime import datetime

from sqlalchemy import Connection, bindparam, exists, insert, or_, select

from townsquare.microblog._context import Context
from townsquare.microblog._models import NotificationType
from townsquare.storage import Prebuilt
from townsquare.storage.tables import blocks, mutes, notifications

__all__ = ["record_moderation_notification", "record_notification"]

_SILENCED = Prebuilt(
    select(
        or_(
            *(
                exists().where(
                    table.c.account_id == bindparam("recipient"),
                    table.c.target_id == bindparam("actor"),
                )
                for table in (blocks, mutes)
            )
        )
    )
)
_NOTIFY = Prebuilt(
    insert(notifications).values(
        id=bindparam("id"),
        account_id=bindparam("recipient"),
        type=bindparam("type"),
        from_account_id=bindparam("actor"),
        post_id=bindparam("post"),
        created_at=bindparam("at"),
    )
)


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
    if recipient_id == actor_id:
        return
    if _SILENCED.scalars(conn, recipient=recipient_id, actor=actor_id)[0]:
        return
    _NOTIFY.run(
        conn,
        id=context.ids.next_id(),
        recipient=recipient_id,
        type=type_.value,
        actor=actor_id,
        post=post_id,
        at=context.clock.now(),
    )


def record_moderation_notification(
    conn: Connection,
    *,
    notification_id: int,
    recipient_id: int,
    type_: NotificationType,
    action_id: int,
    created_at: datetime,
) -> None:
    """Tell `recipient_id` that the moderation decision `action_id` concerns them, in the
    caller's transaction (the decision's own). It names no moderator: as Mastodon does for
    a moderation warning, the notification comes "from" its recipient. It names no post
    either, so a removal is not hidden from its author along with the post it removed."""
    row = {"id": notification_id, "account_id": recipient_id, "type": type_.value}
    origin = {"from_account_id": recipient_id, "post_id": None, "action_id": action_id}
    conn.execute(notifications.insert().values(**row, **origin, created_at=created_at))
