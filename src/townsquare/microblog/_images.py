"""Uploaded images made safe to serve: decoded, turned upright, re-encoded without their
metadata, with a small preview, a BlurHash and a perceptual hash. Pure: bytes in, values out.

Re-encoding from the decoded pixels into a fresh image is what strips EXIF (camera, time and
often the place a photo was taken), XMP and comments: nothing of the uploaded file but its
pixels reaches a reader.
"""

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from townsquare.microblog._blurhash import blurhash
from townsquare.microblog._errors import InvalidMediaError
from townsquare.microblog._image_hash import perceptual_hash

__all__ = ["ACCEPTED_TYPES", "EncodedImage", "MediaLimits", "ProcessedImage", "process_image"]

ACCEPTED = "JPEG, PNG, GIF (its first frame) or WebP"
# What a Pillow format becomes once re-encoded: GIF's first frame is kept as PNG; MPO (the
# JPEG many phone cameras write, with a second picture for depth) keeps its first as JPEG.
_OUTPUT = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "GIF": "PNG", "WEBP": "WEBP"}
_CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
ACCEPTED_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
_BLURHASH_SIDE = 64  # a BlurHash keeps only low frequencies: a small copy gives the same one


@dataclass(frozen=True)
class MediaLimits:
    """What an upload may be (Mastodon's defaults: 16 MiB, 7680 × 4320 pixels), how large a
    preview is, and whether each attachment must have a description (alt text)."""

    max_bytes: int = 16 * 1024 * 1024
    max_pixels: int = 7680 * 4320
    preview_side: int = 640
    require_description: bool = False


@dataclass(frozen=True)
class EncodedImage:
    data: bytes
    content_type: str
    width: int
    height: int


@dataclass(frozen=True)
class ProcessedImage:
    original: EncodedImage
    small: EncodedImage
    blurhash: str
    phash: int


def process_image(data: bytes, limits: MediaLimits) -> ProcessedImage:
    """(1) check the size in bytes, (2) identify the format without decoding, (3) check the
    pixel count before decoding (a small file can claim gigapixels), (4) decode the first
    frame, (5) apply the EXIF orientation, (6) re-encode into a fresh image, (7) derive the
    preview and the hashes. Raises `InvalidMediaError` saying what is accepted."""
    if len(data) > limits.max_bytes:  # (1)
        raise InvalidMediaError(
            f"The file is {len(data)} bytes; images are accepted up to {limits.max_bytes} bytes."
        )
    image = _identify(data)  # (2)
    width, height = image.size
    if width * height > limits.max_pixels:  # (3)
        raise InvalidMediaError(
            f"The image is {width} × {height} pixels; images are accepted up to "
            f"{limits.max_pixels} pixels in all."
        )
    output = _OUTPUT[str(image.format)]
    upright = _decoded_upright(image)  # (4), (5)
    clean = _fresh_copy(upright)  # (6)
    original = _encode(clean, output)
    preview = clean.copy()
    preview.thumbnail((limits.preview_side, limits.preview_side), Image.Resampling.LANCZOS)
    small = _encode(preview, "JPEG" if preview.mode == "RGB" else "PNG")
    return ProcessedImage(
        original=original,
        small=small,
        blurhash=_blurhash_of(preview),
        phash=_phash_of(clean),
    )


def _unaccepted(what: str) -> InvalidMediaError:
    return InvalidMediaError(
        f"{what} Accepted are {ACCEPTED} images; video and audio are not accepted yet."
    )


def _identify(data: bytes) -> Image.Image:
    # Pillow's own bomb check only warns below twice its limit (and changing that is a
    # process-wide setting); the caller's pixel limit, checked before decoding, is the
    # check that matters.
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise _unaccepted("The image claims too many pixels.") from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise _unaccepted("The file is not an image this server can read.") from None
    if image.format not in _OUTPUT:
        raise _unaccepted(f"The file is a {image.format} image.")
    return image


def _decoded_upright(image: Image.Image) -> Image.Image:
    try:
        image.seek(0)
        image.load()
        upright = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError, EOFError):
        raise _unaccepted("The image is damaged or cut short.") from None
    return upright


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


def _fresh_copy(image: Image.Image) -> Image.Image:
    """The pixels alone in a new RGB (or RGBA) image, with no metadata to carry over."""
    mode = "RGBA" if _has_alpha(image) else "RGB"
    converted = image.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())


def _encode(image: Image.Image, output: str) -> EncodedImage:
    if output == "JPEG" and image.mode != "RGB":
        output = "PNG"  # JPEG has no transparency
    buffer = io.BytesIO()
    if output == "JPEG":
        image.save(buffer, "JPEG", quality=88, optimize=True)
    elif output == "WEBP":
        image.save(buffer, "WEBP", quality=88)
    else:
        image.save(buffer, "PNG", optimize=True)
    return EncodedImage(buffer.getvalue(), _CONTENT_TYPES[output], image.width, image.height)


def _opaque(image: Image.Image) -> Image.Image:
    """The image over white, for hashes that look at colours only."""
    if image.mode == "RGB":
        return image
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.getchannel("A"))
    return background


def _blurhash_of(image: Image.Image) -> str:
    tiny = _opaque(image).copy()
    tiny.thumbnail((_BLURHASH_SIDE, _BLURHASH_SIDE), Image.Resampling.BILINEAR)
    return blurhash(np.asarray(tiny, dtype=np.uint8))


def _phash_of(image: Image.Image) -> int:
    grey = _opaque(image).convert("L").resize((32, 32), Image.Resampling.LANCZOS)
    return perceptual_hash(np.asarray(grey, dtype=np.uint8))
