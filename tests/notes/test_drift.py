"""The drift guard's arithmetic: the share over notes with enough ratings, and the minimum."""

import pytest

from townsquare.notes import DriftGuard


def test_a_run_changing_more_than_the_share_is_held() -> None:
    reading = DriftGuard().reading(changes=30, eligible=100)
    assert reading.holds
    assert reading.reason == (
        "30 status changes among 100 notes with at least 5 ratings (30%, more than 20%)"
    )


def test_the_share_itself_is_not_held() -> None:
    assert not DriftGuard().reading(changes=20, eligible=100).holds


def test_a_small_community_is_not_held_below_the_minimum_count() -> None:
    assert not DriftGuard().reading(changes=4, eligible=5).holds
    assert DriftGuard(min_changes=4).reading(changes=4, eligible=5).holds


def test_changes_with_no_eligible_note_count_as_the_whole() -> None:
    assert DriftGuard(min_changes=1).reading(changes=1, eligible=0).share == 1.0


@pytest.mark.parametrize("share", [0.0, 1.5])
def test_a_share_outside_zero_to_one_is_refused(share: float) -> None:
    with pytest.raises(ValueError, match="max_share"):
        DriftGuard(max_share=share)
