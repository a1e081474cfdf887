"""Who may read a post at all, before any moderation: audience and blocks."""

from sqlalchemy import Connection, bindparam, exists, or_, select, union

from townsquare.microblog._models import Post, PostVisibility
from townsquare.storage import Prebuilt
from townsquare.storage.tables import blocks, follows, mutes, post_mentions

__all__ = ["can_read", "hidden_account_ids"]


def can_read(conn: Connection, viewer_id: int | None, post: Post) -> bool:
    """True when the viewer is in the post's audience and the author does not block them.

    Followers-only posts are readable by the author, their followers and those mentioned;
    direct posts by the author and those mentioned only.
    """
    if viewer_id == post.account_id:
        return True
    if post.visibility.is_open:
        return (
            viewer_id is None
            or not _BLOCKED.scalars(conn, author=post.account_id, viewer=viewer_id)[0]
        )
    if viewer_id is None:
        return False
    audience = _MENTIONED if post.visibility == PostVisibility.DIRECT else _IN_AUDIENCE
    found = audience.scalars(conn, author=post.account_id, viewer=viewer_id, post=post.id)
    return bool(found[0])


_BLOCKS_VIEWER = exists().where(
    blocks.c.account_id == bindparam("author"), blocks.c.target_id == bindparam("viewer")
)
_BLOCKED = Prebuilt(select(_BLOCKS_VIEWER))
_IS_MENTIONED = exists().where(
    post_mentions.c.post_id == bindparam("post"),
    post_mentions.c.account_id == bindparam("viewer"),
)
_IN_AUDIENCE = Prebuilt(
    select(
        ~_BLOCKS_VIEWER
        & or_(
            exists().where(
                follows.c.account_id == bindparam("viewer"),
                follows.c.target_id == bindparam("author"),
            ),
            _IS_MENTIONED,
        )
    )
)
_MENTIONED = Prebuilt(select(~_BLOCKS_VIEWER & _IS_MENTIONED))


def hidden_account_ids(conn: Connection, viewer_id: int | None) -> frozenset[int]:
    """Accounts whose posts `viewer_id` does not see: those they block or mute, and those
    who block them."""
    if viewer_id is None:
        return frozenset()
    return frozenset(_HIDDEN.scalars(conn, viewer=viewer_id))


_HIDDEN = Prebuilt(
    union(
        select(blocks.c.target_id).where(blocks.c.account_id == bindparam("viewer")),
        select(mutes.c.target_id).where(mutes.c.account_id == bindparam("viewer")),
        select(blocks.c.account_id).where(blocks.c.target_id == bindparam("viewer")),
    )
)
