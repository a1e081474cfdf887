"""The `audit.review_draw` ledger entry: what a draw of decisions for second review was seeded
by, how many decisions it chose among, and which it drew; and its check against the ledger
before it, which anyone can run (docs/design/second-reviews.md, "Checking a draw").
"""

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from townsquare.ledger import JSON, LedgerError, decode_entry, encode_entry, leaf_hash, root_hash
from townsquare.moderation._review_errors import MalformedReviewDrawError
from townsquare.moderation._review_sample import (
    REVIEW_DRAW_ENTRY_TYPE,
    REVIEW_DRAW_ENTRY_VERSION,
    DrawCandidate,
    draw_sample,
    is_candidate_entry,
    log_candidates,
)

__all__ = ["ReviewDraw", "check_review_draw", "check_review_draws", "review_draw_entry"]

_DRAW_MARKER = b'"audit.review_draw"'  # how the type is written in a canonical entry


@dataclass(frozen=True)
class ReviewDraw:
    """A draw: seeded by the checkpoint of `tree_size` entries with root `root_hash`, it chose
    `drawn` (the decisions' ledger indices) among `candidates` decisions; `asked` is how
    many were asked for."""

    id: int
    drawn_at: datetime
    tree_size: int
    root_hash: bytes
    candidates: int
    asked: int
    drawn: tuple[int, ...]


def review_draw_entry(draw: ReviewDraw) -> bytes:
    """The entry committing to the draw (pure)."""
    fields: dict[str, JSON] = {
        "draw_id": str(draw.id),
        "drawn_at": draw.drawn_at.isoformat(),
        "seed_tree_size": draw.tree_size,
        "seed_root_hash": base64.b64encode(draw.root_hash).decode("ascii"),
        "candidates": draw.candidates,
        "asked": draw.asked,
        "drawn": list(draw.drawn),
    }
    return encode_entry(REVIEW_DRAW_ENTRY_TYPE, REVIEW_DRAW_ENTRY_VERSION, fields)


def check_review_draw(entries: Sequence[bytes], index: int) -> tuple[int, ...]:
    """Recompute the draw logged at `index` from `entries` (the ledger from its first entry
    up to at least `index`) and return what it drew; `MalformedReviewDrawError` saying what
    differs otherwise.

    (1) The seed: the root of the first `seed_tree_size` entries is `seed_root_hash`.
    (2) The candidates: the decisions on posts among them, less those drawn before `index`,
        are `candidates` many. (3) The sample of `asked` under the seed is `drawn`."""
    fields = decode_entry(entries[index]).fields
    size, _, _ = _seed_fields(index, fields)
    leaves = [leaf_hash(entry) for entry in entries[: min(size, index)]]
    return _checked(index, fields, leaves, log_candidates(entries[:index], size))


def check_review_draws(entries: Sequence[bytes]) -> int:
    """`check_review_draw` for every draw in `entries` (the whole ledger, in order), in one
    pass; how many draws there were. A ledger without draws costs one substring search per
    entry, which is what most verifications pay."""
    if not any(_DRAW_MARKER in entry for entry in entries):
        return 0
    leaves = [leaf_hash(entry) for entry in entries]
    pool: list[DrawCandidate] = []  # every decision on a post so far, in ledger order
    drawn: set[int] = set()
    draws = 0
    for index, data in enumerate(entries):
        try:
            entry = decode_entry(data)
        except LedgerError:
            continue  # the verifier refuses a malformed entry before this runs
        if entry.type == REVIEW_DRAW_ENTRY_TYPE:
            size, _, _ = _seed_fields(index, entry.fields)
            left = [c for c in pool if c.index < size and c.index not in drawn]
            drawn.update(_checked(index, entry.fields, leaves[: min(size, index)], left))
            draws += 1
        elif is_candidate_entry(entry):
            pool.append(DrawCandidate(index, leaves[index]))
    return draws


def _checked(
    index: int,
    fields: Mapping[str, JSON],
    leaves: Sequence[bytes],
    candidates: Sequence[DrawCandidate],
) -> tuple[int, ...]:
    """Steps (1) to (3) of `check_review_draw`, given the leaf hashes of the seed's tree
    (cut at `index`) and the candidates left."""
    size, seed, asked = _seed_fields(index, fields)
    if size > index or root_hash(leaves) != seed:  # (1)
        raise MalformedReviewDrawError(
            f"ledger entry {index}: its seed is not the root of the first {size} entries"
        )
    if len(candidates) != fields.get("candidates"):  # (2)
        raise MalformedReviewDrawError(
            f"ledger entry {index}: expected {fields.get('candidates')} candidates, "
            f"found {len(candidates)}"
        )
    drawn = tuple(candidate.index for candidate in draw_sample(candidates, seed, asked))  # (3)
    if list(drawn) != fields.get("drawn"):
        raise MalformedReviewDrawError(
            f"ledger entry {index}: expected drawn {fields.get('drawn')}, recomputed {list(drawn)}"
        )
    return drawn


def _seed_fields(index: int, fields: Mapping[str, JSON]) -> tuple[int, bytes, int]:
    size, raw, asked = (fields.get(key) for key in ("seed_tree_size", "seed_root_hash", "asked"))
    if not (isinstance(size, int) and isinstance(asked, int) and isinstance(raw, str)):
        raise MalformedReviewDrawError(
            f"ledger entry {index}: expected seed_tree_size and asked as whole numbers and "
            "seed_root_hash as base64"
        )
    try:
        return size, base64.b64decode(raw, validate=True), asked
    except ValueError:
        raise MalformedReviewDrawError(
            f"ledger entry {index}: seed_root_hash is not base64: {raw!r}"
        ) from None
