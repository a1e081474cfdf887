"""A post's image copy candidates: the other posts with an image whose perceptual hash is
close to one of its own. The counterpart, for images, of the text fingerprints'
`copy_candidates`: moderation lists both the same way (moderation/_copies.py).

Candidates come from an indexed lookup of the 16-bit hash bands (`media_hash_bands`): two
hashes within 3 bits share a band for sure, most within about 10 do. The exact distance is
then counted here.
"""

from dataclasses import dataclass

from sqlalchemy import Connection, and_, select

from townsquare.microblog._image_hash import hash_distance
from townsquare.microblog._post_fingerprints import fingerprint_text
from townsquare.storage.tables import media_attachments, media_hash_bands, posts

__all__ = ["ImageCopyCandidate", "image_copy_candidates"]

_MASK = (1 << 64) - 1


@dataclass(frozen=True)
class ImageCopyCandidate:
    """Another post with a close image: its id, author, text (content warning first), and
    the fewest bits (of 64) in which one of its images differs from one of the post's."""

    post_id: int
    account_id: int
    text: str
    distance: int


def image_copy_candidates(conn: Connection, post_id: int) -> list[ImageCopyCandidate]:
    """Every other original post (not a repost) with an image sharing a hash band with one
    of `post_id`'s images, by id; none if it has no image. One statement of indexed
    lookups, as for text."""
    mine = media_attachments.alias("mine")
    own_bands = media_hash_bands.alias("own_bands")
    other_bands = media_hash_bands.alias("other_bands")
    theirs = media_attachments.alias("theirs")
    query = (
        select(
            posts.c.id,
            posts.c.account_id,
            posts.c.spoiler_text,
            posts.c.text,
            mine.c.phash.label("own_hash"),
            theirs.c.phash.label("their_hash"),
        )
        .select_from(mine)
        .join(own_bands, own_bands.c.media_id == mine.c.id)
        .join(
            other_bands,
            and_(
                other_bands.c.band == own_bands.c.band,
                other_bands.c.bucket == own_bands.c.bucket,
            ),
        )
        .join(theirs, theirs.c.id == other_bands.c.media_id)
        .join(posts, posts.c.id == theirs.c.post_id)
        .where(
            mine.c.post_id == post_id,
            theirs.c.post_id != post_id,
            posts.c.reblog_of_id.is_(None),
        )
        .distinct()
    )
    closest: dict[int, ImageCopyCandidate] = {}
    for row in conn.execute(query):
        distance = hash_distance(row.own_hash & _MASK, row.their_hash & _MASK)
        known = closest.get(row.id)
        if known is None or distance < known.distance:
            text = fingerprint_text(row.spoiler_text, row.text)
            closest[row.id] = ImageCopyCandidate(row.id, row.account_id, text, distance)
    return [closest[key] for key in sorted(closest)]
