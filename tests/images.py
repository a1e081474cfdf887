"""Small images made on the spot for the media tests (no files to ship): a photo-like JPEG
with EXIF (camera, GPS and an orientation), PNG with transparency, a two-frame GIF, WebP."""

import io

from PIL import Image, ImageDraw

__all__ = ["gif_bytes", "jpeg_bytes", "png_bytes", "scene", "webp_bytes"]

_ORIENTATION = 0x0112
_MAKE = 0x010F
_GPS_IFD = 0x8825


def scene(width: int = 300, height: int = 200, *, seed: int = 0) -> Image.Image:
    """An image with structure (bands and a disc), so that hashes have something to see."""
    image = Image.new("RGB", (width, height), (20 + seed * 40 % 200, 120, 200))
    draw = ImageDraw.Draw(image)
    for i in range(0, width, max(1, width // 6)):
        draw.rectangle([i, 0, i + width // 12, height], fill=(240, 200 - seed * 30 % 180, 40))
    draw.ellipse(
        [width // 4, height // 4, width // 2, height // 2 + height // 4], fill=(10, 10, 10)
    )
    return image


def jpeg_bytes(image: Image.Image, *, orientation: int | None = None) -> bytes:
    exif = Image.Exif()
    exif[_MAKE] = "Townsquare Test Camera"
    exif.get_ifd(_GPS_IFD)[2] = (48.0, 51.0, 24.0)  # GPSLatitude: where the photo was taken
    if orientation is not None:
        exif[_ORIENTATION] = orientation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=90)
    return buffer.getvalue()


def png_bytes(image: Image.Image, *, transparent: bool = False) -> bytes:
    buffer = io.BytesIO()
    (image.convert("RGBA") if transparent else image).save(buffer, "PNG")
    return buffer.getvalue()


def gif_bytes(first: Image.Image, second: Image.Image) -> bytes:
    buffer = io.BytesIO()
    first.save(buffer, "GIF", save_all=True, append_images=[second], duration=100)
    return buffer.getvalue()


def webp_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=80)
    return buffer.getvalue()
