"""The meta-scorer's InsufficientExplanation rule on the final status.

The reference (`scoring_rules.InsufficientExplanation`, run last by `run_scoring.meta_score`)
shows a helpful note with its two most used helpful tags and a not-helpful note with its two
most used not-helpful tags; a tag counts when at least 2 ratings gave it. A helpful or
not-helpful note without two such tags needs more ratings. The counts are over every rating
of the note, whichever scorer read it (`_compute_note_stats`), not only the Core ratings.
"""

import numpy as np
import numpy.typing as npt

from townsquare.notes.scoring._indexed import IndexedInput
from townsquare.notes.scoring._parameters import ExplanationThresholds

__all__ = ["unexplained"]

Flags = npt.NDArray[np.bool_]


def unexplained(
    indexed: IndexedInput, helpful: Flags, not_helpful: Flags, t: ExplanationThresholds
) -> Flags:
    """By note index: the `helpful` notes with too few helpful tags and the `not_helpful`
    notes with too few not-helpful tags (module docstring)."""
    return (helpful & ~_explained(indexed, indexed.helpful_tags, t)) | (
        not_helpful & ~_explained(indexed, indexed.not_helpful_tags, t)
    )


def _explained(
    indexed: IndexedInput, tags: npt.NDArray[np.bool_], t: ExplanationThresholds
) -> Flags:
    """Notes with at least `min_tags` columns of `tags` given by `min_ratings_per_tag` ratings."""
    size = indexed.num_notes
    counts = [np.bincount(indexed.note[column], minlength=size) for column in tags.T]
    if not counts:
        return np.zeros(size, dtype=np.bool_)
    given = np.stack(counts, axis=1) >= t.min_ratings_per_tag
    flags: Flags = given.sum(axis=1) >= t.min_tags
    return flags
