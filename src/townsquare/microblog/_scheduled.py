"""Scheduled posts: a draft checked now and published by the server when its time comes.

The draft is checked when it is scheduled, so a mistake is answered at once; what the
post refers to (the post it replies to, say) is resolved when it is published, as if it
were written then. `publish_due` is what the server's background task calls: several
servers may call it at once, and each due draft is published exactly once, because a
draft is deleted in the transaction that publishes it and only the deleter publishes.
"""

import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from townsquare.microblog._batches import KeyListing, page_views
from townsquare.microblog._context import Context
from townsquare.microblog._errors import (
    InvalidPostError,
    MicroblogError,
    ScheduledPostNotFoundError,
)
from townsquare.microblog._models import Page, PollDraft, PostDraft, PostVisibility
from townsquare.microblog._posts import Posts, check_draft
from townsquare.storage import Prebuilt
from townsquare.storage.tables import scheduled_posts

__all__ = ["MIN_SCHEDULING_DELAY", "ScheduledPost", "ScheduledPosts"]

_log = logging.getLogger(__name__)

MIN_SCHEDULING_DELAY = timedelta(minutes=5)  # as Mastodon
_MAX_SCHEDULED = 300  # per account, as Mastodon
_PUBLISHED_PER_STEP = 100


@dataclass(frozen=True)
class ScheduledPost:
    id: int
    account_id: int
    scheduled_at: datetime
    draft: PostDraft


def _encoded(draft: PostDraft) -> str:
    return json.dumps(asdict(draft) | {"visibility": draft.visibility.value})


def _decoded(row: Sequence[Any]) -> ScheduledPost:
    """A row of `_COLUMNS`, in order."""
    scheduled_id, account_id, scheduled_at, encoded = row
    fields = json.loads(encoded)
    poll = fields.pop("poll", None)
    asked = None if poll is None else PollDraft(**poll | {"options": tuple(poll["options"])})
    visibility = PostVisibility(fields.pop("visibility"))
    media_ids = tuple(fields.pop("media_ids", ()))
    draft = PostDraft(**fields, visibility=visibility, poll=asked, media_ids=media_ids)
    return ScheduledPost(scheduled_id, account_id, scheduled_at, draft)


_COLUMNS = (
    scheduled_posts.c.id,
    scheduled_posts.c.account_id,
    scheduled_posts.c.scheduled_at,
    scheduled_posts.c.draft,
)
_SCHEDULE = Prebuilt(
    insert(scheduled_posts).values(
        {c: bindparam(c) for c in ("id", "account_id", "scheduled_at", "draft", "created_at")}
    )
)
_OWN = Prebuilt(
    select(*_COLUMNS).where(
        scheduled_posts.c.id == bindparam("id"), scheduled_posts.c.account_id == bindparam("author")
    )
)
_COUNT = Prebuilt(
    select(scheduled_posts.c.id).where(scheduled_posts.c.account_id == bindparam("author"))
)
_LISTING = KeyListing(
    select(*_COLUMNS).where(scheduled_posts.c.account_id == bindparam("author")),
    scheduled_posts.c.id,
)
_DUE = Prebuilt(
    select(*_COLUMNS)
    .where(scheduled_posts.c.scheduled_at <= bindparam("now"))
    .order_by(scheduled_posts.c.scheduled_at, scheduled_posts.c.id)
    .limit(_PUBLISHED_PER_STEP)
)
_CLAIM = Prebuilt(delete(scheduled_posts).where(scheduled_posts.c.id == bindparam("id")))


class ScheduledPosts:
    def __init__(self, context: Context, posts: Posts) -> None:
        self._ctx = context
        self._posts = posts

    def schedule(self, author_id: int, draft: PostDraft, at: datetime) -> ScheduledPost:
        """Keep `draft` to be published at `at`, at least `MIN_SCHEDULING_DELAY` ahead."""
        if draft.media_ids:
            # Uploads no post takes within a day are pruned; a scheduled draft would lose them.
            raise InvalidPostError(
                "A scheduled post cannot carry images yet; post it with its images when it "
                "is time, or schedule the text alone."
            )
        checked = check_draft(draft)
        self._check_time(at)
        with self._ctx.db.write() as c:
            if len(_COUNT.scalars(c, author=author_id)) >= _MAX_SCHEDULED:
                raise InvalidPostError(
                    f"At most {_MAX_SCHEDULED} posts can wait to be published; "
                    "publish or cancel some first."
                )
            scheduled_id = self._ctx.ids.next_id()
            _SCHEDULE.run(
                c,
                id=scheduled_id,
                account_id=author_id,
                scheduled_at=at,
                draft=_encoded(checked),
                created_at=self._ctx.clock.now(),
            )
        return ScheduledPost(scheduled_id, author_id, at, checked)

    def list(self, author_id: int, page: Page) -> list[ScheduledPost]:
        """The author's posts waiting to be published, the latest scheduled first."""
        with self._ctx.db.read() as c:
            batches = _LISTING.batches(c, author=author_id)
            return page_views(batches, page, lambda rows: [_decoded(r) for r in rows])

    def get(self, author_id: int, scheduled_id: int) -> ScheduledPost:
        with self._ctx.db.read() as c:
            return self._own(c, author_id, scheduled_id)

    def reschedule(self, author_id: int, scheduled_id: int, at: datetime) -> ScheduledPost:
        self._check_time(at)
        with self._ctx.db.write() as c:
            self._own(c, author_id, scheduled_id)
            c.execute(
                update(scheduled_posts)
                .where(scheduled_posts.c.id == scheduled_id)
                .values(scheduled_at=at)
            )
            return self._own(c, author_id, scheduled_id)

    def cancel(self, author_id: int, scheduled_id: int) -> None:
        with self._ctx.db.write() as c:
            self._own(c, author_id, scheduled_id)
            _CLAIM.run(c, id=scheduled_id)

    def publish_due(self) -> int:
        """Publish the drafts whose time has come (up to 100 a call); how many were. A
        draft that can no longer be published — the post it replied to is gone, say — is
        dropped and logged: waiting would not mend it."""
        published = 0
        with self._ctx.db.write() as c:
            for row in _DUE.rows(c, now=self._ctx.clock.now()):
                if not _CLAIM.run(c, id=row[0]):
                    continue  # another server published it
                try:
                    with c.begin_nested():
                        scheduled = _decoded(row)
                        self._posts.create(scheduled.account_id, scheduled.draft, conn=c)
                    published += 1
                except MicroblogError as refused:
                    _log.warning("scheduled post %s dropped: %s", row[0], refused)
                except Exception:
                    # Not one draft holding up all those due after it, tick after tick.
                    _log.exception("scheduled post %s could not be published; dropped", row[0])
        return published

    def _check_time(self, at: datetime) -> None:
        earliest = self._ctx.clock.now() + MIN_SCHEDULING_DELAY
        if at < earliest:
            minutes = int(MIN_SCHEDULING_DELAY.total_seconds() // 60)
            raise InvalidPostError(
                f"scheduled_at must be at least {minutes} minutes ahead; to post now, leave it out."
            )

    @staticmethod
    def _own(c: Connection, author_id: int, scheduled_id: int) -> ScheduledPost:
        found = _OWN.rows(c, id=scheduled_id, author=author_id)
        if not found:
            raise ScheduledPostNotFoundError(f"No scheduled post of yours has id {scheduled_id}.")
        return _decoded(found[0])
