"""A post's versions: what it said before each edit, kept and shown (Mastodon's status
history), so an edit cannot quietly rewrite what was answered, shared or moderated."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, select

from townsquare.kernel import SnowflakeGenerator
from townsquare.microblog._models import Post, PostVisibility
from townsquare.storage import Prebuilt
from townsquare.storage.tables import post_versions, posts

__all__ = ["PostVersion", "current_version", "earlier_versions", "edit_times", "keep_version"]


@dataclass(frozen=True)
class PostVersion:
    """What a post said from `created_at` until its next version (or until now)."""

    text: str
    content_html: str
    spoiler_text: str
    sensitive: bool
    language: str | None
    created_at: datetime


def current_version(post: Post) -> PostVersion:
    """The version the post's own row holds: written when it was created or last edited."""
    return PostVersion(
        text=post.text,
        content_html=post.content_html,
        spoiler_text=post.spoiler_text,
        sensitive=post.sensitive,
        language=post.language,
        created_at=post.edited_at or post.created_at,
    )


def keep_version(conn: Connection, ids: SnowflakeGenerator, post: Post) -> None:
    """Store the post's current version before an edit replaces it (in the edit's
    transaction)."""
    version = current_version(post)
    _KEEP.run(
        conn,
        id=ids.next_id(),
        post_id=post.id,
        text=version.text,
        content_html=version.content_html,
        spoiler_text=version.spoiler_text,
        sensitive=version.sensitive,
        language=version.language,
        created_at=version.created_at,
    )


def earlier_versions(conn: Connection, post_id: int) -> list[PostVersion]:
    """The versions the post had before its current one, oldest first."""
    return [PostVersion(*row) for row in _EARLIER.rows(conn, post_id=post_id)]


def edit_times(conn: Connection, post_id: int) -> list[datetime]:
    """When each edit of the post was made, oldest first: every version but the first
    began with one. None for a post never edited, gone, or not open to all (its receipt is
    public, and would otherwise tell of a followers-only or direct post)."""
    found = _EDITED_AT.rows(conn, post_id=post_id)
    if not found or found[0][0] is None or not PostVisibility(found[0][1]).is_open:
        return []
    return [*_STARTED.scalars(conn, post_id=post_id)[1:], found[0][0]]


_VERSION_FIELDS = ("text", "content_html", "spoiler_text", "sensitive", "language", "created_at")
_KEEP = Prebuilt(
    insert(post_versions).values(
        {name: bindparam(name) for name in ("id", "post_id", *_VERSION_FIELDS)}
    )
)
_EARLIER = Prebuilt(
    select(*(post_versions.c[name] for name in _VERSION_FIELDS))
    .where(post_versions.c.post_id == bindparam("post_id"))
    .order_by(post_versions.c.id)
)
_STARTED = Prebuilt(
    select(post_versions.c.created_at)
    .where(post_versions.c.post_id == bindparam("post_id"))
    .order_by(post_versions.c.id)
)
_EDITED_AT = Prebuilt(
    select(posts.c.edited_at, posts.c.visibility).where(posts.c.id == bindparam("post_id"))
)
