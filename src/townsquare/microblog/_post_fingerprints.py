"""Storing post fingerprints and reading a post's copy candidates (`fingerprints` is the
pure side). A post's fingerprint is written in the transaction that writes the post, so
no post with text is ever without one once the backfill has run. A post with no text at all
(an image alone) has none: every empty text is identical to every other, which would make
each such post a copy of all the others; its images have their own hashes
(`_image_copies.py`)."""

from dataclasses import dataclass

import numpy as np
from sqlalchemy import Connection, and_, bindparam, delete, insert, or_, select

from townsquare.microblog.fingerprints import (
    DEFAULT_PARAMETERS,
    Signature,
    band_buckets,
    signature,
)
from townsquare.storage import Prebuilt
from townsquare.storage.tables import post_fingerprint_bands, post_fingerprints, posts

__all__ = [
    "CopyCandidate",
    "copy_candidates",
    "fill_missing_fingerprints",
    "fingerprint_text",
    "record_fingerprint",
    "replace_fingerprint",
]

_BACKFILL_BATCH = 500


@dataclass(frozen=True)
class CopyCandidate:
    """A post sharing at least one band bucket with another: its id, text and signature."""

    post_id: int
    account_id: int
    text: str
    signature: Signature


def fingerprint_text(spoiler_text: str, text: str) -> str:
    """What a post is fingerprinted on: its content warning and its text, as search sees it."""
    return f"{spoiler_text} {text}".strip()


def record_fingerprint(conn: Connection, post_id: int, text: str) -> None:
    """Store the post's signature and band buckets: with its creation, or by the backfill
    (an edit replaces them: `replace_fingerprint`)."""
    sig = signature(text, DEFAULT_PARAMETERS)
    _FINGERPRINT.run(conn, post_id=post_id, signature=_packed(sig))
    rows = [
        {"band": band, "bucket": bucket, "post_id": post_id}
        for band, bucket in enumerate(band_buckets(sig, DEFAULT_PARAMETERS))
    ]
    _BANDS.run_many(conn, rows)


def replace_fingerprint(conn: Connection, post_id: int, text: str) -> None:
    """Fingerprint an edited post's new text in place of the old, so copies are found by
    what the post says now."""
    _DROP_BANDS.run(conn, post_id=post_id)
    _DROP_FINGERPRINT.run(conn, post_id=post_id)
    record_fingerprint(conn, post_id, text)


_FINGERPRINT = Prebuilt(insert(post_fingerprints))
_BANDS = Prebuilt(insert(post_fingerprint_bands))
_DROP_FINGERPRINT = Prebuilt(
    delete(post_fingerprints).where(post_fingerprints.c.post_id == bindparam("post_id"))
)
_DROP_BANDS = Prebuilt(
    delete(post_fingerprint_bands).where(post_fingerprint_bands.c.post_id == bindparam("post_id"))
)


def copy_candidates(conn: Connection, post_id: int) -> list[CopyCandidate]:
    """Every other original post (not a repost) sharing a band bucket with `post_id`, by
    id; none if the post has no fingerprint. One statement of indexed lookups: the post's
    buckets by post id, joined to the posts in the same (band, bucket)."""
    own = post_fingerprint_bands.alias("own")
    other = post_fingerprint_bands.alias("other")
    shared = (
        select(other.c.post_id)
        .join_from(own, other, and_(other.c.band == own.c.band, other.c.bucket == own.c.bucket))
        .where(own.c.post_id == post_id, other.c.post_id != post_id)
        .distinct()
        .subquery()
    )
    query = (
        select(posts.c.id, posts.c.account_id, posts.c.spoiler_text, posts.c.text)
        .add_columns(post_fingerprints.c.signature)
        .join_from(shared, posts, posts.c.id == shared.c.post_id)
        .join(post_fingerprints, post_fingerprints.c.post_id == posts.c.id)
        .where(posts.c.reblog_of_id.is_(None))
        .order_by(posts.c.id)
    )
    return [
        CopyCandidate(
            row.id,
            row.account_id,
            fingerprint_text(row.spoiler_text, row.text),
            _unpacked(row.signature),
        )
        for row in conn.execute(query)
    ]


def fill_missing_fingerprints(conn: Connection, limit: int = _BACKFILL_BATCH) -> int:
    """Fingerprint up to `limit` original posts that have none (the backfill, one batch);
    returns how many were done, 0 when none is left."""
    missing = (
        select(posts.c.id, posts.c.spoiler_text, posts.c.text)
        .outerjoin(post_fingerprints, post_fingerprints.c.post_id == posts.c.id)
        .where(
            post_fingerprints.c.post_id.is_(None),
            posts.c.reblog_of_id.is_(None),
            or_(posts.c.text != "", posts.c.spoiler_text != ""),
        )
        .order_by(posts.c.id)
        .limit(limit)
    )
    rows = conn.execute(missing).all()
    for row in rows:
        record_fingerprint(conn, row.id, fingerprint_text(row.spoiler_text, row.text))
    return len(rows)


def _packed(sig: Signature) -> bytes:
    return sig.astype("<u4").tobytes()


def _unpacked(stored: bytes) -> Signature:
    return np.frombuffer(stored, dtype="<u4").astype(np.uint32)
