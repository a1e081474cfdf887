"""Small images made on the spot for the media tests (no files to ship): a photo-like JPEG
with EXIF (camera, GPS and an orientation), PNG with transparency, a two-frame GIF, WebP."""

import io

from PIL import Image, ImageDraw

__all__ = ["gif_bytes", "jpeg_bytes", "png_bytes", "scene", "webp_bytes"]

_ORIENTATION = 0x0112
_MAKE = 0x010F
_GPS_IFD = 0x8825


def scene(width: int = 300, height: int = 200, *, seed: int = 0) -> Image.Image:
    """An image with large shapes, so that hashes have something to see; each `seed` lays
    them out differently (a different number of bands, the disc elsewhere)."""
    image = Image.new("RGB", (width, height), (20 + seed * 40 % 200, 120, 200))
    draw = ImageDraw.Draw(image)
    bands = 2 + seed % 5
    step = max(1, width // bands)
    for i in range(0, width, step):
        draw.rectangle([i, 0, i + step // 2, height], fill=(240, 200 - seed * 30 % 180, 40))
    x = (seed * 37 % 60) * width // 100
    y = (seed * 53 % 50) * height // 100
    draw.ellipse([x, y, x + width * 2 // 5, y + height // 2], fill=(10, 10, 10))
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
