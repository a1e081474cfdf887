"""Tests for townsquare.microblog.fingerprints: signatures, buckets and similarity."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from townsquare.microblog.fingerprints import (
    DEFAULT_PARAMETERS,
    FingerprintParameters,
    band_buckets,
    estimated_similarity,
    exact_similarity,
    shingles,
    signature,
)

POST = "The election has been moved to Wednesday, tell everyone you know! https://x.example/a"
WORDS = st.sampled_from(
    [
        "the",
        "a",
        "vote",
        "election",
        "polls",
        "wednesday",
        "moved",
        "tell",
        "everyone",
        "know",
        "city",
        "news",
        "rain",
        "sun",
    ]
)
TEXTS = st.lists(WORDS, min_size=1, max_size=40).map(" ".join)


def test_identical_texts_have_similarity_one() -> None:
    assert estimated_similarity(signature(POST), signature(POST)) == 1.0
    assert exact_similarity(POST, POST) == 1.0


def test_a_copy_with_cosmetic_edits_is_identical_once_normalised() -> None:
    copy = "the ELECTION has been moved to wednesday — tell everyone you know https://x.example/b"
    assert estimated_similarity(signature(POST), signature(copy)) == 1.0
    assert band_buckets(signature(POST)) == band_buckets(signature(copy))


def test_a_near_copy_is_near_and_an_unrelated_text_is_not() -> None:
    near = POST.replace("Wednesday", "Thursday")
    unrelated = "Lovely weather at the harbour this morning, the boats are all out."
    assert 0.7 <= estimated_similarity(signature(POST), signature(near)) < 1.0
    assert estimated_similarity(signature(POST), signature(unrelated)) < 0.2


def test_signatures_are_fixed_by_the_parameters() -> None:
    again = FingerprintParameters()
    assert np.array_equal(signature(POST), signature(POST, again))
    other_seed = FingerprintParameters(seed=1)
    assert not np.array_equal(signature(POST), signature(POST, other_seed))


def test_shapes_follow_the_parameters() -> None:
    small = FingerprintParameters(bands=4, rows=2)
    sig = signature(POST, small)
    assert sig.shape == (8,)
    assert sig.dtype == np.uint32
    assert len(band_buckets(sig, small)) == 4
    assert all(0 <= bucket < 2**63 for bucket in band_buckets(signature(POST)))


def test_an_empty_text_matches_only_its_like() -> None:
    blank = signature("!!! ...")
    assert estimated_similarity(blank, signature("   ")) == 1.0
    assert estimated_similarity(blank, signature(POST)) == 0.0
    assert shingles("  ", 5) == frozenset()


def test_a_short_text_is_one_shingle() -> None:
    assert shingles("Hi!", 5) == frozenset({"hi"})
    assert estimated_similarity(signature("Hi!"), signature("hi")) == 1.0


def test_signatures_of_different_parameters_are_not_compared() -> None:
    with pytest.raises(ValueError, match="different lengths"):
        estimated_similarity(signature(POST), signature(POST, FingerprintParameters(bands=2)))


def test_parameters_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        FingerprintParameters(rows=0)


@given(TEXTS, TEXTS)
def test_similarity_is_symmetric(first: str, second: str) -> None:
    a, b = signature(first), signature(second)
    assert estimated_similarity(a, b) == estimated_similarity(b, a)
    assert exact_similarity(first, second) == exact_similarity(second, first)


@settings(max_examples=200)
@given(TEXTS, TEXTS)
def test_the_estimate_is_close_to_the_exact_jaccard_index(first: str, second: str) -> None:
    # 100 permutations: the estimate's standard deviation is at most 0.05; 0.25 is five.
    estimate = estimated_similarity(signature(first), signature(second))
    assert abs(estimate - _naive_jaccard(first, second)) <= 0.25


@given(TEXTS)
def test_sharing_a_text_means_sharing_every_bucket(text: str) -> None:
    assert band_buckets(signature(text)) == band_buckets(signature(f"  {text.upper()} "))


def _naive_jaccard(first: str, second: str) -> float:
    """The reference: every window of five characters of the normalised texts, by hand."""
    size = DEFAULT_PARAMETERS.shingle_size
    sets = []
    for text in (first, second):
        norm = " ".join(text.casefold().split())
        windows = {norm[i : i + size] for i in range(max(len(norm) - size + 1, 1))}
        sets.append(windows)
    return len(sets[0] & sets[1]) / len(sets[0] | sets[1])
