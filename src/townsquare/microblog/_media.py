"""Media attachments: uploading an image, describing it, attaching it to a post, and
reading its files — the last only for who may see the post it is attached to.

An upload is processed (`process_image`) before anything is written; its two files are put
in the media store before its row is inserted, so no row ever names a missing file (a
failed insert leaves two orphan files, never a broken attachment).
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Connection, delete, select, update

from townsquare.microblog._attachments import (
    INSERT_ATTACHMENT,
    INSERT_HASH_BANDS,
    MediaVariant,
    file_key,
    load_attachment,
    signed_hash,
)
from townsquare.microblog._context import Context
from townsquare.microblog._errors import InvalidMediaError, MediaNotFoundError, PostNotFoundError
from townsquare.microblog._image_hash import hash_bands
from townsquare.microblog._images import process_image
from townsquare.microblog._models import MediaAttachment
from townsquare.microblog._storable import is_storable
from townsquare.microblog._timelines import Timelines
from townsquare.storage.tables import media_attachments

__all__ = ["ABANDONED_AFTER", "MAX_DESCRIPTION", "Media", "MediaFile"]

MAX_DESCRIPTION = 1500  # Mastodon's limit on a description
ABANDONED_AFTER = timedelta(days=1)
"""An upload no post took within this long is abandoned (Mastodon's own delay): a client
uploads, then posts within minutes or gives up."""
_PRUNE_BATCH = 500


@dataclass(frozen=True)
class MediaFile:
    """A file ready to serve: its bytes, content type, and the attachment it belongs to."""

    data: bytes
    content_type: str
    attachment: MediaAttachment


def _checked_description(description: str) -> str:
    if not is_storable(description):
        raise InvalidMediaError(
            "A description cannot contain the NUL character or a lone surrogate code point."
        )
    text = description.strip()
    if len(text) > MAX_DESCRIPTION:
        raise InvalidMediaError(
            f"A description is at most {MAX_DESCRIPTION} characters; this one has {len(text)}."
        )
    return text


def _checked_focus(focus: tuple[float, float]) -> tuple[float, float]:
    x, y = focus
    if not (-1.0 <= x <= 1.0 and -1.0 <= y <= 1.0):
        raise InvalidMediaError("The focus is two numbers from -1 to 1, such as 0.5,-0.25.")
    return x, y


class Media:
    def __init__(self, context: Context, timelines: Timelines) -> None:
        self._ctx = context
        self._timelines = timelines

    def upload(
        self,
        account_id: int,
        data: bytes,
        *,
        description: str = "",
        focus: tuple[float, float] = (0.0, 0.0),
    ) -> MediaAttachment:
        """Process and keep an image for the account, unattached. Raises
        `InvalidMediaError` for what is not an accepted image or breaks a limit."""
        text = _checked_description(description)
        x, y = _checked_focus(focus)
        image = process_image(data, self._ctx.media_limits)
        media_id = self._ctx.ids.next_id()
        store = self._ctx.media_store
        store.put(
            file_key(media_id, MediaVariant.ORIGINAL),
            image.original.data,
            image.original.content_type,
        )
        store.put(
            file_key(media_id, MediaVariant.SMALL), image.small.data, image.small.content_type
        )
        row = {
            "id": media_id,
            "account_id": account_id,
            "post_id": None,
            "position": None,
            "description": text,
            "focus_x": round(x * 1000),
            "focus_y": round(y * 1000),
            "content_type": image.original.content_type,
            "width": image.original.width,
            "height": image.original.height,
            "size": len(image.original.data),
            "small_content_type": image.small.content_type,
            "small_width": image.small.width,
            "small_height": image.small.height,
            "small_size": len(image.small.data),
            "blurhash": image.blurhash,
            "phash": signed_hash(image.phash),
            "created_at": self._ctx.clock.now(),
        }
        with self._ctx.db.write() as c:
            INSERT_ATTACHMENT.run(c, **row)
            INSERT_HASH_BANDS.run_many(
                c,
                [
                    {"band": band, "bucket": bucket, "media_id": media_id}
                    for band, bucket in enumerate(hash_bands(image.phash))
                ],
            )
            return self._load(c, media_id)

    def own(self, account_id: int, media_id: int) -> MediaAttachment:
        """One of the account's uploads, attached or not; another's is not found."""
        with self._ctx.db.read() as c:
            found = self._load(c, media_id)
        if found.account_id != account_id:
            raise MediaNotFoundError(f"No media attachment has id {media_id}.")
        return found

    def describe(
        self,
        account_id: int,
        media_id: int,
        *,
        description: str | None = None,
        focus: tuple[float, float] | None = None,
    ) -> MediaAttachment:
        """Change one's own upload's description or focus (later too, once attached, as
        Mastodon allows)."""
        changes: dict[str, object] = {}
        if description is not None:
            changes["description"] = _checked_description(description)
        if focus is not None:
            x, y = _checked_focus(focus)
            changes["focus_x"], changes["focus_y"] = round(x * 1000), round(y * 1000)
        with self._ctx.db.write() as c:
            found = self._load(c, media_id)
            if found.account_id != account_id:
                raise MediaNotFoundError(f"No media attachment has id {media_id}.")
            if changes:
                c.execute(
                    update(media_attachments)
                    .where(media_attachments.c.id == media_id)
                    .values(changes)
                )
            return self._load(c, media_id)

    def file(self, viewer_id: int | None, media_id: int, variant: MediaVariant) -> MediaFile:
        """A file of the attachment, if the viewer may see it: an unattached one only its
        uploader; an attached one whoever may see its post as opened by its link — the
        visibility port's word, so media of a post moderation removed is not served.
        Anything else is not found."""
        with self._ctx.db.read() as c:
            found = self._load(c, media_id)
        if found.post_id is None:
            if viewer_id != found.account_id:
                raise MediaNotFoundError(f"No media attachment has id {media_id}.")
        else:
            try:
                view = self._timelines.post(viewer_id, found.post_id)
            except PostNotFoundError:
                raise MediaNotFoundError(f"No media attachment has id {media_id}.") from None
            if not view.presentation.visible:
                raise MediaNotFoundError(f"No media attachment has id {media_id}.")
        small = variant == MediaVariant.SMALL
        return MediaFile(
            data=self._ctx.media_store.get(file_key(media_id, variant)),
            content_type=found.small_content_type if small else found.content_type,
            attachment=found,
        )

    def prune_abandoned(self, older_than: timedelta = ABANDONED_AFTER) -> int:
        """Delete one batch of uploads that no post took within `older_than`, rows first,
        then their files (a failure leaves orphan files, never a row without its files);
        returns how many, 0 when none is left."""
        cutoff = self._ctx.clock.now() - older_than
        with self._ctx.db.write() as c:
            ids = list(
                c.scalars(
                    select(media_attachments.c.id)
                    .where(
                        media_attachments.c.post_id.is_(None),
                        media_attachments.c.created_at < cutoff,
                    )
                    .order_by(media_attachments.c.id)
                    .limit(_PRUNE_BATCH)
                )
            )
            if ids:  # a post may have taken one meanwhile: only those still untaken go
                gone = c.execute(
                    delete(media_attachments)
                    .where(media_attachments.c.id.in_(ids), media_attachments.c.post_id.is_(None))
                    .returning(media_attachments.c.id)
                )
                ids = list(gone.scalars())
        for media_id in ids:
            for variant in MediaVariant:
                self._ctx.media_store.delete(file_key(media_id, variant))
        return len(ids)

    @staticmethod
    def _load(c: Connection, media_id: int) -> MediaAttachment:
        return load_attachment(c, media_id)
