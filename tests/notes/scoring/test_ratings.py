"""Ratings from ids: dense indexes that ignore row order, and refusals a person can act on."""

import numpy as np
import pytest

from townsquare.kernel import InvalidInputError
from townsquare.notes.scoring import RatingsInputError, ScoringError, ratings_from_ids


def test_ids_map_to_dense_indexes_in_sorted_order() -> None:
    ratings = ratings_from_ids(["bob", "alice", "bob"], [30, 10, 10], [1.0, 0.5, 0.0])
    assert ratings.rater_ids == ("alice", "bob")
    assert ratings.note_ids == (10, 30)
    assert ratings.rater.tolist() == [1, 0, 1]
    assert ratings.note.tolist() == [1, 0, 0]
    assert ratings.value.tolist() == [1.0, 0.5, 0.0]
    assert (ratings.num_ratings, ratings.num_raters, ratings.num_notes) == (3, 2, 2)
    assert ratings.ratings_per_note().tolist() == [2, 1]


def test_string_and_integer_ids_can_be_mixed() -> None:
    ratings = ratings_from_ids(["x", 7, "a"], [1, 1, 1], [1.0, 1.0, 1.0])
    assert ratings.rater_ids == (7, "a", "x")
    assert ratings.rater.tolist() == [2, 0, 1]


def test_the_arrays_are_read_only() -> None:
    ratings = ratings_from_ids(["a"], [1], [1.0])
    for array in (ratings.rater, ratings.note, ratings.value):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 0


def test_columns_of_different_lengths_are_refused() -> None:
    with pytest.raises(RatingsInputError, match="one entry per rating; got 2, 1 and 1"):
        ratings_from_ids(["a", "b"], [1], [1.0])


def test_no_ratings_is_refused() -> None:
    with pytest.raises(RatingsInputError, match="no ratings"):
        ratings_from_ids([], [], [])


@pytest.mark.parametrize("value", [0.25, -1.0, 2.0, float("nan")])
def test_a_value_outside_the_three_levels_is_refused(value: float) -> None:
    with pytest.raises(RatingsInputError, match=r"rating 1 has value .*1 \(helpful\)"):
        ratings_from_ids(["a", "b"], [1, 1], [1.0, value])


def test_rating_one_note_twice_is_refused_naming_both() -> None:
    with pytest.raises(RatingsInputError, match="rater 'b' rated note 2 more than once"):
        ratings_from_ids(["a", "b", "b"], [2, 2, 2], [1.0, 0.0, 1.0])


def test_the_errors_are_one_family_under_invalid_input() -> None:
    assert issubclass(RatingsInputError, ScoringError)
    assert issubclass(RatingsInputError, InvalidInputError)
    assert np.issubdtype(ratings_from_ids(["a"], [1], [1]).value.dtype, np.floating)
