"""Recording a notification, in the same transaction as what caused it."""

from datetime import datetime

from sqlalchemy import Connection, bindparam, exists, insert, select

from townsquare.microblog._context import Context
from townsquare.microblog._models import NotificationType
from townsquare.microblog._stream_events import StreamEvent, StreamEventKind, announce
from townsquare.storage import Prebuilt
from townsquare.storage.tables import blocks, mutes, notifications

__all__ = ["record_moderation_notification", "record_notification"]

_NOTIFIED = ("id", "account_id", "type", "from_account_id", "post_id", "created_at")
# One statement: the row is inserted unless the recipient blocks or mutes the actor.
_NOTIFY = Prebuilt(
    insert(notifications).from_select(
        _NOTIFIED,
        select(*(bindparam(name, type_=notifications.c[name].type) for name in _NOTIFIED)).where(
            *(
                ~exists().where(
                    table.c.account_id == bindparam("account_id"),
                    table.c.target_id == bindparam("from_account_id"),
                )
                for table in (blocks, mutes)
            )
        ),
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
    notification_id = context.ids.next_id()
    recorded = _NOTIFY.run(
        conn,
        id=notification_id,
        account_id=recipient_id,
        type=type_.value,
        from_account_id=actor_id,
        post_id=post_id,
        created_at=context.clock.now(),
    )
    if recorded:
        announce(conn, StreamEvent(StreamEventKind.NOTIFICATION, notification_id, recipient_id))


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
    announce(conn, StreamEvent(StreamEventKind.NOTIFICATION, notification_id, recipient_id))
