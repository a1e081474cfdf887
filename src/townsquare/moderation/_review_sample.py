"""Which decisions a draw picks for a blind second review, as a pure function anyone can
recompute from the public ledger (docs/design/second-reviews.md).

(1) The candidates are the ledger's decisions on posts, restorations excepted, among the
first `tree_size` entries (those a signed checkpoint covers), less those an earlier draw
picked. (2) The seed is that checkpoint's root hash: public, fixed by the whole log, so the
operator does not choose it. (3) Each candidate is ranked by SHA-256 of a fixed label, the
seed and its leaf hash; the `count` lowest ranks are drawn. Sorting by a hash makes the
draw independent of the order the candidates are listed in, and needs nothing but SHA-256
to check.
"""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from townsquare.ledger import Entry, LedgerError, decode_entry, leaf_hash
from townsquare.moderation._policies import ActionKind
from townsquare.moderation._reasons import DECISION_ENTRY_TYPE, DECISION_ENTRY_VERSIONS

__all__ = [
    "REVIEW_DRAW_ENTRY_TYPE",
    "REVIEW_DRAW_ENTRY_VERSION",
    "DrawCandidate",
    "draw_rank",
    "draw_sample",
    "is_candidate_entry",
    "log_candidates",
]

REVIEW_DRAW_ENTRY_TYPE = "audit.review_draw"
REVIEW_DRAW_ENTRY_VERSION = 1
_RANK_LABEL = b"townsquare-review-draw/1\x00"  # a hash of its own: no other use collides


@dataclass(frozen=True, order=True)
class DrawCandidate:
    """A decision that may be drawn: its entry's index in the ledger and its leaf hash."""

    index: int
    leaf_hash: bytes


def draw_rank(seed: bytes, candidate: DrawCandidate) -> bytes:
    """SHA-256(label || seed || leaf hash): the lower, the sooner the candidate is drawn."""
    return hashlib.sha256(_RANK_LABEL + seed + candidate.leaf_hash).digest()


def draw_sample(
    candidates: Iterable[DrawCandidate], seed: bytes, count: int
) -> tuple[DrawCandidate, ...]:
    """The `count` candidates of lowest rank under `seed` (all of them when fewer), in
    ledger order. A pure function of the set of candidates and the seed: the order they
    come in does not matter, and a repeated candidate counts once."""
    ordered = sorted(set(candidates))
    ranked = sorted(ordered, key=lambda candidate: (draw_rank(seed, candidate), candidate))
    return tuple(sorted(ranked[: max(count, 0)]))


def is_candidate_entry(entry: Entry) -> bool:
    """Whether a decoded entry is a decision on a post other than a restoration."""
    if entry.type != DECISION_ENTRY_TYPE or entry.version not in DECISION_ENTRY_VERSIONS:
        return False
    target = entry.fields.get("target")
    on_post = isinstance(target, dict) and target.get("kind") == "post"
    return on_post and entry.fields.get("action") != ActionKind.RESTORE.value


def log_candidates(entries: Sequence[bytes], tree_size: int) -> tuple[DrawCandidate, ...]:
    """Step (1) from the ledger alone: the candidates among `entries[:tree_size]`, less the
    decisions drawn by any `audit.review_draw` entry in `entries` (give the entries before
    the draw being checked). An entry that does not decode is not a candidate."""
    drawn: set[int] = set()
    found = []
    for index, data in enumerate(entries):
        try:
            entry = decode_entry(data)
        except LedgerError:
            continue
        if entry.type == REVIEW_DRAW_ENTRY_TYPE:
            drawn.update(_indices(entry.fields.get("drawn")))
        elif index < tree_size and is_candidate_entry(entry):
            found.append(DrawCandidate(index, leaf_hash(data)))
    return tuple(candidate for candidate in found if candidate.index not in drawn)


def _indices(value: object) -> list[int]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, int)]
