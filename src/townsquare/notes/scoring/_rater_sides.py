"""How a note's ratings split between the two sides of the rater factor.

The reference's `note_ratings.get_note_counts_by_rater_sign`: the ratings of raters that have
a fitted factor, split into a negative side (factor < 0) and the other side. RatioCRNH reads
each side's size and mean rating; MinMinorityRaters and RaterBalance read the smaller side's
net helpful count (helpful minus not helpful, at least 0) and that count over all the ratings.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from townsquare.notes.scoring._indexed import IndexedInput

__all__ = ["RaterSides", "rater_sides"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class RaterSides:
    """Per note (input index); see the module docstring."""

    min_sign_count: Ints
    negative_mean: Floats
    positive_mean: Floats
    net_min_helpful: Ints
    net_min_helpful_ratio: Floats


def rater_sides(indexed: IndexedInput, rater_factor: Floats) -> RaterSides:
    """`rater_factor` by participant index, NaN for raters without one."""
    factor = rater_factor[indexed.rater]
    counted = ~np.isnan(factor)
    negative = counted & (factor < 0)
    positive = counted & ~negative
    size = indexed.num_notes

    def per_note(rows: npt.NDArray[np.bool_], weights: Floats | None = None) -> Floats:
        w = None if weights is None else weights[rows]
        return np.bincount(indexed.note[rows], weights=w, minlength=size).astype(np.float64)

    helpful_minus_not = (indexed.value == 1.0).astype(np.float64) - (indexed.value == 0.0)
    negative_count, positive_count = per_note(negative), per_note(positive)
    net = np.minimum(per_note(negative, helpful_minus_not), per_note(positive, helpful_minus_not))
    net_min = np.clip(net, 0, None)
    total = negative_count + positive_count
    with np.errstate(invalid="ignore", divide="ignore"):
        return RaterSides(
            min_sign_count=np.minimum(negative_count, positive_count).astype(np.int64),
            negative_mean=per_note(negative, indexed.value) / negative_count,
            positive_mean=per_note(positive, indexed.value) / positive_count,
            net_min_helpful=net_min.astype(np.int64),
            net_min_helpful_ratio=np.where(total > 0, net_min / total, 0.0),
        )
