"""The draw's sampler: a pure function of the set of candidates and the seed."""

import hashlib
from random import Random

from hypothesis import given
from hypothesis import strategies as st

from townsquare.moderation import DrawCandidate, draw_sample

_candidates = st.lists(
    st.builds(
        DrawCandidate,
        index=st.integers(min_value=0, max_value=10_000),
        leaf_hash=st.binary(min_size=32, max_size=32),
    ),
    unique_by=lambda candidate: candidate.index,
    max_size=40,
)
_seeds = st.binary(min_size=32, max_size=32)


@given(_candidates, _seeds, st.integers(min_value=0, max_value=50), st.randoms())
def test_the_draw_does_not_depend_on_the_order_of_the_candidates(
    candidates: list[DrawCandidate], seed: bytes, count: int, random: Random
) -> None:
    shuffled = list(candidates)
    random.shuffle(shuffled)
    assert draw_sample(shuffled, seed, count) == draw_sample(candidates, seed, count)


@given(_candidates, _seeds, st.integers(min_value=0, max_value=50))
def test_the_draw_is_the_lowest_ranks_under_the_seed(
    candidates: list[DrawCandidate], seed: bytes, count: int
) -> None:
    """Against a naive reference: hash each leaf with the seed, keep the `count` lowest."""
    label = b"townsquare-review-draw/1\x00"
    ranked = sorted(candidates, key=lambda c: hashlib.sha256(label + seed + c.leaf_hash).digest())
    expected = tuple(sorted(ranked[:count]))
    drawn = draw_sample(candidates, seed, count)
    assert drawn == expected
    assert len(drawn) == min(count, len(candidates))


def test_the_same_seed_draws_the_same_and_another_seed_draws_otherwise() -> None:
    candidates = [DrawCandidate(i, hashlib.sha256(bytes([i])).digest()) for i in range(100)]
    seed, other = b"\x01" * 32, b"\x02" * 32
    assert draw_sample(candidates, seed, 10) == draw_sample(candidates, seed, 10)
    assert draw_sample(candidates, seed, 10) != draw_sample(candidates, other, 10)


def test_a_repeated_candidate_counts_once() -> None:
    one = DrawCandidate(3, b"\x07" * 32)
    assert draw_sample([one, one], b"\x00" * 32, 5) == (one,)
