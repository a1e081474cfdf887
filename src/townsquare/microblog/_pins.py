"""Pins: the few posts of its own an account shows at the top of its profile."""

from sqlalchemy import and_, bindparam, delete, func, select

from townsquare.microblog._context import Context
from townsquare.microblog._errors import InvalidPostError, NotAllowedError
from townsquare.microblog._hydrate import hydrate
from townsquare.microblog._models import Post, PostView
from townsquare.microblog._posts import load_post
from townsquare.microblog._rows import POST_COLUMNS, post_from_values
from townsquare.microblog._visibility import Surface
from townsquare.storage import Prebuilt, prebuilt_insert_ignoring_conflicts
from townsquare.storage.tables import accounts, pins, posts

__all__ = ["MAX_PINNED", "Pins"]

MAX_PINNED = 5  # as Mastodon

_LOCK_ACCOUNT = Prebuilt(
    select(accounts.c.id).where(accounts.c.id == bindparam("id")).with_for_update()
)
_PIN = prebuilt_insert_ignoring_conflicts(
    pins, ("id", "account_id", "post_id", "created_at"), on=("account_id", "post_id")
)
_PINNED_COUNT = Prebuilt(
    select(func.count()).select_from(pins).where(pins.c.account_id == bindparam("account"))
)
_PINNED_POSTS = Prebuilt(
    select(*POST_COLUMNS)
    .join_from(pins, posts, posts.c.id == pins.c.post_id)
    .where(pins.c.account_id == bindparam("account"))
    .order_by(pins.c.id.desc())
)


class Pins:
    def __init__(self, context: Context) -> None:
        self._ctx = context

    def pin(self, actor_id: int, post_id: int) -> Post:
        """Pin one's own post (idempotent); at most `MAX_PINNED`, and never a repost."""
        with self._ctx.db.write() as c:
            # The pinner's row locked (PostgreSQL): two pins at once count one another.
            _LOCK_ACCOUNT.rows(c, id=actor_id)
            post = load_post(c, post_id)
            if post.account_id != actor_id or post.reblog_of_id is not None:
                raise NotAllowedError("Only one's own posts can be pinned, not reposts.")
            if (_PINNED_COUNT.scalars(c, account=actor_id)[0] or 0) >= MAX_PINNED:
                already = c.scalar(
                    select(pins.c.id).where(
                        pins.c.account_id == actor_id, pins.c.post_id == post_id
                    )
                )
                if already is None:
                    raise InvalidPostError(
                        f"At most {MAX_PINNED} posts can be pinned; unpin one first."
                    )
            now = self._ctx.clock.now()
            _PIN.run(
                c, id=self._ctx.ids.next_id(), account_id=actor_id, post_id=post_id, created_at=now
            )
            return post

    def unpin(self, actor_id: int, post_id: int) -> Post:
        with self._ctx.db.write() as c:
            post = load_post(c, post_id)
            c.execute(
                delete(pins).where(and_(pins.c.account_id == actor_id, pins.c.post_id == post_id))
            )
            return post

    def of_account(self, viewer_id: int | None, account_id: int) -> list[PostView]:
        """The account's pinned posts as the viewer may see them on its profile, the latest
        pinned first (followers-only ones for its audience, none the port hides there)."""
        with self._ctx.db.read() as c:
            rows = [post_from_values(r) for r in _PINNED_POSTS.rows(c, account=account_id)]
            return hydrate(c, self._ctx, viewer_id, rows, Surface.PROFILE)
