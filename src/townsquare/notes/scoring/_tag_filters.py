"""The two final-scoring filters on not-helpful tags: tag outliers and "Incorrect".

Both keep a note from being helpful when raters close to it in viewpoint tag it unhelpful
more than usual (reference `tag_filter.py`, `incorrect_filter.py`; thresholds in
`TagFilterThresholds`). They read the Core ratings of fitted notes by fitted raters, the
factors of those notes and raters, and the tags.

Tag outliers: (1) z-normalise the note factors over the fitted notes and the rater factors
over the fitted raters; (2) weigh each rating by its distance d = |z_rater - z_note| as
1 / (1 + (d / d_40)^5), d_40 the 40th percentile of d; (3) per note and tag, the adjusted
total (weighted count) and the adjusted ratio (that over the note's summed weights). In
prescoring, the 95th percentile of each tag's ratio over provisionally helpful notes is the
threshold (`tag_thresholds`); in final scoring a note whose total exceeds 2.5 and ratio
exceeds the threshold for some tag is an outlier (`tag_outliers`).

Incorrect: each rater's rate of the Incorrect tag among their not-helpful-tagged ratings;
per note, over the not-helpful-tagged ratings of raters whose clipped factor is near the
note's, the Incorrect count, the number of such raters and the count over
log(1 + their summed rates) (`incorrect_outliers`).
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from townsquare.notes.scoring._indexed import IndexedInput
from townsquare.notes.scoring._inputs import NOT_HELPFUL_TAGS
from townsquare.notes.scoring._parameters import TagFilterThresholds

__all__ = ["TagRatios", "incorrect_outliers", "tag_outliers", "tag_ratios", "tag_thresholds"]

Floats = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class TagRatios:
    """Per note (rows, input index) and not-helpful tag (columns, `NOT_HELPFUL_TAGS`): the
    distance-weighted tag count and its share of the note's weights; NaN for a note with no
    weighed rating."""

    adjusted_total: Floats
    adjusted_ratio: Floats


def tag_ratios(
    indexed: IndexedInput, note_factor: Floats, rater_factor: Floats, t: TagFilterThresholds
) -> TagRatios:
    """`note_factor` by note index and `rater_factor` by participant index, NaN where not
    fitted; only ratings with both are weighed."""
    rows = ~np.isnan(note_factor)[indexed.note] & ~np.isnan(rater_factor)[indexed.rater]
    distance = np.abs(
        _z_normalised(rater_factor)[indexed.rater[rows]]
        - _z_normalised(note_factor)[indexed.note[rows]]
    )
    weight = _weights(distance, t)
    note, size = indexed.note[rows], indexed.num_notes
    total: Floats = (
        np.stack(
            [
                np.bincount(note, weights=weight * tag, minlength=size)
                for tag in indexed.not_helpful_tags[rows].T
            ],
            axis=1,
        )
        .reshape(size, len(NOT_HELPFUL_TAGS))
        .astype(np.float64)
    )
    weights = np.bincount(note, weights=weight, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = total / weights[:, np.newaxis]
    total[weights == 0] = np.nan
    return TagRatios(total, ratio)


def tag_thresholds(ratios: TagRatios, helpful: Flags, t: TagFilterThresholds) -> Floats:
    """Each tag's threshold: the `crh_percentile`-th percentile of its ratio over the
    `helpful` notes that have one (0 when there are none, as the reference)."""
    picked = ratios.adjusted_ratio[helpful & ~np.isnan(ratios.adjusted_ratio[:, 0])]
    if picked.shape[0] == 0:
        return np.zeros(len(NOT_HELPFUL_TAGS))
    # The reference reads quantile k of np.arange(0, 1, 0.01), not k / 100 itself.
    level = np.arange(0, 1, 0.01)[t.crh_percentile]
    thresholds: Floats = np.quantile(picked, level, axis=0)
    return thresholds


def tag_outliers(ratios: TagRatios, thresholds: Floats, t: TagFilterThresholds) -> Flags:
    """Notes with some tag (but the exempt one) above both the total and its threshold."""
    over = (ratios.adjusted_total > t.min_adjusted_total) & (ratios.adjusted_ratio > thresholds)
    over[:, NOT_HELPFUL_TAGS.index(t.exempt_tag)] = False
    flags: Flags = np.any(over, axis=1)
    return flags


def incorrect_outliers(
    indexed: IndexedInput, note_factor: Floats, rater_factor: Floats, t: TagFilterThresholds
) -> Flags:
    """Notes the Incorrect filter blocks (module docstring); factors as `tag_ratios`.
    Rater rates count every Core rating of theirs with a not-helpful tag."""
    tagged: Flags = np.any(indexed.not_helpful_tags, axis=1)
    incorrect = indexed.not_helpful_tag("notHelpfulIncorrect")
    rate = _incorrect_rates(indexed, tagged, incorrect)
    clipped_note = np.clip(note_factor, -t.factor_clip, t.factor_clip)[indexed.note]
    clipped_rater = np.clip(rater_factor, -t.factor_clip, t.factor_clip)[indexed.rater]
    with np.errstate(invalid="ignore"):
        near = np.abs(clipped_rater - clipped_note) < t.interval_half_width
    rows = tagged & near  # a NaN factor is never near
    note, size = indexed.note[rows], indexed.num_notes
    count = np.bincount(note, weights=incorrect[rows].astype(np.float64), minlength=size)
    voters = np.bincount(note, minlength=size)
    rates = np.bincount(note, weights=rate[indexed.rater[rows]], minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = count / np.log1p(rates)
    flags: Flags = (
        (count >= t.min_incorrect) & (voters >= t.min_voters) & (score >= t.min_incorrect_score)
    )
    return flags


def _incorrect_rates(indexed: IndexedInput, tagged: Flags, incorrect: Flags) -> Floats:
    """By participant: Incorrect tags over not-helpful-tagged ratings (0 without any)."""
    size = indexed.num_participants
    made = np.bincount(indexed.rater[tagged], minlength=size)
    used = np.bincount(indexed.rater[tagged & incorrect], minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(made > 0, used / made, 0.0)


def _z_normalised(factor: Floats) -> Floats:
    """(f - mean) / std over the entries that are not NaN (population std, as np.std)."""
    known = factor[~np.isnan(factor)]
    if known.size == 0:
        return factor
    with np.errstate(invalid="ignore", divide="ignore"):
        normalised: Floats = (factor - known.mean()) / known.std()
    return normalised


def _weights(distance: Floats, t: TagFilterThresholds) -> Floats:
    if distance.size == 0:
        return distance
    scale = np.percentile(distance, t.distance_percentile)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        weight: Floats = 1.0 / (1.0 + (distance / scale) ** t.distance_exponent)
    return weight
