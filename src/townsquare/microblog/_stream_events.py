"""What the write path tells the streaming API: small facts, published after commit.

An event names what changed (a post, an account, a notification), never how anyone sees
it: each subscriber's connection asks the timelines and the visibility port what its own
viewer may see (`_streams.py`). So publishing costs one short message on the posting path,
and a moderation decision reaches the streams without a second visibility decision.
"""

import enum
import json
from dataclasses import dataclass

from sqlalchemy import Connection

from townsquare.microblog._errors import MicroblogError
from townsquare.storage import after_commit

__all__ = ["StreamEvent", "StreamEventKind", "UnreadableStreamEventError", "announce"]


class StreamEventKind(enum.StrEnum):
    POST_CREATED = "post.created"  # a post or a repost was published
    POST_EDITED = "post.edited"  # its author edited it
    POST_CHANGED = "post.changed"  # how it may be shown changed (moderation, notes)
    POST_DELETED = "post.deleted"  # its author deleted it, or took back a repost
    ACCOUNT_CHANGED = "account.changed"  # how an account's posts may be shown changed
    NOTIFICATION = "notification"  # a notification was recorded


class UnreadableStreamEventError(MicroblogError):
    """Raised when a message on the event channel is not an event this server writes."""


@dataclass(frozen=True)
class StreamEvent:
    """One fact about something that changed. `subject_id` is the post, account or
    notification; `account_id` the author of a created, edited or deleted post, or the
    recipient of a notification; `public` says whether a deleted post was public or
    unlisted (the post is gone, so its audience must travel with the event)."""

    kind: StreamEventKind
    subject_id: int
    account_id: int | None = None
    public: bool = False

    def encode(self) -> str:
        """The event as its message on a channel between workers (about 60 bytes)."""
        return json.dumps([self.kind.value, self.subject_id, self.account_id, self.public])

    @classmethod
    def decode(cls, message: str | bytes) -> "StreamEvent":
        try:
            kind, subject_id, account_id, public = json.loads(message)
            return cls(
                StreamEventKind(kind), int(subject_id), _optional(account_id), public is True
            )
        except (ValueError, TypeError) as error:
            raise UnreadableStreamEventError(f"not a stream event: {message!r}") from error


def _optional(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def announce(conn: Connection, event: StreamEvent) -> None:
    """Publish `event` once the write transaction `conn` commits (never if it rolls back),
    so no subscriber hears of a write it could not read yet, or of one that never was."""
    after_commit(conn, event)
