"""The streaming API's per-viewer decision: what one event means to one subscriber.

An event says only what changed (`_stream_events.py`). Whether the viewer sees it, and
how, is asked of the timelines themselves, bounded to that one post: the same query, the
same blocks and mutes, the same visibility port as when the viewer reads the timeline.
So a stream shows what a refresh of its timeline would show, and a moderation decision
that hides a post shows up as a `delete` without a second visibility decision.
"""

import enum
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, exists, select

from townsquare.microblog._access import can_read
from townsquare.microblog._context import Context
from townsquare.microblog._errors import MicroblogError, NotAllowedError, PostNotFoundError
from townsquare.microblog._lists import owned_list
from townsquare.microblog._models import NotificationView, Page, Post, PostView
from townsquare.microblog._notifications import Notifications
from townsquare.microblog._posts import load_post
from townsquare.microblog._stream_events import StreamEvent, StreamEventKind
from townsquare.microblog._stream_hub import Listener, StreamHub, StreamSubscription
from townsquare.microblog._timelines import Timelines
from townsquare.storage import Prebuilt
from townsquare.storage.tables import follows, posts

__all__ = ["Delivery", "DeliveryKind", "Stream", "StreamKind", "Streams"]

# When an account's standing changes (suspended, limited, restored), its newest posts are
# looked at again: those a client most likely holds. Older ones are fixed by a refresh.
_ACCOUNT_POSTS_LOOKED_AT = 20


class StreamKind(enum.StrEnum):
    """Mastodon's stream names. Every post here is local, so `:local` streams are the same."""

    USER = "user"
    USER_NOTIFICATION = "user:notification"
    PUBLIC = "public"
    PUBLIC_LOCAL = "public:local"
    HASHTAG = "hashtag"
    HASHTAG_LOCAL = "hashtag:local"
    LIST = "list"


_OWN = frozenset({StreamKind.USER, StreamKind.USER_NOTIFICATION, StreamKind.LIST})
_TIMELINE_OF_FOLLOWED = frozenset({StreamKind.USER, StreamKind.LIST})
_PUBLIC = frozenset({StreamKind.PUBLIC, StreamKind.PUBLIC_LOCAL})
_HASHTAG = frozenset({StreamKind.HASHTAG, StreamKind.HASHTAG_LOCAL})
_NOTIFIED = frozenset({StreamKind.USER, StreamKind.USER_NOTIFICATION})


@dataclass(frozen=True)
class Stream:
    """One stream a connection subscribes to: its kind, and the tag or list it follows."""

    kind: StreamKind
    tag: str | None = None
    list_id: int | None = None

    @property
    def needs_user(self) -> bool:
        return self.kind in _OWN

    def names(self) -> list[str]:
        """The `stream` array of its messages: `["hashtag", "cats"]`, `["list", "42"]`."""
        if self.kind in _HASHTAG:
            return [self.kind.value, self.tag or ""]
        if self.kind == StreamKind.LIST:
            return [self.kind.value, str(self.list_id)]
        return [self.kind.value]


class DeliveryKind(enum.StrEnum):
    """The streaming API's event names."""

    UPDATE = "update"
    STATUS_UPDATE = "status.update"
    DELETE = "delete"
    NOTIFICATION = "notification"


@dataclass(frozen=True)
class Delivery:
    """What to send one viewer: a post as their timeline shows it (`update`,
    `status.update`), the id of a post they no longer see (`delete`), or a notification."""

    kind: DeliveryKind
    subject_id: int
    post: PostView | None = None
    notification: NotificationView | None = None


_FOLLOWS = Prebuilt(
    select(
        exists().where(
            follows.c.account_id == bindparam("viewer"), follows.c.target_id == bindparam("author")
        )
    )
)
# The reposts of the post given as `post` by accounts the viewer follows: how a post reaches
# a home timeline besides its author being followed.
_REPOSTS_FOLLOWED = Prebuilt(
    select(posts.c.id)
    .where(
        posts.c.reblog_of_id == bindparam("post"),
        posts.c.account_id.in_(
            select(follows.c.target_id).where(follows.c.account_id == bindparam("viewer"))
        ),
    )
    .order_by(posts.c.id.desc())
    .limit(_ACCOUNT_POSTS_LOOKED_AT)
)
_NEWEST_OF_ACCOUNT = Prebuilt(
    select(posts.c.id)
    .where(posts.c.account_id == bindparam("author"))
    .order_by(posts.c.id.desc())
    .limit(_ACCOUNT_POSTS_LOOKED_AT)
)


class Streams:
    """Subscribing to the hub, and deciding what each event means to one viewer."""

    def __init__(
        self,
        context: Context,
        hub: StreamHub,
        timelines: Timelines,
        notifications: Notifications,
    ) -> None:
        self._ctx = context
        self._hub = hub
        self._timelines = timelines
        self._notifications = notifications

    def subscribe(self, listener: Listener) -> StreamSubscription:
        """Hear every event published from now on (it may block a few seconds on first use
        of a Redis hub: call it off the event loop)."""
        return self._hub.subscribe(listener)

    def check(self, viewer_id: int | None, stream: Stream) -> None:
        """Raise unless `viewer_id` may subscribe to `stream`: their own streams need them
        signed in, and a list stream needs their own list (`ListNotFoundError` else)."""
        if stream.needs_user and viewer_id is None:
            raise NotAllowedError(f"The {stream.kind} stream needs a signed-in user.")
        if stream.kind == StreamKind.LIST and viewer_id is not None:
            with self._ctx.db.read() as c:
                owned_list(c, viewer_id, stream.list_id or 0)

    @staticmethod
    def concerns(viewer_id: int | None, stream: Stream, event: StreamEvent) -> bool:
        """Whether `event` may mean anything to this subscriber, decided without the
        database: a notification is its recipient's alone, and a notifications stream
        hears of nothing else."""
        if event.kind == StreamEventKind.NOTIFICATION:
            return stream.kind in _NOTIFIED and event.account_id == viewer_id
        return stream.kind != StreamKind.USER_NOTIFICATION

    def deliveries(
        self, viewer_id: int | None, stream: Stream, event: StreamEvent
    ) -> list[Delivery]:
        """What `event` means to `viewer_id` on `stream`, as of now (see the module)."""
        if not self.concerns(viewer_id, stream, event):
            return []
        match event.kind:
            case StreamEventKind.POST_CREATED:
                return self._shown(viewer_id, stream, event.subject_id, DeliveryKind.UPDATE)
            case StreamEventKind.POST_EDITED:
                return self._shown(viewer_id, stream, event.subject_id, DeliveryKind.STATUS_UPDATE)
            case StreamEventKind.POST_CHANGED:
                return self._reshown(viewer_id, stream, event.subject_id)
            case StreamEventKind.ACCOUNT_CHANGED:
                with self._ctx.db.read() as c:
                    newest = _NEWEST_OF_ACCOUNT.scalars(c, author=event.subject_id)
                return [d for post_id in newest for d in self._reshown(viewer_id, stream, post_id)]
            case StreamEventKind.POST_DELETED:
                return self._deleted(viewer_id, stream, event)
            case StreamEventKind.NOTIFICATION:
                return self._notification(viewer_id, event.subject_id)
        return []

    def _shown(
        self, viewer_id: int | None, stream: Stream, post_id: int, kind: DeliveryKind
    ) -> list[Delivery]:
        view = self._in_timeline(viewer_id, stream, post_id)
        return [] if view is None else [Delivery(kind, post_id, post=view)]

    def _reshown(self, viewer_id: int | None, stream: Stream, post_id: int) -> list[Delivery]:
        """A post whose presentation changed: shown anew where the timeline still shows it,
        deleted where it would reach the stream but the timeline no longer shows it; on a
        home or list stream, so are the reposts of it that reached the viewer."""
        found = self._reshown_one(viewer_id, stream, post_id)
        if stream.kind in _TIMELINE_OF_FOLLOWED and viewer_id is not None:
            with self._ctx.db.read() as c:
                reposts = _REPOSTS_FOLLOWED.scalars(c, post=post_id, viewer=viewer_id)
            for repost_id in reposts:
                shown = self._shown(viewer_id, stream, repost_id, DeliveryKind.STATUS_UPDATE)
                found.extend(shown or [Delivery(DeliveryKind.DELETE, repost_id)])
        return found

    def _reshown_one(self, viewer_id: int | None, stream: Stream, post_id: int) -> list[Delivery]:
        shown = self._shown(viewer_id, stream, post_id, DeliveryKind.STATUS_UPDATE)
        if shown:
            return shown
        with self._ctx.db.read() as c:
            try:
                post = load_post(c, post_id)
            except PostNotFoundError:
                return []  # deleted: its author's deletion said so
            reaches = self._would_reach(c, viewer_id, stream, post)
        return [Delivery(DeliveryKind.DELETE, post_id)] if reaches else []

    @staticmethod
    def _would_reach(c: Connection, viewer_id: int | None, stream: Stream, post: Post) -> bool:
        """Whether the post is of this stream's audience, moderation aside: who a `delete`
        concerns. (Not whether it is shown: only the timeline says that.)"""
        if not can_read(c, viewer_id, post):
            return False
        if stream.kind in _TIMELINE_OF_FOLLOWED:
            return viewer_id == post.account_id or _follows(c, viewer_id, post.account_id)
        return True

    def _deleted(self, viewer_id: int | None, stream: Stream, event: StreamEvent) -> list[Delivery]:
        author = event.account_id
        if stream.kind in _TIMELINE_OF_FOLLOWED:
            if viewer_id != author:
                with self._ctx.db.read() as c:
                    if author is None or not _follows(c, viewer_id, author):
                        return []
        elif not event.public:
            return []
        return [Delivery(DeliveryKind.DELETE, event.subject_id)]

    def _notification(self, viewer_id: int | None, notification_id: int) -> list[Delivery]:
        if viewer_id is None:
            return []
        found = self._notifications.list(viewer_id, Page(limit=1, max_id=notification_id + 1))
        if not found or found[0].id != notification_id:
            return []  # not recorded after all (the recipient blocks or mutes its actor)
        return [Delivery(DeliveryKind.NOTIFICATION, notification_id, notification=found[0])]

    def _in_timeline(self, viewer_id: int | None, stream: Stream, post_id: int) -> PostView | None:
        """The post as the stream's timeline shows it to the viewer now, or None if it does
        not show it there: the timeline read itself, bounded to this one post."""
        page = Page(limit=1, max_id=post_id + 1, since_id=post_id - 1)
        try:
            found = self._timeline_page(viewer_id, stream, page)
        except MicroblogError:  # the list was deleted meanwhile
            return None
        return found[0] if found and found[0].post.id == post_id else None

    def _timeline_page(self, viewer_id: int | None, stream: Stream, page: Page) -> list[PostView]:
        if stream.kind in _PUBLIC:
            return self._timelines.public(viewer_id, page)
        if stream.kind in _HASHTAG:
            return self._timelines.hashtag(viewer_id, stream.tag or "", page)
        if viewer_id is None:
            return []
        if stream.kind == StreamKind.LIST:
            return self._timelines.list_timeline(viewer_id, stream.list_id or 0, page)
        return self._timelines.home_from_posts(viewer_id, page)


def _follows(c: Connection, viewer_id: int | None, author_id: int) -> bool:
    if viewer_id is None:
        return False
    return bool(_FOLLOWS.scalars(c, viewer=viewer_id, author=author_id)[0])
