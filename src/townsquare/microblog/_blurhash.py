"""BlurHash (blurha.sh): a few characters that let a client paint a blurred placeholder
while the image loads, or in place of a sensitive one.

An own small encoder over numpy, following the published algorithm: the image's colours in
linear light are projected on a few cosine components; the average colour is kept exactly
(sRGB), the others quantised against their largest magnitude; all in base 83.
"""

import numpy as np
from numpy.typing import NDArray

__all__ = ["blurhash"]

_BASE83 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"


def _base83(value: int, length: int) -> str:
    return "".join(_BASE83[(value // 83 ** (length - i)) % 83] for i in range(1, length + 1))


def _to_linear(srgb: NDArray[np.float64]) -> NDArray[np.float64]:
    v = srgb / 255.0
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)


def _to_srgb(linear: float) -> int:
    v = min(max(linear, 0.0), 1.0)
    if v <= 0.0031308:
        return int(v * 12.92 * 255 + 0.5)
    return int((1.055 * v ** (1 / 2.4) - 0.055) * 255 + 0.5)


def _sign_sqrt(value: float) -> float:
    return float(np.sign(value) * abs(value) ** 0.5)


def blurhash(rgb: NDArray[np.uint8], x_components: int = 4, y_components: int = 3) -> str:
    """The BlurHash of an image given as a height × width × 3 array of sRGB bytes (a small
    copy is enough: the hash keeps only the lowest frequencies)."""
    if not (1 <= x_components <= 9 and 1 <= y_components <= 9):
        raise ValueError("BlurHash has 1 to 9 components in each direction.")
    height, width = rgb.shape[0], rgb.shape[1]
    linear = _to_linear(rgb.astype(np.float64))
    xs = np.arange(width) / width
    ys = np.arange(height) / height
    factors = []
    for j in range(y_components):
        for i in range(x_components):
            basis = np.outer(np.cos(np.pi * j * ys), np.cos(np.pi * i * xs))
            scale = (1.0 if i == j == 0 else 2.0) / (width * height)
            factors.append(np.tensordot(basis, linear, axes=([0, 1], [0, 1])) * scale)
    dc, ac = factors[0], factors[1:]
    size_flag = (x_components - 1) + (y_components - 1) * 9
    parts = [_base83(size_flag, 1)]
    if ac:
        actual_max = float(max(np.abs(a).max() for a in ac))
        quantised = int(max(0, min(82, int(actual_max * 166 - 0.5))))
        maximum = (quantised + 1) / 166
        parts.append(_base83(quantised, 1))
    else:
        maximum = 1.0
        parts.append(_base83(0, 1))
    r, g, b = (_to_srgb(float(c)) for c in dc)
    parts.append(_base83((r << 16) + (g << 8) + b, 4))
    for factor in ac:
        q = [int(max(0, min(18, int(_sign_sqrt(float(c) / maximum) * 9 + 9.5)))) for c in factor]
        parts.append(_base83(q[0] * 19 * 19 + q[1] * 19 + q[2], 2))
    return "".join(parts)
