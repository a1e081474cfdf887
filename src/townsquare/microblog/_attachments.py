"""Attachments in the database: which images a page of posts has (one query), and giving
a new post its author's uploads. The service that uploads and serves them is `_media.py`.
"""

from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from townsquare.microblog._errors import InvalidPostError, MediaNotFoundError
from townsquare.microblog._models import MediaAttachment
from townsquare.storage import Prebuilt, member_of
from townsquare.storage.tables import media_attachments, media_hash_bands

__all__ = [
    "INSERT_ATTACHMENT",
    "INSERT_HASH_BANDS",
    "MAX_ATTACHMENTS",
    "MediaVariant",
    "attach_media",
    "file_key",
    "load_attachment",
    "media_of_posts",
    "signed_hash",
]

MAX_ATTACHMENTS = 4


class MediaVariant(StrEnum):
    ORIGINAL = "original"
    SMALL = "small"


_ATTACHMENT_COLUMNS = (
    media_attachments.c.id,
    media_attachments.c.account_id,
    media_attachments.c.post_id,
    media_attachments.c.description,
    media_attachments.c.focus_x,
    media_attachments.c.focus_y,
    media_attachments.c.content_type,
    media_attachments.c.width,
    media_attachments.c.height,
    media_attachments.c.size,
    media_attachments.c.small_content_type,
    media_attachments.c.small_width,
    media_attachments.c.small_height,
    media_attachments.c.small_size,
    media_attachments.c.blurhash,
)
_ONE = Prebuilt(select(*_ATTACHMENT_COLUMNS).where(media_attachments.c.id == bindparam("id")))
_OF_POSTS = Prebuilt(
    select(*_ATTACHMENT_COLUMNS)
    .where(member_of(media_attachments.c.post_id, "ids"))
    .order_by(media_attachments.c.post_id, media_attachments.c.position)
)
INSERT_ATTACHMENT = Prebuilt(insert(media_attachments))
INSERT_HASH_BANDS = Prebuilt(insert(media_hash_bands))
_ATTACH = Prebuilt(
    update(media_attachments)
    .where(
        media_attachments.c.id == bindparam("media_id"),
        media_attachments.c.account_id == bindparam("author"),
        media_attachments.c.post_id.is_(None),
    )
    .values(post_id=bindparam("post_id"), position=bindparam("at"))
)


def _attachment(row: Any) -> MediaAttachment:
    values = list(row)
    values[4], values[5] = values[4] / 1000, values[5] / 1000  # the focus, in thousandths
    return MediaAttachment(*values)


def signed_hash(value: int) -> int:
    """A 64-bit unsigned hash as the signed 64-bit integer both databases store."""
    return value - (1 << 64) if value >= 1 << 63 else value


def file_key(media_id: int, variant: MediaVariant) -> str:
    return f"{media_id}/{variant.value}"


def media_of_posts(
    conn: Connection, post_ids: Sequence[int]
) -> dict[int, tuple[MediaAttachment, ...]]:
    """The attachments of each of `post_ids` that has some, in order (one query)."""
    found: dict[int, list[MediaAttachment]] = {}
    if post_ids:
        for row in _OF_POSTS.rows(conn, ids=post_ids):
            attachment = _attachment(row)
            found.setdefault(attachment.post_id or 0, []).append(attachment)
    return {post_id: tuple(items) for post_id, items in found.items()}


def attach_media(
    conn: Connection,
    author_id: int,
    post_id: int,
    media_ids: Sequence[int],
    *,
    require_description: bool,
) -> None:
    """Give the post the author's unattached media, in the order given. Raises
    `InvalidPostError` naming what cannot be attached (another's, attached already,
    unknown, or without the description the server requires)."""
    if len(media_ids) > MAX_ATTACHMENTS:
        raise InvalidPostError(f"A post has at most {MAX_ATTACHMENTS} media attachments.")
    if len(set(media_ids)) != len(media_ids):
        raise InvalidPostError("The same media attachment is given twice.")
    for position, media_id in enumerate(media_ids):
        rows = _ONE.rows(conn, id=media_id)
        found = _attachment(rows[0]) if rows else None
        undescribed = (
            found is not None and found.account_id == author_id and not found.description.strip()
        )
        if require_description and undescribed:
            raise InvalidPostError(
                f"Media attachment {media_id} has no description. This server asks for a "
                "description (alt text) of every image, so that people who cannot see it "
                "know what it shows: add one, then post again."
            )
        # The update's own conditions decide, not the read above: of two posts taking the
        # same upload at once, the second finds it taken once the first commits.
        if not _ATTACH.run(conn, media_id=media_id, author=author_id, post_id=post_id, at=position):
            raise InvalidPostError(
                f"Media attachment {media_id} cannot be attached: it is not one of your "
                "uploads, or it is attached to another post already."
            )


def load_attachment(c: Connection, media_id: int) -> MediaAttachment:
    rows = _ONE.rows(c, id=media_id)
    if not rows:
        raise MediaNotFoundError(f"No media attachment has id {media_id}.")
    return _attachment(rows[0])
