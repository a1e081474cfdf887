"""A perceptual hash of an image (pHash, after Zauner 2010): 64 bits that stay nearly the
same when the image is resized, re-encoded or slightly retouched, so that copies of an image
can be found by the number of bits in which two hashes differ.

The image in grey, 32 × 32; its two-dimensional DCT-II; the 8 × 8 lowest frequencies, each
bit saying whether that coefficient is above their median. Pure numpy.
"""

import numpy as np
from numpy.typing import NDArray

__all__ = ["HASH_BANDS", "hash_bands", "hash_distance", "perceptual_hash"]

_SIZE = 32
_KEPT = 8
HASH_BANDS = 4
"""The hash is cut into this many 16-bit bands for the indexed lookup of candidates: two
hashes within 3 bits of each other share at least one band (pigeonhole), and most pairs up
to about 10 bits apart do."""


def _dct_matrix(n: int) -> NDArray[np.float64]:
    k = np.arange(n)[:, None]
    x = np.arange(n)[None, :]
    return np.cos(np.pi * (2 * x + 1) * k / (2 * n))


_DCT = _dct_matrix(_SIZE)


def perceptual_hash(grey: NDArray[np.uint8]) -> int:
    """The 64-bit pHash of a 32 × 32 grey image (the caller resizes), as an unsigned int."""
    if grey.shape != (_SIZE, _SIZE):
        raise ValueError(f"perceptual_hash takes a {_SIZE} × {_SIZE} grey image.")
    pixels = grey.astype(np.float64)
    low = (_DCT @ pixels @ _DCT.T)[:_KEPT, :_KEPT]
    bits = (low > np.median(low)).flatten()
    value = 0
    for bit in bits:
        value = (value << 1) | int(bit)
    return value


def hash_distance(a: int, b: int) -> int:
    """How many of the 64 bits differ."""
    return (a ^ b).bit_count()


def hash_bands(value: int) -> list[int]:
    """The hash's 16-bit bands, most significant first."""
    return [(value >> (16 * (HASH_BANDS - 1 - i))) & 0xFFFF for i in range(HASH_BANDS)]
