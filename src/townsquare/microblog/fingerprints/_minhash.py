"""MinHash signatures and LSH banding over character shingles (pure numpy, deterministic).

A post is the set of its `shingle_size`-character substrings (after `normalise`); two
posts' similarity is the Jaccard index of those sets. A MinHash signature holds, for each
of `permutations` hash functions, the smallest hash over the set: the share of positions
where two signatures agree estimates the Jaccard index (Broder 1997). Banding (Leskovec,
Rajaraman and Ullman, *Mining of Massive Datasets*, ch. 3.4) cuts the signature into
`bands` bands of `rows` values; posts sharing any whole band are candidates, so a copy
query is an indexed lookup of a post's band buckets, not a scan.

Everything is fixed by `FingerprintParameters` (the seed included): the same text always
gets the same signature and buckets, on any machine, which is what lets them be stored.
Hashing: each shingle's code points are folded into 64 bits by a polynomial, mixed by the
SplitMix64 finaliser and cut to 32 bits; the permutations are multiply-shift hashes
(Dietzfelbinger et al. 1997) with odd 64-bit multipliers drawn from the seed.
"""

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from townsquare.microblog.fingerprints._normalise import normalise

__all__ = [
    "DEFAULT_PARAMETERS",
    "FingerprintParameters",
    "Signature",
    "band_buckets",
    "estimated_similarity",
    "exact_similarity",
    "shingles",
    "signature",
]

Signature = npt.NDArray[np.uint32]

_POLYNOMIAL = np.uint64(0x100000001B3)
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)


def _mix(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """SplitMix64's finaliser: every input bit reaches every output bit."""
    values = values ^ (values >> np.uint64(30))
    values = values * _MIX_1
    values = values ^ (values >> np.uint64(27))
    values = values * _MIX_2
    return values ^ (values >> np.uint64(31))


@dataclass(frozen=True)
class FingerprintParameters:
    """How posts are fingerprinted. Changing any field changes every stored signature: a
    new value needs the backfill run again (`townsquare fingerprints`).

    `bands * rows` is the number of permutations. With 20 bands of 5 rows, a pair at
    Jaccard 0.7 becomes a candidate with probability 1 - (1 - 0.7^5)^20 ≈ 0.975, at 0.8
    ≈ 0.9997, and an unrelated pair (0.1) with probability 0.0002."""

    shingle_size: int = 5
    bands: int = 20
    rows: int = 5
    seed: int = 20261205
    _multipliers: npt.NDArray[np.uint64] = field(init=False, repr=False, compare=False)
    _offsets: npt.NDArray[np.uint64] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.shingle_size < 1 or self.bands < 1 or self.rows < 1:
            raise ValueError("shingle_size, bands and rows: expected positive integers")
        draws = np.random.default_rng(self.seed).integers(
            0, 2**64 - 1, size=(2, self.permutations), dtype=np.uint64, endpoint=True
        )
        object.__setattr__(self, "_multipliers", (draws[0] | np.uint64(1))[:, None])
        object.__setattr__(self, "_offsets", draws[1][:, None])

    @property
    def permutations(self) -> int:
        return self.bands * self.rows


DEFAULT_PARAMETERS = FingerprintParameters()


def shingles(text: str, size: int) -> frozenset[str]:
    """The set of `size`-character substrings of `normalise(text)`; a shorter text is one
    shingle, and an empty one has none."""
    norm = normalise(text)
    if len(norm) <= size:
        return frozenset({norm}) if norm else frozenset()
    return frozenset(norm[i : i + size] for i in range(len(norm) - size + 1))


def _shingle_hashes(norm: str, size: int) -> npt.NDArray[np.uint64]:
    """32-bit hashes (in uint64) of every `size`-substring of `norm`, vectorised."""
    points = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = max(len(points) - size + 1, 1)
    folded = np.zeros(count, dtype=np.uint64)
    for offset in range(min(size, len(points))):
        folded = folded * _POLYNOMIAL + points[offset : offset + count]
    return np.unique(_mix(folded) >> np.uint64(32))


def signature(text: str, parameters: FingerprintParameters = DEFAULT_PARAMETERS) -> Signature:
    """The MinHash signature of `text`: `parameters.permutations` uint32 values. A text with
    nothing left after `normalise` gets the all-ones signature (it matches only its like)."""
    norm = normalise(text)
    if not norm:
        return np.full(parameters.permutations, 0xFFFFFFFF, dtype=np.uint32)
    hashes = _shingle_hashes(norm, parameters.shingle_size)
    permuted = (parameters._multipliers * hashes[None, :] + parameters._offsets) >> np.uint64(32)
    smallest: Signature = permuted.min(axis=1).astype(np.uint32)
    return smallest


def band_buckets(
    sig: Signature, parameters: FingerprintParameters = DEFAULT_PARAMETERS
) -> tuple[int, ...]:
    """One bucket per band: the band's `rows` values hashed to a non-negative 63-bit int
    (it fits a signed BIGINT column). Posts sharing a band's bucket are candidates."""
    rows = sig.astype(np.uint64).reshape(parameters.bands, parameters.rows)
    folded = np.full(parameters.bands, np.uint64(parameters.seed), dtype=np.uint64)
    for column in range(parameters.rows):
        folded = _mix(folded * _POLYNOMIAL + rows[:, column])
    return tuple(int(bucket) for bucket in folded >> np.uint64(1))


def estimated_similarity(first: Signature, second: Signature) -> float:
    """The share of positions where two signatures agree: the Jaccard estimate."""
    if first.shape != second.shape:
        raise ValueError("signatures of different lengths come from different parameters")
    return float(np.count_nonzero(first == second)) / len(first)


def exact_similarity(first: str, second: str, size: int = DEFAULT_PARAMETERS.shingle_size) -> float:
    """The Jaccard index of two texts' shingle sets (1.0 for two texts with none)."""
    a, b = shingles(first, size), shingles(second, size)
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)
