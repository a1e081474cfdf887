"""Copies of a case's post: what a moderator decides consistently, one by one.

`copies_of` finds the posts whose text is identical or nearly so to a post's (the
microblog's fingerprints give the candidates by an indexed lookup; their similarity is the
exact Jaccard index of the two texts' shingles), and the posts with an image that copies
one of its images (the microblog's perceptual hashes give those candidates the same way;
their similarity is the share of the 64 hash bits that agree, and they count only within
`IMAGE_COPY_DISTANCE` bits). A copy is listed when its similarity, the greater of the two,
is at least `COPY_THRESHOLD`. `copy_decisions` makes one `Decision` per chosen copy, each
citing the same clause, saying in its facts that it is a copy and how similar, and linking
to the original's action through `copy_of` — never a rule on a word: each copy is named,
enforced and logged on its own (docs/design/copies.md).
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection, and_, or_, select

from townsquare.ledger import decode_entry
from townsquare.microblog import copy_candidates, fingerprint_text, image_copy_candidates
from townsquare.microblog.fingerprints import exact_similarity
from townsquare.moderation._decisions import Action, CopyOf, Decision, PostTarget
from townsquare.moderation._errors import InvalidDecisionError
from townsquare.moderation._policies import ActionKind
from townsquare.storage.tables import moderation_actions, moderation_restrictions, posts

__all__ = [
    "COPIES_LISTED",
    "COPY_THRESHOLD",
    "IMAGE_COPY_DISTANCE",
    "Copy",
    "CoveredCopy",
    "copies_covered",
    "copies_of",
    "copy_decisions",
    "similarity_text",
]

COPY_THRESHOLD = 0.7
"""The least similarity of a listed copy. A 5-character-shingle Jaccard index of 0.7 is
about one word in six or seven changed; below it, texts share a phrase more than they copy
each other. The LSH bands make a pair at 0.7 a candidate with probability 0.975."""


IMAGE_COPY_DISTANCE = 10
"""The most bits (of 64) in which the perceptual hashes of an image and its copy differ: a
resized, recompressed or lightly cropped copy stays well within it (a few bits), unrelated
images are around 32 apart. Its similarity, 1 - 10/64, is above `COPY_THRESHOLD`."""

_CHUNK = 1000
COPIES_LISTED = 100
"""The most copies a case page lists (the most similar): a text pasted thousands of times is
decided a hundred at a time, the decided ones leaving the list."""


@dataclass(frozen=True)
class Copy:
    """A post copying another: its id, author and text (content warning first), its
    similarity (0.7 to 1), and whether that is its image's (else its text's)."""

    post_id: int
    account_id: int
    text: str
    similarity: float
    by_image: bool = False


@dataclass(frozen=True)
class CoveredCopy:
    """A copy a decision covered, as its own ledger entry says: the copy's action and post,
    and the similarity recorded (a decimal string)."""

    action_id: int
    post_id: int
    similarity: str


def copies_of(
    conn: Connection,
    post_id: int,
    now: datetime,
    *,
    deciding: ActionKind | None = None,
    moderator_id: int | None = None,
    limit: int | None = COPIES_LISTED,
) -> list[Copy]:
    """The copies of `post_id`, most similar first (at most `limit`; None: all), leaving out
    those already decided the same way: with `deciding`, a copy with a restriction of that
    kind in force; without it (before the moderator chose), a copy with any restriction in
    force on it. With `moderator_id`, that moderator's own posts are left out (they may not
    act on them)."""
    found: dict[int, Copy] = {}
    # A post copying both ways is listed once, by the greater similarity (the text's on a tie).
    for copy in [*_image_copies(conn, post_id), *_text_copies(conn, post_id)]:
        known = found.get(copy.post_id)
        if known is None or copy.similarity >= known.similarity:
            found[copy.post_id] = copy
    similar = [
        c for c in found.values() if c.similarity >= COPY_THRESHOLD and c.account_id != moderator_id
    ]
    decided = _decided(conn, [c.post_id for c in similar], now, deciding)
    copies = [c for c in similar if c.post_id not in decided]
    return sorted(copies, key=lambda c: (-c.similarity, c.post_id))[:limit]


def _text_copies(conn: Connection, post_id: int) -> list[Copy]:
    candidates = copy_candidates(conn, post_id)
    if not candidates:
        return []
    original = _text(conn, post_id)
    return [
        Copy(c.post_id, c.account_id, c.text, exact_similarity(original, c.text))
        for c in candidates
    ]


def _image_copies(conn: Connection, post_id: int) -> list[Copy]:
    return [
        Copy(c.post_id, c.account_id, c.text, 1 - c.distance / 64, by_image=True)
        for c in image_copy_candidates(conn, post_id)
        if c.distance <= IMAGE_COPY_DISTANCE
    ]


def copy_decisions(
    original: Action, chosen: Sequence[int], copies: Sequence[Copy]
) -> list[Decision]:
    """One decision per chosen copy, derived from the original's (pure). Raises
    `InvalidDecisionError` for a chosen post that is not among `copies`."""
    by_post = {c.post_id: c for c in copies}
    strangers = [p for p in chosen if p not in by_post]
    if strangers:
        raise InvalidDecisionError(
            f"copies: posts {strangers} are not copies of the case's post (or are already "
            "decided the same way)"
        )
    decided = original.decision
    if not isinstance(decided.target, PostTarget):
        raise InvalidDecisionError("copies: only a decision on a post covers copies")
    on_post = decided.target.post_id
    return [
        _copy_decision(decided, original.id, on_post, by_post[post_id])
        for post_id in dict.fromkeys(chosen)
    ]


def _copy_decision(decided: Decision, action_id: int, original_post: int, copy: Copy) -> Decision:
    shown = similarity_text(copy.similarity)
    what = "This post's image is a copy" if copy.by_image else "This post is a copy"
    said = (
        f"{decided.facts}\n\n{what} (similarity {shown}) of post "
        f"{original_post}, decided the same way by action {action_id}."
    )
    return replace(
        decided,
        target=PostTarget(copy.post_id),
        facts=said,
        # Detected by fingerprint matching; decided by the moderator who chose the copy.
        automated_detection=True,
        # The copy has no case of its own: its reporters, if any, were not told of it.
        case_id=None,
        approval=None,
        copy_of=CopyOf(action_id, original_post, float(shown)),
    )


def similarity_text(similarity: float) -> str:
    """A similarity as written in entries and shown: two places, rounded down, so that only
    an identical text ever reads as 1.00."""
    return f"{math.floor(round(similarity * 100, 6)) / 100:.2f}"


def copies_covered(conn: Connection, action_id: int) -> list[CoveredCopy]:
    """The copies decision `action_id` covered, from their entries, oldest first."""
    query = (
        select(moderation_actions.c.id, moderation_actions.c.post_id, moderation_actions.c.entry)
        .where(moderation_actions.c.copy_of_id == action_id)
        .order_by(moderation_actions.c.id)
    )
    covered = []
    for row in conn.execute(query):
        link = decode_entry(row.entry).fields.get("copy_of")
        similarity = link.get("similarity") if isinstance(link, Mapping) else None
        covered.append(CoveredCopy(row.id, row.post_id, str(similarity or "")))
    return covered


def _text(conn: Connection, post_id: int) -> str:
    row = conn.execute(
        select(posts.c.spoiler_text, posts.c.text).where(posts.c.id == post_id)
    ).one()
    return fingerprint_text(row.spoiler_text, row.text)


def _decided(
    conn: Connection, post_ids: list[int], now: datetime, kind: ActionKind | None
) -> set[int]:
    """The posts among `post_ids` with a restriction in force (of `kind`, when given); asked
    in chunks, since a text pasted thousands of times would overflow one IN list."""
    table = moderation_restrictions
    in_force = or_(table.c.ends_at.is_(None), table.c.ends_at > now)
    if kind is not None:
        in_force = and_(in_force, table.c.kind == kind.value)
    found: set[int] = set()
    for start in range(0, len(post_ids), _CHUNK):
        chunk = post_ids[start : start + _CHUNK]
        query = select(table.c.post_id).where(table.c.post_id.in_(chunk), in_force)
        found.update(conn.execute(query).scalars())
    return found
