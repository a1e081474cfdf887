"""Which raters' ratings the second round keeps: valid ratings and helpfulness scores.

From the reference's `note_ratings.get_valid_ratings` and `helpfulness_scores.py`:

1. A rating is *valid* when it was made within 48 hours of the note's creation and before
   the note's latest status other than needing more ratings (for notes older than the status
   history: the note's first 5 ratings within 48 hours), the note is provisionally helpful or
   not helpful after the first round, and the rating is exactly helpful (1) or not helpful (0).
2. A valid rating *agrees* when it is helpful on a helpful note or not helpful on a not
   helpful one; a rater's agreement ratio is agreeing / valid.
3. An author's notes fitted in the first round give crhCrnhRatioDifference
   (helpful share - 5 x not-helpful share) and meanNoteScore (mean note intercept).
4. A rater is above the helpfulness threshold when the agreement ratio is at least 0.66 and,
   if they wrote any fitted note, the difference is at least 0 and the mean at least 0.05.
   A rater with no valid rating has no ratio and is not above the threshold.
5. With harassment scores (`_tag_consensus.py`), each helpful rating (among the first
   round's ratings) of a note scoring at least 2 costs 10 x score / 2 agreeing ratings; the
   ratio after that penalty must be at least 0.66 too.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from townsquare.notes.scoring._indexed import IndexedInput
from townsquare.notes.scoring._parameters import HelpfulnessThresholds

__all__ = [
    "Helpfulness",
    "RatingOutcomes",
    "harassment_penalty",
    "helpfulness",
    "rating_outcomes",
    "valid_ratings",
]

Floats = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class RatingOutcomes:
    """By input row: whether the rating is valid (step 1) and whether it agrees (step 2)."""

    valid: Flags
    agrees: Flags


@dataclass(frozen=True, eq=False)
class Helpfulness:
    """By participant index (NaN where undefined)."""

    agree_ratio: Floats
    crh_crnh_ratio_difference: Floats
    mean_note_score: Floats
    above_threshold: Flags

    @property
    def judged(self) -> Flags:
        """Participants the reference's helpfulness table lists: a valid rating (an agreement
        ratio) or a note fitted in the first round (a mean note score)."""
        flags: Flags = ~np.isnan(self.agree_ratio) | ~np.isnan(self.mean_note_score)
        return flags


def valid_ratings(indexed: IndexedInput, thresholds: HelpfulnessThresholds) -> Flags:
    """(1) By row: made early enough to count, whatever the note's status."""
    note_created = indexed.note_created_at[indexed.note]
    in_window = indexed.created_at - note_created < thresholds.valid_window_millis
    decided = indexed.note_latest_decided_at[indexed.note]
    before_decided = np.isnan(decided) | (indexed.created_at < decided)
    old = note_created < thresholds.status_history_start_millis
    recent_note_rows = ~old & in_window & before_decided
    return recent_note_rows | _first_ratings(indexed, old & in_window, thresholds)


def _first_ratings(indexed: IndexedInput, rows: Flags, thresholds: HelpfulnessThresholds) -> Flags:
    """Among `rows`, each note's earliest `old_note_valid_ratings` (ties in row order)."""
    chosen = np.flatnonzero(rows)
    order = chosen[np.lexsort((chosen, indexed.created_at[chosen], indexed.note[chosen]))]
    notes = indexed.note[order]
    starts = np.flatnonzero(np.r_[True, notes[1:] != notes[:-1]]) if notes.size else notes
    rank = np.arange(order.size) - np.repeat(starts, np.diff(np.r_[starts, order.size]))
    first = np.zeros(indexed.rater.shape[0], dtype=np.bool_)
    first[order[rank < thresholds.old_note_valid_ratings]] = True
    return first


def rating_outcomes(
    indexed: IndexedInput, early: Flags, helpful: Flags, not_helpful: Flags
) -> RatingOutcomes:
    """(1)-(2) given the provisional statuses by note and the early rows."""
    on_helpful, on_not_helpful = helpful[indexed.note], not_helpful[indexed.note]
    says_helpful, says_not_helpful = indexed.value == 1.0, indexed.value == 0.0
    valid = early & (on_helpful | on_not_helpful) & (says_helpful | says_not_helpful)
    agrees = valid & ((on_helpful & says_helpful) | (on_not_helpful & says_not_helpful))
    return RatingOutcomes(valid, agrees)


def helpfulness(
    indexed: IndexedInput,
    outcomes: RatingOutcomes,
    note_intercept: Floats,
    helpful: Flags,
    not_helpful: Flags,
    thresholds: HelpfulnessThresholds,
    penalty: Floats | None = None,
) -> Helpfulness:
    """(2)-(5) by participant; `note_intercept` is the first round's, NaN for unfitted notes;
    `penalty` is each participant's harassment penalty (none when absent)."""
    size = indexed.num_participants
    valid = np.bincount(indexed.rater[outcomes.valid], minlength=size).astype(np.float64)
    agreeing = np.bincount(indexed.rater[outcomes.agrees], minlength=size).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        agree_ratio = agreeing / valid
    difference, mean_score = _author_scores(
        indexed, note_intercept, helpful, not_helpful, thresholds
    )
    wrote_nothing = np.isnan(difference) & np.isnan(mean_score)
    good_author = (difference >= thresholds.min_crh_crnh_ratio_difference) & (
        mean_score >= thresholds.min_mean_note_score
    )
    above = (good_author | wrote_nothing) & (agree_ratio >= thresholds.min_agree_ratio)
    if penalty is not None:
        with np.errstate(invalid="ignore", divide="ignore"):
            above &= (agreeing - penalty) / valid >= thresholds.min_agree_ratio
    return Helpfulness(agree_ratio, difference, mean_score, above)


def harassment_penalty(
    indexed: IndexedInput, rows: Flags, scores: Floats, thresholds: HelpfulnessThresholds
) -> Floats:
    """(5) By participant: over `rows` (the first round's ratings), the helpful ratings of
    notes scoring at least `harassment_min_score`, each costing penalty x score / minimum."""
    score = scores[indexed.note]
    abusive = rows & (indexed.value == 1.0) & (score >= thresholds.harassment_min_score)
    cost = thresholds.harassment_penalty * score[abusive] / thresholds.harassment_min_score
    total: Floats = np.bincount(
        indexed.rater[abusive], weights=cost, minlength=indexed.num_participants
    ).astype(np.float64)
    return total


def _author_scores(
    indexed: IndexedInput,
    note_intercept: Floats,
    helpful: Flags,
    not_helpful: Flags,
    thresholds: HelpfulnessThresholds,
) -> tuple[Floats, Floats]:
    size = indexed.num_participants
    scored = ~np.isnan(note_intercept) & (indexed.note_author >= 0)
    author = indexed.note_author[scored]
    notes = np.bincount(author, minlength=size).astype(np.float64)
    crh = np.bincount(author, weights=helpful[scored].astype(np.float64), minlength=size)
    crnh = np.bincount(author, weights=not_helpful[scored].astype(np.float64), minlength=size)
    total = np.bincount(author, weights=note_intercept[scored], minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        difference = crh / notes - thresholds.crnh_author_weight * crnh / notes
        mean_score = total / notes
    return difference, mean_score
