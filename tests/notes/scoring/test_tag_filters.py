"""The tag-outlier and Incorrect filters and InsufficientExplanation on hand-built ratings."""

import dataclasses
from collections.abc import Sequence

import numpy as np
import pytest

from townsquare.notes.scoring import (
    HELPFUL_TAGS,
    NOT_HELPFUL_TAGS,
    ExplanationThresholds,
    TagFilterThresholds,
)
from townsquare.notes.scoring._explanation import unexplained
from townsquare.notes.scoring._indexed import IndexedInput, index_input
from townsquare.notes.scoring._tag_filters import (
    TagRatios,
    incorrect_outliers,
    tag_outliers,
    tag_ratios,
    tag_thresholds,
)

from .factories import make_input

T = TagFilterThresholds()
INCORRECT = NOT_HELPFUL_TAGS.index("notHelpfulIncorrect")


def tagged(rows: Sequence[tuple[str, str, float, tuple[str, ...]]]) -> IndexedInput:
    """Ratings (rater, note, value, tags) indexed: raters and notes in sorted id order."""
    given = make_input([(u, n, v) for u, n, v, _ in rows])
    r = given.ratings
    helpful = np.array([[name in tags for name in HELPFUL_TAGS] for *_, tags in rows])
    not_helpful = np.array([[name in tags for name in NOT_HELPFUL_TAGS] for *_, tags in rows])
    ratings = dataclasses.replace(r, helpful_tags=helpful, not_helpful_tags=not_helpful)
    return index_input(dataclasses.replace(given, ratings=ratings))


def factors(indexed: IndexedInput, by_id: dict[str, float]) -> np.ndarray:
    """A factor per participant (or note) index from ids, NaN for the others."""
    ids = indexed.participant_ids if str(next(iter(by_id))).startswith("u") else indexed.note_ids
    return np.array([by_id.get(str(i), np.nan) for i in ids])


# Two raters and two notes at opposite ends: each rater is at distance 0 from one note and 2
# from the other (after z-normalisation); the 40th percentile of (0, 0, 2, 2) is 0.4.
OPPOSITE = [
    ("u0", "n0", 0.0, ()),
    ("u1", "n0", 0.0, ("notHelpfulIncorrect",)),
    ("u0", "n1", 1.0, ()),
    ("u1", "n1", 1.0, ()),
]


def test_a_tag_from_a_rater_far_from_the_note_weighs_almost_nothing() -> None:
    indexed = tagged(OPPOSITE)
    ratios = tag_ratios(
        indexed, factors(indexed, {"n0": -1.0, "n1": 1.0}), factors(indexed, {"u0": -1, "u1": 1}), T
    )
    far = 1 / (1 + (2 / 0.4) ** 5)  # = 1 / 3126
    assert ratios.adjusted_total[0, INCORRECT] == pytest.approx(far)
    assert ratios.adjusted_ratio[0, INCORRECT] == pytest.approx(far / (1 + far))
    assert ratios.adjusted_total[1].sum() == 0


def test_tag_ratios_do_not_change_with_the_scale_or_offset_of_the_factors() -> None:
    indexed = tagged(OPPOSITE)
    notes, raters = factors(indexed, {"n0": -0.2, "n1": 0.5}), factors(indexed, {"u0": 0, "u1": 1})
    one = tag_ratios(indexed, notes, raters, T)
    other = tag_ratios(indexed, 3 * notes + 0.5, 3 * raters - 1, T)
    np.testing.assert_allclose(one.adjusted_ratio, other.adjusted_ratio)


def test_ratings_of_unfitted_notes_or_raters_are_not_weighed() -> None:
    indexed = tagged(OPPOSITE)
    ratios = tag_ratios(
        indexed, factors(indexed, {"n1": 1.0}), factors(indexed, {"u0": -1, "u1": 1}), T
    )
    assert np.isnan(ratios.adjusted_total[0]).all()
    assert np.isnan(ratios.adjusted_ratio[0]).all()


def ratios_of(total: list[float], ratio: list[float], tag: int = INCORRECT) -> TagRatios:
    """Notes with one tag's adjusted total and ratio set, every other tag 0."""
    totals, ratios = np.zeros((len(total), len(NOT_HELPFUL_TAGS))), np.zeros((len(ratio), 13))
    totals[:, tag], ratios[:, tag] = total, ratio
    return TagRatios(totals, ratios)


def test_the_threshold_is_the_95th_percentile_over_helpful_notes_only() -> None:
    ratio = [k / 100 for k in range(101)] + [5.0] * 50
    helpful = np.array([True] * 101 + [False] * 50)
    thresholds = tag_thresholds(ratios_of([1.0] * 151, ratio), helpful, T)
    assert thresholds[INCORRECT] == pytest.approx(0.95)
    assert (np.delete(thresholds, INCORRECT) == 0).all()
    assert (tag_thresholds(ratios_of([1.0], [0.5]), np.array([False]), T) == 0).all()


def test_a_note_is_an_outlier_above_both_the_total_and_the_threshold() -> None:
    thresholds = np.full(len(NOT_HELPFUL_TAGS), 0.3)
    ratios = ratios_of([3.0, 2.5, 3.0], [0.4, 0.4, 0.3])
    assert tag_outliers(ratios, thresholds, T).tolist() == [True, False, False]
    exempt = ratios_of([3.0], [0.9], tag=NOT_HELPFUL_TAGS.index("notHelpfulHardToUnderstand"))
    assert tag_outliers(exempt, thresholds, T).tolist() == [False]


def incorrect_world(near_voters: int) -> tuple[IndexedInput, np.ndarray, np.ndarray]:
    """Note "n" at factor 0 tagged Incorrect by `near_voters` raters at 0.1 and by one at
    0.9 (clipped to 0.4, too far); each rater tags 3 other notes with another tag, so each
    uses Incorrect on a quarter of their tagged ratings."""
    raters = [f"u{k}" for k in range(near_voters)] + ["ufar"]
    rows = [(u, "n", 0.0, ("notHelpfulIncorrect",)) for u in raters]
    rows += [(u, f"m{k}", 0.0, ("notHelpfulOffTopic",)) for u in raters for k in range(3)]
    indexed = tagged(rows)
    rater_factor = factors(indexed, dict.fromkeys(raters, 0.1) | {"ufar": 0.9})
    note_factor = factors(indexed, {"n": 0.0} | {f"m{k}": 0.9 for k in range(3)})
    return indexed, note_factor, rater_factor


def test_incorrect_tags_from_three_near_raters_with_a_low_base_rate_block_the_note() -> None:
    indexed, note_factor, rater_factor = incorrect_world(3)
    # 3 tags / log(1 + 3 x 0.25) = 5.36 >= 2.5; the far rater does not count.
    blocked = incorrect_outliers(indexed, note_factor, rater_factor, T)
    assert blocked[indexed.note_ids.index("n")]
    assert blocked.sum() == 1


def test_two_near_raters_are_too_few_and_a_high_base_rate_weighs_less() -> None:
    indexed, note_factor, rater_factor = incorrect_world(2)
    assert not incorrect_outliers(indexed, note_factor, rater_factor, T).any()
    # Raters who tag everything Incorrect: 3 / log(1 + 3) = 2.16 < 2.5.
    rows = [(f"u{k}", "n", 0.0, ("notHelpfulIncorrect",)) for k in range(3)]
    indexed = tagged(rows)
    near = factors(indexed, {f"u{k}": 0.1 for k in range(3)})
    assert not incorrect_outliers(indexed, factors(indexed, {"n": 0.0}), near, T).any()


def test_a_helpful_or_not_helpful_note_needs_two_tags_each_given_twice() -> None:
    rows = [
        ("u0", "a", 1.0, ("helpfulClear", "helpfulGoodSources")),
        ("u1", "a", 1.0, ("helpfulClear", "helpfulGoodSources")),
        ("u0", "b", 1.0, ("helpfulClear", "helpfulGoodSources")),
        ("u1", "b", 1.0, ("helpfulClear",)),
        ("u2", "b", 1.0, ("helpfulClear",)),
        ("u0", "c", 0.0, ("notHelpfulIncorrect", "notHelpfulOffTopic")),
        ("u1", "c", 0.0, ("notHelpfulIncorrect", "notHelpfulOffTopic")),
        ("u0", "d", 0.0, ("helpfulClear", "helpfulGoodSources")),
        ("u1", "d", 0.0, ("helpfulClear", "helpfulGoodSources")),
    ]
    indexed = tagged(rows)
    helpful = np.array([n in ("a", "b") for n in indexed.note_ids])
    not_helpful = np.array([n in ("c", "d") for n in indexed.note_ids])
    lacking = unexplained(indexed, helpful, not_helpful, ExplanationThresholds())
    # b: one tag given twice; d: helpful tags do not explain a not-helpful note.
    assert dict(zip(indexed.note_ids, lacking.tolist(), strict=True)) == {
        "a": False,
        "b": True,
        "c": False,
        "d": True,
    }
    neither = np.zeros(len(indexed.note_ids), dtype=bool)
    assert not unexplained(indexed, neither, neither, ExplanationThresholds()).any()
