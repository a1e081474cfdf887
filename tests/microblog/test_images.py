"""Image processing, pure: BlurHash, the perceptual hash, and what `process_image` keeps."""

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from PIL import Image

from images import gif_bytes, jpeg_bytes, png_bytes, scene, webp_bytes
from townsquare.microblog import InvalidMediaError, MediaLimits
from townsquare.microblog._blurhash import blurhash
from townsquare.microblog._image_hash import hash_bands, hash_distance, perceptual_hash
from townsquare.microblog._images import process_image


def _grey(image: Image.Image) -> NDArray[np.uint8]:
    return np.asarray(image.convert("L").resize((32, 32), Image.Resampling.LANCZOS))


def test_the_blurhash_keeps_the_average_colour_exactly() -> None:
    # 4 × 3 components ('L'); the average colour, sRGB (200, 30, 40) = 0xC81E28, in base 83
    # at characters 2 to 5; 28 characters in all.
    pixels = np.full((20, 30, 3), (200, 30, 40), dtype=np.uint8)
    colour = (200 << 16) + (30 << 8) + 40
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"
    dc = "".join(alphabet[(colour // 83**p) % 83] for p in (3, 2, 1, 0))
    found = blurhash(pixels)
    assert (found[0], found[2:6], len(found)) == ("L", dc, 28)
    assert blurhash(pixels, 1, 1) == "00" + dc  # one component: the average alone


def test_the_blurhash_sees_where_the_light_is() -> None:
    left_light = np.zeros((16, 16, 3), dtype=np.uint8)
    left_light[:, :8] = 255
    right_light = left_light[:, ::-1].copy()
    assert blurhash(left_light) != blurhash(right_light)
    assert blurhash(left_light)[:6] == blurhash(right_light)[:6]  # same size, max, average


def test_a_perceptual_hash_survives_resizing_and_recompression() -> None:
    original = scene(600, 400, seed=1)
    smaller = Image.open(io.BytesIO(jpeg_bytes(original.resize((300, 200)))))
    other = scene(600, 400, seed=4).transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    a, b, c = (perceptual_hash(_grey(i)) for i in (original, smaller, other))
    assert hash_distance(a, b) <= 4
    assert hash_distance(a, c) > 10


def test_hash_bands_cut_the_hash_in_four_16_bit_pieces() -> None:
    assert hash_bands(0x0123_4567_89AB_CDEF) == [0x0123, 0x4567, 0x89AB, 0xCDEF]


def test_the_preview_fits_the_preview_side_and_keeps_the_aspect() -> None:
    processed = process_image(jpeg_bytes(scene(1200, 300)), MediaLimits(preview_side=400))
    assert (processed.original.width, processed.original.height) == (1200, 300)
    assert (processed.small.width, processed.small.height) == (400, 100)
    assert processed.small.content_type == "image/jpeg"


def test_too_many_bytes_is_refused_before_decoding() -> None:
    with pytest.raises(InvalidMediaError, match="up to 100 bytes"):
        process_image(jpeg_bytes(scene()), MediaLimits(max_bytes=100))


_VALID = {
    "jpeg": jpeg_bytes(scene(64, 48), orientation=6),
    "png": png_bytes(scene(64, 48), transparent=True),
    "gif": gif_bytes(scene(64, 48, seed=1), scene(64, 48, seed=2)),
    "webp": webp_bytes(scene(64, 48)),
}


@settings(max_examples=300)
@given(
    kind=st.sampled_from(sorted(_VALID)),
    cut=st.integers(min_value=0, max_value=4000),
    flips=st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 255)), max_size=8),
)
def test_damaged_images_are_refused_as_invalid_media_never_another_error(
    kind: str, cut: int, flips: list[tuple[int, int]]
) -> None:
    data = bytearray(_VALID[kind])
    for at, value in flips:
        data[at % len(data)] = value
    damaged = bytes(data[: max(1, len(data) - cut)])
    try:
        processed = process_image(damaged, MediaLimits())
    except InvalidMediaError:
        return
    assert processed.original.width > 0
    assert processed.small.data


def test_a_phone_cameras_multi_picture_jpeg_is_accepted_as_its_first_picture() -> None:
    buffer = io.BytesIO()
    scene(320, 240, seed=1).save(
        buffer, "MPO", save_all=True, append_images=[scene(320, 240, seed=2)]
    )
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"
    processed = process_image(buffer.getvalue(), MediaLimits())
    assert processed.original.content_type == "image/jpeg"
    assert (processed.original.width, processed.original.height) == (320, 240)
    assert Image.open(io.BytesIO(processed.original.data)).format == "JPEG"
