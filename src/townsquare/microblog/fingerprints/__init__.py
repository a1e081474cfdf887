"""Fingerprints of post texts for finding copies: a pure library (numpy, no database).

`normalise` gives the form copies are compared on; `signature` its MinHash signature;
`band_buckets` the LSH buckets stored so that copies are found by an indexed lookup;
`estimated_similarity` compares two signatures and `exact_similarity` two texts (the
Jaccard index of their shingle sets). See docs/decisions/0003-near-duplicate-matching.md.
"""

from townsquare.microblog.fingerprints._minhash import (
    DEFAULT_PARAMETERS,
    FingerprintParameters,
    Signature,
    band_buckets,
    estimated_similarity,
    exact_similarity,
    shingles,
    signature,
)
from townsquare.microblog.fingerprints._normalise import normalise

__all__ = [
    "DEFAULT_PARAMETERS",
    "FingerprintParameters",
    "Signature",
    "band_buckets",
    "estimated_similarity",
    "exact_similarity",
    "normalise",
    "shingles",
    "signature",
]
