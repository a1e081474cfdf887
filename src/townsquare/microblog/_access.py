"""Who may read a post at all, before any moderation: audience and blocks."""

from sqlalchemy import ColumnElement, Connection, Table, and_, bindparam, select, union

from townsquare.microblog._models import Post, PostVisibility
from townsquare.storage import Prebuilt
from townsquare.storage.tables import blocks, follows, mutes, post_mentions

__all__ = ["can_read", "hidden_account_ids"]


def can_read(conn: Connection, viewer_id: int | None, post: Post) -> bool:
    """True when the viewer is in the post's audience and the author does not block them.

    Followers-only posts are readable by the author, their followers and those mentioned.
    """
    if viewer_id == post.account_id:
        return True
    if viewer_id is not None and _exists(
        conn, blocks, blocks.c.account_id == post.account_id, blocks.c.target_id == viewer_id
    ):
        return False
    if post.visibility != PostVisibility.PRIVATE:
        return True
    if viewer_id is None:
        return False
    return _exists(
        conn, follows, follows.c.account_id == viewer_id, follows.c.target_id == post.account_id
    ) or _exists(
        conn,
        post_mentions,
        post_mentions.c.post_id == post.id,
        post_mentions.c.account_id == viewer_id,
    )


def _exists(conn: Connection, table: Table, *conditions: ColumnElement[bool]) -> bool:
    query = select(1).select_from(table).where(and_(*conditions)).limit(1)
    return conn.execute(query).first() is not None


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
